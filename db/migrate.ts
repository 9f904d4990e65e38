import { Migrator, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
import type { Kysely } from 'kysely';
import { migrations } from './migrations';

/** Static provider: migrations are bundled modules, not files found at run time (works inside asar). */
class BundledMigrations implements MigrationProvider {
  constructor(private readonly list: Record<string, Migration>) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return this.list;
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
