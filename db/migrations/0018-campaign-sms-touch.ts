import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A queued campaign SMS names the touch written when it was queued, so the hand-off can take that touch
 * back when it drops the message (opted out, invalid number, expired): the success report counts touches,
 * and a message that never went out reminded nobody. The campaign_sms row keeps the drop and its reason.
 */
export const migration0018: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table campaign_sms add column touch_id text`.execute(db);
  },
};
