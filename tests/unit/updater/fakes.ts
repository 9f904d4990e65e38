import { EventEmitter } from 'node:events';
import type { OutgoingHttpHeaders } from 'node:http';
import { compareVersions, type Clock, type UpdaterLike } from '../../../main/updater';
import type { ProgressInfo, UpdateInfo } from 'builder-util-runtime';

/** A manual clock: timers fire only when the test advances time. */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  constructor(start: number) {
    this.current = start;
  }
  now = () => this.current;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.current + ms, fn });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    if (typeof handle === 'number') this.timers.delete(handle);
  };
  pending(): number[] {
    return [...this.timers.values()].map((t) => t.at).sort((a, b) => a - b);
  }
  /** Moves time forward, firing due timers in order and letting promise chains settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    for (;;) {
      await flush();
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.current = Math.max(this.current, due[1].at);
      due[1].fn();
    }
    this.current = end;
    await flush();
  }
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

export function info(version: string, extra: Record<string, unknown> = {}): UpdateInfo {
  return {
    version,
    files: [{ url: `DealerCS-Setup-${version}.exe`, sha512: 'x', size: 10 }],
    path: `DealerCS-Setup-${version}.exe`,
    sha512: 'x',
    releaseDate: '2026-03-01T00:00:00.000Z',
    ...extra,
  };
}

/**
 * Behaves like electron-updater's AppUpdater where the controller can observe it: version comparison,
 * the rollout hook, channel setter side effect, download with progress events, errors as rejections.
 */
export class FakeUpdater extends EventEmitter implements UpdaterLike {
  autoDownload = true;
  disableWebInstaller = false;
  autoInstallOnAppQuit = true;
  allowDowngrade = false;
  requestHeaders: OutgoingHttpHeaders | null = null;
  isUserWithinRollout: (info: UpdateInfo) => boolean | Promise<boolean> = () => true;
  feed: { provider: 'generic'; url: string; channel?: string | null } | null = null;
  private _channel: string | null = null;
  /** What the server answers: an UpdateInfo, an Error, or a promise that never settles (stalled). */
  latest: UpdateInfo | Error | 'stall' = info('1.0.0');
  downloadFails: Error | null = null;
  checks = 0;
  downloads = 0;
  installs: { silent: boolean | undefined; runAfter: boolean | undefined }[] = [];
  constructor(readonly currentVersion: string) {
    super();
  }
  get channel() {
    return this._channel;
  }
  set channel(value: string | null) {
    this._channel = value;
    // electron-updater's AppUpdater does this too: any channel turns downgrades on.
    this.allowDowngrade = true;
  }
  setFeedURL(options: { provider: 'generic'; url: string; channel?: string | null }) {
    this.feed = options;
  }
  async checkForUpdates() {
    this.checks++;
    const latest = this.latest;
    if (latest === 'stall') return new Promise<never>(() => {});
    if (latest instanceof Error) throw latest;
    const cmp = compareVersions(latest.version, this.currentVersion);
    let available = cmp !== 0 && (await this.isUserWithinRollout(latest));
    if (available && cmp < 0 && !this.allowDowngrade) available = false;
    return { updateInfo: latest, isUpdateAvailable: available };
  }
  async downloadUpdate() {
    this.downloads++;
    const progress: ProgressInfo = { percent: 50, transferred: 5, total: 10, bytesPerSecond: 100, delta: 5 };
    this.emit('download-progress', progress);
    if (this.downloadFails) throw this.downloadFails;
    this.emit('download-progress', { ...progress, percent: 100, transferred: 10, delta: 5 });
    return ['/tmp/installer.exe'];
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean) {
    this.installs.push({ silent: isSilent, runAfter: isForceRunAfter });
  }
}
