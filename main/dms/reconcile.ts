/**
 * Reconciliation (the seed's V1.6 "数据同步" diff): compares every live DMS key and content hash with
 * the workstation and sorts differences into four buckets with field-level detail —
 *   dms_newer: the DMS changed the record since it was last imported;
 *   ws_newer:  the DMS is unchanged but someone edited the record in the workstation;
 *   only_dms:  the DMS has it, the workstation does not (never imported, or deleted here);
 *   only_ws:   the workstation has it, the DMS does not (created here, or hard-deleted in the DMS,
 *              which the watermark cannot see).
 * Importing selected or all DMS-newer/only-in-DMS records goes through the same page applier as a sync,
 * with the DMS side chosen for editable fields too, recorded as a 'reconcile' run.
 */
import type { DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';
import { DmsError, type DmsConnector } from './connector';
import { contentHash } from './hash';
import { parseBase } from './sync/apply';
import { normalizeRecord } from './normalize';
import { CONTENT_FIELDS, DMS_ENTITIES, EDITABLE_FIELDS, type DmsEntity, type FieldValue } from './records';
import { createApplier, zeroCounts, type NewRepairOrder } from './sync/apply';
import type { RunSummary } from './sync/engine';

export type DiffBucket = 'dms_newer' | 'ws_newer' | 'only_dms' | 'only_ws';
export const DIFF_BUCKETS = ['dms_newer', 'ws_newer', 'only_dms', 'only_ws'] as const satisfies readonly DiffBucket[];

export interface FieldDiff {
  field: string;
  dms: FieldValue;
  local: FieldValue;
}

export interface DiffItem {
  bucket: DiffBucket;
  entity: DmsEntity;
  dmsId: string | null;
  localId: string | null;
  /** What people recognise the record by: name and mobile, VIN and plate, order number. */
  label: string;
  fields: FieldDiff[];
  dmsUpdatedAt: string | null;
}

export interface DiffReport {
  comparedAt: string;
  items: DiffItem[];
  counts: Record<DiffBucket, number>;
}

/** The local row in DMS terms (parents by DMS id), so both sides compare field by field. */
const LOCAL_VIEW: Record<DmsEntity, string> = {
  customer: `select t.id, t.dms_id, t.deleted_at, t.name, t.gender, t.mobile, t.phone2, t.birthday, t.city, t.address,
      t.name || coalesce(' ' || t.mobile, '') label
    from customer t where t.dealer_id = ?`,
  vehicle: `select t.id, t.dms_id, t.deleted_at, c.dms_id customer_dms_id, t.vin, t.plate, t.model, t.model_year, t.color,
      t.purchase_date, t.purchased_here, t.mileage_km, t.mileage_date, t.sales_consultant, t.vin || coalesce(' ' || t.plate, '') label
    from vehicle t join customer c on c.id = t.customer_id where t.dealer_id = ?`,
  repair_order: `select t.id, t.dms_id, t.deleted_at, v.dms_id vehicle_dms_id, t.ro_no, t.opened_on, t.closed_on, t.category,
      t.mileage_km, t.labor_fen, t.parts_fen, t.total_fen, t.advisor, t.ro_no || ' ' || t.opened_on label
    from repair_order t join vehicle v on v.id = t.vehicle_id where t.dealer_id = ?`,
};

type LocalViewRow = Record<string, FieldValue> & { id: string; dms_id: string | null; deleted_at: string | null; label: string };

function asFieldValue(entity: DmsEntity, field: string, v: FieldValue): FieldValue {
  // purchased_here is 0/1 locally and a boolean in DMS records.
  return entity === 'vehicle' && field === 'purchased_here' && typeof v === 'number' ? v === 1 : v;
}

function diffFields(entity: DmsEntity, dms: Readonly<Record<string, unknown>>, local: LocalViewRow): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const f of CONTENT_FIELDS[entity] as readonly string[]) {
    const d = (dms[f] ?? null) as FieldValue;
    const l = asFieldValue(entity, f, local[f] ?? null);
    if (d !== l) out.push({ field: f, dms: d, local: l });
  }
  return out;
}

