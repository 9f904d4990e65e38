/**
 * Backups of the dealer's SQLite store: scheduled online copies to a local folder or network share,
 * retention, a freshness signal for the alarms, and the restore flow. Plain Node.
 */
import { Cron } from 'croner';
import type { DbHandle } from '../../db/connection';
import type { Bilingual } from '../../preload/messages';
import type { BackupConfig } from '../config/schema';
import { listBackups, type BackupRecord } from './manifest';
import { prepareRestore, swapInRestored, verifyBackup, type BackupCheck, type SwapResult } from './restore';
import { applyRetention } from './retention';
import { BackupError, cleanupInterrupted, runBackup } from './run';

export { listBackups, manifestSchema, type BackupManifest, type BackupRecord } from './manifest';
export { applyRetention, selectRetained, type RetentionPolicy } from './retention';
export { prepareRestore, swapInRestored, verifyBackup, type BackupCheck, type PreparedRestore, type SwapResult } from './restore';
export { BackupError, cleanupInterrupted, integrityProblems, runBackup, type RunBackupOptions } from './run';

export interface BackupFreshness {
  level: 'ok' | 'warning' | 'critical';
  newestAt: string | null;
  ageHours: number | null;
  message: Bilingual;
}

/** Age of the newest good backup against the configured maximum: the alarm's input. */
export function backupFreshness(newest: BackupRecord | undefined, maxAgeHours: number, now: number): BackupFreshness {
  if (!newest) {
    return { level: 'critical', newestAt: null, ageHours: null, message: { zh: '没有任何可用备份', en: 'There is no good backup' } };
  }
  const ageHours = Math.max(0, (now - Date.parse(newest.createdAt)) / 3_600_000);
  const rounded = Math.round(ageHours * 10) / 10;
  const level = ageHours <= maxAgeHours ? 'ok' : ageHours <= 2 * maxAgeHours ? 'warning' : 'critical';
  const message =
    level === 'ok'
      ? { zh: `最新备份于 ${rounded} 小时前`, en: `Newest backup is ${rounded} h old` }
      : { zh: `最新备份已超过 ${rounded} 小时（上限 ${maxAgeHours} 小时）`, en: `Newest backup is ${rounded} h old (limit ${maxAgeHours} h)` };
  return { level, newestAt: newest.createdAt, ageHours: rounded, message };
}

export interface BackupStatus {
  running: boolean;
  folder: string;
  nextRunAt: string | null;
  lastRun: { at: string; ok: boolean; file: string | null; error: string | null } | null;
}

export interface BackupsDeps {
  handle: DbHandle;
  /** The live database file (needed for restore). */
  dbFile: string;
  config: BackupConfig;
  /** Used when config.folder is null, e.g. <userData>/backups. */
  defaultFolder: string;
  appVersion: string;
  seatName: string;
  dealerId: string | null;
  now?: () => number;
  log?: { info(message: string): void; warn(message: string): void; error(message: string): void };
}

export interface Backups {
  start(): void;
  stop(): void;
  applyConfig(next: BackupConfig): void;
  /** Runs one backup now (the "back up now" button, or before an update/restore). */
  runNow(trigger?: 'manual' | 'scheduled' | 'pre-restore' | 'pre-update'): Promise<BackupRecord>;
  list(): Promise<BackupRecord[]>;
  freshness(): Promise<BackupFreshness>;
  status(): BackupStatus;
  verify(file: string): Promise<BackupCheck>;
  /**
   * Restores `file`: verifies and migrates a copy, backs up the current database, calls `closeLive`
   * (the host closes every connection), swaps files, and returns where the previous database went.
   * The host reopens the database (or restarts) afterwards.
   */
  restore(file: string, closeLive: () => Promise<void> | void): Promise<SwapResult & { check: BackupCheck; migrated: string[] }>;
}

export function createBackups(deps: BackupsDeps): Backups {
  let config = deps.config;
  const now = deps.now ?? Date.now;
  let cron: Cron | null = null;
  let running: Promise<BackupRecord> | null = null;
  let lastRun: BackupStatus['lastRun'] = null;
  const folder = () => config.folder ?? deps.defaultFolder;

  async function backupOnce(trigger: 'manual' | 'scheduled' | 'pre-restore' | 'pre-update'): Promise<BackupRecord> {
    const target = folder();
    const removed = cleanupInterrupted(target);
    if (removed.length) deps.log?.warn(`backup: removed interrupted files ${removed.join(', ')}`);
    try {
      const record = await runBackup({
        sqlite: deps.handle.sqlite,
        folder: target,
        appVersion: deps.appVersion,
        seatName: deps.seatName,
        dealerId: deps.dealerId,
        trigger,
        now: new Date(now()),
      });
      lastRun = { at: record.createdAt, ok: true, file: record.file, error: null };
      const pruned = applyRetention(await listBackups(target), config, now());
      deps.log?.info(`backup written: ${record.file} (${record.bytes} bytes)${pruned.length ? `; pruned ${pruned.length}` : ''}`);
      return record;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      lastRun = { at: new Date(now()).toISOString(), ok: false, file: null, error: message };
      deps.log?.error(`backup failed: ${message}`);
      throw error;
    }
  }

  const runNow: Backups['runNow'] = (trigger = 'manual') => {
    // One backup at a time: a second request joins the running one.
    if (running) return running;
    running = backupOnce(trigger).finally(() => {
      running = null;
    });
    return running;
  };

  function schedule() {
    cron?.stop();
    cron = null;
    if (!config.enabled) return;
    cron = new Cron(config.schedule, { protect: true }, () => {
      runNow('scheduled').catch(() => {
        // already logged and recorded in lastRun; the freshness alarm escalates if it keeps failing
      });
    });
  }

  return {
    start: schedule,
    stop() {
      cron?.stop();
      cron = null;
    },
    applyConfig(next) {
      const wasScheduled = cron !== null;
      config = next;
      if (wasScheduled) schedule();
    },
    runNow,
    list: () => listBackups(folder()),
    async freshness() {
      return backupFreshness((await listBackups(folder()))[0], config.maxAgeHours, now());
    },
    status: () => ({
      running: running !== null,
      folder: folder(),
      nextRunAt: cron?.nextRun()?.toISOString() ?? null,
      lastRun,
    }),
    verify: (file) => verifyBackup(file),
    async restore(file, closeLive) {
      const prepared = await prepareRestore(file, deps.dbFile);
      try {
        // The current state is itself backed up first, so a wrong restore can be undone from the list.
        await runNow('pre-restore');
        await closeLive();
      } catch (error) {
        prepared.discard();
        throw error instanceof BackupError ? error : new BackupError(`restore aborted: ${String(error)}`, 'io');
      }
      const swapped = swapInRestored(prepared, deps.dbFile, new Date(now()));
      deps.log?.info(`restored ${file}; previous database kept at ${swapped.previousFile ?? '(none)'}`);
      return { ...swapped, check: prepared.check, migrated: prepared.migrated };
    },
  };
}
