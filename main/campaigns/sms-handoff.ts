/**
 * The hand-off from the campaign SMS queue (campaign_sms: reminder steps, query campaigns, appointment
 * confirmations) to the modem's durable outbox. Every tick, rows whose `not_before` has come are claimed
 * and enqueued in the outbox with the row id as the outbox's idempotency key, so a crash between the two
 * writes never sends twice: the next run finds the outbox message by that key and finishes the row.
 *
 * Appointment confirmations go out as service SMS at their time; everything else is marketing, which
 * the outbox holds back during quiet hours (the nightly run queues steps at 02:30).
 * A row the outbox refuses for good (opted out, invalid number, customer gone, a text it cannot encode)
 * or that expired before it could go is closed with the reason, and the reminder touches recorded when it
 * was queued (one per task the SMS served: campaign_touch.sms_id, or touch_id for rows queued before 0020)
 * become skipped touches with that reason: the success report does not count them as reminded, and
 * 生成与分配's skips card lists them on the day of the drop. The per-customer daily cap defers a row to the
 * next morning. Everything handed over is 'automated' for the outbox: its daily cap keeps the customer's
 * last SMS of the day for an agent, and it writes no timeline entry (the queue wrote the one the timeline shows).
 *
 * A campaign's SMS is one per customer and day (sms-queue.ts campaignSmsKey): its key names the day it
 * goes. A row held back by the cap moves its key to the morning it will go, so that day's run finds the key
 * taken (and a run later today queues none while it waits); a row that goes later than its key says (the
 * seat had no modem) moves its key to today. Either way the customer's other cars are texted the day after.
 * A row whose customer+campaign has a newer message (queued or sent: the seat had no modem for days, or a
 * race) is withdrawn rather than sent as a second one that day.
 * While the seat has no modem the rows stay here, so a seat that gets one weeks later does not send a
 * backlog of stale reminders: a row more than a week past its time is dropped as expired.
 * A failure that is not the message's (the store busy, a bug) leaves the row queued for the next tick
 * without holding up the rows after it; the run reports the failure once it has tried them all.
 */
import type { DbHandle } from '../../db/connection';
import { newId } from '../../db/ids';
import { addDays, DEALER_UTC_OFFSET_MINUTES, localDate, localToUtcIso } from './dates';
import type { Bilingual } from '../../preload/messages';
import { ServiceError } from '../rpc';
import { parseCampaignSmsKey } from './sms-queue';

export interface OutboxMessage {
  customerId: string | null;
  recipient: string | null;
  body: string;
  kind: 'service' | 'marketing';
  /** Always 'automated' from here; the outbox counts these against the automated allowance of the daily cap. */
  origin: 'automated';
  staffId: string | null;
  clientRef: string | null;
  /** The row's expiry, so a message handed over while the modem is stalled is not sent after it. */
  expiresAt?: string | null;
}

/** What the modem offers (Modem.sendSms); the outbox dedupes on clientRef. */
export interface OutboxSender {
  sendSms(input: OutboxMessage): Promise<{ id: string }>;
}

/** A row the hand-off did not hand over: held back to a later time, or dropped (the customer's timeline entry changes). */
export interface QueueRowEvent {
  queueId: string;
  customerId: string;
  state: 'held' | 'dropped';
}

export interface SmsHandoffDeps {
  handle: DbHandle;
  /** The dealer whose outbox this seat's modem serves. */
  dealerId: () => string;
  outbox: () => OutboxSender;
  /** Whether this seat has a modem to send with; while not, rows wait here (and may expire) instead of piling up in the outbox. */
  enabled?: () => boolean;
  /** Told of every row held back or dropped (handed-over rows are reported by the outbox's own events). */
  emit?: (event: QueueRowEvent) => void;
  now?: () => Date;
  intervalMs?: number;
  /** Rows per tick; the rest wait for the next one. */
  batch?: number;
  utcOffsetMinutes?: number;
  /** Local time a row deferred by the daily cap is tried again the next day. */
  retryAt?: string;
  /** A row without its own expiry is dropped when it has waited this long past its time (default 7 days). */
  maxAgeDays?: number;
  log?: (message: string, error: unknown) => void;
}

