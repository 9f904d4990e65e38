import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 5: a call outcome's hide-days hide the subject (the vehicle; the customer for a birthday) from
 * that campaign, not just the task called — the next due cycle's task for the same car stays out of the
 * queue until the date too. One row per campaign and subject, written by the call, read by the work
 * queue and by generation. Tasks hidden before this migration carry their date over to their subject.
 */
export const migration0022: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (q: string) => sql.raw(q).execute(db);
    await run(`create table campaign_hide (
      campaign_id text not null references campaign(id),
      subject_id text not null,
      dealer_id text not null references dealer(id),
      hidden_until text not null,
      task_id text references campaign_task(id),
      created_at text not null, updated_at text not null,
      primary key (campaign_id, subject_id)) without rowid`);
    // max() picks the latest date; SQLite takes the bare id from that same row: the task it was set on.
    await run(`insert into campaign_hide (campaign_id, subject_id, dealer_id, hidden_until, task_id, created_at, updated_at)
      select campaign_id, subject_id, dealer_id, max(hidden_until), id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
      from campaign_task where hidden_until is not null group by campaign_id, subject_id`);
    // Nothing reads tasks by (campaign, due date): the report scans by dealer and month, and lookups by campaign
    // are served as well by the idempotency key's leading column. Each generated task paid for this index.
    await run(`drop index if exists campaign_task_due`);
  },
};
