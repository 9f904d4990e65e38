import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, type DatabaseConnection, type Driver, type QueryCompiler, type TransactionSettings } from 'kysely';
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
  // The default 2 MiB page cache makes history aggregates over 1M repair orders re-read pages constantly;
  // 64 MiB holds a dealer's hot indexes (measured ~4x faster on the query-builder exercises).
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  const db = new Kysely<Database>({ dialect: new TurnGuardedSqliteDialect({ database: sqlite }, !(options.readonly ?? false)) });
  return {
    sqlite,
    db,
    close() {
      // kysely's destroy() closes the better-sqlite3 handle too, asynchronously; close it ourselves now.
      if (!sqlite.open) return;
      // Keeps the planner's statistics current for the queries this session actually ran.
      if (!options.readonly) sqlite.pragma('optimize');
      sqlite.close();
    },
  };
}

/**
 * kysely transactions are async, but every request shares this one better-sqlite3 connection, and some
 * services write through it synchronously (prepared hot-loop statements). As long as a transaction's body
 * awaits only its own queries it runs inside one event-loop turn, so no other request can run — and write —
 * in the middle of it. A body that awaits anything else (a timer, a file, a network call) breaks that: another
 * request's write would silently join the transaction and share its commit or rollback. This driver checks
 * the invariant and rolls such a transaction back with an error naming the cause, instead of letting it
 * commit whatever else slipped in. Transactions also begin IMMEDIATE (see beginTransaction).
 */
export class TransactionYieldedError extends Error {
  constructor() {
    super('a database transaction awaited non-database work, so other requests could have written inside it; it was rolled back');
    this.name = 'TransactionYieldedError';
  }
}

class TurnGuardedSqliteDialect extends SqliteDialect {
  constructor(
    config: ConstructorParameters<typeof SqliteDialect>[0],
    private readonly writable: boolean,
  ) {
    super(config);
  }
  override createDriver(): Driver {
    return new TurnGuardedDriver(super.createDriver(), this.writable);
  }
}

class TurnGuardedDriver implements Driver {
  /** Set while a transaction is open; flips to true if the event loop turned before it commits. */
  private turned: { value: boolean; probe: NodeJS.Immediate } | null = null;

  constructor(
    private readonly inner: Driver,
    /** A read-only connection cannot take the write lock; its transactions begin deferred. */
    private readonly writable: boolean,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }
  acquireConnection(): Promise<DatabaseConnection> {
    return this.inner.acquireConnection();
  }
  async beginTransaction(connection: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    // IMMEDIATE takes the write lock up front, waiting out busy_timeout if a worker thread's connection
    // (DMS sync, generation) is writing. A deferred BEGIN that reads first and writes later fails at once
    // with SQLITE_BUSY when that other connection committed in between — busy_timeout does not help there.
    await connection.executeQuery(CompiledQuery.raw(this.writable ? 'begin immediate' : 'begin'));
    const turned = { value: false, probe: setImmediate(() => { turned.value = true; }) };
    this.turned = turned;
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const turned = this.endTurnCheck();
    // Throwing here makes kysely roll the transaction back.
    if (turned) throw new TransactionYieldedError();
    await this.inner.commitTransaction(connection);
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    this.endTurnCheck();
    await this.inner.rollbackTransaction(connection);
  }
  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.savepoint?.(connection, name, compile);
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.rollbackToSavepoint?.(connection, name, compile);
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.releaseSavepoint?.(connection, name, compile);
  }
  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }
  destroy(): Promise<void> {
    return this.inner.destroy();
  }

  private endTurnCheck(): boolean {
    const turned = this.turned;
    this.turned = null;
    if (!turned) return false;
    clearImmediate(turned.probe);
    return turned.value;
  }
}
