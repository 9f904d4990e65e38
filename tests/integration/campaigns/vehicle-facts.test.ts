/**
 * vehicle_fact (migration 0012) is a materialization of the vehicle_fact_source view kept by triggers.
 * Whatever is written to vehicles and repair orders, the table must equal the view; the demo loader,
 * which takes the triggers out for its bulk load, must leave both the rows and the triggers as before.
 */
import fc from 'fast-check';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { generateDemoDealer } from '../../../db/demo/generate';
import { migrateToLatest } from '../../../db/migrate';
import { createTestStore, tempDir } from '../../support/db';
import { addCustomer, addRepairOrder, addVehicle } from './fixture';

const RAW = 'vehicle_id, dealer_id, customer_id, purchase_date, purchased_here, vehicle_km, vehicle_km_on, svc, last_visit_on, km_last, km_first';

/** Rows in one and not the other, both ways (empty = the table is exactly the view). */
function drift(h: DbHandle): unknown[] {
  return h.sqlite
    .prepare(`select 'table' as side, * from (select ${RAW} from vehicle_fact except select * from vehicle_fact_source)
      union all select 'view', * from (select * from vehicle_fact_source except select ${RAW} from vehicle_fact)`)
    .all();
}

const triggers = (h: DbHandle) =>
  h.sqlite.prepare(`select name, sql from sqlite_master where type = 'trigger' and name like 'vehicle_fact%' order by name`).all();

const day = fc.integer({ min: 0, max: 3000 }).map((n) => new Date(Date.UTC(2017, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
const category = fc.constantFrom('first_service', 'maintenance', 'repair', 'warranty', 'bodywork') as fc.Arbitrary<'first_service' | 'maintenance' | 'repair' | 'warranty' | 'bodywork'>;
const km = fc.option(fc.integer({ min: 0, max: 250_000 }), { nil: null });

type Op =
  | { op: 'addRo'; v: number; on: string; category: 'first_service' | 'maintenance' | 'repair' | 'warranty' | 'bodywork'; km: number | null }
  | { op: 'editRo'; r: number; on: string; category: 'first_service' | 'maintenance' | 'repair' | 'warranty' | 'bodywork'; km: number | null }
  | { op: 'moveRo'; r: number; v: number }
  | { op: 'softDeleteRo' | 'restoreRo' | 'deleteRo'; r: number }
  | { op: 'editVehicle'; v: number; purchase: string | null; here: boolean; km: number | null; kmOn: string | null }
  | { op: 'newOwner'; v: number; c: number }
  | { op: 'softDeleteVehicle' | 'restoreVehicle'; v: number }
  | { op: 'addVehicle'; c: number; purchase: string | null };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('addRo' as const), v: fc.nat(), on: day, category, km }),
  fc.record({ op: fc.constant('addRo' as const), v: fc.nat(), on: day, category, km }),
  fc.record({ op: fc.constant('editRo' as const), r: fc.nat(), on: day, category, km }),
  fc.record({ op: fc.constant('moveRo' as const), r: fc.nat(), v: fc.nat() }),
  fc.record({ op: fc.constantFrom('softDeleteRo' as const, 'restoreRo' as const, 'deleteRo' as const), r: fc.nat() }),
  fc.record({ op: fc.constant('editVehicle' as const), v: fc.nat(), purchase: fc.option(day, { nil: null }), here: fc.boolean(), km, kmOn: fc.option(day, { nil: null }) }),
  fc.record({ op: fc.constant('newOwner' as const), v: fc.nat(), c: fc.nat() }),
  fc.record({ op: fc.constantFrom('softDeleteVehicle' as const, 'restoreVehicle' as const), v: fc.nat() }),
  fc.record({ op: fc.constant('addVehicle' as const), c: fc.nat(), purchase: fc.option(day, { nil: null }) }),
);

