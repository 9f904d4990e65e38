/**
 * DMS import benchmark: N customers (+1.5 vehicles each, +6.67 repair orders per vehicle; 100k
 * customers ≈ 150k vehicles + 1M orders) through the full sync engine (normalize, content hash,
 * provenance, three-way field rule, page transactions with watermark) versus a raw better-sqlite3
 * prepared-statement bulk insert of the same rows into the same schema, in the same run.
 * Target: engine ≤ 2× raw. Usage: tsx bench/dms-import.ts [--customers 2000] [--page 5000]
 * The source is in memory for both sides so the figure is about the engine, not HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, type DbHandle } from '../db/connection';
import { newId, nowIso } from '../db/ids';
import { migrateToLatest } from '../db/migrate';
import type { DmsConnector } from '../main/dms/connector';
import type { DmsEntity } from '../main/dms/records';
import { runSync } from '../main/dms/sync/engine';
import { buildFixture, type Fixture } from '../tools/dms-server/fixture';

const { values } = parseArgs({ options: { customers: { type: 'string', default: '2000' }, page: { type: 'string', default: '5000' } } });
const customers = Number(values.customers);
const pageSize = Number(values.page);

async function freshStore(dir: string, name: string): Promise<{ handle: DbHandle; dealerId: string; sourceId: string }> {
  const handle = openDatabase(path.join(dir, name));
  await migrateToLatest(handle.db);
  const dealerId = newId();
  const sourceId = newId();
  const at = nowIso();
  await handle.db.insertInto('dealer').values({ id: dealerId, code: 'B001', name: '基准店', brand: 'Honda', city: '广州', created_at: at, updated_at: at }).execute();
  await handle.db.insertInto('dms_source').values({ id: sourceId, dealer_id: dealerId, name: 'bench', kind: 'rest', config: '{}', schedule: null, created_at: at, updated_at: at }).execute();
  return { handle, dealerId, sourceId };
}

function memoryConnector(fixture: Fixture): DmsConnector {
  const lists: Record<DmsEntity, readonly object[]> = { customer: fixture.customers, vehicle: fixture.vehicles, repair_order: fixture.repairOrders };
  return {
    kind: 'rest',
    async pull({ entity, cursor, limit }) {
      const list = lists[entity];
      const start = cursor === null ? 0 : Number(cursor);
      const end = Math.min(list.length, start + limit);
      return { items: list.slice(start, end).map((raw, i) => ({ ref: `${entity} ${start + i}`, raw })), rejects: [], nextCursor: end < list.length ? String(end) : null, ...(cursor === null ? { total: list.length } : {}) };
    },
    listKeys: async () => ({ keys: [], nextCursor: null }),
    fetchByIds: async () => [],
  };
}

function rawInsert(handle: DbHandle, dealerId: string, f: Fixture): void {
  const now = nowIso();
  const c = handle.sqlite.prepare(`insert into customer (id, dealer_id, dms_id, name, gender, mobile, phone2, birthday, city, address, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const v = handle.sqlite.prepare(`insert into vehicle (id, dealer_id, customer_id, dms_id, vin, plate, model, model_year, color, purchase_date, purchased_here,
    mileage_km, mileage_date, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const r = handle.sqlite.prepare(`insert into repair_order (id, dealer_id, vehicle_id, customer_id, dms_id, ro_no, opened_on, closed_on, category, mileage_km,
    labor_fen, parts_fen, total_fen, advisor, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const customerIds = new Map<string, string>();
  const vehicleIds = new Map<string, [string, string]>();
  const batch = <T>(rows: readonly T[], each: (row: T) => void) => {
    for (let i = 0; i < rows.length; i += pageSize) handle.sqlite.transaction(() => rows.slice(i, i + pageSize).forEach(each))();
  };
  batch(f.customers, (x) => {
    const id = newId();
    customerIds.set(x.dms_id, id);
    c.run(id, dealerId, x.dms_id, x.name, x.gender, x.mobile, x.phone2, x.birthday, x.city, x.address, now, now);
  });
  batch(f.vehicles, (x) => {
    const id = newId();
    const owner = customerIds.get(x.customer_dms_id) ?? '';
    vehicleIds.set(x.dms_id, [id, owner]);
    v.run(id, dealerId, owner, x.dms_id, x.vin, x.plate, x.model, x.model_year, x.color, x.purchase_date, x.purchased_here ? 1 : 0, x.mileage_km, x.mileage_date, now, now);
  });
  batch(f.repairOrders, (x) => {
    const [vid, cid] = vehicleIds.get(x.vehicle_dms_id) ?? ['', ''];
    r.run(newId(), dealerId, vid, cid, x.dms_id, x.ro_no, x.opened_on, x.closed_on, x.category, x.mileage_km, x.labor_fen, x.parts_fen, x.total_fen, x.advisor, now, now);
  });
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'dms-bench-'));
try {
  const fixture = buildFixture({ customers, seed: 3 });
  const rows = fixture.customers.length + fixture.vehicles.length + fixture.repairOrders.length;
  console.log(`rows: ${fixture.customers.length} customers + ${fixture.vehicles.length} vehicles + ${fixture.repairOrders.length} repair orders = ${rows}; page ${pageSize}`);

  const raw = await freshStore(dir, 'raw.sqlite');
  let t = performance.now();
  rawInsert(raw.handle, raw.dealerId, fixture);
  const rawMs = performance.now() - t;
  raw.handle.close();

  const engine = await freshStore(dir, 'engine.sqlite');
  t = performance.now();
  const summary = await runSync(engine.handle, engine.dealerId, memoryConnector(fixture), { sourceId: engine.sourceId, mode: 'incremental', trigger: 'manual', pageSize });
  const engineMs = performance.now() - t;
  if (summary.status !== 'succeeded' || summary.counts.inserted !== rows) throw new Error(`engine run ${summary.status}: ${JSON.stringify(summary)}`);

  // A second pass over unchanged data: everything is skipped by content hash.
  t = performance.now();
  const again = await runSync(engine.handle, engine.dealerId, memoryConnector(fixture), { sourceId: engine.sourceId, mode: 'incremental', trigger: 'manual', pageSize });
  const noopMs = performance.now() - t;
  engine.handle.close();

  const rate = (ms: number) => Math.round(rows / (ms / 1000)).toLocaleString('en-US');
  console.log(`raw prepared inserts : ${(rawMs / 1000).toFixed(2)} s  (${rate(rawMs)} rows/s)`);
  console.log(`sync engine          : ${(engineMs / 1000).toFixed(2)} s  (${rate(engineMs)} rows/s)`);
  console.log(`engine, unchanged    : ${(noopMs / 1000).toFixed(2)} s  (${rate(noopMs)} rows/s, ${again.counts.unchanged} skipped by hash)`);
  console.log(`ratio engine/raw     : ${(engineMs / rawMs).toFixed(2)}× (target ≤ 2×)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
