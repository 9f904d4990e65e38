import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Search-as-you-type looks a typed number up in both phone columns; 0001 indexed only `mobile`, so an
 * exact or prefix match on the second phone scanned every customer.
 */
export const migration0002: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create index customer_phone2 on customer (phone2) where phone2 is not null`.execute(db);
  },
};
