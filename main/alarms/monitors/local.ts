/**
 * Local monitors of the workstation itself. Capabilities that know about a link feed hooks (the modem
 * bridge: line, SMS link, signal; the DMS importer: DMS link); the workstation's own disk, database
 * size and backup freshness are probed here with the health agent's probes.
 */
import { promises as fs } from 'node:fs';
import { probeDisk, probeService, systemProbeEnv, type ProbeEnv } from '../../../tools/health-agent/probes';
import type { CheckReport, Severity } from '../types';
import type { MonitorSink } from './agent-monitor';

/** Well-known local targets, so the UI and the dependencies agree on names. */
export const LOCAL_TARGETS = {
  modemLine: 'local/modem-line',
  smsLink: 'local/sms-link',
  modemSignal: 'local/modem-signal',
  dmsLink: 'local/dms-link',
  disk: 'local/disk',
  dbSize: 'local/db-size',
  backup: 'local/backup',
} as const;

export interface HookCheck {
  name?: string;
  severity?: Severity;
  parent?: string | null;
  channel?: string | null;
  failThreshold?: number;
  clearThreshold?: number;
}

/**
 * A hook another capability calls after each of its own checks. Registering it starts a watchdog on
 * the source: a hook that stops reporting for 2× its period raises "monitoring offline".
 */
export function createLocalHook(sink: MonitorSink, sourceName: string, periodMs: number) {
  const source = `local:${sourceName}`;
  sink.registerSource(source, periodMs);
  return {
    source,
    report(target: string, ok: boolean, detail: string | null, check: HookCheck = {}): void {
      const report: CheckReport = { target, ok, detail, kind: 'local', server: null, source, ...check };
      sink.reportCheck(report);
    },
    close(): void {
      sink.unregisterSource(source);
    },
  };
}

export type LocalHook = ReturnType<typeof createLocalHook>;

/** Standard names for the modem bridge: the SMS link depends on the line, both carry the SMS channel. */
export function modemChecks(hook: LocalHook) {
  return {
    line: (ok: boolean, detail: string | null) =>
      hook.report(LOCAL_TARGETS.modemLine, ok, detail, { name: '电话线路 / Phone line', channel: 'sms' }),
    smsLink: (ok: boolean, detail: string | null) =>
      hook.report(LOCAL_TARGETS.smsLink, ok, detail, { name: '短信连接 / SMS link', channel: 'sms', parent: LOCAL_TARGETS.modemLine }),
    signal: (ok: boolean, detail: string | null) =>
      hook.report(LOCAL_TARGETS.modemSignal, ok, detail, {
        name: '信号强度 / Signal strength',
        severity: 'warning',
        channel: 'sms',
        parent: LOCAL_TARGETS.modemLine,
      }),
  };
}

export interface SelfCheckConfig {
  dbFile: string;
  /** Volume holding the database; alarm at this used percentage. */
  diskMaxUsedPercent: number;
  /** Database plus WAL size that raises a warning (time to archive). */
  dbMaxBytes: number;
  /** The folder backups land in, and how old the newest may be. */
  backupFolder: string | null;
  backupMaxAgeHours: number;
  periodMs: number;
}

export function createSelfChecks(sink: MonitorSink, config: SelfCheckConfig, env: ProbeEnv = systemProbeEnv) {
  const hook = createLocalHook(sink, 'self', config.periodMs);
  let diskFailing = false;
  let timer: NodeJS.Timeout | null = null;

  async function dbBytes(): Promise<number> {
    const sizes = await Promise.all(
      ['', '-wal'].map((suffix) => fs.stat(`${config.dbFile}${suffix}`).then((s) => s.size, () => 0)),
    );
    return sizes.reduce((a, b) => a + b, 0);
  }

  async function runOnce(): Promise<void> {
    const disk = await probeDisk({ id: 'db', path: config.dbFile, maxUsedPercent: config.diskMaxUsedPercent, severity: 'critical' }, env, diskFailing);
    diskFailing = !disk.ok;
    hook.report(LOCAL_TARGETS.disk, disk.ok, disk.detail, { name: '本机磁盘空间 / Workstation disk' });

    const bytes = await dbBytes();
    const mb = Math.round(bytes / 1024 / 102.4) / 10;
    hook.report(LOCAL_TARGETS.dbSize, bytes < config.dbMaxBytes, `${mb} MB (limit ${Math.round(config.dbMaxBytes / 1024 / 1024)} MB)`, {
      name: '数据库大小 / Database size',
      severity: 'warning',
    });

    if (config.backupFolder) {
      const backup = await probeService(
        { id: 'backup', kind: 'folder', path: config.backupFolder, maxAgeHours: config.backupMaxAgeHours, severity: 'critical' },
        env,
        5_000,
        () => Promise.resolve([]),
      );
      hook.report(LOCAL_TARGETS.backup, backup.ok, backup.detail, { name: '本机备份 / Local backup' });
    }
  }

  return {
    runOnce,
    start(): void {
      if (timer) return;
      timer = setInterval(() => void runOnce().catch(() => {}), config.periodMs);
      void runOnce().catch(() => {});
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
