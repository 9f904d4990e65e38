import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The dealer's short name (简称), the SMS signature between 【】: carriers register a short one
 * (【花城本田】), and the full registered name would make every reminder a part longer. Null until an
 * administrator sets it under 系统设置 → 经销店信息; templates then sign with the full name.
 * The hotline and address arrived with 0013 (dealer.phone, dealer.address).
 */
export const migration0015: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table dealer add column short_name text`.execute(db);
  },
};
