/**
 * The state of each outgoing SMS on a page of the timeline. contact_event is append-only, so an entry
 * cannot change as its SMS moves on; it names the SMS instead and the state is read here, at display time:
 * - an automated SMS (reminder, query campaign, appointment confirmation) names its campaign queue row
 *   (detail.smsQueueId, written by main/campaigns/sms-queue.ts): waiting there, dropped with a reason
 *   (expired, opted out …), withdrawn (the row is gone: a cancelled booking's confirmation; or replaced by
 *   a newer SMS of its campaign), or handed to the outbox, whose message then says sending / sent /
 *   delivered / failed;
 * - a hand-written SMS names its outbox message (detail.messageId, written by the modem on enqueue).
 * Entries written before the link existed have neither and show no state.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema';
import type { TimelineSmsDto } from '../../preload/contract';
import type { Bilingual } from '../../preload/messages';
import { DROP_REASON_TEXT, type DropReason } from '../campaigns/sms-handoff';
import { EXPIRED_TEXT } from '../modem';

const sourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('campaign'), campaignId: z.string(), step: z.number().int().nullable(), vehicleIds: z.array(z.string()).default([]) }),
  z.object({ kind: z.literal('appointment'), appointmentId: z.string() }),
]);
const linkSchema = z.union([
  z.object({ smsQueueId: z.string(), source: sourceSchema }),
  z.object({ messageId: z.string() }),
]);
type Link = z.infer<typeof linkSchema>;

const WITHDRAWN: Bilingual = { zh: '已撤回，未发送', en: 'Withdrawn before it was sent' };
const UNCERTAIN: Bilingual = { zh: '发送中断，结果未知，待主管在“结果未知短信”中处理', en: 'Interrupted mid-send; a supervisor decides in "Outcome unknown"' };
const isDropReason = (s: string): s is DropReason => s in DROP_REASON_TEXT;

function byId<T extends { id: string }>(rows: readonly T[]): Map<string, T> {
  return new Map(rows.map((r) => [r.id, r]));
}

export function parseSmsLink(detail: Record<string, unknown> | null): Link | null {
  const parsed = linkSchema.safeParse(detail);
  return parsed.success ? parsed.data : null;
}

/**
 * The SMS state of each linked entry, by entry id. Four small lookups per page, whatever its size, each
 * kept to the dealer's own rows: an id in an entry's detail is data, not a key to another dealer's store.
 */
export async function smsStates(db: Kysely<Database>, dealerId: string, entries: ReadonlyArray<{ id: string; link: Link }>): Promise<Map<string, TimelineSmsDto>> {
  const out = new Map<string, TimelineSmsDto>();
  if (entries.length === 0) return out;
  const queueIds = entries.flatMap((e) => ('smsQueueId' in e.link ? [e.link.smsQueueId] : []));
  const queue = byId(
    queueIds.length
      ? await db.selectFrom('campaign_sms').select(['id', 'status', 'not_before', 'sms_message_id', 'handoff_error']).where('dealer_id', '=', dealerId).where('id', 'in', queueIds).execute()
      : [],
  );
  const messageIds = [
    ...new Set([...entries.flatMap((e) => ('messageId' in e.link ? [e.link.messageId] : [])), ...[...queue.values()].flatMap((q) => (q.sms_message_id ? [q.sms_message_id] : []))]),
  ];
  const messages = byId(
    messageIds.length
      ? await db
          .selectFrom('sms_message as m')
          .select(['m.id', 'm.state'])
          // A failed delivery report marks the part, not the message: its text is the reason.
          .select((eb) =>
            eb.fn
              .coalesce('m.error_text', eb.selectFrom('sms_part as p').select('p.error_text').whereRef('p.message_id', '=', 'm.id').where('p.error_text', 'is not', null).orderBy('p.seq').limit(1))
              .as('error_text'),
          )
          .where('m.dealer_id', '=', dealerId)
          .where('m.id', 'in', messageIds)
          .execute()
      : [],
  );
  const sources = entries.flatMap((e) => ('source' in e.link ? [e.link.source] : []));
  const campaignIds = [...new Set(sources.flatMap((s) => (s.kind === 'campaign' ? [s.campaignId] : [])))];
  const campaigns = byId(campaignIds.length ? await db.selectFrom('campaign').select(['id', 'name_zh', 'name_en']).where('dealer_id', '=', dealerId).where('id', 'in', campaignIds).execute() : []);
  const vehicleIds = [...new Set(sources.flatMap((s) => (s.kind === 'campaign' ? s.vehicleIds : [])))];
  const vehicles = byId(vehicleIds.length ? await db.selectFrom('vehicle').select(['id', 'plate']).where('dealer_id', '=', dealerId).where('id', 'in', vehicleIds).execute() : []);

  const fromMessage = (messageId: string) => {
    const m = messages.get(messageId);
    if (!m) return null;
    if (m.state === 'failed' && m.error_text === EXPIRED_TEXT) return { state: 'expired' as const, reason: DROP_REASON_TEXT.expired };
    const detail = m.error_text ? `：${m.error_text}` : '';
    const reason = m.state === 'failed' ? { zh: `发送失败${detail}`, en: `Failed${detail ? `: ${m.error_text}` : ''}` } : m.state === 'uncertain' ? UNCERTAIN : null;
    return { state: m.state, reason };
  };

  for (const { id, link } of entries) {
    const base = { notBefore: null, reason: null, messageId: null, campaign: null, appointmentId: null, plates: [] };
    if ('messageId' in link) {
      const s = fromMessage(link.messageId);
      if (s) out.set(id, { ...base, ...s, messageId: link.messageId });
      continue;
    }
    const source = link.source;
    const c = source.kind === 'campaign' ? campaigns.get(source.campaignId) : undefined;
    const about = {
      campaign: source.kind === 'campaign' && c ? { id: c.id, nameZh: c.name_zh, nameEn: c.name_en, step: source.step } : null,
      appointmentId: source.kind === 'appointment' ? source.appointmentId : null,
      plates: source.kind === 'campaign' ? source.vehicleIds.flatMap((v) => vehicles.get(v)?.plate ?? []) : [],
    };
    const q = queue.get(link.smsQueueId);
    if (!q) {
      out.set(id, { ...base, ...about, state: 'cancelled', reason: WITHDRAWN });
    } else if (q.handoff_error !== null) {
      // Replaced by a newer SMS of its campaign: withdrawn, not a failure.
      const state = q.handoff_error === 'expired' ? 'expired' : q.handoff_error === 'superseded' ? 'cancelled' : 'failed';
      out.set(id, { ...base, ...about, state, reason: isDropReason(q.handoff_error) ? DROP_REASON_TEXT[q.handoff_error] : { zh: q.handoff_error, en: q.handoff_error } });
    } else if (q.sms_message_id) {
      out.set(id, { ...base, ...about, state: 'queued', ...fromMessage(q.sms_message_id), messageId: q.sms_message_id });
    } else {
      // Waiting in the queue (or claimed by a hand-off that is still talking to the outbox).
      out.set(id, { ...base, ...about, state: 'queued', notBefore: q.not_before });
    }
  }
  return out;
}
