/**
 * IT operations as one capability for the composition root: the seat configuration file, the logger,
 * scheduled backups and restore, the diagnostics bundle, and the auto-update status. The updater itself
 * exists only in the packaged Electron host, which passes a factory; every other host gets a source that
 * reports 'disabled' with the reason. Plain Node.
 */
import path from 'node:path';
import type { DbHandle } from '../../db/connection';
import type { Bilingual } from '../../preload/messages';
import { createBackups, type Backups } from '../backup';
import { createSeatConfig, type SeatConfigService, type UpdateConfig } from '../config';
import { createDiagnostics, createLogger, type Diagnostics, type Logger, type LoggerOptions } from '../diagnostics';
import type { Dispatcher, EventSink, HandlerMap } from '../rpc';
import { ServiceError } from '../rpc';
import { loadOrCreateSeatId, type UpdateController, type UpdateStatus } from '../updater';
import { createOpsHandlers } from './handlers';

/** What the Electron host hands in to run electron-updater's autoUpdater under the seat's policy. */
export type UpdatesFactory = (deps: { config: UpdateConfig; seatId: string; log: Logger }) => UpdateController;

/** The updates source in hosts without an updater: always 'disabled', with the reason shown in About. */
export const BROWSER_HOST_UPDATES_REASON: Bilingual = {
  zh: '浏览器模式下不自动升级：升级由 Windows 桌面版（Electron）负责',
  en: 'Auto-update is disabled in the browser host: the Windows desktop (Electron) app updates itself',
};

