import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
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

  it('generate(today) twice leaves exactly the rows of generate(today) once', async () => {
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
        const twice = await campaigns.generate(dealerId, today);
        expect(twice.created).toBe(0);
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
});
