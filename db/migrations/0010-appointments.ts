import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 5 item 5, appointments: who cancelled a booking and why, which booking a reschedule replaced it
 * with, and the follow-up call to a no-show. The campaign SMS queue learns when and where each row was
 * handed to the modem's outbox (or why it was not), and an expiry so a reminder held back while the seat
 * was off is never sent after the moment it was for.
 */
export const migration0010: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (q: string) => sql.raw(q).execute(db);
    for (const column of [
      'cancel_reason text',
      'cancelled_at text',
      'cancelled_by text references staff(id)',
      'rescheduled_to text references appointment(id)',
      'followup_remark text',
      'followed_up_at text',
      'followed_up_by text references staff(id)',
    ]) {
      await run(`alter table appointment add column ${column}`);
    }
    // The no-show follow-up list and the list screen filter by status over a date range.
    await run(`create index appointment_status on appointment (dealer_id, status, date)`);
    await run(`create index appointment_customer on appointment (customer_id, date)`);

    for (const column of ['expires_at text', 'handed_off_at text', 'sms_message_id text', 'handoff_error text']) {
      await run(`alter table campaign_sms add column ${column}`);
    }
    // The hand-off pump reads the dealer's queued rows in due order.
    await run(`create index campaign_sms_due on campaign_sms (dealer_id, status, not_before)`);
  },
};
