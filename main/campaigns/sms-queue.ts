/**
 * The hand-off to the SMS outbox. Campaigns and appointments only ever call `enqueue`; the default
 * implementation keeps rows in campaign_sms, from which sms-handoff.ts moves each due row into the
 * modem's outbox, so neither side knows the other and a message can wait for its time (notBefore).
 * Synchronous on purpose: it runs inside the caller's SQLite transaction.
 *
 * The queue owns the customer's timeline entry (contact_event 'sms_out') of every automated SMS: it is
 * written here, once, in the same transaction as the row, and names the row (detail.smsQueueId) and what
 * sent it (detail.source: the campaign and step, or the appointment). The outbox writes none for these
 * (only for hand-written SMS), and the timeline reads the SMS's state through the row — waiting here,
 * then the outbox message's sent / delivered / failed, or expired / refused when it was dropped — so one
 * entry follows the SMS from queued to its end instead of two entries for one message.
 */
import type { DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';

export type SmsPurpose = 'maintenance' | 'insurance' | 'marketing' | 'survey' | 'appointment';

/**
 * The key of the one SMS a campaign sends a customer on a day (the day it goes): a customer with several
 * cars due gets one message naming them, not one per car (tasks are per vehicle), and the unreachable
 * fallback shares it. The unique key is what keeps it to one a day: the hand-off moves a row it holds
 * back to the day it will go (sms-handoff.ts), so that day's run finds the key taken.
 */
export const campaignSmsKey = (campaignId: string, customerId: string, day: string) => `campaign:${campaignId}:customer:${customerId}:${day}`;

const CAMPAIGN_KEY = /^(campaign:[^:]+:customer:[^:]+:)(\d{4}-\d{2}-\d{2})$/;

/** A campaign SMS key's customer+campaign part (`prefix`, what every day's key of the pair starts with) and its day; null for other keys. */
export function parseCampaignSmsKey(key: string): { prefix: string; day: string } | null {
  const m = CAMPAIGN_KEY.exec(key);
  return m?.[1] && m[2] ? { prefix: m[1], day: m[2] } : null;
}

/** What sent an automated SMS, kept on its timeline entry. */
export type SmsSource =
  /** A campaign's SMS step (step = its seq), its unreachable fallback (step null) or a query campaign; one SMS may serve several tasks (one per car). */
  | { kind: 'campaign'; campaignId: string; step: number | null; taskIds: string[]; vehicleIds: string[] }
  | { kind: 'appointment'; appointmentId: string; reminder: string };

export interface SmsQueueItem {
  dealerId: string;
  customerId: string;
  mobile: string;
  text: string;
  purpose: SmsPurpose;
  /** The same key twice queues one message (e.g. `campaign:<id>:customer:<id>:<day>`, `appt:<id>:day_before`). */
  dedupeKey: string;
  /** Do not send before this instant (UTC ISO); null = as soon as the outbox allows (quiet hours apply). */
  notBefore?: string | null;
  /** Not sent at all after this instant (UTC ISO), e.g. a reminder for an appointment that has begun. */
  expiresAt?: string | null;
  /** The timeline entry: what sent it, the title before the text (the campaign's name), the car when it is about one, who queued it. */
  source: SmsSource;
  label: string;
  vehicleId?: string | null;
  staffId?: string | null;
}

export interface SmsQueue {
  /**
   * Returns the queue row id and whether this call queued it (false = the key was already queued, or for a
   * campaign's key, the campaign's SMS to the customer waits for a later day: nothing is written then).
   */
  enqueue(item: SmsQueueItem): { id: string; queued: boolean };
  /** Withdraws a message not yet handed to the modem (e.g. a cancelled appointment's reminder); its timeline entry then reads "withdrawn". */
  cancel(dealerId: string, dedupeKey: string): boolean;
}

export function createTableSmsQueue(handle: DbHandle): SmsQueue {
  const insert = handle.sqlite.prepare(`insert into campaign_sms (id, dealer_id, customer_id, mobile, text, purpose, dedupe_key, not_before, expires_at, status, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?) on conflict (dealer_id, dedupe_key) do nothing`);
  const event = handle.sqlite.prepare(`insert into contact_event (id, dealer_id, customer_id, vehicle_id, kind, occurred_at, staff_id, summary, detail, created_at)
    values (?, ?, ?, ?, 'sms_out', ?, ?, ?, ?, ?)`);
  const remove = handle.sqlite.prepare(`delete from campaign_sms where dealer_id = ? and dedupe_key = ? and status = 'queued'`);
  const existing = handle.sqlite.prepare<[string, string], string>('select id from campaign_sms where dealer_id = ? and dedupe_key = ?').pluck();
  // A campaign's SMS to the customer waiting here under a later day's key (keys of one pair differ only in their day, which sorts).
  const later = handle.sqlite
    .prepare<[string, string, string], string>(`select id from campaign_sms where dealer_id = ? and dedupe_key > ? and dedupe_key <= ? and status = 'queued' limit 1`)
    .pluck();
  return {
    enqueue(item) {
      const id = newId();
      const at = nowIso();
      // The campaign's SMS held back by the daily cap to tomorrow morning (sms-handoff.ts moved its key there)
      // is the one the customer gets next: another now would make two that day — or be withdrawn for it.
      const pair = parseCampaignSmsKey(item.dedupeKey);
      const heldBack = pair ? later.get(item.dealerId, item.dedupeKey, `${pair.prefix}9999-99-99`) : undefined;
      if (heldBack) return { id: heldBack, queued: false };
      const write = handle.sqlite.transaction(() => {
        const r = insert.run(id, item.dealerId, item.customerId, item.mobile, item.text, item.purpose, item.dedupeKey, item.notBefore ?? null, item.expiresAt ?? null, at, at);
        if (r.changes !== 1) return false;
        const detail = JSON.stringify({ smsQueueId: id, source: item.source });
        event.run(newId(), item.dealerId, item.customerId, item.vehicleId ?? null, at, item.staffId ?? null, `${item.label}：${item.text}`, detail, at);
        return true;
      });
      // A savepoint inside the caller's transaction, a transaction of its own otherwise: row and entry commit together.
      if (write()) return { id, queued: true };
      return { id: existing.get(item.dealerId, item.dedupeKey) ?? id, queued: false };
    },
    cancel(dealerId, dedupeKey) {
      return remove.run(dealerId, dedupeKey).changes === 1;
    },
  };
}
