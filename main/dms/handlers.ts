/**
 * The DMS capability as contract channels: one createDms per dealer (built on first use, scoped by the
 * signed-in staff member's dealer), its events forwarded to the UI, and its failures turned into
 * ServiceErrors with field paths where a field is to blame.
 */
import { Cron } from 'croner';
import type { Selectable } from 'kysely';
import type { DbHandle } from '../../db/connection';
import type { DmsRunTable } from '../../db/tables/dms';
import type { RequestOutput } from '../../preload/contract';
import { DMS_FILE_FIELDS } from '../../preload/channels/dms';
import { errorMessages, type Bilingual } from '../../preload/messages';
import { ServiceError, type CallContext, type EventSink, type HandlerMap } from '../rpc';
import { DmsError } from './connector';
import { FILE_FIELDS, describeMissing, missingFields } from './file/mapping';
import { diffWorkbook } from './export';
import { createDms, DmsBusyError, type DiffBucket, type DiffItem, type Dms, type DiffReport, type RunSummary } from './index';
import { FIELD_LABELS, type DmsEntity } from './records';
import { createRestConnector } from './rest/adapter';
import type { DmsSource } from './sources';

// The contract's copy of the mapping fields must stay the engine's list.
const sameFields: readonly (typeof FILE_FIELDS)[number][] = DMS_FILE_FIELDS;
const sameFieldsBack: readonly (typeof DMS_FILE_FIELDS)[number][] = FILE_FIELDS;
void sameFields;
void sameFieldsBack;

export interface DmsFeatureDeps {
  handle: DbHandle;
  dbFile: string;
  emit: EventSink;
  workerUrl?: URL;
  /** How long "sync now" waits for the run's id (its first progress) before answering without it. */
  runIdWaitMs?: number;
  logError?: (message: string, error: unknown) => void;
}

const BUSY: Bilingual = { zh: '该数据源正在同步，请等待完成或先取消', en: 'This source is already syncing; wait for it or cancel it first' };

function me(ctx: CallContext) {
  if (!ctx.staff) throw new ServiceError('UNAUTHENTICATED');
  return ctx.staff;
}

function field(path: string, message: Bilingual, code: 'VALIDATION' | 'NOT_FOUND' = 'VALIDATION'): ServiceError {
  return new ServiceError(code, errorMessages[code], [{ path, message }]);
}

/** Failures the user can act on; anything else stays INTERNAL. */
function toServiceError(error: unknown, filePath = 'base64'): unknown {
  if (error instanceof ServiceError) return error;
  if (error instanceof DmsBusyError) return new ServiceError('CONFLICT', BUSY);
  if (error instanceof DmsError) {
    if (error.code === 'DMS_BAD_FILE') return field(filePath, error.userMessage);
    return new ServiceError('UNAVAILABLE', error.userMessage);
  }
  return error;
}

function validCron(pattern: string | null): boolean {
  if (pattern === null) return true;
  try {
    new Cron(pattern, { paused: true, timezone: 'Asia/Shanghai' }).stop();
    return true;
  } catch {
    return false;
  }
}

function runDto(r: Selectable<DmsRunTable>): RequestOutput<'dms.runs'>[number] {
  return {
    id: r.id,
    sourceId: r.source_id,
    mode: r.mode,
    trigger: r.trigger,
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    counts: { fetched: r.fetched, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, deleted: r.deleted, conflicts: r.conflicts, quarantined: r.quarantined },
    error: r.error_zh !== null || r.error_en !== null ? { zh: r.error_zh ?? '', en: r.error_en ?? '' } : null,
  };
}

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v)).toLowerCase();

function filterDiff(report: DiffReport, bucket: DiffBucket, entity: DmsEntity | null, q: string): DiffItem[] {
  const needle = q.toLowerCase();
  return report.items.filter(
    (i) =>
      i.bucket === bucket &&
      (entity === null || i.entity === entity) &&
      (needle === '' || text(i.label).includes(needle) || text(i.dmsId).includes(needle) || i.fields.some((f) => text(f.dms).includes(needle) || text(f.local).includes(needle))),
  );
}

