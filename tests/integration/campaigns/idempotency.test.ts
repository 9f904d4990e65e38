import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { newId } from '../../../db/ids';
import { createCampaigns, type Campaigns } from '../../../main/campaigns';
import { createTemplates } from '../../../main/templates';
import { createTestStore, tempDir } from '../../support/db';
import { addCustomer, addRepairOrder, addVehicle } from './fixture';

const day = fc.date({ min: new Date('2018-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const vehicleArb = fc.record({
  purchase: fc.option(day, { nil: null }),
  here: fc.boolean(),
  birthday: fc.option(day, { nil: null }),
  ros: fc.array(fc.record({ on: day, category: fc.constantFrom('first_service', 'maintenance', 'repair', 'bodywork') as fc.Arbitrary<'first_service' | 'maintenance' | 'repair' | 'bodywork'>, km: fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: null }) }), { maxLength: 4 }),
});

describe('generation is idempotent (property)', () => {
  const tmp = tempDir('campaign-prop-');
  let handle: DbHandle;
  let dealerId: string;
  let campaigns: Campaigns;

  beforeAll(async () => {
    const store = await createTestStore(tmp.dir);
    dealerId = store.dealerId;
    handle = openDatabase(store.file);
    await createTemplates({ handle }).ensureDefaults(dealerId);
    campaigns = createCampaigns({ handle });
    await campaigns.config.ensureDefaults(dealerId);
  });
  afterAll(() => {
    handle.close();
    tmp.cleanup();
  });

  const taskIndexes = () => handle.sqlite.prepare(`select name, sql from sqlite_master where type = 'index' and tbl_name = 'campaign_task' order by name`).all();
  let indexesBefore: unknown[] = [];

  it('generate(today) twice leaves exactly the rows of generate(today) once', async () => {
    indexesBefore = taskIndexes();
    expect(indexesBefore.length).toBeGreaterThan(2);
    await fc.assert(
      fc.asyncProperty(fc.array(vehicleArb, { minLength: 1, maxLength: 6 }), day, async (vehicles, today) => {
        handle.sqlite.exec('delete from campaign_touch; delete from campaign_task; delete from campaign_run; delete from repair_order; delete from vehicle; delete from customer;');
        for (const v of vehicles) {
          const c = addCustomer(handle, dealerId, { birthday: v.birthday });
          const id = addVehicle(handle, dealerId, c, { purchaseDate: v.purchase, purchasedHere: v.here });
          for (const ro of v.ros) addRepairOrder(handle, dealerId, id, { openedOn: ro.on, category: ro.category, mileageKm: ro.km });
        }
        const once = await campaigns.generate(dealerId, today);
        const rows = handle.sqlite.prepare('select * from campaign_task order by id').all();
        expect(rows).toHaveLength(once.created);
        // Written with foreign-key checks off (generate.ts): every reference must hold all the same, and the
        // indexes rebuilt after the first (bulk) generation are the ones the schema had.
        expect(handle.sqlite.pragma('foreign_key_check')).toEqual([]);
        expect(handle.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
        expect(taskIndexes()).toEqual(indexesBefore);
        const twice = await campaigns.generate(dealerId, today);
        expect(twice.created).toBe(0);
        // A rerun's only candidates are the ones skipped again (already generated ones are not candidates).
        for (const stats of Object.values(twice.byCampaign)) {
          expect(stats.candidates).toBe(Object.values(stats.skipped).reduce((a, b) => a + b, 0));
        }
        expect(handle.sqlite.prepare('select * from campaign_task order by id').all()).toEqual(rows);
        // Every task's due date puts `today` inside its window, and its step date is a real date.
        for (const t of handle.sqlite.prepare('select due_on, expire_on, step_on from campaign_task').all() as Array<{ due_on: string; expire_on: string; step_on: string }>) {
          expect(t.expire_on >= today).toBe(true);
          expect(t.step_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('maintains the indexes in place (no schema change) once the store has tasks, with the same result', async () => {
    handle.sqlite.exec('delete from campaign_touch; delete from campaign_task; delete from campaign_run; delete from repair_order; delete from vehicle; delete from customer;');
    const owner = addCustomer(handle, dealerId);
    const campaignId = handle.sqlite.prepare(`select id from campaign where dealer_id = ? and kind = 'birthday'`).pluck().get(dealerId) as string;
    // A thousand earlier tasks (last years' birthday cards of one customer, as far as the table cares).
    const old = handle.sqlite.prepare(`insert into campaign_task (id, dealer_id, campaign_id, subject_id, customer_id, cycle_key, due_on, window_from, settle_on, expire_on, status, created_on, created_at, updated_at)
      values (?, ?, ?, ?, ?, ?, '2020-01-01', '2020-01-01', '2020-02-01', '2020-02-01', 'closed', '2020-01-01', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')`);
    handle.sqlite.transaction(() => {
      for (let i = 0; i < 1000; i++) old.run(newId(), dealerId, campaignId, owner, owner, `old-${i}`);
    })();
    const c = addCustomer(handle, dealerId);
    const v = addVehicle(handle, dealerId, c, { purchaseDate: null, purchasedHere: false });
    addRepairOrder(handle, dealerId, v, { openedOn: '2025-08-31', category: 'maintenance' });
    const schema = handle.sqlite.pragma('schema_version', { simple: true });
    const r = await campaigns.generate(dealerId, '2026-03-02');
    expect(r.byCampaign.maintenance).toEqual({ candidates: 1, created: 1, skipped: {} });
    expect(handle.sqlite.pragma('schema_version', { simple: true })).toBe(schema);
    expect(handle.sqlite.prepare(`select count(*) from campaign_task indexed by campaign_task_queue where dealer_id = ? and status = 'open' and step_on <= '2026-03-02'`).pluck().get(dealerId)).toBe(1);
  });
});

