/**
 * Applies one page of DMS changes in one SQLite transaction, together with the sync state (watermark and
 * cursor) and the run's counts: either the whole page and its watermark land, or none of it does.
 * Rules: idempotent upsert by DMS id, skipped when the content hash is unchanged; deletions become soft
 * deletes; workstation-editable fields follow a three-way rule against the last DMS value (base) so a
 * local correction is kept and shows up as a conflict; bad rows go to quarantine and the rest still lands.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { DbHandle } from '../../../db/connection';
import { newId, nowIso } from '../../../db/ids';
import type { Bilingual } from '../../../preload/messages';
import type { RawItem, Reject } from '../connector';
import { contentHash, tombstoneHash } from '../hash';
import { normalizeRecord, type Change, type Tombstone } from '../normalize';
import { EDITABLE_FIELDS, type DmsEntity, type DmsRecordOf } from '../records';
import { LOCAL_COLUMNS, prepareStatements, type KnownRecord, type Statements } from './statements';

export interface RunCounts {
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  conflicts: number;
  quarantined: number;
}
export const zeroCounts = (): RunCounts => ({ fetched: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0, conflicts: 0, quarantined: 0 });

export interface NewRepairOrder {
  dealerId: string;
  repairOrderId: string;
  dmsId: string;
  customerId: string;
  vehicleId: string;
  openedOn: string;
  category: string;
  totalFen: number;
}

export interface SyncStateUpdate {
  watermark: string | null;
  since: string | null;
  cursor: string | null;
}

export interface PageInput {
  entity: DmsEntity;
  sourceId: string;
  runId: string;
  items: readonly RawItem[];
  rejects: readonly Reject[];
  /** State to commit with the page; null for runs that keep no watermark (reconciliation imports). */
  state: SyncStateUpdate | null;
  counts: RunCounts;
  /** Reconciliation import: the user chose the DMS side, so editable fields are overwritten too. */
  forceDms?: boolean;
}

interface PageLookups {
  known: Map<string, KnownRecord>;
  customers: Map<string, string>;
  vehicles: Map<string, { localId: string; customerId: string }>;
}

class RowRejected extends Error {
  constructor(readonly reason: Bilingual) {
    super(reason.en);
  }
}

function toLocal(v: string | number | boolean | null): string | number | null {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

const baseSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

/** The last DMS values of editable fields, as stored in dms_record.base. */
export function parseBase(text: string | null): Record<string, string | number | null> {
  if (!text) return {};
  const parsed = baseSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : {};
}

export interface PageResult {
  events: NewRepairOrder[];
  /** The watermark committed with the page: the previous one or the newest updated_at in the page. */
  watermark: string | null;
}

export interface Applier {
  applyPage(input: PageInput): PageResult;
}

const maxIso = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);

