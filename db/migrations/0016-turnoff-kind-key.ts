import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A sold mark and a do-not-contact flag for the same car, purpose and channel are separate rows: with
 * the kind outside the unique key, marking a flagged car sold overwrote the flag and un-marking it then
 * deleted the row, so the customer's own "do not contact" was lost. Existing rows are unique under the
 * wider key already.
 */
export const migration0016: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`drop index contact_turnoff_key`.execute(db);
    await sql`create unique index contact_turnoff_key on contact_turnoff (customer_id, vehicle_id, purpose, channel, kind)`.execute(db);
  },
};
