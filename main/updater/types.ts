import type { OutgoingHttpHeaders } from 'node:http';
import type { ProgressInfo, UpdateInfo } from 'builder-util-runtime';
import type { Bilingual } from '../../preload/messages';

export type { ProgressInfo, UpdateInfo };

/** electron-updater's logger shape (`{ info, warn, error }`, messages are strings in practice). */
export interface UpdaterLogger {
  info(message?: unknown): void;
  warn(message?: unknown): void;
  error(message?: unknown): void;
}

/**
 * The part of electron-updater's `autoUpdater` (AppUpdater) this module drives. The Electron host passes
 * the real `autoUpdater`; tests pass a fake or a real NsisUpdater/DebUpdater running in plain Node.
 */
export interface UpdaterLike {
  /** Where electron-updater writes its own log; console (lost on an installed seat) when unset. */
  logger?: UpdaterLogger | null;
  autoDownload: boolean;
  /** NSIS web installers only; ours is a full installer, and left unset electron-updater warns on every download. */
  disableWebInstaller?: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  channel: string | null;
  requestHeaders: OutgoingHttpHeaders | null;
  isUserWithinRollout: (info: UpdateInfo) => boolean | Promise<boolean>;
  setFeedURL(options: { provider: 'generic'; url: string; channel?: string | null; useMultipleRangeRequest?: boolean }): void;
  checkForUpdates(): Promise<{ updateInfo: UpdateInfo; isUpdateAvailable?: boolean } | null>;
  downloadUpdate(): Promise<string[]>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'download-progress', listener: (info: ProgressInfo) => void): unknown;
  on(event: 'error', listener: (error: Error, message?: string) => void): unknown;
  removeListener(event: 'download-progress', listener: (info: ProgressInfo) => void): unknown;
  removeListener(event: 'error', listener: (error: Error, message?: string) => void): unknown;
}

/** Time source and timers, injected so tests drive hours of policy with a fake clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // Timers hours away must not keep a process (tests, CLI tools) alive.
    t.unref();
    return t;
  },
  clearTimeout: (handle) => {
    if (handle !== null && typeof handle === 'object' && 'ref' in handle) clearTimeout(handle as NodeJS.Timeout);
  },
};

export type UpdatePhase =
  | 'disabled'
  | 'idle'
  | 'checking'
  | 'up-to-date'
  | 'not-in-rollout'
  | 'downloading'
  | 'downloaded'
  | 'installing'
  | 'error';

/** Everything the "About / Updates" screen shows; pushed as an event on every change. */
export interface UpdateStatus {
  phase: UpdatePhase;
  currentVersion: string;
  channel: 'stable' | 'beta';
  feedUrl: string | null;
  disabledReason: Bilingual | null;
  availableVersion: string | null;
  releaseNotes: string | null;
  releaseDate: string | null;
  /** Below the minimum version IT set (feed or seat configuration): installs as soon as downloaded. */
  mandatory: boolean;
  stagingPercent: number | null;
  progress: { percent: number; transferred: number; total: number; bytesPerSecond: number } | null;
  installPlan: { kind: 'now' | 'at' | 'on-quit' | 'manual'; at: string | null } | null;
  lastCheckAt: string | null;
  lastSuccessAt: string | null;
  nextCheckAt: string | null;
  lastError: { message: string; at: string } | null;
  consecutiveFailures: number;
  warnings: string[];
}

/** The alarm view of the updater: failing checks or an update stuck for days are IT's business. */
export interface UpdateHealth {
  level: 'ok' | 'warning' | 'critical';
  message: Bilingual;
  consecutiveFailures: number;
  lastSuccessAt: string | null;
}
