/**
 * One sync run against one source: for customers, then vehicles, then repair orders (parents first),
 * pull pages from the committed cursor/watermark and apply each page in its own transaction with the new
 * state. A run that dies leaves its last committed page as the resume point; re-delivered rows are
 * no-ops by content hash, so a resumed or overlapping pass neither loses nor doubles anything.
 */
import type { DbHandle } from '../../../db/connection';
import { newId, nowIso } from '../../../db/ids';
import type { DmsRunMode, DmsRunStatus, DmsRunTrigger } from '../../../db/tables/dms';
import type { Bilingual } from '../../../preload/messages';
import { DmsError, type DmsConnector } from '../connector';
import { DMS_ENTITIES, type DmsEntity } from '../records';
import { createApplier, zeroCounts, type Applier, type NewRepairOrder, type RunCounts } from './apply';

export interface SyncProgress {
  runId: string;
  entity: DmsEntity;
  /** Rows handled in this run so far (all entities). */
  done: number;
  /** Rows the source said the current entity's pass has; null when it does not say. */
  entityTotal: number | null;
  entityDone: number;
  rowsPerSecond: number;
  etaSeconds: number | null;
  counts: RunCounts;
}

export interface RunSummary {
  runId: string;
  status: DmsRunStatus;
  counts: RunCounts;
  error: (Bilingual & { code: string }) | null;
}

export interface RunOptions {
  sourceId: string;
  mode: Extract<DmsRunMode, 'incremental' | 'file'>;
  trigger: DmsRunTrigger;
  pageSize?: number;
  /** How far before the watermark a new pass starts, to catch late commits and clock skew (default 5 min). */
  overlapMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: SyncProgress) => void;
  onNewRepairOrders?: (events: NewRepairOrder[]) => void;
  /** Milliseconds clock for rates; injected by tests. */
  clock?: () => number;
  /** Called after each committed page (tests use it to crash at a chosen point). */
  afterPage?: (entity: DmsEntity, pageNo: number) => void;
}

/** Runs left 'running' by a process that died are marked interrupted before a new run starts. */
export function markInterruptedRuns(handle: DbHandle, sourceId: string): number {
  const r = handle.sqlite
    .prepare(`update dms_run set status = 'interrupted', finished_at = ? where source_id = ? and status = 'running'`)
    .run(nowIso(), sourceId);
  return r.changes;
}

export async function runSync(handle: DbHandle, dealerId: string, connector: DmsConnector, options: RunOptions): Promise<RunSummary> {
  const applier: Applier = createApplier(handle, dealerId);
  const clock = options.clock ?? Date.now;
  const pageSize = options.pageSize ?? 500;
  const overlapMs = options.overlapMs ?? 5 * 60_000;
  markInterruptedRuns(handle, options.sourceId);
  const runId = newId();
  const counts = zeroCounts();
  await handle.db
    .insertInto('dms_run')
    .values({ id: runId, dealer_id: dealerId, source_id: options.sourceId, mode: options.mode, trigger: options.trigger, status: 'running', started_at: nowIso() })
    .execute();

  const started = clock();
  let status: DmsRunStatus = 'succeeded';
  let error: RunSummary['error'] = null;
  try {
    for (const entity of DMS_ENTITIES) {
      const state = options.mode === 'incremental'
        ? await handle.db.selectFrom('dms_sync_state').selectAll().where('source_id', '=', options.sourceId).where('entity', '=', entity).executeTakeFirst()
        : undefined;
      let watermark = state?.watermark ?? null;
      let cursor = state?.cursor ?? null;
      // A pass that was cut short resumes with its own `since`; a new pass starts an overlap window before the watermark.
      const since = cursor !== null
        ? (state?.since ?? null)
        : watermark !== null ? new Date(Date.parse(watermark) - overlapMs).toISOString() : null;
      let entityDone = 0;
      let entityTotal: number | null = null;
      let pageNo = 0;
      do {
        if (options.signal?.aborted) throw new DmsError('CANCELLED', { zh: '同步已取消', en: 'Sync cancelled' });
        const page = await connector.pull({ entity, since, cursor, limit: pageSize, ...(options.signal ? { signal: options.signal } : {}) });
        if (page.total !== undefined) entityTotal = page.total;
        cursor = page.nextCursor;
        const { events, watermark: committed } = applier.applyPage({
          entity, sourceId: options.sourceId, runId, items: page.items, rejects: page.rejects, counts,
          state: options.mode === 'incremental' ? { watermark, since: cursor === null ? null : since, cursor } : null,
        });
        watermark = committed;
        pageNo += 1;
        options.afterPage?.(entity, pageNo);
        if (events.length) options.onNewRepairOrders?.(events);
        entityDone += page.items.length + page.rejects.length;
        const seconds = Math.max((clock() - started) / 1000, 0.001);
        const rate = counts.fetched / seconds;
        options.onProgress?.({
          runId, entity, done: counts.fetched, entityDone, entityTotal, rowsPerSecond: Math.round(rate),
          etaSeconds: entityTotal !== null && rate > 0 ? Math.max(0, Math.round((entityTotal - entityDone) / rate)) : null,
          counts: { ...counts },
        });
      } while (cursor !== null);
    }
  } catch (e) {
    if (e instanceof DmsError) {
      status = e.code === 'CANCELLED' ? 'cancelled' : 'failed';
      error = { code: e.code, ...e.userMessage };
    } else {
      status = 'failed';
      const message = e instanceof Error ? e.message : String(e);
      error = { code: 'INTERNAL', zh: `同步出错：${message}`, en: `Sync failed: ${message}` };
    }
  }
  await handle.db
    .updateTable('dms_run')
    .set({ status, finished_at: nowIso(), ...counts, error_zh: error?.zh ?? null, error_en: error?.en ?? null })
    .where('id', '=', runId)
    .execute();
  return { runId, status, counts: { ...counts }, error };
}
