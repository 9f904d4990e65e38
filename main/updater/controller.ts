/**
 * The update policy engine: when to check, download and install, over an injected electron-updater-shaped
 * object. electron-updater does the transport and the sha512 verification; this decides, schedules and
 * reports status for the "About / Updates" screen and the alarms.
 */
import { z } from 'zod';
import type { UpdateConfig } from '../config/schema';
import { maskSecretsInText } from '../config/mask';
import {
  feedChannelName,
  isBelowMinimum,
  planInstall,
  releaseNotesText,
  retryDelayMs,
  stagingDecision,
  type InstallPlan,
} from './policy';
import { systemClock, type Clock, type ProgressInfo, type UpdateHealth, type UpdateInfo, type UpdateStatus, type UpdaterLike } from './types';

export interface UpdateControllerDeps {
  updater: UpdaterLike;
  currentVersion: string;
  /** Stable per-seat id (see loadOrCreateSeatId) that places the seat in staged rollouts. */
  seatId: string;
  config: UpdateConfig;
  clock?: Clock;
  /** Return false while an agent is on a call; a quiet-hour install then waits and retries. */
  canInstallNow?: () => boolean;
  /** Give the host a moment to close the database cleanly before the installer takes over. */
  beforeInstall?: () => void;
  /** Give up on a check that has not answered in this long (a stalled proxy or server). */
  checkTimeoutMs?: number;
  log?: { info(message: string): void; warn(message: string): void; error(message: string): void };
}

export interface UpdateController {
  /** Configures the updater and checks now, then every `checkIntervalHours`. */
  start(): void;
  stop(): void;
  /** "Check now" in the About screen; resolves with the status after the check (and download). */
  checkNow(): Promise<UpdateStatus>;
  /** "Restart and install" in the About screen; only does something once an update is downloaded. */
  installNow(): boolean;
  applyConfig(next: UpdateConfig): void;
  getStatus(): UpdateStatus;
  health(): UpdateHealth;
  onStatus(listener: (status: UpdateStatus) => void): () => void;
}

/** Extra keys IT may add to latest.yml after publishing; electron-updater passes unknown keys through. */
const feedExtras = z.object({ minimumVersion: z.string().optional(), stagingPercentage: z.unknown().optional() }).loose();

const HOUR = 3_600_000;
const INSTALL_RETRY_MS = 10 * 60_000;