describe('vehicle facts kept by triggers', () => {
  const tmp = tempDir('vehicle-facts-');
  let handle: DbHandle;
  let dealerId: string;

  beforeAll(async () => {
    const store = await createTestStore(tmp.dir);
    dealerId = store.dealerId;
    handle = openDatabase(store.file);
  });
  afterAll(() => {
    handle.close();
    tmp.cleanup();
  });

  it('equal the view after any sequence of repair-order and vehicle writes', () => {
    const ids = (table: string) => handle.sqlite.prepare(`select id from ${table} order by id`).pluck().all() as string[];
    const pick = <T>(xs: T[], i: number): T | undefined => (xs.length ? xs[i % xs.length] : undefined);
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) => {
        handle.sqlite.exec('delete from repair_order; delete from vehicle; delete from customer;');
        expect(handle.sqlite.prepare('select count(*) from vehicle_fact').pluck().get()).toBe(0);
        const customers = [addCustomer(handle, dealerId), addCustomer(handle, dealerId)];
        for (const c of customers) addVehicle(handle, dealerId, c);
        for (const o of ops) {
          const vehicles = ids('vehicle');
          const orders = ids('repair_order');
          const run = (q: string, ...args: unknown[]) => handle.sqlite.prepare(q).run(...args);
          switch (o.op) {
            case 'addRo': {
              const v = pick(vehicles, o.v);
              if (v) addRepairOrder(handle, dealerId, v, { openedOn: o.on, category: o.category, mileageKm: o.km });
              break;
            }
            case 'editRo': {
              const r = pick(orders, o.r);
              if (r) run('update repair_order set opened_on = ?, category = ?, mileage_km = ? where id = ?', o.on, o.category, o.km, r);
              break;
            }
            case 'moveRo': {
              const r = pick(orders, o.r);
              const v = pick(vehicles, o.v);
              if (r && v) run('update repair_order set vehicle_id = ? where id = ?', v, r);
              break;
            }
            case 'softDeleteRo':
            case 'restoreRo': {
              const r = pick(orders, o.r);
              if (r) run('update repair_order set deleted_at = ? where id = ?', o.op === 'softDeleteRo' ? '2026-01-01T00:00:00Z' : null, r);
              break;
            }
            case 'deleteRo': {
              const r = pick(orders, o.r);
              if (r) run('delete from repair_order where id = ?', r);
              break;
            }
            case 'editVehicle': {
              const v = pick(vehicles, o.v);
              if (v) run('update vehicle set purchase_date = ?, purchased_here = ?, mileage_km = ?, mileage_date = ? where id = ?', o.purchase, o.here ? 1 : 0, o.km, o.kmOn, v);
              break;
            }
            case 'newOwner': {
              const v = pick(vehicles, o.v);
              if (v) run('update vehicle set customer_id = ? where id = ?', pick(customers, o.c), v);
              break;
            }
            case 'softDeleteVehicle':
            case 'restoreVehicle': {
              const v = pick(vehicles, o.v);
              if (v) run('update vehicle set deleted_at = ? where id = ?', o.op === 'softDeleteVehicle' ? '2026-01-01T00:00:00Z' : null, v);
              break;
            }
            case 'addVehicle':
              addVehicle(handle, dealerId, pick(customers, o.c) ?? customers[0]!, { purchaseDate: o.purchase });
              break;
          }
        }
        expect(drift(handle)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('derive the last service, the newest reading and the km/day rate', () => {
    handle.sqlite.exec('delete from repair_order; delete from vehicle; delete from customer;');
    const c = addCustomer(handle, dealerId);
    const v = addVehicle(handle, dealerId, c, { purchaseDate: '2024-01-01', mileageKm: 12_000, mileageDate: '2025-03-01' });
    addRepairOrder(handle, dealerId, v, { openedOn: '2024-07-01', category: 'first_service', mileageKm: 5000 });
    addRepairOrder(handle, dealerId, v, { openedOn: '2025-01-01', category: 'repair', mileageKm: 10_000 });
    const row = () => handle.sqlite.prepare('select last_service_on, last_service_km, last_visit_on, ref_on, ref_km, km_per_day from vehicle_fact where vehicle_id = ?').get(v);
    // The vehicle's own reading (2025-03-01) is newer than the repair orders': 7000 km over 243 days.
    expect(row()).toEqual({ last_service_on: '2024-07-01', last_service_km: 5000, last_visit_on: '2025-01-01', ref_on: '2025-03-01', ref_km: 12_000, km_per_day: 7000 / 243 });
    addRepairOrder(handle, dealerId, v, { openedOn: '2025-06-01', category: 'maintenance', mileageKm: null });
    expect(row()).toMatchObject({ last_service_on: '2025-06-01', last_service_km: null, last_visit_on: '2025-06-01', ref_on: '2025-03-01' });
    handle.sqlite.prepare('update vehicle set deleted_at = ? where id = ?').run('2026-01-01T00:00:00Z', v);
    expect(row()).toBeUndefined();
  });
});

describe('the demo loader', () => {
  const tmp = tempDir('vehicle-facts-demo-');
  afterAll(() => tmp.cleanup());

  it('suspends the fact triggers for its bulk load, then rebuilds the facts and puts the same triggers back', async () => {
    const handle = openDatabase(path.join(tmp.dir, 'demo.sqlite'));
    try {
      await migrateToLatest(handle.db);
      const before = triggers(handle);
      expect(before).toHaveLength(7);
      await generateDemoDealer(handle, { customers: 80, seed: 3, today: '2026-03-01', passwordParams: { N: 1024, r: 8, p: 1 } });
      expect(triggers(handle)).toEqual(before);
      expect(handle.sqlite.prepare('select count(*) from vehicle_fact').pluck().get()).toBe(handle.sqlite.prepare('select count(*) from vehicle where deleted_at is null').pluck().get());
      expect(handle.sqlite.prepare('select count(*) from vehicle_fact where last_visit_on is not null').pluck().get()).toBeGreaterThan(0);
      expect(drift(handle)).toEqual([]);
    } finally {
      handle.close();
    }
  });
});
