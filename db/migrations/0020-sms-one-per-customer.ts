import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Campaign SMS defects (issue 5):
 * - `sms_message.origin`: hand-written by an agent ('manual') or sent by the system ('automated': the
 *   campaign queue's reminders, query campaigns and appointment confirmations, alarm escalations). The
 *   per-customer daily cap keeps the last SMS of the day for hand-written ones, so it must tell them apart.
 *   Existing rows are classified by the idempotency key the hand-off and the escalation always set.
 * - `campaign_touch.sms_id`: the campaign_sms row a touch was recorded for. One reminder SMS now covers
 *   every car of a customer due the same day, so one queued row carries several tasks' touches (the single
 *   `campaign_sms.touch_id` of 0018 cannot), and a dropped message takes all of them back.
 */
export const migration0020: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table sms_message add column origin text not null default 'manual' check (origin in ('manual', 'automated'))`.execute(db);
    await sql`update sms_message set origin = 'automated' where client_ref like 'campaign_sms:%' or client_ref like 'alarm:%'`.execute(db);
    await sql`alter table campaign_touch add column sms_id text`.execute(db);
    await sql`create index campaign_touch_sms on campaign_touch (sms_id) where sms_id is not null`.execute(db);
  },
};