export interface DiffOptions {
  entities?: readonly DmsEntity[];
  pageSize?: number;
  signal?: AbortSignal;
}

export async function computeDiff(handle: DbHandle, dealerId: string, connector: DmsConnector, options: DiffOptions = {}): Promise<DiffReport> {
  const items: DiffItem[] = [];
  for (const entity of options.entities ?? DMS_ENTITIES) {
    const dmsKeys = new Map<string, { hash: string; updatedAt: string | null }>();
    let cursor: string | null = null;
    do {
      const page = await connector.listKeys(entity, cursor, options.pageSize ?? 5000, options.signal);
      for (const k of page.keys) dmsKeys.set(k.dmsId, { hash: k.hash, updatedAt: k.updatedAt });
      cursor = page.nextCursor;
    } while (cursor !== null);

    const records = new Map(
      handle.sqlite
        .prepare<[string, string], { dms_id: string; content_hash: string; base: string | null }>(
          'select dms_id, content_hash, base from dms_record where dealer_id = ? and entity = ?',
        )
        .all(dealerId, entity)
        .map((r) => [r.dms_id, r]),
    );
    const localRows = handle.sqlite.prepare<[string], LocalViewRow>(LOCAL_VIEW[entity]).all(dealerId);
    const localByDms = new Map(localRows.filter((r) => r.dms_id !== null).map((r) => [r.dms_id as string, r]));
    const wanted: string[] = [];
    const pending = new Map<string, DiffBucket>();

    for (const [dmsId, key] of dmsKeys) {
      const local = localByDms.get(dmsId);
      const record = records.get(dmsId);
      if (!local || local.deleted_at !== null) pending.set(dmsId, 'only_dms');
      else if (!record || record.content_hash !== key.hash) pending.set(dmsId, 'dms_newer');
      else {
        // DMS unchanged since import: any difference from the last DMS values is a workstation edit.
        const base = parseBase(record.base);
        const fields = (EDITABLE_FIELDS[entity] as readonly string[])
          .filter((f) => Object.hasOwn(base, f) && (base[f] ?? null) !== (local[f] ?? null))
          .map((f) => ({ field: f, dms: base[f] ?? null, local: local[f] ?? null }));
        if (fields.length) items.push({ bucket: 'ws_newer', entity, dmsId, localId: local.id, label: local.label, fields, dmsUpdatedAt: key.updatedAt });
        continue;
      }
      wanted.push(dmsId);
    }
    const fetched = await connector.fetchByIds(entity, wanted, options.signal);
    for (const raw of fetched) {
      const n = normalizeRecord(entity, raw);
      if (!n.ok || n.change.op !== 'upsert') continue;
      const rec = n.change.record;
      const bucket = pending.get(rec.dms_id);
      if (!bucket) continue;
      pending.delete(rec.dms_id);
      const local = localByDms.get(rec.dms_id);
      const values: Record<string, unknown> = { ...rec };
      const label = entity === 'customer' ? `${String(values['name'])}${values['mobile'] ? ` ${String(values['mobile'])}` : ''}`
        : entity === 'vehicle' ? `${String(values['vin'])}${values['plate'] ? ` ${String(values['plate'])}` : ''}`
        : `${String(values['ro_no'])} ${String(values['opened_on'])}`;
      const fields = local ? diffFields(entity, values, local) : (CONTENT_FIELDS[entity] as readonly string[]).map((f) => ({ field: f, dms: (values[f] ?? null) as FieldValue, local: null }));
      // A record re-stamped in the DMS with identical content is not a difference worth a row.
      if (bucket === 'dms_newer' && fields.length === 0 && local && records.get(rec.dms_id)?.content_hash === contentHash(entity, rec)) continue;
      items.push({ bucket, entity, dmsId: rec.dms_id, localId: local?.id ?? null, label, fields, dmsUpdatedAt: rec.updated_at });
    }
    for (const r of localRows) {
      if (r.deleted_at !== null || (r.dms_id !== null && dmsKeys.has(r.dms_id))) continue;
      items.push({ bucket: 'only_ws', entity, dmsId: r.dms_id, localId: r.id, label: r.label, fields: [], dmsUpdatedAt: null });
    }
  }
  const counts = { dms_newer: 0, ws_newer: 0, only_dms: 0, only_ws: 0 };
  for (const i of items) counts[i.bucket] += 1;
  return { comparedAt: nowIso(), items, counts };
}

