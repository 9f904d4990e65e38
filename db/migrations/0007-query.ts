import { sql, type Kysely, type Migration } from 'kysely';

/** Saved queries of the query builder: name, owner, shared or private, the react-querybuilder tree as JSON. */
export const migration0007: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('saved_query')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('owner_staff_id', 'text', (c) => c.notNull().references('staff.id'))
      .addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0).check(sql`shared in (0, 1)`))
      .addColumn('tree', 'text', (c) => c.notNull().check(sql`json_valid(tree)`))
      .addColumn('last_run_at', 'text')
      .addColumn('last_count', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'text')
      .execute();
    // One name per owner among live queries, so "迎新年老车主" is never two different lists for one person.
    await sql`create unique index saved_query_owner_name on saved_query (dealer_id, owner_staff_id, name)
      where deleted_at is null`.execute(db);
    await sql`create index saved_query_shared on saved_query (dealer_id, shared) where deleted_at is null`.execute(db);
  },
};
