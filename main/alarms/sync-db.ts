/**
 * Synchronous execution of kysely-built queries. The engine decides on read-modify-write of a target's
 * state, so each decision must be one SQLite transaction that no other call can interleave with;
 * better-sqlite3 is synchronous, so building with kysely and running the compiled SQL through cached
 * prepared statements gives that, and keeps the hot path (thousands of checks a minute) cheap.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Compilable } from 'kysely';
import type { DbHandle } from '../../db/connection';

export interface SyncDb {
  run(query: Compilable): number;
  all<R>(query: Compilable<R>): R[];
  first<R>(query: Compilable<R>): R | undefined;
  /** Runs fn in one transaction (nested calls join the outer one). */
  tx<T>(fn: () => T): T;
}

export function createSyncDb(handle: DbHandle): SyncDb {
  const statements = new Map<string, BetterSqlite3.Statement<unknown[]>>();
  function prepared(query: Compilable): { statement: BetterSqlite3.Statement<unknown[]>; params: unknown[] } {
    const compiled = query.compile();
    let statement = statements.get(compiled.sql);
    if (!statement) {
      statement = handle.sqlite.prepare<unknown[]>(compiled.sql);
      statements.set(compiled.sql, statement);
    }
    return { statement, params: [...compiled.parameters] };
  }
  return {
    run(query) {
      const { statement, params } = prepared(query);
      return statement.run(...params).changes;
    },
    all<R>(query: Compilable<R>): R[] {
      const { statement, params } = prepared(query);
      // The row shape is the one kysely inferred for this very query.
      return statement.all(...params) as R[];
    },
    first<R>(query: Compilable<R>): R | undefined {
      const { statement, params } = prepared(query);
      return statement.get(...params) as R | undefined;
    },
    tx<T>(fn: () => T): T {
      if (handle.sqlite.inTransaction) return fn();
      return handle.sqlite.transaction(fn)();
    },
  };
}