export function createDmsFeature(deps: DmsFeatureDeps) {
  const { handle, emit } = deps;
  const byDealer = new Map<string, Dms>();
  const diffs = new Map<string, DiffReport>();

  function dmsFor(dealerId: string): Dms {
    const existing = byDealer.get(dealerId);
    if (existing) return existing;
    const dms = createDms({ handle, dbFile: deps.dbFile, dealerId, ...(deps.workerUrl ? { workerUrl: deps.workerUrl } : {}) });
    dms.events.on('progress', (p) => emit('dms.progress', p));
    dms.events.on('runFinished', (s) => {
      diffs.delete(`${dealerId}:${s.sourceId}`);
      emit('dms.runFinished', { sourceId: s.sourceId, runId: s.runId, status: s.status, counts: s.counts, error: s.error ? { zh: s.error.zh, en: s.error.en } : null });
    });
    byDealer.set(dealerId, dms);
    return dms;
  }

  async function requireSource(dms: Dms, sourceId: string, path = 'sourceId'): Promise<DmsSource> {
    const source = await dms.sources.get(sourceId);
    if (!source) throw field(path, { zh: '数据源不存在', en: 'No such DMS source' }, 'NOT_FOUND');
    return source;
  }

  function sourceDto(dms: Dms, s: DmsSource): RequestOutput<'dms.sources.list'>[number] {
    const next = dms.scheduler.nextRuns().find((n) => n.sourceId === s.id && n.kind === 'sync')?.next ?? null;
    return {
      id: s.id,
      name: s.name,
      kind: s.kind,
      baseUrl: s.rest?.baseUrl ?? null,
      hasApiKey: Boolean(s.rest?.apiKey),
      attempts: s.rest?.attempts ?? null,
      timeoutMs: s.rest?.timeoutMs ?? null,
      schedule: s.schedule,
      reconcileSchedule: s.rest?.reconcileSchedule ?? null,
      enabled: s.enabled,
      running: dms.activeRuns().includes(s.id),
      nextRun: next ? next.toISOString() : null,
    };
  }

  /**
   * Starts a worker run and answers with its id as soon as its first progress names it (or when it ends);
   * the rest of the run reaches the UI as events. A run whose worker died is reported as a failed run.
   */
  function startRun(dms: Dms, sourceId: string, start: () => Promise<RunSummary>): Promise<{ runId: string | null }> {
    return new Promise((resolve, reject) => {
      let settled = false;
      let seenRunId: string | null = null;
      const onProgress = (p: { sourceId: string; runId: string }) => {
        if (p.sourceId !== sourceId) return;
        seenRunId = p.runId;
        answer(p.runId);
      };
      const timer = setTimeout(() => answer(null), deps.runIdWaitMs ?? 5000);
      function answer(runId: string | null) {
        dms.events.off('progress', onProgress);
        clearTimeout(timer);
        if (settled) return;
        settled = true;
        resolve({ runId });
      }
      dms.events.on('progress', onProgress);
      start().then(
        (summary) => answer(summary.runId),
        (error: unknown) => {
          dms.events.off('progress', onProgress);
          clearTimeout(timer);
          if (!settled) {
            settled = true;
            reject(toServiceError(error));
            return;
          }
          deps.logError?.(`DMS run of source ${sourceId} failed`, error);
          const message = error instanceof Error ? error.message : String(error);
          // The run's row, even when no progress named it yet, so the screens stop showing it as running.
          void dms.runs(sourceId, 1).then(([latest]) => {
            const runId = seenRunId ?? latest?.id;
            if (!runId) return;
            emit('dms.runFinished', {
              sourceId, runId, status: 'failed', counts: { fetched: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0, conflicts: 0, quarantined: 0 },
              error: { zh: `同步进程异常退出：${message}`, en: `The sync process stopped: ${message}` },
            });
          }, (e: unknown) => deps.logError?.('DMS run history could not be read', e));
        },
      );
    });
  }

  async function diffReport(dms: Dms, dealerId: string, sourceId: string, refresh: boolean): Promise<DiffReport> {
    const key = `${dealerId}:${sourceId}`;
    const cached = diffs.get(key);
    if (cached && !refresh) return cached;
    const source = await requireSource(dms, sourceId);
    if (source.kind !== 'rest') throw field('sourceId', { zh: '只有接口（REST）数据源可以对比差异', en: 'Only a REST source can be compared' });
    try {
      const report = await dms.diff(sourceId);
      diffs.set(key, report);
      return report;
    } catch (error) {
      throw toServiceError(error);
    }
  }

  function conflictLabels(entity: DmsEntity, ids: string[]): Map<string, string> {
    if (ids.length === 0) return new Map();
    const sql = {
      customer: `select id, name || coalesce(' ' || mobile, '') label from customer where id in (select value from json_each(?))`,
      vehicle: `select id, vin || coalesce(' ' || plate, '') label from vehicle where id in (select value from json_each(?))`,
      repair_order: `select id, ro_no || ' ' || opened_on label from repair_order where id in (select value from json_each(?))`,
    }[entity];
    const rows = handle.sqlite.prepare<[string], { id: string; label: string }>(sql).all(JSON.stringify(ids));
    return new Map(rows.map((r) => [r.id, r.label]));
  }

  const handlers: HandlerMap = {
    'dms.sources.list': async (_input, ctx) => {
      const dms = dmsFor(me(ctx).dealerId);
      return (await dms.sources.list()).map((s) => sourceDto(dms, s));
    },

    'dms.sources.save': async (input, ctx) => {
      const dms = dmsFor(me(ctx).dealerId);
      const existing = input.id ? await requireSource(dms, input.id, 'id') : null;
      if (existing && existing.kind !== input.kind) throw field('kind', { zh: '数据源类型保存后不能更改', en: 'A source keeps the kind it was created with' });
      if (!validCron(input.schedule)) throw field('schedule', { zh: '计划格式不正确（cron 表达式，如 0 2 * * *）', en: 'Not a valid schedule (a cron pattern, e.g. 0 2 * * *)' });
      if (!validCron(input.reconcileSchedule)) throw field('reconcileSchedule', { zh: '计划格式不正确（cron 表达式，如 0 2 * * *）', en: 'Not a valid schedule (a cron pattern, e.g. 0 2 * * *)' });
      let rest: NonNullable<DmsSource['rest']> | undefined;
      if (input.kind === 'rest') {
        if (!input.baseUrl) throw field('baseUrl', { zh: '接口数据源必须填写接口地址', en: 'A REST source needs its API address' });
        const apiKey = input.apiKey ? input.apiKey : existing?.rest?.apiKey;
        if (!apiKey) throw field('apiKey', { zh: '请填写接口密钥（API Key）', en: 'Enter the API key' });
        rest = {
          baseUrl: input.baseUrl,
          apiKey,
          ...(input.attempts !== null ? { attempts: input.attempts } : {}),
          ...(input.timeoutMs !== null ? { timeoutMs: input.timeoutMs } : {}),
          ...(input.reconcileSchedule !== null ? { reconcileSchedule: input.reconcileSchedule } : {}),
        };
      }
      const saved = await dms.sources.save(
        { name: input.name, kind: input.kind, ...(rest ? { rest } : {}), schedule: input.kind === 'rest' ? input.schedule : null, enabled: input.enabled },
        existing?.id,
      );
      await dms.startScheduler();
      return sourceDto(dms, saved);
    },

    'dms.sources.test': async (input, ctx) => {
      const dms = dmsFor(me(ctx).dealerId);
      const stored = input.id ? await requireSource(dms, input.id, 'id') : null;
      const apiKey = input.apiKey ? input.apiKey : stored?.rest?.apiKey;
      if (!apiKey) throw field('apiKey', { zh: '请填写接口密钥（API Key）', en: 'Enter the API key' });
      const connector = createRestConnector({ baseUrl: input.baseUrl, apiKey, retry: { attempts: 1, timeoutMs: 5000 } });
      try {
        await connector.listKeys('customer', null, 1);
        return { ok: true, message: { zh: '连接成功，DMS 接口可用', en: 'Connected: the DMS API answers' } };
      } catch (error) {
        if (error instanceof DmsError) return { ok: false, message: error.userMessage };
        throw error;
      }
    },

    'dms.syncNow': async ({ sourceId }, ctx) => {
      const dms = dmsFor(me(ctx).dealerId);
      const source = await requireSource(dms, sourceId);
      if (source.kind !== 'rest' || !source.rest) throw field('sourceId', { zh: '文件数据源请用“文件导入”', en: 'Use "file import" for a file source' });
      if (dms.activeRuns().includes(sourceId)) throw new ServiceError('CONFLICT', BUSY);
      return startRun(dms, sourceId, () => dms.syncNow(sourceId, 'manual'));
    },

    'dms.cancel': async ({ sourceId }, ctx) => {
      const dms = dmsFor(me(ctx).dealerId);
      await requireSource(dms, sourceId);
      return { cancelled: dms.cancel(sourceId) };
    },

    'dms.runs': async ({ sourceId, limit }, ctx) => {
      const dms = dmsFor(me(ctx).dealerId);
      return (await dms.runs(sourceId, limit)).map(runDto);
    },

    'dms.file.preview': async ({ sourceId, base64, mapping }, ctx) => {
      const dms = dmsFor(me(ctx).dealerId);
      await requireSource(dms, sourceId);
      try {
        const preview = await dms.previewFile(sourceId, Buffer.from(base64, 'base64'), mapping);
        return {
          format: preview.format,
          encoding: preview.encoding,
          headers: preview.headers,
          sample: preview.sample.map((row) => row.map((c) => (c instanceof Date ? c.toISOString().slice(0, 10) : c))),
          rows: preview.rows,
          proposal: preview.proposal,
          problems: preview.problems,
        };
      } catch (error) {
        throw toServiceError(error);
      }
    },

    'dms.file.import': async ({ sourceId, base64, mapping }, ctx) => {
      const dms = dmsFor(me(ctx).dealerId);
      await requireSource(dms, sourceId);
      const missing = missingFields(mapping);
      if (missing.length) throw field('mapping', describeMissing(missing));
      if (dms.activeRuns().includes(sourceId)) throw new ServiceError('CONFLICT', BUSY);
      const bytes = Buffer.from(base64, 'base64');
      // Read it once here so a file that cannot be read is a field error now, not a failed run later.
      try {
        await dms.previewFile(sourceId, bytes, mapping);
      } catch (error) {
        throw toServiceError(error);
      }
      return startRun(dms, sourceId, () => dms.importFile(sourceId, bytes, mapping));
    },

    'dms.diff': async ({ sourceId, refresh, bucket, entity, q, offset, limit }, ctx) => {
      const dealerId = me(ctx).dealerId;
      const dms = dmsFor(dealerId);
      const report = await diffReport(dms, dealerId, sourceId, refresh);
      const matching = filterDiff(report, bucket, entity, q);
      return {
        comparedAt: report.comparedAt,
        counts: report.counts,
        total: matching.length,
        items: matching.slice(offset, offset + limit).map((i) => ({
          key: `${i.entity}:${i.dmsId ?? `local-${i.localId ?? ''}`}`,
          bucket: i.bucket,
          entity: i.entity,
          dmsId: i.dmsId,
          localId: i.localId,
          label: i.label,
          fields: i.fields.map((f) => ({ field: f.field, label: FIELD_LABELS[f.field] ?? { zh: f.field, en: f.field }, dms: f.dms, local: f.local })),
          dmsUpdatedAt: i.dmsUpdatedAt,
        })),
      };
    },

    'dms.diff.export': async ({ sourceId, bucket, entity, q }, ctx) => {
      const dealerId = me(ctx).dealerId;
      const dms = dmsFor(dealerId);
      const report = await diffReport(dms, dealerId, sourceId, false);
      return diffWorkbook(filterDiff(report, bucket, entity, q), bucket, new Date());
    },

    'dms.diff.import': async ({ sourceId, items, all }, ctx) => {
      const dealerId = me(ctx).dealerId;
      const dms = dmsFor(dealerId);
      await requireSource(dms, sourceId);
      const ids: Partial<Record<DmsEntity, string[]>> = {};
      if (all) {
        const report = await diffReport(dms, dealerId, sourceId, false);
        for (const i of report.items) if (i.bucket === 'dms_newer' && i.dmsId) (ids[i.entity] ??= []).push(i.dmsId);
      } else {
        for (const i of items ?? []) (ids[i.entity] ??= []).push(i.dmsId);
      }
      try {
        const run = await dms.importFromDms(sourceId, ids);
        diffs.delete(`${dealerId}:${sourceId}`);
        return { runId: run.runId, status: run.status, counts: run.counts, error: run.error ? { zh: run.error.zh, en: run.error.en } : null };
      } catch (error) {
        throw toServiceError(error);
      }
    },

    'dms.conflicts.list': async ({ status }, ctx) => {
      const dms = dmsFor(me(ctx).dealerId);
      const rows = await dms.review.conflicts(status);
      const labels = new Map<DmsEntity, Map<string, string>>();
      for (const entity of ['customer', 'vehicle', 'repair_order'] as const) {
        labels.set(entity, conflictLabels(entity, rows.filter((r) => r.entity === entity).map((r) => r.local_id)));
      }
      return rows.map((r) => ({
        id: r.id,
        entity: r.entity,
        dmsId: r.dms_id,
        localId: r.local_id,
        label: labels.get(r.entity)?.get(r.local_id) ?? r.dms_id,
        field: r.field,
        fieldLabel: FIELD_LABELS[r.field] ?? { zh: r.field, en: r.field },
        localValue: r.local_value,
        dmsValue: r.dms_value,
        baseValue: r.base_value,
        status: r.status,
        createdAt: r.created_at,
      }));
    },

    'dms.conflicts.resolve': async ({ id, choice }, ctx) => {
      const staff = me(ctx);
      const done = await dmsFor(staff.dealerId).review.resolveConflict(id, choice, staff.staffId);
      if (!done) throw new ServiceError('NOT_FOUND', { zh: '该冲突不存在或已处理', en: 'This conflict does not exist or was already resolved' });
      return { ok: true as const };
    },

    'dms.quarantine.list': async ({ status, runId }, ctx) => {
      const rows = await dmsFor(me(ctx).dealerId).review.quarantine({ status, ...(runId ? { runId } : {}) });
      return rows.map((r) => ({
        id: r.id,
        sourceId: r.source_id,
        runId: r.run_id,
        entity: r.entity,
        ref: r.ref,
        dmsId: r.dms_id,
        reason: { zh: r.reason_zh, en: r.reason_en },
        raw: r.raw,
        status: r.status,
        createdAt: r.created_at,
      }));
    },

    'dms.quarantine.dismiss': async ({ ids }, ctx) => ({ dismissed: await dmsFor(me(ctx).dealerId).review.dismissQuarantined(ids) }),
  };

  return {
    handlers,
    dmsFor,
    /** Loads the schedules of every dealer's sources in this store. */
    async start(): Promise<void> {
      const dealers = await handle.db.selectFrom('dealer').select('id').execute();
      for (const d of dealers) await dmsFor(d.id).startScheduler();
    },
    async stop(): Promise<void> {
      await Promise.all([...byDealer.values()].map((d) => d.close()));
      byDealer.clear();
    },
  };
}
