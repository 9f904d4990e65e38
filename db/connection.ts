import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema';

export interface DbHandle {
  /** Raw handle for transactions, pragmas, backups and prepared hot-loop statements. */
  sqlite: BetterSqlite3.Database;
  db: Kysely<Database>;
  close(): void;
}

export interface OpenOptions {
  readonly?: boolean;
  /** Milliseconds a writer waits for another connection's lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/** Opens the dealer's SQLite store with the settings every connection must have. */
export function openDatabase(file: string, options: OpenOptions = {}): DbHandle {
  const sqlite = new BetterSqlite3(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  if (!options.readonly) {
    sqlite.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
    sqlite.pragma('synchronous = NORMAL');
  }
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    sqlite,
    db,
    close() {
      // kysely's destroy() closes the better-sqlite3 handle too, asynchronously; close it ourselves now.
      if (sqlite.open) sqlite.close();
    },
  };
}
