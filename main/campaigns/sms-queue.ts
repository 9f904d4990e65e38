/**
 * The hand-off to the SMS outbox. Campaigns and appointments only ever call `enqueue`; the default
 * implementation keeps rows in campaign_sms, from which sms-handoff.ts moves each due row into the
 * modem's outbox, so neither side knows the other and a message can wait for its time (notBefore).
 * Synchronous on purpose: it runs inside the caller's SQLite transaction.
 */
import type { DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';

export type SmsPurpose = 'maintenance' | 'insurance' | 'marketing' | 'survey' | 'appointment';

export interface SmsQueueItem {
  dealerId: string;
  customerId: string;
  mobile: string;
  text: string;
  purpose: SmsPurpose;
  /** The same key twice queues one message (e.g. `task:<id>:step:1`, `appt:<id>:day_before`). */
  dedupeKey: string;
  /** Do not send before this instant (UTC ISO); null = as soon as the outbox allows (quiet hours apply). */
  notBefore?: string | null;
  /** Not sent at all after this instant (UTC ISO), e.g. a reminder for an appointment that has begun. */
  expiresAt?: string | null;
  /** The campaign_touch recording this SMS as a reminder; the hand-off removes it if the message is dropped. */
  touchId?: string | null;
}

export interface SmsQueue {
  /** Returns the queue row id and whether this call queued it (false = the key was already queued). */
  enqueue(item: SmsQueueItem): { id: string; queued: boolean };
  /** Withdraws a message not yet handed to the modem (e.g. a cancelled appointment's reminder). */
  cancel(dealerId: string, dedupeKey: string): boolean;
}

export function createTableSmsQueue(handle: DbHandle): SmsQueue {
  const insert = handle.sqlite.prepare(`insert into campaign_sms (id, dealer_id, customer_id, mobile, text, purpose, dedupe_key, not_before, expires_at, touch_id, status, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?) on conflict (dealer_id, dedupe_key) do nothing`);
  const remove = handle.sqlite.prepare(`delete from campaign_sms where dealer_id = ? and dedupe_key = ? and status = 'queued'`);
  const existing = handle.sqlite.prepare<[string, string], string>('select id from campaign_sms where dealer_id = ? and dedupe_key = ?').pluck();
  return {
    enqueue(item) {
      const id = newId();
      const at = nowIso();
      const r = insert.run(id, item.dealerId, item.customerId, item.mobile, item.text, item.purpose, item.dedupeKey, item.notBefore ?? null, item.expiresAt ?? null, item.touchId ?? null, at, at);
      if (r.changes === 1) return { id, queued: true };
      return { id: existing.get(item.dealerId, item.dedupeKey) ?? id, queued: false };
    },
    cancel(dealerId, dedupeKey) {
      return remove.run(dealerId, dedupeKey).changes === 1;
    },
  };
}
