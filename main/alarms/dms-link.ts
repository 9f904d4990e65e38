/**
 * The DMS link monitor: after every sync run (manual or scheduled) of a DMS source, the result is
 * reported as check `dms:<source name>` through a local hook ('dms'), so a failed run — an unreachable
 * DMS, a refused API key, a server error — raises an alarm with the run's bilingual error and the next
 * good run clears it. Cancelled runs say nothing about the link and are not reported. A run whose
 * sync worker died (no runFinished, the source no longer active) is reported as a failed run too.
 */
import type { DmsEvents, RunSummary } from '../dms';
import type { DmsSource } from '../dms/sources';
import type { LocalHook } from './monitors/local';

export const DMS_LINK_PREFIX = 'dms:';

export interface DmsLinkDeps {
  /** The DMS events and sources of the seat's dealer. */
  dms: () => {
    events: DmsEvents;
    sources: { get(id: string): Promise<DmsSource | null>; list(): Promise<DmsSource[]> };
    activeRuns(): string[];
  };
  /** Creates the alarms hook (alarms.localHook('dms', periodMs)); made on the first report. */
  hook: () => LocalHook;
  log?: (message: string) => void;
  /**
   * How often to look whether any enabled, scheduled REST source is left; when none is, the hook is
   * closed so its watchdog does not call a seat without DMS runs "monitoring offline". Default 1 h; 0 = never.
   */
  idleCheckMs?: number;
  /** How often a started run is looked at until it finished or its worker died. Default 5 s. */
  runCheckMs?: number;
}

export function dmsLinkTarget(sourceName: string): string {
  return `${DMS_LINK_PREFIX}${sourceName}`;
}

function detailOf(summary: RunSummary): string {
  if (summary.error) return `${summary.error.zh} / ${summary.error.en}`;
  const c = summary.counts;
  return `同步成功：读取 ${c.fetched} 条 / Sync succeeded: ${c.fetched} records read`;
}

const CHECK = (sourceName: string) => ({
  name: `DMS 连接 / DMS link: ${sourceName}`,
  severity: 'critical' as const,
  failThreshold: 1,
  clearThreshold: 1,
});

export function createDmsLinkMonitor(deps: DmsLinkDeps) {
  let hook: LocalHook | null = null;
  let detach: (() => void) | null = null;
  let pending: Promise<void> = Promise.resolve();
  let idleTimer: NodeJS.Timeout | null = null;
  /** Last result per source name, so an idle link clears the alarms it raised. */
  const reported = new Map<string, boolean>();
  /** Sources with a run started and no runFinished heard yet. */
  const started = new Set<string>();
  let runTimer: NodeJS.Timeout | null = null;

  /** A started run whose source is no longer active without a runFinished: its worker died. */
  async function checkStarted(): Promise<void> {
    const active = new Set(deps.dms().activeRuns());
    for (const sourceId of [...started]) {
      if (active.has(sourceId)) continue;
      started.delete(sourceId);
      await onRun({
        sourceId,
        runId: '',
        status: 'failed',
        counts: { fetched: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0, conflicts: 0, quarantined: 0 },
        error: { code: 'WORKER_EXIT', zh: '同步进程异常退出', en: 'The sync process stopped' },
      });
    }
    if (started.size === 0 && runTimer) {
      clearInterval(runTimer);
      runTimer = null;
    }
  }

  /** Closes the hook when no source is left that runs on a schedule (nothing to hear from). */
  async function checkIdle(): Promise<boolean> {
    const sources = await deps.dms().sources.list();
    const scheduled = sources.some((s) => s.enabled && s.kind === 'rest' && s.schedule !== null);
    if (!scheduled && hook) {
      // Nothing runs any more: a link alarm left open would never clear on its own.
      for (const [name, ok] of reported) {
        if (!ok) hook.report(dmsLinkTarget(name), true, '没有按计划同步的数据源 / No DMS source syncs on a schedule', CHECK(name));
      }
      reported.clear();
      hook.close();
      hook = null;
    }
    return !scheduled;
  }

  async function onRun(summary: { sourceId: string } & RunSummary): Promise<void> {
    if (summary.status !== 'succeeded' && summary.status !== 'failed') return;
    const source = await deps.dms().sources.get(summary.sourceId);
    // A file import that fails says something about the file, not about the link.
    if (!source || source.kind !== 'rest') return;
    hook ??= deps.hook();
    const ok = summary.status === 'succeeded';
    reported.set(source.name, ok);
    hook.report(dmsLinkTarget(source.name), ok, detailOf(summary), CHECK(source.name));
  }

  return {
    /** Subscribes to the DMS runs (call after the DMS capability exists). */
    start(): void {
      if (detach) return;
      const { events } = deps.dms();
      const listener = (summary: { sourceId: string } & RunSummary) => {
        started.delete(summary.sourceId);
        pending = pending
          .then(() => onRun(summary))
          .catch((error: unknown) => deps.log?.(`DMS link report failed: ${error instanceof Error ? error.message : String(error)}`));
      };
      const onStarted = ({ sourceId }: { sourceId: string }) => {
        started.add(sourceId);
        if (runTimer) return;
        runTimer = setInterval(() => {
          pending = pending.then(() => checkStarted()).catch((error: unknown) => deps.log?.(`DMS run check failed: ${error instanceof Error ? error.message : String(error)}`));
        }, deps.runCheckMs ?? 5_000);
        runTimer.unref();
      };
      events.on('runFinished', listener);
      events.on('runStarted', onStarted);
      detach = () => {
        events.off('runFinished', listener);
        events.off('runStarted', onStarted);
      };
      const every = deps.idleCheckMs ?? 3_600_000;
      if (every > 0) {
        idleTimer = setInterval(() => {
          pending = pending
            .then(() => checkIdle())
            .then(() => undefined)
            .catch((error: unknown) => deps.log?.(`DMS link idle check failed: ${error instanceof Error ? error.message : String(error)}`));
        }, every);
        idleTimer.unref();
      }
    },
    /** True (and the hook closed) when no enabled, scheduled REST source is left. */
    checkIdle: (): Promise<boolean> => checkIdle(),
    /** Reports started runs that ended without a result (their worker died); the timer calls it. */
    checkStarted: (): Promise<void> => checkStarted(),
    /** Whether the link is being watched (a run was reported and sources still run on a schedule). */
    watching: (): boolean => hook !== null,
    /** Resolves once every run heard so far has been reported (tests). */
    settled: (): Promise<void> => pending,
    async stop(): Promise<void> {
      if (idleTimer) clearInterval(idleTimer);
      idleTimer = null;
      if (runTimer) clearInterval(runTimer);
      runTimer = null;
      started.clear();
      detach?.();
      detach = null;
      await pending;
      hook?.close();
      hook = null;
    },
  };
}

export type DmsLinkMonitor = ReturnType<typeof createDmsLinkMonitor>;
