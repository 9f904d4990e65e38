import { sql, type Kysely, type Migration } from 'kysely';

const MSG_STATES = `('queued','sending','sent','delivered','failed','uncertain','cancelled')`;

/** Issue 4: durable SMS outbox/inbox, call log, SMS opt-out preference, modem counters. */
export const migration0003: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sms_message')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('customer_id', 'text', (c) => c.references('customer.id'))
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('service','marketing')`))
      .addColumn('encoding', 'text', (c) => c.notNull().check(sql`encoding in ('gsm7','ucs2')`))
      .addColumn('part_count', 'integer', (c) => c.notNull())
      .addColumn('concat_ref', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sql.raw(`state in ${MSG_STATES}`)))
      .addColumn('staff_id', 'text', (c) => c.references('staff.id'))
      .addColumn('client_ref', 'text')
      .addColumn('error_code', 'integer')
      .addColumn('error_text', 'text')
      .addColumn('sent_at', 'text')
      .addColumn('delivered_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await sql`create unique index sms_message_client_ref on sms_message (dealer_id, client_ref) where client_ref is not null`.execute(db);
    await db.schema.createIndex('sms_message_customer').on('sms_message').columns(['customer_id', 'created_at']).execute();
    await db.schema.createIndex('sms_message_state').on('sms_message').columns(['state', 'created_at']).execute();

    await db.schema
      .createTable('sms_part')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('message_id', 'text', (c) => c.notNull().references('sms_message.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('pdu', 'text', (c) => c.notNull())
      .addColumn('tpdu_length', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sql.raw(`state in ${MSG_STATES}`)))
      .addColumn('mr', 'integer')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text')
      .addColumn('submitted_at', 'text')
      .addColumn('report_status', 'integer')
      .addColumn('reported_at', 'text')
      .addColumn('error_code', 'integer')
      .addColumn('error_text', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await sql`create unique index sms_part_message_seq on sms_part (message_id, seq)`.execute(db);
    await db.schema.createIndex('sms_part_state').on('sms_part').columns(['state', 'next_attempt_at']).execute();
    await db.schema.createIndex('sms_part_mr').on('sms_part').columns(['mr', 'submitted_at']).execute();

    await db.schema
      .createTable('sms_inbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('customer_id', 'text', (c) => c.references('customer.id'))
      .addColumn('sender', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('part_count', 'integer', (c) => c.notNull())
      .addColumn('read_at', 'text')
      .addColumn('opt_out', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sms_inbox_customer').on('sms_inbox').columns(['customer_id', 'received_at']).execute();
    await db.schema.createIndex('sms_inbox_sender').on('sms_inbox').columns(['sender', 'received_at']).execute();
    await sql`create index sms_inbox_unread on sms_inbox (customer_id) where read_at is null`.execute(db);

    await db.schema
      .createTable('sms_inbox_part')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('sender', 'text', (c) => c.notNull())
      .addColumn('ref', 'integer', (c) => c.notNull())
      .addColumn('ref_bits', 'integer', (c) => c.notNull())
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('alphabet', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.references('sms_inbox.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await sql`create index sms_inbox_part_open on sms_inbox_part (sender, ref, ref_bits, total) where message_id is null`.execute(db);

    await db.schema
      .createTable('sms_fingerprint')
      .addColumn('fingerprint', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('deliver','status-report')`))
      .addColumn('raw_pdu', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('call_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('in','out')`))
      .addColumn('number', 'text')
      .addColumn('customer_id', 'text', (c) => c.references('customer.id'))
      .addColumn('staff_id', 'text', (c) => c.references('staff.id'))
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('answered_at', 'text')
      .addColumn('ended_at', 'text')
      .addColumn('duration_s', 'integer')
      .addColumn('missed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('abandoned', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('end_reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('call_log_started').on('call_log').columns(['started_at', 'direction']).execute();
    await db.schema.createIndex('call_log_customer').on('call_log').columns(['customer_id', 'started_at']).execute();

    await db.schema
      .createTable('contact_preference')
      .addColumn('customer_id', 'text', (c) => c.primaryKey().references('customer.id'))
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('sms_opt_out', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('opt_out_at', 'text')
      .addColumn('opt_out_source', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('modem_state')
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('modem_state_pk', ['dealer_id', 'key'])
      .execute();
  },
};