export function disabledUpdates(currentVersion: string, config: UpdateConfig, reason: Bilingual): UpdateController {
  let status: UpdateStatus = {
    phase: 'disabled',
    currentVersion,
    channel: config.channel,
    feedUrl: config.feedUrl,
    disabledReason: reason,
    availableVersion: null,
    releaseNotes: null,
    releaseDate: null,
    mandatory: false,
    stagingPercent: null,
    progress: null,
    installPlan: null,
    lastCheckAt: null,
    lastSuccessAt: null,
    nextCheckAt: null,
    lastError: null,
    consecutiveFailures: 0,
    warnings: [],
  };
  const listeners = new Set<(s: UpdateStatus) => void>();
  return {
    start: () => undefined,
    stop: () => undefined,
    checkNow: () => Promise.resolve(status),
    installNow: () => false,
    applyConfig(next) {
      status = { ...status, channel: next.channel, feedUrl: next.feedUrl };
      for (const listener of listeners) listener(status);
    },
    getStatus: () => status,
    health: () => ({ level: 'ok', message: reason, consecutiveFailures: 0, lastSuccessAt: null }),
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export interface OpsDeps {
  handle: DbHandle;
  /** The seat's configuration, shared with the other capabilities; opened here from dataDir when absent. */
  seatConfig?: SeatConfigService;
  dbFile: string;
  /** The seat folder: seat-config.json, seat-id, logs/ and (by default) backups/ live here. */
  dataDir: string;
  host: 'electron' | 'browser';
  version: string;
  emit: EventSink;
  /** Packaged Electron host only. */
  updates?: UpdatesFactory;
  /** Why there is no updater (default: the browser-host reason). */
  updatesDisabledReason?: Bilingual;
  /** Electron host: electron-log's main entry, so both hosts log through the same interface. */
  electronLog?: LoggerOptions['electronLog'];
  /** Closes every capability and the store (services.close); called by a restore before the swap. */
  closeLive: () => Promise<void>;
  /** After a restore swapped the store in: the host restarts (Electron relaunches). */
  onRestored?: () => void;
  /** Reload the configuration when IT replaces the file (default true). */
  watchConfig?: boolean;
  /** The alarms' local hook: backup freshness and update health become alarm targets. */
  health?: HealthHook;
  /** How often backup freshness and update health are reported (default 15 min). */
  healthPeriodMs?: number;
  /**
   * A seat with no fresh backup takes one this long after start (default 60 s), before the freshness is
   * first reported: a new seat backs itself up instead of alarming until the first scheduled run.
   */
  catchUpDelayMs?: number;
}

/** The shape of alarms.localHook(...) this capability reports through. */
export interface HealthHook {
  report(target: string, ok: boolean, detail: string | null, check?: { name?: string; severity?: 'warning' | 'critical' }): void;
  close(): void;
}

export const HEALTH_TARGETS = { backup: 'local/backup-freshness', updates: 'local/updates' } as const;

export interface Ops {
  handlers: HandlerMap;
  config: SeatConfigService;
  logger: Logger;
  backups: Backups;
  diagnostics: Diagnostics;
  updates: UpdateController;
  start(): void;
  stop(): void;
  /** After a restore every call answers UNAVAILABLE ("restart the workstation") instead of a closed store. */
  guard(dispatcher: Dispatcher): Dispatcher;
}

export const RESTART_REQUIRED: Bilingual = {
  zh: '数据已从备份恢复，请重新启动工作站',
  en: 'The data was restored from a backup; restart the workstation',
};

export async function createOps(deps: OpsDeps): Promise<Ops> {
  const config =
    deps.seatConfig ?? (await createSeatConfig({ file: path.join(deps.dataDir, 'seat-config.json'), watch: deps.watchConfig ?? true }));
  const initial = config.get();
  const logger = createLogger({
    dir: path.join(deps.dataDir, 'logs'),
    level: initial.logging.level,
    maxFileMb: initial.logging.maxFileMb,
    maxFiles: initial.logging.maxFiles,
    ...(deps.electronLog ? { electronLog: deps.electronLog } : {}),
  });
  logger.info(`workstation ${deps.version} (${deps.host} host) starting; seat configuration from ${config.source}`);
  const seatId = loadOrCreateSeatId(path.join(deps.dataDir, 'seat-id'));
  const dealer = await deps.handle.db.selectFrom('dealer').select('id').executeTakeFirst();

  const backups = createBackups({
    handle: deps.handle,
    dbFile: deps.dbFile,
    config: initial.backup,
    defaultFolder: path.join(deps.dataDir, 'backups'),
    appVersion: deps.version,
    seatName: initial.seatName,
    dealerId: initial.dealerId ?? dealer?.id ?? null,
    log: logger.scope('backup'),
  });

  const updates = deps.updates
    ? deps.updates({ config: initial.update, seatId, log: logger.scope('update') })
    : disabledUpdates(deps.version, initial.update, deps.updatesDisabledReason ?? BROWSER_HOST_UPDATES_REASON);
  const offStatus = updates.onStatus((status) => deps.emit('updates.status', status));

  const diagnostics = createDiagnostics({
    appVersion: deps.version,
    host: deps.host,
    seatId,
    getSeatName: () => config.get().seatName,
    getConfig: () => config.get(),
    logger,
    sqlite: deps.handle.sqlite,
    collectExtra: async () => ({
      updates: updates.getStatus(),
      backups: { status: backups.status(), freshness: await backups.freshness(), list: await backups.list() },
    }),
  });

  const offConfig = config.onChange((next, previous) => {
    logger.info('seat configuration changed');
    if (JSON.stringify(next.backup) !== JSON.stringify(previous.backup)) backups.applyConfig(next.backup);
    if (JSON.stringify(next.update) !== JSON.stringify(previous.update)) updates.applyConfig(next.update);
    deps.emit('config.changed', { source: config.source, at: new Date().toISOString() });
  });

  let restored = false;
  const handlers = createOpsHandlers({
    config,
    backups,
    diagnostics,
    updates,
    logger,
    emit: deps.emit,
    afterBackup: () => void reportHealth(),
    restore: async (file) => {
      const result = await backups.restore(file, async () => {
        restored = true;
        await deps.closeLive();
      });
      logger.info(`restore of ${path.basename(file)} done; restart ${deps.onRestored ? 'requested from the host' : 'left to the user'}`);
      if (deps.onRestored) {
        const restart = deps.onRestored;
        // Let the answer reach the screen before the host goes down.
        setTimeout(restart, 500).unref();
      }
      return { ...result, restarting: deps.onRestored !== undefined };
    },
  });

  let stopped = false;
  /** Reports backup freshness and update health to the alarms; never throws (a background job). */
  async function reportHealth(): Promise<void> {
    if (!deps.health || stopped) return;
    try {
      if (config.get().backup.enabled) {
        const fresh = await backups.freshness();
        // The services may have closed while the folder was read (the alarms' store with them).
        if (stopped) return;
        deps.health.report(HEALTH_TARGETS.backup, fresh.level === 'ok', `${fresh.message.zh} / ${fresh.message.en}`, {
          name: '数据备份 / Backups',
          severity: fresh.level === 'critical' ? 'critical' : 'warning',
        });
      } else {
        deps.health.report(HEALTH_TARGETS.backup, true, 'IT 已关闭定时备份 / Scheduled backups are turned off by IT', { name: '数据备份 / Backups' });
      }
      const health = updates.health();
      deps.health.report(HEALTH_TARGETS.updates, health.level === 'ok', `${health.message.zh} / ${health.message.en}`, {
        name: '自动升级 / Auto-update',
        severity: health.level === 'critical' ? 'critical' : 'warning',
      });
    } catch (error) {
      logger.warn('health report failed', error);
    }
  }
  let healthTimer: NodeJS.Timeout | null = null;
  let catchUpTimer: NodeJS.Timeout | null = null;
  let backupReported = false;

  /** Start-up: back up now when the newest good copy is missing or too old, then report the freshness. */
  async function catchUp(): Promise<void> {
    catchUpTimer = null;
    try {
      if (config.get().backup.enabled && (await backups.freshness()).level !== 'ok') {
        logger.info('no fresh backup: taking one now');
        await backups.runNow('scheduled');
        deps.emit('backups.status', backups.status());
      }
    } catch {
      // logged by the backups module; the freshness report below raises the alarm
    }
    backupReported = true;
    await reportHealth();
  }
  let lastPhase = updates.getStatus().phase;
  const offHealth = updates.onStatus((status) => {
    // Only settled phases change the update health; progress ticks do not.
    if (status.phase !== lastPhase && (status.phase === 'error' || status.phase === 'up-to-date' || status.phase === 'downloaded')) void reportHealth();
    lastPhase = status.phase;
  });

  return {
    handlers,
    config,
    logger,
    backups,
    diagnostics,
    updates,
    start() {
      backups.start();
      updates.start();
      catchUpTimer = setTimeout(() => void catchUp(), deps.catchUpDelayMs ?? 60_000);
      catchUpTimer.unref();
      if (deps.health) {
        const hook = deps.health;
        const health = updates.health();
        hook.report(HEALTH_TARGETS.updates, health.level === 'ok', `${health.message.zh} / ${health.message.en}`, { name: '自动升级 / Auto-update' });
        healthTimer = setInterval(() => {
          if (backupReported) void reportHealth();
        }, deps.healthPeriodMs ?? 15 * 60_000);
        healthTimer.unref();
      }
      logger.info(`services started; backups ${config.get().backup.enabled ? 'scheduled' : 'off'}; updates ${updates.getStatus().phase}`);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      backups.stop();
      updates.stop();
      if (healthTimer) clearInterval(healthTimer);
      if (catchUpTimer) clearTimeout(catchUpTimer);
      deps.health?.close();
      offHealth();
      offStatus();
      offConfig();
      if (!deps.seatConfig) config.close();
      logger.info('services stopped');
    },
    guard(dispatcher) {
      return {
        dispatch(channel, rawInput, ctx) {
          if (restored) return Promise.resolve({ ok: false, error: new ServiceError('UNAVAILABLE', RESTART_REQUIRED).toBody() });
          return dispatcher.dispatch(channel, rawInput, ctx);
        },
      };
    },
  };
}
