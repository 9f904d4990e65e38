/**
 * Do-not-contact flags per customer or per vehicle, per purpose and channel, always with a reason and
 * a history row. The SMS-only opt-out set by the modem's "TD/退订" handling lives in the modem's
 * contact_preference table; `allows` reads both so every campaign step honours either. A sold vehicle is
 * a vehicle turn-off of every purpose and channel with kind 'sold', so everything that honours turn-offs
 * stops contacting about it without knowing about sales. The kind is part of the unique key (0016): a
 * car's sold mark and its do-not-contact flag are separate rows, set and cleared independently.
 */
import type { DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';
import type { ContactPurpose, TurnoffChannel, TurnoffKind, TurnoffLogKind } from '../../db/tables/campaigns';
import { fieldError } from '../rpc';

export interface TurnoffInput {
  customerId: string;
  vehicleId?: string | null;
  purpose: ContactPurpose | 'all';
  channel: TurnoffChannel;
  reason: string;
  staffId?: string | null;
}

export interface Turnoff {
  kind: TurnoffKind;
  vehicleId: string | null;
  purpose: ContactPurpose | 'all';
  channel: TurnoffChannel;
  reason: string;
  setBy: string | null;
  since: string;
}

export interface HistoryRow {
  kind: TurnoffLogKind;
  vehicle_id: string;
  purpose: string;
  channel: string;
  action: 'set' | 'clear';
  reason: string;
  staff_id: string | null;
  created_at: string;
}

export interface SmsOptOutState {
  optedOut: boolean;
  at: string | null;
  /** 'sms_reply:<inbox id>' when the customer's own 退订 reply set it, 'staff:<id>' when staff did. */
  source: string | null;
}

export function createPreferences(handle: DbHandle) {
  const { sqlite } = handle;
  const blocked = sqlite.prepare<[string, string, string, string], number>(`select 1 from contact_turnoff
      where customer_id = ? and vehicle_id in ('', ?) and purpose in ('all', ?) and channel in ('any', ?) limit 1`).pluck();
  const smsOptOut = sqlite.prepare<[string], number>(`select sms_opt_out from contact_preference where customer_id = ?`).pluck();

  const optOutRow = sqlite.prepare<[string], { sms_opt_out: number; opt_out_at: string | null; opt_out_source: string | null }>(
    `select sms_opt_out, opt_out_at, opt_out_source from contact_preference where customer_id = ?`,
  );
  const logInsert = sqlite.prepare(`insert into contact_turnoff_log (id, dealer_id, customer_id, vehicle_id, purpose, channel, action, reason, staff_id, kind, created_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);

  function requireReason(reason: string) {
    if (!reason.trim()) throw fieldError('VALIDATION', 'reason', { zh: '请填写原因', en: 'A reason is required' });
  }

  function log(dealerId: string, customerId: string, vehicleId: string, purpose: string, channel: string, kind: TurnoffLogKind, action: 'set' | 'clear', reason: string, staffId: string | null, at: string) {
    logInsert.run(newId(), dealerId, customerId, vehicleId, purpose, channel, action, reason.trim(), staffId, kind, at);
  }

  return {
    /** Whether this channel may be used for this purpose (SMS also checks the modem's opt-out flag). */
    allows(customerId: string, vehicleId: string | null, purpose: ContactPurpose, channel: 'sms' | 'phone' | 'letter'): boolean {
      if (blocked.get(customerId, vehicleId ?? '', purpose, channel)) return false;
      if (channel === 'sms' && smsOptOut.get(customerId) === 1) return false;
      return true;
    },

    /** Sets (or re-words) a flag; false when nothing changed, and then nothing is logged either. */
    set(dealerId: string, t: TurnoffInput): boolean {
      requireReason(t.reason);
      const at = nowIso();
      const vehicleId = t.vehicleId ?? '';
      return sqlite.transaction(() => {
        const r = sqlite
          .prepare(`insert into contact_turnoff (id, dealer_id, customer_id, vehicle_id, purpose, channel, reason, set_by, kind, created_at, updated_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, 'flag', ?, ?)
            on conflict (customer_id, vehicle_id, purpose, channel, kind) do update set reason = excluded.reason, set_by = excluded.set_by, updated_at = excluded.updated_at
            where contact_turnoff.kind = 'flag'`)
          .run(newId(), dealerId, t.customerId, vehicleId, t.purpose, t.channel, t.reason.trim(), t.staffId ?? null, at, at);
        // Only what changed a row goes into the history.
        if (r.changes === 0) return false;
        log(dealerId, t.customerId, vehicleId, t.purpose, t.channel, 'flag', 'set', t.reason, t.staffId ?? null, at);
        return true;
      })();
    },

    clear(dealerId: string, t: TurnoffInput): boolean {
      requireReason(t.reason);
      const vehicleId = t.vehicleId ?? '';
      return sqlite.transaction(() => {
        const r = sqlite
          .prepare(`delete from contact_turnoff where dealer_id = ? and customer_id = ? and vehicle_id = ? and purpose = ? and channel = ? and kind = 'flag'`)
          .run(dealerId, t.customerId, vehicleId, t.purpose, t.channel);
        if (r.changes === 0) return false;
        log(dealerId, t.customerId, vehicleId, t.purpose, t.channel, 'flag', 'clear', t.reason, t.staffId ?? null, nowIso());
        return true;
      })();
    },

    /**
     * A vehicle the customer no longer owns: every reminder for it stops (DealerMine's "no longer owns").
     * Its open campaign tasks close as 'car_sold' at once, so no agent calls about it from the queue.
     * Returns the tasks it closed. Inside a caller's transaction this is a savepoint of it.
     */
    markVehicleSold(dealerId: string, customerId: string, vehicleId: string, staffId: string | null, reason = '车辆已售出 / vehicle sold'): string[] {
      requireReason(reason);
      const at = nowIso();
      return sqlite.transaction(() => {
        sqlite
          .prepare(`insert into contact_turnoff (id, dealer_id, customer_id, vehicle_id, purpose, channel, reason, set_by, kind, created_at, updated_at)
            values (?, ?, ?, ?, 'all', 'any', ?, ?, 'sold', ?, ?)
            on conflict (customer_id, vehicle_id, purpose, channel, kind) do update set reason = excluded.reason, set_by = excluded.set_by, updated_at = excluded.updated_at`)
          .run(newId(), dealerId, customerId, vehicleId, reason.trim(), staffId, at, at);
        log(dealerId, customerId, vehicleId, 'all', 'any', 'sold', 'set', reason, staffId, at);
        const closed = sqlite
          .prepare<[string, string, string], { id: string }>(`update campaign_task set status = 'closed', close_reason = 'car_sold', claimed_by = null, step_channel = null, step_on = null, updated_at = ?
            where dealer_id = ? and vehicle_id = ? and status = 'open' returning id`)
          .all(at, dealerId, vehicleId);
        return closed.map((r) => r.id);
      })();
    },

    /** The sale was a mistake (or the car came back): its reminders may start again from the next cycle. */
    unmarkVehicleSold(dealerId: string, customerId: string, vehicleId: string, staffId: string | null, reason: string): boolean {
      requireReason(reason);
      return sqlite.transaction(() => {
        const r = sqlite
          .prepare(`delete from contact_turnoff where dealer_id = ? and customer_id = ? and vehicle_id = ? and kind = 'sold'`)
          .run(dealerId, customerId, vehicleId);
        if (r.changes === 0) return false;
        log(dealerId, customerId, vehicleId, 'all', 'any', 'sold', 'clear', reason, staffId, nowIso());
        return true;
      })();
    },

    smsOptOut(customerId: string): SmsOptOutState {
      const row = optOutRow.get(customerId);
      return { optedOut: row?.sms_opt_out === 1, at: row?.opt_out_at ?? null, source: row?.opt_out_source ?? null };
    },

    /** Lifts the modem's SMS opt-out (the customer asked to get texts again); who may do so is the caller's rule. */
    clearSmsOptOut(dealerId: string, customerId: string, staffId: string | null, reason: string): boolean {
      requireReason(reason);
      const at = nowIso();
      return sqlite.transaction(() => {
        const r = sqlite
          .prepare(`update contact_preference set sms_opt_out = 0, updated_at = ? where dealer_id = ? and customer_id = ? and sms_opt_out = 1`)
          .run(at, dealerId, customerId);
        if (r.changes === 0) return false;
        log(dealerId, customerId, '', 'all', 'sms', 'sms_opt_out', 'clear', reason, staffId, at);
        return true;
      })();
    },

    async list(customerId: string): Promise<Turnoff[]> {
      const rows = await handle.db
        .selectFrom('contact_turnoff')
        .select(['kind', 'vehicle_id', 'purpose', 'channel', 'reason', 'set_by', 'updated_at'])
        .where('customer_id', '=', customerId)
        .orderBy('updated_at')
        .execute();
      return rows.map((r) => ({ kind: r.kind, vehicleId: r.vehicle_id || null, purpose: r.purpose, channel: r.channel, reason: r.reason, setBy: r.set_by, since: r.updated_at }));
    },

    async history(customerId: string): Promise<HistoryRow[]> {
      return handle.db
        .selectFrom('contact_turnoff_log')
        .select(['kind', 'vehicle_id', 'purpose', 'channel', 'action', 'reason', 'staff_id', 'created_at'])
        .where('customer_id', '=', customerId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },
  };
}

export type Preferences = ReturnType<typeof createPreferences>;
