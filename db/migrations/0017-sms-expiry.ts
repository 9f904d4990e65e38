import { sql, type Kysely, type Migration } from 'kysely';

/**
 * An outbox message may carry the instant after which it is useless (an appointment confirmation once
 * the appointment has begun). The campaign queue already drops such rows before the hand-off; this lets
 * the outbox drop one handed over while the modem was stalled, instead of sending it late.
 */
export const migration0017: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table sms_message add column expires_at text`.execute(db);
  },
};
