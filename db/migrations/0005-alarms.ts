import { sql, type Kysely, type Migration } from 'kysely';

/** Server health monitoring and alarms: detection state, alarm instances, history, silences, outbox. */
export const migration0005: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('alarm_target')
      .addColumn('target', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('server', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull().check(sql`severity in ('warning','critical')`))
      .addColumn('parent_target', 'text')
      .addColumn('channel', 'text')
      .addColumn('fail_threshold', 'integer', (c) => c.notNull())
      .addColumn('clear_threshold', 'integer', (c) => c.notNull())
      .addColumn('health', 'text', (c) => c.notNull().check(sql`health in ('ok','pending','firing')`))
      .addColumn('flapping', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('consecutive_fail', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('consecutive_ok', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('recent', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('last_detail', 'text')
      .addColumn('last_check_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('alarm_silence')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('silence','maintenance')`))
      .addColumn('pattern', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('starts_at', 'text', (c) => c.notNull())
      .addColumn('ends_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_by_name', 'text', (c) => c.notNull())
      .addColumn('ended_at', 'text')
      .addColumn('ended_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('alarm')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('server', 'text')
      .addColumn('severity', 'text', (c) => c.notNull().check(sql`severity in ('warning','critical')`))
      .addColumn('state', 'text', (c) =>
        c.notNull().check(sql`state in ('pending','firing','flapping','acknowledged','resolved')`),
      )
      .addColumn('detail', 'text')
      .addColumn('occurrences', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('first_seen_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('fired_at', 'text')
      .addColumn('notified_at', 'text')
      .addColumn('suppressed_by', 'text')
      .addColumn('silence_id', 'text', (c) => c.references('alarm_silence.id'))
      .addColumn('ack_by', 'text')
      .addColumn('ack_by_name', 'text')
      .addColumn('ack_at', 'text')
      .addColumn('ack_comment', 'text')
      .addColumn('escalated_at', 'text')
      .addColumn('escalated_via', 'text')
      .addColumn('resolved_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // Identity by fingerprint: a re-fire must update the open alarm, never open a second one.
    await sql`create unique index alarm_open_fingerprint on alarm (dealer_id, fingerprint) where state <> 'resolved'`.execute(db);
    await db.schema.createIndex('alarm_first_seen').on('alarm').columns(['dealer_id', 'first_seen_at']).execute();

    await db.schema
      .createTable('alarm_event')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('alarm_id', 'text', (c) => c.references('alarm.id'))
      .addColumn('silence_id', 'text', (c) => c.references('alarm_silence.id'))
      .addColumn('target', 'text')
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_name', 'text')
      .addColumn('detail', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('alarm_event_alarm').on('alarm_event').columns(['alarm_id', 'at']).execute();
    await db.schema.createIndex('alarm_event_at').on('alarm_event').columns(['dealer_id', 'at']).execute();
    // History is evidence for incident review: the store itself refuses to rewrite it.
    await sql`create trigger alarm_event_no_update before update on alarm_event
      begin select raise(abort, 'alarm_event is append-only'); end`.execute(db);
    await sql`create trigger alarm_event_no_delete before delete on alarm_event
      begin select raise(abort, 'alarm_event is append-only'); end`.execute(db);

    await db.schema
      .createTable('alarm_notice')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('alarm_id', 'text', (c) => c.notNull().references('alarm.id'))
      .addColumn('change', 'text', (c) => c.notNull().check(sql`change in ('firing','flapping','resolved')`))
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('batch_id', 'text')
      .addColumn('sent_at', 'text')
      .execute();
    await sql`create index alarm_notice_unsent on alarm_notice (dealer_id, created_at) where sent_at is null`.execute(db);

    await db.schema
      .createTable('alarm_source')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('period_ms', 'integer', (c) => c.notNull())
      .addColumn('last_heard_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('alarm_agent')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('secret', 'text')
      .addColumn('period_ms', 'integer', (c) => c.notNull())
      .addColumn('timeout_ms', 'integer', (c) => c.notNull())
      .addColumn('channel', 'text')
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'text')
      .execute();
    await sql`create unique index alarm_agent_name on alarm_agent (dealer_id, name) where deleted_at is null`.execute(db);
  },
};
