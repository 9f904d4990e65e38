/**
 * "Every campaign honors them and shows how many were skipped and why" (issue 5 item 4), through the real
 * composition root: generation's skips (no task made), SMS steps to an opted-out, missing or invalid
 * number, and call steps the customer refused or cannot be called at — each counted by campaign, channel
 * and reason in campaigns.skips, and refused calls never reach an agent's queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, createCampaigns, type Campaigns } from '../../../main/campaigns';
import { dealerToday } from '../../../main/campaigns/handlers';
import type { CallContext } from '../../../main/rpc';
import type { Services } from '../../../main/services';
import { createTemplates } from '../../../main/templates';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { call, ok, signIn, startServices } from '../../support/services';
import { addCustomer, addRepairOrder, addVehicle } from './fixture';

let services: Services;
let store: TestStore;
let cleanup: () => void;
let agent: CallContext;
let supervisor: CallContext;
let campaigns: Campaigns;
const today = dealerToday();


/** A car whose 定保 falls due `dueInDays` from today; no purchase date, so no other campaign takes it. */
function car(name: string, dueInDays: number, mobile: string | null) {
  const c = addCustomer(services.handle, store.dealerId, { name, mobile, address: '广州市天河路 1 号' });
  const v = addVehicle(services.handle, store.dealerId, c, { purchaseDate: null, purchasedHere: false });
  addRepairOrder(services.handle, store.dealerId, v, { openedOn: addMonths(addDays(today, dueInDays), -6), category: 'maintenance' });
  return { c, v };
}

const taskOf = (vehicleId: string) =>
  services.handle.sqlite.prepare(`select id, status, step_channel from campaign_task where vehicle_id = ?`).get(vehicleId) as
    | { id: string; status: string; step_channel: string | null }
    | undefined;

let cars: Record<string, { c: string; v: string }>;

beforeAll(async () => {
  const tmp = tempDir('campaign-skips-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  services = await startServices(store);
  agent = await signIn(services, store.staff.agent);
  supervisor = await signIn(services, store.staff.supervisor);
  // A second instance over the same store runs the SMS step, as the nightly job does; the starting
  // templates come first so the default steps link their SMS (as on start).
  await createTemplates({ handle: services.handle }).ensureDefaults(store.dealerId);
  campaigns = createCampaigns({ handle: services.handle });
  await campaigns.config.ensureDefaults(store.dealerId);

  cars = {
    // Due in five days: the −7 SMS step is today's.
    noMobile: car('甲', 5, null),
    invalid: car('乙', 5, '1390000'),
    optedOut: car('丙', 5, '13900000003'),
    smsOk: car('丁', 5, '13900000004'),
    // Due five days ago: the +2 call step is today's.
    refusesCalls: car('戊', -5, '13900000005'),
    noNumber: car('己', -5, null),
    refusesAll: car('庚', -5, '13900000007'),
    callOk: car('辛', -5, '13900000008'),
    // Refuses everything but is not due for months: not a candidate, so not counted as skipped.
    notDueRefusesAll: car('壬', 200, '13900000009'),
  };
  const at = new Date().toISOString();
  services.handle.sqlite
    .prepare(`insert into contact_preference (customer_id, dealer_id, sms_opt_out, opt_out_at, opt_out_source, created_at, updated_at) values (?, ?, 1, ?, 'sms_reply:TD', ?, ?)`)
    .run(cars.optedOut?.c, store.dealerId, at, at, at);
  for (const [key, channel] of [['refusesCalls', 'phone'], ['refusesAll', 'any'], ['notDueRefusesAll', 'any']] as const) {
    ok(await call(services, agent, 'preferences.setFlag', { customerId: cars[key]?.c ?? '', purpose: 'maintenance', channel, reason: '客户要求保养不要打电话' }));
  }
});
afterAll(async () => {
  await services.close();
  cleanup();
});

describe('skipped, and why', () => {
  it('are for supervisors', async () => {
    const r = await call(services, agent, 'campaigns.skips', {});
    expect(r.ok ? null : r.error.code).toBe('FORBIDDEN');
  });

  it('counts generation, SMS and call skips by campaign, channel and reason; refused calls stay out of the queue', async () => {
    const run = ok(await call(services, supervisor, 'campaigns.generate', {}));
    expect(run.byCampaign.find((b) => b.kind === 'maintenance')).toMatchObject({ created: 7, skipped: { turned_off: 1 } });
    const sms = await campaigns.sendDueSms(store.dealerId, today);
    expect(sms).toEqual({ queued: 1, tasks: 1, postponed: 0, skipped: { no_mobile: 1, invalid_mobile: 1, sms_opt_out: 1 } });

    // A refused or impossible call moved on to the reason call (+30); the good one waits for an agent.
    expect(taskOf(cars.refusesCalls?.v ?? '')).toMatchObject({ status: 'open', step_channel: 'reason_call' });
    expect(taskOf(cars.noNumber?.v ?? '')).toMatchObject({ status: 'open', step_channel: 'reason_call' });
    expect(taskOf(cars.refusesAll?.v ?? '')).toBeUndefined();
    const queue = ok(await call(services, agent, 'campaigns.queue', {}));
    expect(queue.items.map((i) => i.vehicleId)).toEqual([cars.callOk?.v]);

    const summary = ok(await call(services, supervisor, 'campaigns.skips', {}));
    expect(summary.day).toBe(today);
    expect(summary.generation?.byCampaign.find((b) => b.kind === 'maintenance')).toMatchObject({ nameZh: '定期保养招揽', created: 7, skipped: { turned_off: 1 } });
    const steps = summary.steps.filter((s) => s.kind === 'maintenance').map((s) => [s.channel, s.reason, s.count]);
    expect(steps.sort()).toEqual(
      [
        ['phone', 'no_phone', 1],
        ['phone', 'phone_opt_out', 1],
        ['sms', 'invalid_mobile', 1],
        ['sms', 'no_mobile', 1],
        ['sms', 'sms_opt_out', 1],
      ].sort(),
    );

    // A rerun skips no step twice; its generation run (nothing new) still names the turned-off car.
    ok(await call(services, supervisor, 'campaigns.generate', {}));
    expect((await campaigns.sendDueSms(store.dealerId, today)).skipped).toEqual({});
    const again = ok(await call(services, supervisor, 'campaigns.skips', {}));
    expect(again.steps).toEqual(summary.steps);
    expect(again.generation?.byCampaign.find((b) => b.kind === 'maintenance')).toMatchObject({ candidates: 1, created: 0, skipped: { turned_off: 1 } });
    // Another day has its own (empty) summary.
    expect(ok(await call(services, supervisor, 'campaigns.skips', { day: addDays(today, -1) }))).toEqual({ day: addDays(today, -1), generation: null, steps: [] });
  });
});
