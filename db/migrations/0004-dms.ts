import { sql, type Kysely, type Migration } from 'kysely';

/** DMS sync: sources, saved column mappings, sync state, provenance, conflicts, quarantine, run history. */
export const migration0004: Migration = {
  async up(db: Kysely<unknown>) {
    const entity = sql`entity in ('customer','vehicle','repair_order')`;
    await db.schema
      .createTable('dms_source')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('rest','file')`))
      .addColumn('config', 'text', (c) => c.notNull())
      .addColumn('schedule', 'text')
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await sql`create unique index dms_source_name on dms_source (dealer_id, name)`.execute(db);

    await db.schema
      .createTable('dms_column_mapping')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('source_id', 'text', (c) => c.notNull().references('dms_source.id'))
      .addColumn('mapping', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await sql`create unique index dms_column_mapping_source on dms_column_mapping (dealer_id, source_id)`.execute(db);

    await db.schema
      .createTable('dms_sync_state')
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('source_id', 'text', (c) => c.notNull().references('dms_source.id'))
      .addColumn('entity', 'text', (c) => c.notNull().check(entity))
      .addColumn('watermark', 'text')
      .addColumn('since', 'text')
      .addColumn('cursor', 'text')
      .addColumn('run_id', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('dms_sync_state_pk', ['source_id', 'entity'])
      .execute();

    // One row per imported DMS record; WITHOUT ROWID keeps the (dealer, entity, dms_id) lookup to one B-tree.
    await sql`create table dms_record (
      dealer_id text not null,
      entity text not null check (${entity}),
      dms_id text not null,
      local_id text not null,
      content_hash text not null,
      dms_updated_at text,
      base text,
      run_id text not null,
      imported_at text not null,
      primary key (dealer_id, entity, dms_id)
    ) without rowid`.execute(db);

    await db.schema
      .createTable('dms_conflict')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('entity', 'text', (c) => c.notNull().check(entity))
      .addColumn('dms_id', 'text', (c) => c.notNull())
      .addColumn('local_id', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('local_value', 'text')
      .addColumn('dms_value', 'text')
      .addColumn('base_value', 'text')
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','kept_local','took_dms')`))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('resolved_at', 'text')
      .addColumn('resolved_by', 'text', (c) => c.references('staff.id'))
      .execute();
    // A field has at most one open conflict: a later run refreshes it instead of piling up copies.
    await sql`create unique index dms_conflict_open on dms_conflict (dealer_id, entity, dms_id, field)
      where status = 'open'`.execute(db);

    await db.schema
      .createTable('dms_quarantine')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('source_id', 'text', (c) => c.notNull().references('dms_source.id'))
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('entity', 'text', (c) => c.check(sql`entity is null or ${entity}`))
      .addColumn('ref', 'text', (c) => c.notNull())
      .addColumn('dms_id', 'text')
      .addColumn('reason_zh', 'text', (c) => c.notNull())
      .addColumn('reason_en', 'text', (c) => c.notNull())
      .addColumn('raw', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','dismissed')`))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await sql`create unique index dms_quarantine_fingerprint on dms_quarantine (dealer_id, source_id, fingerprint)`.execute(db);
    await db.schema.createIndex('dms_quarantine_run').on('dms_quarantine').column('run_id').execute();

    await db.schema
      .createTable('dms_run')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('source_id', 'text', (c) => c.notNull().references('dms_source.id'))
      .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('incremental','file','reconcile')`))
      .addColumn('trigger', 'text', (c) => c.notNull().check(sql`trigger in ('manual','schedule')`))
      .addColumn('status', 'text', (c) =>
        c.notNull().check(sql`status in ('running','succeeded','failed','cancelled','interrupted')`),
      )
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('fetched', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('inserted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('unchanged', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('conflicts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('quarantined', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('error_zh', 'text')
      .addColumn('error_en', 'text')
      .execute();
    await db.schema.createIndex('dms_run_source').on('dms_run').columns(['source_id', 'started_at desc']).execute();
  },
};
