import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 5 item 4, contact preferences: a turn-off row now says whether it is a do-not-contact flag or a
 * "vehicle sold" mark, so a sold car is shown and counted as sold rather than as a generic vehicle
 * turn-off. The append-only log gains the same kind, plus 'sms_opt_out' for staff clearing (or setting)
 * the modem's SMS opt-out, whose current state stays in the modem's contact_preference row.
 */
export const migration0009: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (q: string) => sql.raw(q).execute(db);
    await run(`alter table contact_turnoff add column kind text not null default 'flag' check (kind in ('flag','sold'))`);
    await run(`alter table contact_turnoff_log add column kind text not null default 'flag' check (kind in ('flag','sold','sms_opt_out'))`);
    // Sold marks are looked up per vehicle (generation, the customer page).
    await run(`create index contact_turnoff_sold on contact_turnoff (vehicle_id) where kind = 'sold'`);
  },
};
