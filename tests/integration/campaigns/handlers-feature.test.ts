/**
 * The running feature: defaults and one run on start (not twice a day), repair orders from the DMS close
 * tasks at once and bring a generation shortly after.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { addDays, addMonths, type RepairOrderEvent } from '../../../main/campaigns';
import { createCampaignsFeature } from '../../../main/campaigns/feature';
import { dealerToday } from '../../../main/campaigns/handlers';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { addCustomer, addRepairOrder, addVehicle } from './fixture';

let handle: DbHandle;
let store: TestStore;
let cleanup: () => void;
const today = dealerToday();

beforeEach(async () => {
  const tmp = tempDir('campaign-feature-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  handle = openDatabase(store.file);
});
afterEach(() => {
  handle.close();
  cleanup();
});

describe('campaigns feature start', () => {
  it('seeds defaults, runs once per day on start, and closes a task when the DMS reports a visit', async () => {
    const c = addCustomer(handle, store.dealerId, { name: '王芳' });
    const v = addVehicle(handle, store.dealerId, c, { purchaseDate: null, purchasedHere: false });
    addRepairOrder(handle, store.dealerId, v, { openedOn: addMonths(addDays(today, -5), -6) });
    const listeners: Array<(ro: RepairOrderEvent) => void> = [];
    const events: string[] = [];
    const feature = createCampaignsFeature({
      handle,
      generateAfterRepairOrderMs: 20,
      emit: (name) => events.push(name),
      repairOrders: {
        subscribe: (_dealerId, listener) => {
          listeners.push(listener);
          return () => listeners.splice(listeners.indexOf(listener), 1);
        },
      },
    });
    await feature.start();
    const runs = () => handle.sqlite.prepare('select count(*) from campaign_run where dealer_id = ?').pluck().get(store.dealerId);
    expect(runs()).toBe(1);
    expect(handle.sqlite.prepare('select count(*) from campaign where dealer_id = ?').pluck().get(store.dealerId)).toBeGreaterThan(5);
    const task = () => handle.sqlite.prepare("select status, close_reason from campaign_task where vehicle_id = ?").get(v);
    expect(task()).toEqual({ status: 'open', close_reason: null });
    feature.stop();
    await feature.start();
    expect(runs()).toBe(1);
    expect(listeners).toHaveLength(1);

    const roId = addRepairOrder(handle, store.dealerId, v, { openedOn: today, closedOn: null });
    listeners[0]?.({ dealerId: store.dealerId, id: roId, vehicleId: v, customerId: c, openedOn: today, closedOn: null, category: 'maintenance' });
    await expect.poll(() => (task() as { status: string }).status).not.toBe('open');

    // A repair closed three days ago lands from the DMS: generation runs shortly after, not only at night,
    // and its 售后回访 call is due today. A burst of orders makes one run.
    // The visit above made its own run after it (the start-up run was the first).
    await expect.poll(runs).toBe(2);
    const before = Number(runs());
    const c2 = addCustomer(handle, store.dealerId, { name: '李强' });
    const v2 = addVehicle(handle, store.dealerId, c2, { purchaseDate: null, purchasedHere: false });
    for (const k of [5, 4]) {
      const id = addRepairOrder(handle, store.dealerId, v2, { openedOn: addDays(today, -k), closedOn: addDays(today, -3), category: 'repair' });
      listeners[0]?.({ dealerId: store.dealerId, id, vehicleId: v2, customerId: c2, openedOn: addDays(today, -k), closedOn: addDays(today, -3), category: 'repair' });
    }
    const followups = () =>
      handle.sqlite.prepare(`select t.due_on from campaign_task t join campaign c on c.id = t.campaign_id where c.kind = 'service_followup' and t.vehicle_id = ?`).all(v2);
    await expect.poll(followups).toEqual([{ due_on: today }, { due_on: today }]);
    expect(Number(runs())).toBe(before + 1);
    feature.stop();
    expect(listeners).toHaveLength(0);
  });
});
