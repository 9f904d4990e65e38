import { Migrator, sql, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
import type { Kysely } from 'kysely';
import { migrations } from './migrations';

/**
 * Migrations that open their own transaction: rebuilding a table needs `foreign_keys = off`, which SQLite
 * ignores inside a transaction.
 */
const OWN_TRANSACTION = new Set(['0011-query-campaigns', '0014-repair-order-covering']);

/**
 * Each migration runs in one IMMEDIATE transaction. Kysely's SQLite adapter does not claim transactional
 * DDL, so without this a migration that fails half-way (disk full during a backfill, a crash) would leave
 * a store with half a schema change that every later start trips over ("table … already exists").
 */
function atomic(name: string, migration: Migration): Migration {
  if (OWN_TRANSACTION.has(name)) return migration;
  return {
    async up(db) {
      await sql`begin immediate`.execute(db);
      try {
        await migration.up(db);
        await sql`commit`.execute(db);
      } catch (error) {
        await sql`rollback`.execute(db);
        throw error;
      }
    },
  };
}

/** Static provider: migrations are bundled modules, not files found at run time (works inside asar). */
class BundledMigrations implements MigrationProvider {
  constructor(private readonly list: Record<string, Migration>) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(Object.entries(this.list).map(([name, m]) => [name, atomic(name, m)]));
  }
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly results: MigrationResult[],
  ) {
    super(message);
  }
}

/**
 * Brings a database up to `target` (default: the newest migration). Forward only: there are no down
 * migrations, because a dealer's data must never be rolled back by an application downgrade.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>, target?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new BundledMigrations(migrations) });
  const { error, results = [] } = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === 'Error');
    throw new MigrationError(
      `Migration ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`,
      results,
    );
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export const MIGRATION_NAMES = Object.keys(migrations).sort();