export type DropReason = 'expired' | 'opted_out' | 'invalid_number' | 'customer_gone' | 'unsendable' | 'superseded';

/** What a dropped row's reason (campaign_sms.handoff_error) tells the customer's timeline. */
export const DROP_REASON_TEXT: Record<DropReason, Bilingual> = {
  expired: { zh: '已过期，未发送', en: 'Expired before it could be sent' },
  opted_out: { zh: '客户已退订短信，未发送', en: 'Not sent: the customer opted out of SMS' },
  invalid_number: { zh: '手机号无效，未发送', en: 'Not sent: not a valid mobile number' },
  customer_gone: { zh: '客户已删除，未发送', en: 'Not sent: the customer was deleted' },
  unsendable: { zh: '短信过长，无法发送', en: 'Not sent: too long to send as an SMS' },
  superseded: { zh: '同一活动已有更新的短信，此条未发送', en: 'Not sent: a newer SMS of the same campaign replaced it' },
};

/**
 * The skip reason (campaign_touch.skipped_reason, preload/vocabulary SKIP_REASON_LABELS) a dropped row's
 * touches take, so the skips card counts them with the SMS steps skipped when they were due.
 */
export const DROP_SKIP_REASON: Record<DropReason, string> = {
  expired: 'sms_expired',
  opted_out: 'sms_opt_out',
  invalid_number: 'invalid_mobile',
  customer_gone: 'customer_gone',
  unsendable: 'sms_unsendable',
  superseded: 'sms_superseded',
};

export interface HandoffResult {
  handedOff: number;
  deferred: number;
  dropped: Partial<Record<DropReason, number>>;
}

interface Row {
  id: string;
  created_at: string;
  customer_id: string;
  mobile: string;
  text: string;
  purpose: string;
  dedupe_key: string;
  not_before: string | null;
  expires_at: string | null;
  touch_id: string | null;
}

const clientRef = (rowId: string) => `campaign_sms:${rowId}`;

/** The outbox kind of an SMS sent for `purpose`: appointment confirmations are service, all else marketing (held in quiet hours). */
export const smsKindFor = (purpose: string): OutboxMessage['kind'] => (purpose === 'appointment' ? 'service' : 'marketing');

function dropReason(error: unknown): DropReason | null {
  if (!(error instanceof ServiceError)) return null;
  if (error.code === 'FORBIDDEN') return 'opted_out';
  // The outbox names the field it refused: the text (it cannot be encoded, e.g. over 255 parts) or the number.
  if (error.code === 'VALIDATION') return error.issues?.some((i) => i.path === 'body') ? 'unsendable' : 'invalid_number';
  if (error.code === 'NOT_FOUND') return 'customer_gone';
  return null;
}

