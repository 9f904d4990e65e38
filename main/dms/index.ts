/**
 * DMS sync capability: sources, incremental sync from the REST DMS and file imports (run in a worker
 * thread), scheduled runs, reconciliation diff and import, conflict and quarantine review, and the
 * domain events other capabilities subscribe to. No contract channels yet: the lead wires handlers
 * to these methods (see the report / docs/dms-api.md).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DbHandle } from '../../db/connection';
import type { DmsConnector } from './connector';
import { createDmsEvents, type DmsEvents } from './events';
import { splitRows } from './file/adapter';
import { proposeMapping, type ColumnMapping, type MappingProposal } from './file/mapping';
import { readTable, type Cell } from './file/table';
import { computeDiff, importFromDms, softDeleteMissing, type DiffReport } from './reconcile';
import { createRestConnector } from './rest/adapter';
import { createReview } from './review';
import { createDmsScheduler } from './scheduler';
import { createSources, type DmsSource } from './sources';
import type { DmsEntity } from './records';
import type { RunSummary } from './sync/engine';
import type { ConnectorConfig } from './sync/job';
import { defaultWorkerUrl, startSyncWorker, type RunningSync } from './sync/runner';

export interface DmsDeps {
  handle: DbHandle;
  /** The store's file: the sync worker opens its own connection to it. */
  dbFile: string;
  dealerId: string;
  /** Bundled worker entry in the built app; defaults to sync/worker.ts (loaded through tsx). */
  workerUrl?: URL;
  events?: DmsEvents;
}

export interface FilePreview {
  format: 'csv' | 'xlsx';
  encoding: string | null;
  headers: string[];
  sample: Cell[][];
  rows: number;
  proposal: MappingProposal;
  /** Per-row problems the confirmed mapping would quarantine (first 50), before anything is written. */
  problems: { ref: string; zh: string; en: string }[];
}

export class DmsBusyError extends Error {}

