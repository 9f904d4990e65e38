import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 5: the queue index keys open tasks by step date alone. Its old key led with the dealer and the
 * status: a store holds one dealer, and the index holds open tasks only (… where status = 'open'), so both
 * columns were the same in every entry — 30 bytes of each key that sorted nothing, written again for
 * every task a store's first generation makes (and rebuilt whole after it). Queries for open tasks name
 * the status as a literal (main/campaigns/open-task.ts) so SQLite can use the partial index at all.
 */
export const migration0024: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`drop index if exists campaign_task_queue`.execute(db);
    await sql`create index campaign_task_queue on campaign_task (step_on) where status = 'open'`.execute(db);
  },
};
