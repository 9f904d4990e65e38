/**
 * The DMS link monitor: after every sync run (manual or scheduled) of a DMS source, the result is
 * reported as check `dms:<source name>` through a local hook ('dms'), so a failed run — an unreachable
 * DMS, a refused API key, a server error — raises an alarm with the run's bilingual error and the next
 * good run clears it. Cancelled runs say nothing about the link and are not reported.
 */
import type { DmsEvents, RunSummary } from '../dms';
import type { DmsSource } from '../dms/sources';
import type { LocalHook } from './monitors/local';

export const DMS_LINK_PREFIX = 'dms:';

export interface DmsLinkDeps {
  /** The DMS events and sources of the seat's dealer. */
  dms: () => { events: DmsEvents; sources: { get(id: string): Promise<DmsSource | null> } };
  /** Creates the alarms hook (alarms.localHook('dms', periodMs)); made on the first report. */
  hook: () => LocalHook;
  log?: (message: string) => void;
}

export function dmsLinkTarget(sourceName: string): string {
  return `${DMS_LINK_PREFIX}${sourceName}`;
}

function detailOf(summary: RunSummary): string {
  if (summary.error) return `${summary.error.zh} / ${summary.error.en}`;
  const c = summary.counts;
  return `同步成功：读取 ${c.fetched} 条 / Sync succeeded: ${c.fetched} records read`;
}

export function createDmsLinkMonitor(deps: DmsLinkDeps) {
  let hook: LocalHook | null = null;
  let detach: (() => void) | null = null;
  let pending: Promise<void> = Promise.resolve();

  async function onRun(summary: { sourceId: string } & RunSummary): Promise<void> {
    if (summary.status !== 'succeeded' && summary.status !== 'failed') return;
    const source = await deps.dms().sources.get(summary.sourceId);
    if (!source) return;
    hook ??= deps.hook();
    hook.report(dmsLinkTarget(source.name), summary.status === 'succeeded', detailOf(summary), {
      name: `DMS 连接 / DMS link: ${source.name}`,
      severity: 'critical',
      failThreshold: 1,
      clearThreshold: 1,
    });
  }

  return {
    /** Subscribes to the DMS runs (call after the DMS capability exists). */
    start(): void {
      if (detach) return;
      const { events } = deps.dms();
      const listener = (summary: { sourceId: string } & RunSummary) => {
        pending = pending
          .then(() => onRun(summary))
          .catch((error: unknown) => deps.log?.(`DMS link report failed: ${error instanceof Error ? error.message : String(error)}`));
      };
      events.on('runFinished', listener);
      detach = () => events.off('runFinished', listener);
    },
    /** Resolves once every run heard so far has been reported (tests). */
    settled: (): Promise<void> => pending,
    async stop(): Promise<void> {
      detach?.();
      detach = null;
      await pending;
      hook?.close();
      hook = null;
    },
  };
}

export type DmsLinkMonitor = ReturnType<typeof createDmsLinkMonitor>;