export interface ImportSelection {
  /** DMS ids per entity to take from the DMS (DMS-newer or only-in-DMS items). */
  ids: Partial<Record<DmsEntity, readonly string[]>>;
  sourceId: string;
  trigger?: 'manual' | 'schedule';
  signal?: AbortSignal;
  onNewRepairOrders?: (events: NewRepairOrder[]) => void;
}

/** "Import selected" / "import all DMS-newer": the DMS side wins for these records, editable fields included. */
export async function importFromDms(handle: DbHandle, dealerId: string, connector: DmsConnector, selection: ImportSelection): Promise<RunSummary> {
  const applier = createApplier(handle, dealerId);
  const runId = newId();
  const counts = zeroCounts();
  await handle.db
    .insertInto('dms_run')
    .values({ id: runId, dealer_id: dealerId, source_id: selection.sourceId, mode: 'reconcile', trigger: selection.trigger ?? 'manual', status: 'running', started_at: nowIso() })
    .execute();
  let error: RunSummary['error'] = null;
  try {
    for (const entity of DMS_ENTITIES) {
      const ids = selection.ids[entity] ?? [];
      for (let i = 0; i < ids.length; i += 500) {
        const raws = await connector.fetchByIds(entity, ids.slice(i, i + 500), selection.signal);
        const { events } = applier.applyPage({
          entity, sourceId: selection.sourceId, runId, counts, state: null, forceDms: true,
          items: raws.map((raw, k) => ({ ref: `reconcile ${entity} ${i + k + 1}`, raw })),
          rejects: [],
        });
        if (events.length) selection.onNewRepairOrders?.(events);
      }
    }
  } catch (e) {
    if (e instanceof DmsError) error = { code: e.code, ...e.userMessage };
    else {
      const message = e instanceof Error ? e.message : String(e);
      error = { code: 'INTERNAL', zh: `导入失败：${message}`, en: `Import failed: ${message}` };
    }
  }
  const status = error ? 'failed' : 'succeeded';
  await handle.db.updateTable('dms_run').set({ status, finished_at: nowIso(), ...counts, error_zh: error?.zh ?? null, error_en: error?.en ?? null }).where('id', '=', runId).execute();
  return { runId, status, counts, error };
}

/**
 * Only-in-workstation records that carry a DMS id the DMS no longer has: soft-delete them here too.
 * With `sourceId`, only records last written by that source's runs (a file source's records are not
 * the REST DMS's to delete).
 */
export async function softDeleteMissing(handle: DbHandle, dealerId: string, entity: DmsEntity, dmsIds: readonly string[], sourceId?: string): Promise<number> {
  const at = nowIso();
  let n = 0;
  for (const dmsId of dmsIds) {
    if (sourceId) {
      const owned = await handle.db
        .selectFrom('dms_record')
        .innerJoin('dms_run', 'dms_run.id', 'dms_record.run_id')
        .select('dms_record.dms_id')
        .where('dms_record.dealer_id', '=', dealerId)
        .where('dms_record.entity', '=', entity)
        .where('dms_record.dms_id', '=', dmsId)
        .where('dms_run.source_id', '=', sourceId)
        .executeTakeFirst();
      if (!owned) continue;
    }
    const r = await handle.db
      .updateTable(entity)
      .set({ deleted_at: at, updated_at: at })
      .where('dealer_id', '=', dealerId)
      .where('dms_id', '=', dmsId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    n += Number(r.numUpdatedRows);
  }
  return n;
}
