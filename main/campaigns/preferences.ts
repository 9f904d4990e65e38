/**
 * Do-not-contact flags per customer or per vehicle, per purpose and channel, always with a reason and
 * a history row. The SMS-only opt-out set by the modem's "TD/退订" handling lives in the modem's
 * contact_preference table; `allows` reads both so every campaign step honours either.
 */
import type { DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';
import type { ContactPurpose, TurnoffChannel } from '../../db/tables/campaigns';
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
  vehicleId: string | null;
  purpose: ContactPurpose | 'all';
  channel: TurnoffChannel;
  reason: string;
  setBy: string | null;
  since: string;
}

export function createPreferences(handle: DbHandle) {
  const { sqlite } = handle;
  const blocked = sqlite.prepare<[string, string, string, string], number>(`select 1 from contact_turnoff
      where customer_id = ? and vehicle_id in ('', ?) and purpose in ('all', ?) and channel in ('any', ?) limit 1`).pluck();
  const smsOptOut = sqlite.prepare<[string], number>(`select sms_opt_out from contact_preference where customer_id = ?`).pluck();

  function requireReason(reason: string) {
    if (!reason.trim()) throw fieldError('VALIDATION', 'reason', { zh: '请填写免打扰原因', en: 'A reason is required' });
  }

  return {
    /** Whether this channel may be used for this purpose (SMS also checks the modem's opt-out flag). */
    allows(customerId: string, vehicleId: string | null, purpose: ContactPurpose, channel: 'sms' | 'phone' | 'letter'): boolean {
      if (blocked.get(customerId, vehicleId ?? '', purpose, channel)) return false;
      if (channel === 'sms' && smsOptOut.get(customerId) === 1) return false;
      return true;
    },

    set(dealerId: string, t: TurnoffInput): void {
      requireReason(t.reason);
      const at = nowIso();
      const vehicleId = t.vehicleId ?? '';
      sqlite.transaction(() => {
        sqlite
          .prepare(`insert into contact_turnoff (id, dealer_id, customer_id, vehicle_id, purpose, channel, reason, set_by, created_at, updated_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (customer_id, vehicle_id, purpose, channel) do update set reason = excluded.reason, set_by = excluded.set_by, updated_at = excluded.updated_at`)
          .run(newId(), dealerId, t.customerId, vehicleId, t.purpose, t.channel, t.reason.trim(), t.staffId ?? null, at, at);
        sqlite
          .prepare(`insert into contact_turnoff_log (id, dealer_id, customer_id, vehicle_id, purpose, channel, action, reason, staff_id, created_at)
            values (?, ?, ?, ?, ?, ?, 'set', ?, ?, ?)`)
          .run(newId(), dealerId, t.customerId, vehicleId, t.purpose, t.channel, t.reason.trim(), t.staffId ?? null, at);
      })();
    },

    clear(dealerId: string, t: TurnoffInput): boolean {
      requireReason(t.reason);
      const vehicleId = t.vehicleId ?? '';
      return sqlite.transaction(() => {
        const r = sqlite
          .prepare(`delete from contact_turnoff where dealer_id = ? and customer_id = ? and vehicle_id = ? and purpose = ? and channel = ?`)
          .run(dealerId, t.customerId, vehicleId, t.purpose, t.channel);
        if (r.changes === 0) return false;
        sqlite
          .prepare(`insert into contact_turnoff_log (id, dealer_id, customer_id, vehicle_id, purpose, channel, action, reason, staff_id, created_at)
            values (?, ?, ?, ?, ?, ?, 'clear', ?, ?, ?)`)
          .run(newId(), dealerId, t.customerId, vehicleId, t.purpose, t.channel, t.reason.trim(), t.staffId ?? null, nowIso());
        return true;
      })();
    },

    /** A vehicle the customer no longer owns: every reminder for it stops (DealerMine's "no longer owns"). */
    markVehicleSold(dealerId: string, customerId: string, vehicleId: string, staffId: string | null, reason = '车辆已售出 / vehicle sold'): void {
      this.set(dealerId, { customerId, vehicleId, purpose: 'all', channel: 'any', reason, staffId });
    },

    async list(customerId: string): Promise<Turnoff[]> {
      const rows = await handle.db
        .selectFrom('contact_turnoff')
        .select(['vehicle_id', 'purpose', 'channel', 'reason', 'set_by', 'updated_at'])
        .where('customer_id', '=', customerId)
        .orderBy('updated_at')
        .execute();
      return rows.map((r) => ({ vehicleId: r.vehicle_id || null, purpose: r.purpose, channel: r.channel, reason: r.reason, setBy: r.set_by, since: r.updated_at }));
    },

    async history(customerId: string) {
      return handle.db
        .selectFrom('contact_turnoff_log')
        .select(['vehicle_id', 'purpose', 'channel', 'action', 'reason', 'staff_id', 'created_at'])
        .where('customer_id', '=', customerId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },
  };
}

export type Preferences = ReturnType<typeof createPreferences>;
