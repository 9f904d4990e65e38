import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 6 item 4, campaigns made from a query (扩展查询 → 生成招揽): each is an ad-hoc `campaign` row of
 * kind 'adhoc' with one step (SMS, phone or letter), so its tasks reach the agents' queue and the letter
 * batch and the campaigns report counts it like any other. Built-in kinds stay one per dealer; any number
 * of ad-hoc ones may exist. SQLite cannot change a CHECK constraint in place, so `campaign` is rebuilt
 * the documented way (foreign keys off, copy, drop, rename, check, on); its rows keep their ids.
 *
 * `query_campaign` records where an ad-hoc campaign came from and makes "make campaign" idempotent: the
 * dialog's request id is unique per dealer, so a double click or a retry after a crash returns the first
 * result instead of a second set of tasks or SMS.
 */
export const migration0011: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (q: string) => sql.raw(q).execute(db);
    // Outside a transaction this takes effect; the migrator runs SQLite migrations without one.
    await run('pragma foreign_keys = off');
    try {
      await run('begin immediate');
      try {
        await run(`create table campaign_rebuilt (
          id text primary key, dealer_id text not null references dealer(id),
          kind text not null check (kind in ('maintenance','first_service','insurance_compulsory','insurance_commercial',
            'inspection','birthday','purchase_thanks','service_followup','lapsed_first_service','lapsed_basic','lapsed_lost','adhoc')),
          name_zh text not null, name_en text not null,
          purpose text not null check (purpose in ('maintenance','insurance','marketing','survey')),
          enabled integer not null default 1, priority integer not null default 0, params text not null,
          created_at text not null, updated_at text not null)`);
        await run(`insert into campaign_rebuilt (id, dealer_id, kind, name_zh, name_en, purpose, enabled, priority, params, created_at, updated_at)
          select id, dealer_id, kind, name_zh, name_en, purpose, enabled, priority, params, created_at, updated_at from campaign`);
        await run('drop table campaign');
        await run('alter table campaign_rebuilt rename to campaign');
        await run(`create unique index campaign_kind on campaign (dealer_id, kind) where kind <> 'adhoc'`);

        await run(`create table query_campaign (
          id text primary key, dealer_id text not null references dealer(id),
          request_id text not null check (length(request_id) between 8 and 64),
          campaign_id text not null references campaign(id),
          saved_query_id text references saved_query(id),
          channel text not null check (channel in ('sms','phone','letter')),
          tree text not null check (json_valid(tree)),
          sentence_zh text not null,
          template_id text references message_template(id),
          sms_body text,
          result text not null check (json_valid(result)),
          created_by text not null references staff(id),
          created_at text not null)`);
        await run(`create unique index query_campaign_request on query_campaign (dealer_id, request_id)`);
        await run(`create index query_campaign_saved on query_campaign (saved_query_id) where saved_query_id is not null`);

        const broken = await sql<{ table: string }>`pragma foreign_key_check`.execute(db);
        if (broken.rows.length > 0) throw new Error(`campaign rebuild left ${broken.rows.length} dangling references`);
        await run('commit');
      } catch (error) {
        await run('rollback');
        throw error;
      }
    } finally {
      await run('pragma foreign_keys = on');
    }
  },
};
