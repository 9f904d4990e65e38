/**
 * One online backup: better-sqlite3's backup API on the live (writer) connection, so the seat keeps
 * working and the copy is a consistent snapshot; then verify, checksum, rename, and write the manifest.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { writeFileAtomic } from '../config/store';
import { BACKUP_PREFIX, MANIFEST_SUFFIX, PARTIAL_PREFIX, backupFileName, sha256File, type BackupManifest, type BackupRecord } from './manifest';

export interface RunBackupOptions {
  /** The live writer connection. Backing up through another connection restarts on every write. */
  sqlite: BetterSqlite3.Database;
  folder: string;
  appVersion: string;
  seatName: string;
  dealerId: string | null;
  trigger: BackupManifest['trigger'];
  now?: Date;
  /** better-sqlite3 progress hook; returns pages per step (tests use it to hold a backup mid-way). */
  progress?: (info: { totalPages: number; remainingPages: number }) => number;
}

export class BackupError extends Error {
  constructor(
    message: string,
    readonly reason: 'integrity' | 'io' | 'checksum' | 'foreign' | 'newer-schema',
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

/** Runs PRAGMA integrity_check; returns null when the file is sound, else the first problems reported. */
export function integrityProblems(db: BetterSqlite3.Database): string | null {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  const messages = rows.map((r) => r.integrity_check);
  return messages.length === 1 && messages[0] === 'ok' ? null : messages.slice(0, 5).join('; ');
}

/** Applied migration names (kysely's bookkeeping table), oldest first; empty for a foreign file. */
export function appliedMigrations(db: BetterSqlite3.Database): string[] {
  const table = db.prepare("select name from sqlite_master where type = 'table' and name = 'kysely_migration'").get();
  if (!table) return [];
  return (db.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name);
}

function fsyncPath(path: string, flags: 'r' | 'r+'): void {
  try {
    const fd = openSync(path, flags);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // directories on Windows and some network shares refuse fsync; the rename is still atomic
  }
}

export async function runBackup(options: RunBackupOptions): Promise<BackupRecord> {
  const now = options.now ?? new Date();
  mkdirSync(options.folder, { recursive: true });
  const name = backupFileName(now, randomBytes(2).toString('hex'));
  const partial = join(options.folder, `${PARTIAL_PREFIX}${name}`);
  const final = join(options.folder, name);
  try {
    await (options.progress ? options.sqlite.backup(partial, { progress: options.progress }) : options.sqlite.backup(partial));

    const copy = new BetterSqlite3(partial, { fileMustExist: true });
    let migrations: string[];
    try {
      // A backup of a WAL database is itself in WAL mode; a standalone file (possibly on a network
      // share, where WAL is unsafe) must be a single self-contained file.
      copy.pragma('journal_mode = DELETE');
      const problems = integrityProblems(copy);
      if (problems) throw new BackupError(`integrity_check failed on the new backup: ${problems}`, 'integrity');
      migrations = appliedMigrations(copy);
    } finally {
      copy.close();
    }

    fsyncPath(partial, 'r+');
    const sha256 = await sha256File(partial);
    const bytes = statSync(partial).size;
    renameSync(partial, final);
    const manifest: BackupManifest = {
      format: 'dealercs-backup/1',
      file: name,
      createdAt: now.toISOString(),
      bytes,
      sha256,
      schemaVersion: migrations.at(-1) ?? null,
      migrations,
      integrity: 'ok',
      appVersion: options.appVersion,
      seatName: options.seatName,
      dealerId: options.dealerId,
      trigger: options.trigger,
    };
    // Written last: only a copy with a manifest counts as a good backup.
    writeFileAtomic(`${final}${MANIFEST_SUFFIX}`, `${JSON.stringify(manifest, null, 2)}\n`);
    return { ...manifest, path: final };
  } catch (error) {
    rmSync(partial, { force: true });
    rmSync(`${partial}-journal`, { force: true });
    if (error instanceof BackupError) throw error;
    throw new BackupError(`backup to ${options.folder} failed: ${error instanceof Error ? error.message : String(error)}`, 'io');
  }
}

/**
 * Removes what interrupted backups leave behind (a crash, kill -9 or a pulled network cable):
 * .partial-* files and copies that never got their manifest. `activeNames` protects running backups.
 */
export function cleanupInterrupted(folder: string, activeNames: ReadonlySet<string> = new Set()): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const present = new Set(names);
  const removed: string[] = [];
  for (const n of names) {
    const partial = n.startsWith(PARTIAL_PREFIX) && !activeNames.has(n.slice(PARTIAL_PREFIX.length).replace(/-journal$/, ''));
    const orphan = n.startsWith(BACKUP_PREFIX) && n.endsWith('.sqlite') && !present.has(`${n}${MANIFEST_SUFFIX}`);
    const staleTemp = n.startsWith(`.${BACKUP_PREFIX}`) && n.endsWith('.tmp');
    if (partial || orphan || staleTemp) {
      rmSync(join(folder, n), { force: true });
      removed.push(n);
    }
  }
  return removed;
}
