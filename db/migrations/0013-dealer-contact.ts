import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The dealer's service phone and address, which every reminder SMS, letter and envelope quotes
 * ({{经销商电话}}, {{经销商地址}}); until now there was nowhere to keep them, so they merged empty.
 */
export const migration0013: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table dealer add column phone text`.execute(db);
    await sql`alter table dealer add column address text`.execute(db);
  },
};
