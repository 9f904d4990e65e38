/**
 * Prepared inserts for bulk loads: the SQL is compiled once by kysely (so table and column names are
 * checked against the schema types) and run through a reused better-sqlite3 statement.
 */
import type { Insertable } from 'kysely';
import type { DbHandle } from '../connection';
import type { Database } from '../schema';

export type Row<T extends keyof Database> = Insertable<Database[T]>;

export function prepareInsert<T extends keyof Database & string>(
  handle: DbHandle,
  table: T,
  columns: readonly (keyof Row<T> & string)[],
): (row: Row<T>) => void {
  const placeholders = Object.fromEntries(columns.map((c) => [c, null]));
  // kysely cannot type an insert for a table chosen by a type parameter; the columns are checked above.
  const compiled = handle.db
    .insertInto(table)
    .values(placeholders as never)
    .compile();
  const statement = handle.sqlite.prepare(compiled.sql);
  return (row) => {
    statement.run(columns.map((c) => (row[c] ?? null) as unknown));
  };
}