export function createDms(deps: DmsDeps) {
  const { handle, dealerId } = deps;
  const events = deps.events ?? createDmsEvents();
  const sources = createSources(handle, dealerId);
  const review = createReview(handle, dealerId);
  const running = new Map<string, RunningSync>();

  function restConnector(source: DmsSource): DmsConnector {
    if (!source.rest) throw new Error(`source ${source.name} has no REST settings`);
    return createRestConnector({ baseUrl: source.rest.baseUrl, apiKey: source.rest.apiKey, retry: { ...(source.rest.attempts ? { attempts: source.rest.attempts } : {}), ...(source.rest.timeoutMs ? { timeoutMs: source.rest.timeoutMs } : {}) } });
  }

  async function runInWorker(sourceId: string, trigger: 'manual' | 'schedule', connector: ConnectorConfig): Promise<RunSummary> {
    if (running.has(sourceId)) throw new DmsBusyError(`a run of source ${sourceId} is in progress`);
    events.emit('runStarted', { sourceId, trigger, mode: connector.kind === 'rest' ? 'incremental' : 'file' });
    const run = startSyncWorker(
      { dbFile: deps.dbFile, dealerId, sourceId, trigger, connector },
      {
        onProgress: (p) => events.emit('progress', { sourceId, ...p }),
        onNewRepairOrders: (list) => list.forEach((e) => events.emit('repairOrderCreated', e)),
      },
      deps.workerUrl ?? defaultWorkerUrl(),
    );
    running.set(sourceId, run);
    try {
      const summary = await run.done;
      events.emit('runFinished', { sourceId, ...summary });
      return summary;
    } finally {
      running.delete(sourceId);
    }
  }

  async function requireSource(sourceId: string): Promise<DmsSource> {
    const source = await sources.get(sourceId);
    if (!source) throw new Error(`unknown DMS source ${sourceId}`);
    return source;
  }

  /** "Sync now" (and the scheduler's tick): an incremental run of a REST source in a worker. */
  async function syncNow(sourceId: string, trigger: 'manual' | 'schedule' = 'manual'): Promise<RunSummary> {
    const source = await requireSource(sourceId);
    if (!source.rest) throw new Error(`source ${source.name} is not a REST source`);
    return runInWorker(sourceId, trigger, { kind: 'rest', ...source.rest });
  }

  const reconciling = new Set<string>();
  const scheduler = createDmsScheduler(async (sourceId, kind) => {
    if (running.has(sourceId) || reconciling.has(sourceId)) return;
    if (kind === 'sync') await syncNow(sourceId, 'schedule');
    else await api.reconcileNow(sourceId, 'schedule');
  });

  const api = {
    events,
    sources,
    review,
    syncNow,
    cancel(sourceId: string): boolean {
      const run = running.get(sourceId);
      run?.cancel();
      return Boolean(run);
    },
    activeRuns: () => [...running.keys()],
    runs: sources.runs,

    /** Reads an uploaded export and proposes a mapping (the saved one for this source first). */
    async previewFile(sourceId: string, bytes: Uint8Array, mapping?: ColumnMapping): Promise<FilePreview> {
      const table = await readTable(bytes);
      const proposal = proposeMapping(table.headers, mapping ?? (await sources.loadMapping(sourceId)) ?? undefined);
      const problems = proposal.missing.length === 0
        ? splitRows(table, proposal.mapping).rejects.slice(0, 50).map((r) => ({ ref: r.ref, ...r.reason }))
        : [];
      return { format: table.format, encoding: table.encoding, headers: table.headers, sample: table.rows.slice(0, 20).map((r) => r.cells), rows: table.rows.length, proposal, problems };
    },
    /** Imports an export with the confirmed mapping (saved for next time) in a worker. */
    async importFile(sourceId: string, bytes: Uint8Array, mapping: ColumnMapping, trigger: 'manual' | 'schedule' = 'manual'): Promise<RunSummary> {
      await sources.saveMapping(sourceId, mapping);
      const dir = await mkdtemp(path.join(os.tmpdir(), 'dms-import-'));
      const file = path.join(dir, 'export.bin');
      try {
        await writeFile(file, bytes);
        return await runInWorker(sourceId, trigger, { kind: 'file', path: file, mapping });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },

    async diff(sourceId: string, entities?: readonly DmsEntity[]): Promise<DiffReport> {
      return computeDiff(handle, dealerId, restConnector(await requireSource(sourceId)), entities ? { entities } : {});
    },
    async importFromDms(sourceId: string, ids: Partial<Record<DmsEntity, readonly string[]>>, trigger: 'manual' | 'schedule' = 'manual'): Promise<RunSummary> {
      // A worker sync of the same source would mark this run interrupted and race it for the same rows.
      if (running.has(sourceId)) throw new DmsBusyError(`a run of source ${sourceId} is in progress`);
      return importFromDms(handle, dealerId, restConnector(await requireSource(sourceId)), {
        sourceId, ids, trigger, onNewRepairOrders: (list) => list.forEach((e) => events.emit('repairOrderCreated', e)),
      });
    },
    /** The scheduled full comparison: take DMS-newer and only-in-DMS records, soft-delete what the DMS hard-deleted. */
    async reconcileNow(sourceId: string, trigger: 'manual' | 'schedule' = 'manual'): Promise<{ report: DiffReport; run: RunSummary; softDeleted: number }> {
      if (running.has(sourceId) || reconciling.has(sourceId)) throw new DmsBusyError(`a run of source ${sourceId} is in progress`);
      reconciling.add(sourceId);
      try {
        return await reconcile(sourceId, trigger);
      } finally {
        reconciling.delete(sourceId);
      }
    },

    /** Loads the schedules of enabled REST sources; call again after a source changes. */
    async startScheduler(): Promise<void> {
      const list = (await sources.list()).filter((s) => s.enabled && s.kind === 'rest');
      scheduler.load([
        ...list.flatMap((s) => (s.schedule ? [{ id: s.id, kind: 'sync' as const, schedule: s.schedule }] : [])),
        ...list.flatMap((s) => (s.rest?.reconcileSchedule ? [{ id: s.id, kind: 'reconcile' as const, schedule: s.rest.reconcileSchedule }] : [])),
      ]);
    },
    scheduler,
    async close(): Promise<void> {
      scheduler.stop();
      await Promise.all([...running.values()].map((r) => r.terminate()));
      running.clear();
    },
  };

  async function reconcile(sourceId: string, trigger: 'manual' | 'schedule') {
    const report = await api.diff(sourceId);
      const ids: Partial<Record<DmsEntity, string[]>> = {};
      let softDeleted = 0;
      for (const item of report.items) {
        if ((item.bucket === 'dms_newer' || item.bucket === 'only_dms') && item.dmsId) (ids[item.entity] ??= []).push(item.dmsId);
      }
      for (const entity of ['repair_order', 'vehicle', 'customer'] as const) {
        const gone = report.items.filter((i) => i.bucket === 'only_ws' && i.entity === entity && i.dmsId !== null).map((i) => i.dmsId ?? '');
        softDeleted += await softDeleteMissing(handle, dealerId, entity, gone, sourceId);
      }
    return { report, run: await api.importFromDms(sourceId, ids, trigger), softDeleted };
  }

  return api;
}

export type Dms = ReturnType<typeof createDms>;
export type { DmsEvents } from './events';
export type { NewRepairOrder } from './sync/apply';
export type { RunSummary, SyncProgress } from './sync/engine';
export type { DiffReport, DiffItem, DiffBucket } from './reconcile';
export type { ColumnMapping } from './file/mapping';