export function createApplier(handle: DbHandle, dealerId: string): Applier {
  const st: Statements = prepareStatements(handle);

  function quarantine(input: PageInput, ref: string, raw: unknown, reason: Bilingual, dmsId: string | null, now: string) {
    const rawText = JSON.stringify(raw === undefined ? null : raw) ?? 'null';
    st.upsertQuarantine.run({
      id: newId(), dealer_id: dealerId, source_id: input.sourceId, run_id: input.runId, entity: input.entity, ref,
      dms_id: dmsId, reason_zh: reason.zh, reason_en: reason.en, raw: rawText.slice(0, 20_000),
      fingerprint: createHash('sha1').update(`${input.entity}\n${rawText}`).digest('hex'), now,
    });
    input.counts.quarantined += 1;
  }

  /** Local values of a record in LOCAL_COLUMNS order; resolves the DMS parent ids to local ids or rejects the row. */
  function localValues<E extends DmsEntity>(entity: E, r: DmsRecordOf[E], page: PageLookups): Record<string, string | number | null> {
    // Records are flat objects of FieldValue; index them by column name without copying (hot path).
    const fields = r as unknown as Readonly<Record<string, string | number | boolean | null>>;
    const out: Record<string, string | number | null> = {};
    for (const c of LOCAL_COLUMNS[entity]) out[c] = toLocal(fields[c] ?? null);
    if ('customer_dms_id' in r) {
      const parent = page.customers.get(r.customer_dms_id);
      if (!parent) throw new RowRejected({ zh: `客户编号 ${r.customer_dms_id} 在 DMS 数据中不存在`, en: `customer ${r.customer_dms_id} is not in the DMS data` });
      out['customer_id'] = parent;
    }
    if ('vehicle_dms_id' in r) {
      const parent = page.vehicles.get(r.vehicle_dms_id);
      if (!parent) throw new RowRejected({ zh: `车辆编号 ${r.vehicle_dms_id} 在 DMS 数据中不存在`, en: `vehicle ${r.vehicle_dms_id} is not in the DMS data` });
      out['vehicle_id'] = parent.localId;
      out['customer_id'] = parent.customerId;
    }
    return out;
  }

  function upsert<E extends DmsEntity>(input: PageInput, record: DmsRecordOf[E], now: string, events: NewRepairOrder[], page: PageLookups) {
    const entity = input.entity;
    const s = st.entity[entity];
    const hash = contentHash(entity, record);
    const known = page.known.get(record.dms_id);
    if (known && known.content_hash === hash && !input.forceDms) {
      input.counts.unchanged += 1;
      return;
    }
    const values = localValues(entity, record, page);
    const editable: readonly string[] = EDITABLE_FIELDS[entity];
    const base: Record<string, string | number | null> = {};
    for (const f of editable) base[f] = values[f] ?? null;
    const baseText = editable.length ? JSON.stringify(base) : null;
    let localId = known?.local_id ?? null;
    const current = localId ? s.select.get({ id: localId }) : undefined;

    if (!current) {
      if (entity === 'vehicle') {
        // A vehicle typed into the workstation before the DMS knew it: adopt it by VIN instead of failing the unique index.
        const same = st.vehicleByVin.get({ dealer_id: dealerId, vin: String(values['vin']) });
        if (same && same.dms_id !== null && same.dms_id !== record.dms_id) {
          throw new RowRejected({ zh: `VIN ${String(values['vin'])} 已属于 DMS 车辆 ${same.dms_id}`, en: `VIN ${String(values['vin'])} already belongs to DMS vehicle ${same.dms_id}` });
        }
        if (same) localId = same.id;
      }
      if (localId) {
        s.update.run({ ...values, id: localId, dms_id: record.dms_id, now });
        input.counts.updated += 1;
      } else {
        localId = newId();
        s.insert.run(localId, dealerId, record.dms_id, now, now, ...LOCAL_COLUMNS[entity].map((c) => values[c] ?? null));
        input.counts.inserted += 1;
        if (entity === 'repair_order') {
          events.push({
            dealerId, repairOrderId: localId, dmsId: record.dms_id, customerId: String(values['customer_id']),
            vehicleId: String(values['vehicle_id']), openedOn: String(values['opened_on']), category: String(values['category']),
            totalFen: Number(values['total_fen']),
          });
        }
      }
    } else {
      const lastDms = parseBase(known?.base ?? null);
      const merged = { ...values };
      const settle: string[] = [];
      const conflicts: { field: string; localV: string | number | null; dmsV: string | number | null; baseV: string | number | null }[] = [];
      for (const f of editable) {
        const localV = current[f] ?? null;
        const dmsV = values[f] ?? null;
        const baseV = Object.hasOwn(lastDms, f) ? (lastDms[f] ?? null) : localV;
        if (localV === dmsV || input.forceDms) settle.push(f);
        else if (localV !== baseV) {
          // The workstation changed this field since the DMS last set it: keep the correction, record a conflict.
          merged[f] = localV;
          conflicts.push({ field: f, localV, dmsV, baseV });
        }
      }
      // The domain row is the first write of a row: if a constraint rejects it, nothing of the row was written.
      s.update.run({ ...merged, id: String(current['id']), dms_id: record.dms_id, now });
      for (const field of settle) st.settleConflict.run({ dealer_id: dealerId, entity, dms_id: record.dms_id, field, now });
      const str = (v: string | number | null) => (v === null ? null : String(v));
      for (const c of conflicts) {
        st.upsertConflict.run({
          id: newId(), dealer_id: dealerId, entity, dms_id: record.dms_id, local_id: String(current['id']), field: c.field,
          local_value: str(c.localV), dms_value: str(c.dmsV), base_value: str(c.baseV), run_id: input.runId, now,
        });
        input.counts.conflicts += 1;
      }
      input.counts.updated += 1;
    }
    if (localId === null) throw new Error('a local row was written without an id');
    st.upsertRecord.run(dealerId, entity, record.dms_id, localId, hash, record.updated_at, baseText, input.runId, now);
    page.known.set(record.dms_id, { local_id: localId, content_hash: hash, base: baseText });
  }

  function remove(input: PageInput, t: Tombstone, now: string, page: PageLookups) {
    const hash = tombstoneHash(t.deleted_at);
    const known = page.known.get(t.dms_id);
    if (!known || known.content_hash === hash) {
      // Never imported (deleted before we saw it) or already applied: nothing to do.
      input.counts.unchanged += 1;
      return;
    }
    st.entity[input.entity].softDelete.run({ id: known.local_id, at: t.deleted_at, now });
    st.upsertRecord.run(dealerId, input.entity, t.dms_id, known.local_id, hash, t.updated_at, known.base, input.runId, now);
    page.known.set(t.dms_id, { ...known, content_hash: hash });
    input.counts.deleted += 1;
  }

  /** Everything a page needs to look up, fetched in three queries per page rather than per row. */
  function lookups(entity: DmsEntity, changes: readonly Change<DmsEntity>[]): PageLookups {
    const ids = changes.map((c) => (c.op === 'upsert' ? c.record.dms_id : c.tombstone.dms_id));
    const known = new Map<string, KnownRecord>();
    for (const r of st.selectRecords.all({ dealer_id: dealerId, entity, ids: JSON.stringify(ids) })) known.set(r.dms_id, r);
    const customers = new Map<string, string>();
    const vehicles = new Map<string, { localId: string; customerId: string }>();
    const parentIds = (field: 'customer_dms_id' | 'vehicle_dms_id') =>
      JSON.stringify([...new Set(changes.flatMap((c) => (c.op === 'upsert' && field in c.record ? [String((c.record as unknown as Record<string, unknown>)[field])] : [])))]);
    if (entity === 'vehicle') {
      for (const r of st.selectCustomerParents.all({ dealer_id: dealerId, ids: parentIds('customer_dms_id') })) customers.set(r.dms_id, r.local_id);
    }
    if (entity === 'repair_order') {
      for (const r of st.selectVehicleParents.all({ dealer_id: dealerId, ids: parentIds('vehicle_dms_id') })) {
        vehicles.set(r.dms_id, { localId: r.local_id, customerId: r.customer_id });
      }
    }
    return { known, customers, vehicles };
  }

  const applyPage = handle.sqlite.transaction((input: PageInput): PageResult => {
    const now = nowIso();
    const events: NewRepairOrder[] = [];
    let watermark = input.state?.watermark ?? null;
    input.counts.fetched += input.items.length + input.rejects.length;
    for (const r of input.rejects) quarantine(input, r.ref, r.raw, r.reason, r.dmsId, now);
    const normalized = input.items.map((item) => ({ item, n: normalizeRecord(input.entity, item.raw) }));
    const page = lookups(input.entity, normalized.flatMap(({ n }) => (n.ok ? [n.change] : [])));
    for (const { item, n } of normalized) {
      if (!n.ok) {
        quarantine(input, item.ref, item.raw, n.reason, null, now);
        continue;
      }
      const change = n.change;
      watermark = maxIso(watermark, change.op === 'upsert' ? change.record.updated_at : change.tombstone.updated_at);
      const dmsId = change.op === 'upsert' ? change.record.dms_id : change.tombstone.dms_id;
      // Each row's first write is its domain row (statement-atomic), so a rejected row leaves nothing behind.
      try {
        if (change.op === 'upsert') upsert(input, change.record, now, events, page);
        else remove(input, change.tombstone, now, page);
      } catch (e) {
        if (e instanceof RowRejected) quarantine(input, item.ref, item.raw, e.reason, dmsId, now);
        else if (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT')) {
          quarantine(input, item.ref, item.raw, { zh: `违反数据约束：${e.message}`, en: `violates a data constraint: ${e.message}` }, dmsId, now);
        } else throw e;
      }
    }
    if (input.state) {
      st.saveState.run({ dealer_id: dealerId, source_id: input.sourceId, entity: input.entity, ...input.state, watermark, run_id: input.runId, now });
    }
    st.saveRunCounts.run({ id: input.runId, ...input.counts });
    return { events, watermark };
  });

  return {
    applyPage(input) {
      // Counts are committed with the page; on rollback restore what the caller had.
      const before = { ...input.counts };
      try {
        return applyPage(input);
      } catch (e) {
        Object.assign(input.counts, before);
        throw e;
      }
    },
  };
}
