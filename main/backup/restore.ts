/**
 * Restore: verify a backup (checksum, integrity, that it is ours and not from a newer app), bring a copy
 * forward with the app's migrations, then swap it in for the live file while keeping the previous
 * database beside it. The live connection must be closed for the swap; the caller reopens afterwards.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { MIGRATION_NAMES, migrateToLatest } from '../../db/migrate';
import { MANIFEST_SUFFIX, manifestSchema, sha256File } from './manifest';
import { BackupError, appliedMigrations, integrityProblems } from './run';

export interface BackupCheck {
  file: string;
  schemaVersion: string | null;
  /** Migrations the app would apply to bring this backup up to date. */
  pendingMigrations: string[];
  checksum: 'ok' | 'no-manifest';
}

/** Checks a backup file without changing it. Throws BackupError with the reason otherwise. */
export async function verifyBackup(file: string): Promise<BackupCheck> {
  if (!existsSync(file)) throw new BackupError(`backup file not found: ${file}`, 'io');
  let checksum: BackupCheck['checksum'] = 'no-manifest';
  const manifestFile = `${file}${MANIFEST_SUFFIX}`;
  if (existsSync(manifestFile)) {
    const manifest = manifestSchema.safeParse(JSON.parse(readFileSync(manifestFile, 'utf8')));
    if (manifest.success) {
      const actual = await sha256File(file);
      if (actual !== manifest.data.sha256) {
        throw new BackupError(`checksum mismatch: the backup changed since it was written (${basename(file)})`, 'checksum');
      }
      checksum = 'ok';
    }
  }
  const db = openReadonly(file);
  try {
    const problems = integrityProblems(db);
    if (problems) throw new BackupError(`integrity_check failed: ${problems}`, 'integrity');
    const applied = appliedMigrations(db);
    if (applied.length === 0 || !db.prepare("select 1 from sqlite_master where type = 'table' and name = 'dealer'").get()) {
      throw new BackupError('not a DealerCS database', 'foreign');
    }
    const unknown = applied.filter((m) => !MIGRATION_NAMES.includes(m));
    if (unknown.length > 0) {
      throw new BackupError(`backup comes from a newer application version (unknown migrations: ${unknown.join(', ')})`, 'newer-schema');
    }
    return { file, schemaVersion: applied.at(-1) ?? null, pendingMigrations: MIGRATION_NAMES.filter((m) => !applied.includes(m)), checksum };
  } finally {
    db.close();
  }
}

function openReadonly(file: string): BetterSqlite3.Database {
  try {
    return new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupError(`cannot open backup: ${error instanceof Error ? error.message : String(error)}`, 'integrity');
  }
}

export interface PreparedRestore {
  /** The verified, migrated copy next to the live file, ready to be swapped in. */
  stagedFile: string;
  check: BackupCheck;
  migrated: string[];
  discard(): void;
}

/** Copies the backup next to the live file and migrates the copy. The live database is not touched. */
export async function prepareRestore(backupFile: string, liveFile: string): Promise<PreparedRestore> {
  const check = await verifyBackup(backupFile);
  const staged = join(dirname(liveFile), `.restore-${randomBytes(4).toString('hex')}.sqlite`);
  copyFileSync(backupFile, staged);
  const discard = () => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${staged}${suffix}`, { force: true });
  };
  try {
    const sqlite = new BetterSqlite3(staged, { fileMustExist: true });
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
    try {
      sqlite.pragma('foreign_keys = ON');
      const migrated = await migrateToLatest(db);
      const problems = integrityProblems(sqlite);
      if (problems) throw new BackupError(`integrity_check failed after migrating: ${problems}`, 'integrity');
      return { stagedFile: staged, check, migrated, discard };
    } finally {
      if (sqlite.open) sqlite.close();
    }
  } catch (error) {
    discard();
    throw error;
  }
}

export interface SwapResult {
  /** Where the database that was live before the restore now lives (kept for IT, never deleted here). */
  previousFile: string | null;
}

/**
 * Swaps the staged copy in. Call only with every connection to `liveFile` closed (closing the last
 * connection checkpoints and removes the WAL; leftovers move with the previous file).
 */
export function swapInRestored(prepared: PreparedRestore, liveFile: string, now: Date = new Date()): SwapResult {
  let previousFile: string | null = null;
  if (existsSync(liveFile)) {
    previousFile = `${liveFile}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
    renameSync(liveFile, previousFile);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(`${liveFile}${suffix}`)) renameSync(`${liveFile}${suffix}`, `${previousFile}${suffix}`);
    }
  }
  try {
    renameSync(prepared.stagedFile, liveFile);
  } catch (error) {
    // Put the previous database back rather than leave the seat without one.
    if (previousFile) renameSync(previousFile, liveFile);
    throw error;
  }
  return { previousFile };
}
