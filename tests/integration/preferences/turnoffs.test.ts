/**
 * The turn-off store itself (main/campaigns/preferences.ts) on a real SQLite file: what the history says
 * was done is what the rows show, and a sold mark and a do-not-contact flag on the same car live side by
 * side, so neither set nor unset of one loses the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { createPreferences, type Preferences } from '../../../main/campaigns/preferences';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { addCustomer, addVehicle } from '../campaigns/fixture';

let store: TestStore;
let handle: DbHandle;
let prefs: Preferences;
let cleanup: () => void;

beforeAll(async () => {
  const tmp = tempDir('turnoffs-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  handle = openDatabase(store.file);
  prefs = createPreferences(handle);
});
afterAll(() => {
  handle.close();
  cleanup();
});

function car() {
  const c = addCustomer(handle, store.dealerId, { name: '测试客户' });
  return { c, v: addVehicle(handle, store.dealerId, c) };
}

const rows = (v: string) =>
  handle.sqlite.prepare(`select kind, purpose, channel, reason from contact_turnoff where vehicle_id = ? order by kind`).all(v) as Array<{ kind: string; purpose: string; channel: string; reason: string }>;
const logged = (c: string) =>
  handle.sqlite.prepare(`select kind, action, reason from contact_turnoff_log where customer_id = ? order by created_at, rowid`).all(c) as Array<{ kind: string; action: string; reason: string }>;

describe('contact turn-offs', () => {
  it('a flag set on a sold car is either kept or not logged: the history never claims a flag the rows do not hold', () => {
    const { c, v } = car();
    prefs.markVehicleSold(store.dealerId, c, v, store.staff.agent.id, '车已卖');
    prefs.set(store.dealerId, { customerId: c, vehicleId: v, purpose: 'all', channel: 'any', reason: '客户要求别打扰', staffId: store.staff.agent.id });
    const flagRows = rows(v).filter((r) => r.kind === 'flag');
    const flagSets = logged(c).filter((l) => l.kind === 'flag' && l.action === 'set');
    expect(flagSets.length).toBe(flagRows.length);
  });

  it("marking a flagged car sold and un-marking it again keeps the customer's own flag, reason and all", () => {
    const { c, v } = car();
    expect(prefs.set(store.dealerId, { customerId: c, vehicleId: v, purpose: 'all', channel: 'any', reason: '车主投诉后要求别再联系', staffId: store.staff.agent.id })).toBe(true);
    expect(prefs.markVehicleSold(store.dealerId, c, v, store.staff.agent.id, '车已卖')).toEqual([]);
    expect(rows(v)).toEqual([
      { kind: 'flag', purpose: 'all', channel: 'any', reason: '车主投诉后要求别再联系' },
      { kind: 'sold', purpose: 'all', channel: 'any', reason: '车已卖' },
    ]);
    // Marking again re-words the mark, it does not add a second one.
    prefs.markVehicleSold(store.dealerId, c, v, store.staff.agent.id, '车已卖给同事');
    expect(rows(v).filter((r) => r.kind === 'sold')).toEqual([{ kind: 'sold', purpose: 'all', channel: 'any', reason: '车已卖给同事' }]);
    expect(prefs.unmarkVehicleSold(store.dealerId, c, v, store.staff.supervisor.id, '登记错了')).toBe(true);
    expect(rows(v)).toEqual([{ kind: 'flag', purpose: 'all', channel: 'any', reason: '车主投诉后要求别再联系' }]);
    expect(prefs.allows(c, v, 'maintenance', 'phone')).toBe(false);
    // And clearing the flag leaves a sold mark alone.
    prefs.markVehicleSold(store.dealerId, c, v, store.staff.agent.id, '车真的卖了');
    expect(prefs.clear(store.dealerId, { customerId: c, vehicleId: v, purpose: 'all', channel: 'any', reason: '客户同意联系' })).toBe(true);
    expect(rows(v)).toEqual([{ kind: 'sold', purpose: 'all', channel: 'any', reason: '车真的卖了' }]);
  });
});