export function createSmsHandoff(deps: SmsHandoffDeps) {
  const { sqlite } = deps.handle;
  const clock = deps.now ?? (() => new Date());
  const offset = deps.utcOffsetMinutes ?? DEALER_UTC_OFFSET_MINUTES;
  const batch = deps.batch ?? 200;

  const due = sqlite.prepare<[string, string, number], Row>(
    `select id, customer_id, mobile, text, purpose, dedupe_key, not_before, expires_at, touch_id, created_at from campaign_sms
      where dealer_id = ? and status = 'queued' and (not_before is null or not_before <= ?)
      order by coalesce(not_before, created_at), id limit ?`,
  );
  // Claimed before the outbox call, so a cancel in between finds nothing left to withdraw rather than
  // deleting a row whose message is already on its way.
  const claim = sqlite.prepare<[string, string, string]>(`update campaign_sms set status = 'handed_off', handed_off_at = ?, updated_at = ? where id = ? and status = 'queued'`);
  const done = sqlite.prepare<[string | null, string | null, string, string]>(`update campaign_sms set sms_message_id = ?, handoff_error = ?, updated_at = ? where id = ?`);
  const unclaim = sqlite.prepare<[string | null, string, string]>(`update campaign_sms set status = 'queued', handed_off_at = null, not_before = coalesce(?, not_before), updated_at = ? where id = ?`);
  const stranded = sqlite.prepare<[string], { id: string }>(
    `select id from campaign_sms where dealer_id = ? and status = 'handed_off' and sms_message_id is null and handoff_error is null`,
  );
  // A dropped message reminded nobody: its touches give way to skipped ones (campaign_touch is append-only:
  // taken out and written anew, dated the day of the drop, when the skips card shows them), and each task's
  // last touch is the one before it (if any).
  const removeTouches = sqlite.prepare<[string, string | null], { task_id: string; step_seq: number; channel: string }>(
    `delete from campaign_touch where sms_id = ? or id = ? returning task_id, step_seq, channel`,
  );
  const skippedTouch = sqlite.prepare<{ id: string; dealerId: string; taskId: string; stepSeq: number; channel: string; day: string; at: string; reason: string; smsId: string }>(
    `insert into campaign_touch (id, dealer_id, task_id, step_seq, channel, touch_on, occurred_at, staff_id, disposition, reached, skipped_reason, sms_id, created_at)
      values (@id, @dealerId, @taskId, @stepSeq, @channel, @day, @at, null, null, 0, @reason, @smsId, @at)`,
  );
  const lastTouch = sqlite.prepare<[string, string]>(`update campaign_task set (last_touch_on, last_touch_channel, last_touch_staff_id) =
      (select touch_on, channel, staff_id from campaign_touch tc where tc.task_id = campaign_task.id and tc.skipped_reason is null order by occurred_at desc, id desc limit 1),
      updated_at = ? where id = ?`);
  const outboxByRef = sqlite.prepare<[string, string], string>(`select id from sms_message where dealer_id = ? and client_ref = ?`).pluck();
  // Another message of the same customer and campaign for a later day (keys differ only in their day, which sorts), not dropped.
  const newerOfPair = sqlite
    .prepare<{ dealerId: string; key: string; last: string }, number>(
      `select 1 from campaign_sms where dealer_id = @dealerId and dedupe_key > @key and dedupe_key <= @last and handoff_error is null limit 1`,
    )
    .pluck();
  const rekey = sqlite.prepare<{ dealerId: string; id: string; key: string; at: string }>(
    `update campaign_sms set dedupe_key = @key, updated_at = @at
      where id = @id and not exists (select 1 from campaign_sms o where o.dealer_id = @dealerId and o.dedupe_key = @key)`,
  );

  /** Rows claimed by a run that died before finishing them: finished if the outbox has them, else queued again. */
  function recover(dealerId: string): void {
    const at = clock().toISOString();
    for (const r of stranded.all(dealerId)) {
      const messageId = outboxByRef.get(dealerId, clientRef(r.id));
      if (messageId) done.run(messageId, null, at, r.id);
      else unclaim.run(null, at, r.id);
    }
  }

  let recovered = false;
  let running: Promise<HandoffResult> | null = null;

  async function runOnce(): Promise<HandoffResult> {
    const dealerId = deps.dealerId();
    const result: HandoffResult = { handedOff: 0, deferred: 0, dropped: {} };
    if (!dealerId || deps.enabled?.() === false) return result;
    if (!recovered) {
      recover(dealerId);
      recovered = true;
    }
    const now = clock();
    const nowIso = now.toISOString();
    const today = localDate(now, offset);
    const staleBefore = new Date(now.getTime() - (deps.maxAgeDays ?? 7) * 86_400_000).toISOString();
    const drop = (row: Row, reason: DropReason) => {
      const at = clock().toISOString();
      const day = localDate(clock(), offset);
      sqlite.transaction(() => {
        done.run(null, reason, at, row.id);
        const touches = removeTouches.all(row.id, row.touch_id);
        for (const t of touches) {
          skippedTouch.run({ id: newId(), dealerId, taskId: t.task_id, stepSeq: t.step_seq, channel: t.channel, day, at, reason: DROP_SKIP_REASON[reason], smsId: row.id });
        }
        for (const taskId of new Set(touches.map((t) => t.task_id))) lastTouch.run(at, taskId);
      })();
      result.dropped[reason] = (result.dropped[reason] ?? 0) + 1;
      deps.emit?.({ queueId: row.id, customerId: row.customer_id, state: 'dropped' });
    };
    /** Moves a campaign row's key to `day` (the day it will go), unless that day's key is taken. */
    const moveToDay = (row: Row, prefix: string, day: string) => rekey.run({ dealerId, id: row.id, key: `${prefix}${day}`, at: clock().toISOString() });
    let failure: unknown = null;
    for (const row of due.all(dealerId, nowIso, batch)) {
      if (claim.run(nowIso, nowIso, row.id).changes !== 1) continue;
      if ((row.expires_at !== null && row.expires_at <= nowIso) || (row.not_before ?? row.created_at) < staleBefore) {
        drop(row, 'expired');
        continue;
      }
      const pair = parseCampaignSmsKey(row.dedupe_key);
      if (pair) {
        // The campaign has a newer message for this customer (a later day's run, or this one held back to a
        // later day): this older one is withdrawn, not sent as a second SMS of the campaign that day.
        if (newerOfPair.get({ dealerId, key: row.dedupe_key, last: `${pair.prefix}9999-99-99` })) {
          drop(row, 'superseded');
          continue;
        }
        // Late (the seat had no modem): it becomes today's SMS of the campaign, so a run later today finds the
        // key taken. When it is taken already, it is by a message of today that was dropped (a live one is
        // newer, which the check above saw): that one keeps today's runs off just as well.
        if (pair.day < today) moveToDay(row, pair.prefix, today);
      }
      try {
        const sent = await deps.outbox().sendSms({
          customerId: row.customer_id,
          recipient: row.mobile,
          body: row.text,
          kind: smsKindFor(row.purpose),
          origin: 'automated',
          staffId: null,
          clientRef: clientRef(row.id),
          expiresAt: row.expires_at,
        });
        done.run(sent.id, null, clock().toISOString(), row.id);
        result.handedOff += 1;
      } catch (error) {
        const reason = dropReason(error);
        if (reason) {
          drop(row, reason);
        } else if (error instanceof ServiceError && error.code === 'RATE_LIMITED') {
          // The customer's automated allowance for today is used up: tomorrow morning, unless the message is useless by then.
          const retryDay = addDays(today, 1);
          const retry = localToUtcIso(retryDay, deps.retryAt ?? '09:00', offset);
          if (row.expires_at !== null && row.expires_at <= retry) drop(row, 'expired');
          else {
            sqlite.transaction(() => {
              unclaim.run(retry, clock().toISOString(), row.id);
              // It is that day's SMS of the campaign now: that morning's run texts the customer's other cars the
              // day after, and a run later today queues none while it waits (sms-queue.ts).
              if (pair) moveToDay(row, pair.prefix, retryDay);
            })();
            result.deferred += 1;
            deps.emit?.({ queueId: row.id, customerId: row.customer_id, state: 'held' });
          }
        } else {
          // Anything else (store busy, a bug) is not the message's fault: it stays queued for the next tick,
          // and the rows after it still go.
          unclaim.run(null, clock().toISOString(), row.id);
          failure ??= error;
        }
      }
    }
    if (failure !== null) throw failure;
    return result;
  }

  let timer: ReturnType<typeof setInterval> | null = null;

  /** One run at a time; a call while one runs waits for it and reports it. */
  function run(): Promise<HandoffResult> {
    running ??= runOnce().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    run,
    start(): void {
      if (timer) return;
      const tick = () => {
        run().catch((error: unknown) => deps.log?.('campaign SMS hand-off failed', error));
      };
      tick();
      timer = setInterval(tick, deps.intervalMs ?? 30_000);
      timer.unref?.();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}

export type SmsHandoff = ReturnType<typeof createSmsHandoff>;