export function createUpdateController(deps: UpdateControllerDeps): UpdateController {
  const clock = deps.clock ?? systemClock;
  const checkTimeoutMs = deps.checkTimeoutMs ?? 120_000;
  const updater = deps.updater;
  let config = deps.config;
  let started = false;
  let checkTimer: unknown = null;
  let installTimer: unknown = null;
  let running: Promise<UpdateStatus> | null = null;
  /** Set by the rollout hook during a check: the feed has a newer version, but not for this seat yet. */
  let rolloutExcluded = false;
  const listeners = new Set<(status: UpdateStatus) => void>();
  const iso = (t: number) => new Date(t).toISOString();

  let status: UpdateStatus = {
    phase: 'idle',
    currentVersion: deps.currentVersion,
    channel: config.channel,
    feedUrl: config.feedUrl,
    disabledReason: null,
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

  const set = (patch: Partial<UpdateStatus>) => {
    status = { ...status, ...patch };
    for (const listener of listeners) listener(status);
  };

  const mandatoryFor = (info: UpdateInfo) =>
    isBelowMinimum(deps.currentVersion, feedExtras.parse(info).minimumVersion, config.minimumVersion);

  const disabledReason = () => {
    if (!config.enabled) return { zh: 'IT 已关闭自动升级（由 IT 推送安装包）', en: 'Auto-update is turned off by IT (installers are pushed)' };
    if (!config.feedUrl) return { zh: '未配置升级服务器地址', en: 'No update server is configured' };
    return null;
  };

  function configure() {
    updater.autoDownload = false;
    updater.disableWebInstaller = true;
    // Quiet-hour installs also fall back to install-on-quit: a seat switched off at 18:00 updates then.
    updater.autoInstallOnAppQuit = config.install !== 'manual';
    // electron-updater's channel setter turns allowDowngrade on; the seat configuration has the last word.
    updater.channel = feedChannelName(config.channel);
    updater.allowDowngrade = config.allowDowngrade;
    updater.requestHeaders = config.authToken ? { authorization: `Bearer ${config.authToken}` } : null;
    updater.isUserWithinRollout = (info) => {
      const staging = stagingDecision(feedExtras.parse(info).stagingPercentage, deps.seatId);
      const warnings = staging.warning ? [staging.warning] : [];
      if (staging.warning) deps.log?.warn(`update feed: ${staging.warning}`);
      set({ stagingPercent: staging.percent, warnings });
      // A seat below the minimum version must update whatever the rollout wave.
      const within = staging.inRollout || mandatoryFor(info);
      rolloutExcluded = !within;
      return within;
    };
    // Servers, proxies or object stores that answer one range per request need one request per changed block.
    if (config.feedUrl) updater.setFeedURL({ provider: 'generic', url: config.feedUrl, channel: updater.channel, useMultipleRangeRequest: config.multiRangeRequests });
    set({ channel: config.channel, feedUrl: config.feedUrl, disabledReason: disabledReason() });
    if (status.disabledReason) set({ phase: 'disabled' });
    else if (status.phase === 'disabled') set({ phase: 'idle' });
  }

  function scheduleCheck(delayMs: number) {
    if (checkTimer !== null) clock.clearTimeout(checkTimer);
    checkTimer = null;
    if (!started || disabledReason()) {
      set({ nextCheckAt: null });
      return;
    }
    checkTimer = clock.setTimeout(() => {
      checkTimer = null;
      void checkNow();
    }, delayMs);
    set({ nextCheckAt: iso(clock.now() + delayMs) });
  }

  function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = clock.setTimeout(() => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms);
      promise.then(
        (value) => {
          clock.clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clock.clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  const onProgress = (p: ProgressInfo) =>
    set({ progress: { percent: p.percent, transferred: p.transferred, total: p.total, bytesPerSecond: p.bytesPerSecond } });

  async function runCheck(): Promise<UpdateStatus> {
    const reason = disabledReason();
    if (reason) {
      set({ phase: 'disabled', disabledReason: reason });
      return status;
    }
    // An update already waiting to be installed stays put; checking again would only re-download it.
    if (status.phase === 'downloaded' || status.phase === 'installing') return status;
    const startedAt = clock.now();
    rolloutExcluded = false;
    set({ phase: 'checking', lastCheckAt: iso(startedAt), progress: null, stagingPercent: null, warnings: [] });
    try {
      const result = await withTimeout(updater.checkForUpdates(), checkTimeoutMs, 'Update check');
      if (result === null) {
        set({ phase: 'disabled', disabledReason: { zh: '开发版本不自动升级', en: 'Development builds do not auto-update' } });
        return status;
      }
      const info = result.updateInfo;
      const mandatory = mandatoryFor(info);
      const notes = { availableVersion: info.version, releaseNotes: releaseNotesText(info.releaseNotes), releaseDate: info.releaseDate ?? null, mandatory };
      if (result.isUpdateAvailable === false) {
        set({ ...notes, phase: rolloutExcluded ? 'not-in-rollout' : 'up-to-date', mandatory: false, lastSuccessAt: iso(clock.now()), consecutiveFailures: 0, lastError: null });
        return status;
      }
      set({ ...notes, phase: 'downloading' });
      updater.on('download-progress', onProgress);
      try {
        await updater.downloadUpdate();
      } finally {
        updater.removeListener('download-progress', onProgress);
      }
      set({ phase: 'downloaded', lastSuccessAt: iso(clock.now()), consecutiveFailures: 0, lastError: null });
      deps.log?.info(`update ${info.version} downloaded${mandatory ? ' (mandatory)' : ''}`);
      applyInstallPlan(planInstall({ mandatory, mode: config.install, now: clock.now(), quietHour: config.quietHour }));
      return status;
    } catch (error) {
      const message = maskSecretsInText(error instanceof Error ? error.message : String(error)).slice(0, 2000);
      deps.log?.error(`update check failed: ${message}`);
      set({ phase: 'error', lastError: { message, at: iso(clock.now()) }, consecutiveFailures: status.consecutiveFailures + 1, progress: null });
      return status;
    }
  }

  function applyInstallPlan(plan: InstallPlan) {
    if (installTimer !== null) clock.clearTimeout(installTimer);
    installTimer = null;
    switch (plan.kind) {
      case 'now':
        set({ installPlan: { kind: 'now', at: iso(clock.now()) } });
        install();
        return;
      case 'at':
        set({ installPlan: { kind: 'at', at: iso(plan.at) } });
        installTimer = clock.setTimeout(() => {
          installTimer = null;
          if (deps.canInstallNow && !deps.canInstallNow()) {
            deps.log?.info('quiet-hour install postponed: the seat is busy');
            applyInstallPlan({ kind: 'at', at: clock.now() + INSTALL_RETRY_MS });
            return;
          }
          install();
        }, Math.max(0, plan.at - clock.now()));
        return;
      case 'on-quit':
      case 'manual':
        set({ installPlan: { kind: plan.kind, at: null } });
        return;
    }
  }

  function install(): boolean {
    if (status.phase !== 'downloaded') return false;
    set({ phase: 'installing' });
    deps.log?.info(`installing update ${status.availableVersion ?? '?'}`);
    deps.beforeInstall?.();
    // isSilent: no installer UI on a per-user one-click install; isForceRunAfter: the seat comes back up.
    updater.quitAndInstall(true, true);
    return true;
  }

  async function checkNow(): Promise<UpdateStatus> {
    if (running) return running;
    running = runCheck().finally(() => {
      running = null;
      if (status.phase === 'error') scheduleCheck(retryDelayMs(status.consecutiveFailures, config.checkIntervalHours * HOUR));
      else scheduleCheck(config.checkIntervalHours * HOUR);
    });
    return running;
  }

  // electron-updater logs to console by default, which an installed Windows seat throws away; its lines say
  // which blockmaps it fetched, how much of the installer it had to download and why a differential download
  // fell back to a full one — what IT needs when seats keep downloading whole installers.
  const log = deps.log;
  if (log) {
    const text = (message: unknown) => `electron-updater: ${maskSecretsInText(String(message)).slice(0, 2000)}`;
    updater.logger = { info: (m) => log.info(text(m)), warn: (m) => log.warn(text(m)), error: (m) => log.error(text(m)) };
  }

  // electron-updater also reports errors outside our calls (e.g. a failed install on quit).
  updater.on('error', (error) => {
    if (running) return;
    const message = maskSecretsInText(error.message).slice(0, 2000);
    set({ phase: 'error', lastError: { message, at: iso(clock.now()) }, consecutiveFailures: status.consecutiveFailures + 1 });
  });

  return {
    start() {
      if (started) return;
      started = true;
      configure();
      if (!status.disabledReason) void checkNow();
    },
    stop() {
      started = false;
      if (checkTimer !== null) clock.clearTimeout(checkTimer);
      if (installTimer !== null) clock.clearTimeout(installTimer);
      checkTimer = installTimer = null;
      set({ nextCheckAt: null });
    },
    checkNow,
    installNow: () => install(),
    applyConfig(next) {
      const feedChanged = next.feedUrl !== config.feedUrl || next.channel !== config.channel || next.enabled !== config.enabled;
      config = next;
      configure();
      if (!started) return;
      if (feedChanged && status.phase !== 'downloaded' && status.phase !== 'installing') void checkNow();
      else if (status.phase === 'downloaded' && status.installPlan?.kind !== 'now') {
        applyInstallPlan(planInstall({ mandatory: status.mandatory, mode: next.install, now: clock.now(), quietHour: next.quietHour }));
      } else scheduleCheck(next.checkIntervalHours * HOUR);
    },
    getStatus: () => status,
    health() {
      if (status.phase === 'disabled') {
        return { level: 'ok', message: status.disabledReason ?? { zh: '自动升级已关闭', en: 'Auto-update is off' }, consecutiveFailures: 0, lastSuccessAt: status.lastSuccessAt };
      }
      if (status.consecutiveFailures >= 3) {
        return {
          level: 'critical',
          message: { zh: `连续 ${status.consecutiveFailures} 次无法连接升级服务器：${status.lastError?.message ?? ''}`, en: `Update server failed ${status.consecutiveFailures} times in a row: ${status.lastError?.message ?? ''}` },
          consecutiveFailures: status.consecutiveFailures,
          lastSuccessAt: status.lastSuccessAt,
        };
      }
      if (status.consecutiveFailures > 0 || status.warnings.length > 0) {
        return {
          level: 'warning',
          message: status.lastError
            ? { zh: `升级检查失败：${status.lastError.message}`, en: `Update check failed: ${status.lastError.message}` }
            : { zh: `升级服务器配置可疑：${status.warnings.join('; ')}`, en: `Suspicious update feed: ${status.warnings.join('; ')}` },
          consecutiveFailures: status.consecutiveFailures,
          lastSuccessAt: status.lastSuccessAt,
        };
      }
      return { level: 'ok', message: { zh: '自动升级正常', en: 'Auto-update is healthy' }, consecutiveFailures: 0, lastSuccessAt: status.lastSuccessAt };
    },
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
