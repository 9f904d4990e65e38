import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { createCampaigns, type Campaigns } from '../../../main/campaigns';
import { createTemplates } from '../../../main/templates';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { addCustomer, addRepairOrder, addVehicle } from './fixture';

let handle: DbHandle;
let store: TestStore;
let dealerId: string;
let cleanup: () => void;
let campaigns: Campaigns;
let agent: string;
let other: string;

beforeEach(async () => {
  const tmp = tempDir('campaign-life-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  dealerId = store.dealerId;
  agent = store.staff.agent.id;
  other = store.staff.supervisor.id;
  handle = openDatabase(store.file);
  await createTemplates({ handle }).ensureDefaults(dealerId);
  // The hotline as an administrator saves it (dealer.save); steps merge the stored profile.
  handle.sqlite.prepare(`update dealer set phone = '020-88886666' where id = ?`).run(dealerId);
  campaigns = createCampaigns({ handle });
  await campaigns.config.ensureDefaults(dealerId);
});
afterEach(() => {
  handle.close();
  cleanup();
});

/**
 * One car whose 定保 falls due 2026-02-28: letter 01-29, SMS 02-21, call 03-02, reason call 03-30.
 * No purchase date, so insurance, inspection and first-service rules leave it alone.
 */
function maintenanceCar(customer: Parameters<typeof addCustomer>[2] = {}) {
  const c = addCustomer(handle, dealerId, { address: '广州市天河路 1 号', ...customer });
  const v = addVehicle(handle, dealerId, c, { purchaseDate: null, purchasedHere: false });
  addRepairOrder(handle, dealerId, v, { openedOn: '2025-08-31', category: 'maintenance' });
  return { c, v };
}

function task(vehicleId: string) {
  return handle.sqlite
    .prepare(`select t.* from campaign_task t join campaign c on c.id = t.campaign_id where c.kind = 'maintenance' and t.vehicle_id = ?`)
    .get(vehicleId) as Record<string, string | number | null>;
}
const at = (iso: string) => new Date(iso);

describe('generation is idempotent', () => {
  it('a second run on the same day changes nothing, a later run adds only new cycles', async () => {
    for (let i = 0; i < 5; i++) maintenanceCar();
    const first = await campaigns.runDaily(dealerId, '2026-03-02');
    const snapshot = handle.sqlite.prepare('select * from campaign_task order by id').all();
    expect(first.generation.created).toBeGreaterThanOrEqual(5);
    const again = await campaigns.runDaily(dealerId, '2026-03-02');
    expect(again.generation.created).toBe(0);
    expect(again.sms.queued).toBe(0);
    expect(handle.sqlite.prepare('select * from campaign_task order by id').all()).toEqual(snapshot);
  });
});

describe('work queue and lifecycle', () => {
  it('walks the staged plan: letter printed → SMS queued → call in the agent queue (overdue in red)', async () => {
    const { v } = maintenanceCar({ name: '王芳', gender: 'F' });
    await campaigns.runDaily(dealerId, '2026-01-29');
    const batch = await campaigns.letters.batch(dealerId, '2026-01-29');
    expect(batch.items.map((i) => i.taskId)).toEqual([task(v).id]);
    const doc = await campaigns.letters.render(dealerId, [String(task(v).id)], '2026-01-29');
    expect(doc.pages).toBe(1);
    expect(doc.html).toContain('王女士');
    expect(doc.html).toContain('2026-02-28');
    expect(await campaigns.letters.markPrinted(dealerId, [String(task(v).id)], agent, '2026-01-29')).toBe(1);
    expect(task(v)).toMatchObject({ step_channel: 'sms', step_on: '2026-02-21', last_touch_channel: 'letter' });

    const day = await campaigns.runDaily(dealerId, '2026-02-21');
    expect(day.sms.queued).toBe(1);
    const sms = handle.sqlite.prepare('select text, dedupe_key from campaign_sms').all() as Array<{ text: string; dedupe_key: string }>;
    expect(sms).toHaveLength(1);
    expect(sms[0]?.text).toContain('020-88886666');
    expect(task(v)).toMatchObject({ step_channel: 'phone', step_on: '2026-03-02' });

    expect(await campaigns.work.queue(dealerId, agent, '2026-03-01', at('2026-03-01T02:00:00Z'))).toHaveLength(0);
    const q = await campaigns.work.queue(dealerId, agent, '2026-03-03', at('2026-03-03T02:00:00Z'));
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({ customerName: '王芳', overdue: true, inShop: false, campaignKind: 'maintenance' });
  });

  it('done needs a feedback reason when the customer will not come', async () => {
    const { v } = maintenanceCar();
    await campaigns.runDaily(dealerId, '2026-03-02');
    const id = String(task(v).id);
    const base = { dealerId, taskId: id, staffId: agent, disposition: 'reached', now: at('2026-03-02T03:00:00Z'), today: '2026-03-02', willCome: false };
    await expect(campaigns.work.recordCall(base)).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(campaigns.work.recordCall({ ...base, feedbackReason: 'no_such_reason' })).rejects.toMatchObject({ code: 'VALIDATION' });
    const r = await campaigns.work.recordCall({ ...base, feedbackReason: 'serviced_elsewhere', campaignRemark: '在朋友店做保养' });
    expect(r.status).toBe('done');
    expect(task(v)).toMatchObject({ status: 'done', will_come: 0, feedback_reason: 'serviced_elsewhere', campaign_remark: '在朋友店做保养', followup_remark: null });
    const events = handle.sqlite.prepare(`select kind, staff_id from contact_event where vehicle_id = ?`).all(v);
    expect(events).toEqual([{ kind: 'call_out', staff_id: agent }]);
  });

  it('closes an unworked task as "came early" when a repair order shows the visit, crediting the last touch', async () => {
    const { v } = maintenanceCar();
    await campaigns.runDaily(dealerId, '2026-02-21');
    expect(task(v)).toMatchObject({ status: 'open', last_touch_channel: 'sms' });
    const ro = addRepairOrder(handle, dealerId, v, { openedOn: '2026-02-25', category: 'maintenance' });
    const changed = await campaigns.onRepairOrder({ dealerId, id: ro, vehicleId: v, customerId: String(task(v).customer_id), openedOn: '2026-02-25', closedOn: '2026-02-25', category: 'maintenance' }, '2026-02-25');
    expect(changed).toBe(1);
    expect(task(v)).toMatchObject({ status: 'closed', close_reason: 'came_early', result: 'came', result_ro_id: ro, result_on: '2026-02-25', credited_channel: 'sms' });
    // A bodywork job is not a service visit: it would not have closed the task.
    const { v: v2 } = maintenanceCar();
    await campaigns.runDaily(dealerId, '2026-02-21');
    addRepairOrder(handle, dealerId, v2, { openedOn: '2026-02-25', category: 'bodywork' });
    await campaigns.runDaily(dealerId, '2026-02-26');
    expect(task(v2)).toMatchObject({ status: 'open', result: null });
  });

  it('a service done before any reminder went out closes the task as came early: no letter, no SMS, nothing credited', async () => {
    const { v } = maintenanceCar();
    await campaigns.runDaily(dealerId, '2026-01-29');
    expect(task(v)).toMatchObject({ status: 'open', step_channel: 'letter' });
    // The customer comes in on their own before the letter is printed.
    const ro = addRepairOrder(handle, dealerId, v, { openedOn: '2026-02-01', category: 'maintenance' });
    await campaigns.runDaily(dealerId, '2026-02-02');
    expect(task(v)).toMatchObject({ status: 'closed', close_reason: 'came_early', result: 'came', result_ro_id: ro, credited_channel: null, credited_staff_id: null });
    expect((await campaigns.letters.batch(dealerId, '2026-02-02')).items).toEqual([]);
    await campaigns.runDaily(dealerId, '2026-02-21');
    expect(handle.sqlite.prepare('select count(*) from campaign_sms').pluck().get()).toBe(0);
    expect(await campaigns.work.queue(dealerId, agent, '2026-03-02', at('2026-03-02T02:00:00Z'))).toEqual([]);
    // The next 定保 counts from this service: no second task until its own letter step comes.
    expect(handle.sqlite.prepare(`select count(*) from campaign_task t join campaign c on c.id = t.campaign_id where c.kind = 'maintenance' and t.vehicle_id = ?`).pluck().get(v)).toBe(1);
  });

  it('a visit credits the last touch made in the 90 days before it, with its channel and agent; an older touch is not credited', async () => {
    // Results settle 200 days after the due date here, so visits months after the reminders still count.
    const maintenance = (await campaigns.config.load(dealerId)).find((c) => c.kind === 'maintenance');
    if (!maintenance) throw new Error('no maintenance campaign');
    await campaigns.config.update(dealerId, maintenance.id, { params: { ...maintenance.params, settleAfterDays: 200 } });
    const late = maintenanceCar();
    const edge = maintenanceCar();
    const called = maintenanceCar();
    await campaigns.runDaily(dealerId, '2026-01-29');
    const ids = [late, edge, called].map((x) => String(task(x.v).id));
    await campaigns.letters.markPrinted(dealerId, ids, other, '2026-01-29');
    // The SMS step (02-21) is never run; on 03-02 the call step supersedes it.
    await campaigns.runDaily(dealerId, '2026-03-02');
    await campaigns.work.recordCall({ dealerId, taskId: String(task(called.v).id), staffId: agent, disposition: 'reached', now: at('2026-03-02T02:00:00Z'), today: '2026-03-02', willCome: true });
    // 01-29 + 90 days = 04-29.
    addRepairOrder(handle, dealerId, edge.v, { openedOn: '2026-04-29', category: 'maintenance' });
    addRepairOrder(handle, dealerId, late.v, { openedOn: '2026-04-30', category: 'maintenance' });
    addRepairOrder(handle, dealerId, called.v, { openedOn: '2026-04-30', category: 'maintenance' });
    await campaigns.runDaily(dealerId, '2026-05-01');
    expect(task(edge.v)).toMatchObject({ result: 'came', result_on: '2026-04-29', credited_channel: 'letter', credited_staff_id: other });
    expect(task(late.v)).toMatchObject({ result: 'came', result_on: '2026-04-30', credited_channel: null, credited_staff_id: null });
    expect(task(called.v)).toMatchObject({ status: 'done', result: 'came', credited_channel: 'phone', credited_staff_id: agent });
  });

  it('shows who is in the shop right now: a repair order open today, not one that closed yesterday', async () => {
    const inShop = maintenanceCar();
    const leavingToday = maintenanceCar();
    const left = maintenanceCar();
    await campaigns.runDaily(dealerId, '2026-03-02');
    // Bodywork is not a service visit, so the reminders stay open while the car is in.
    addRepairOrder(handle, dealerId, inShop.v, { openedOn: '2026-03-01', closedOn: null, category: 'bodywork' });
    addRepairOrder(handle, dealerId, leavingToday.v, { openedOn: '2026-02-27', closedOn: '2026-03-02', category: 'bodywork' });
    addRepairOrder(handle, dealerId, left.v, { openedOn: '2026-02-27', closedOn: '2026-03-01', category: 'bodywork' });
    const q = await campaigns.work.queue(dealerId, agent, '2026-03-02', at('2026-03-02T02:00:00Z'));
    expect(Object.fromEntries(q.map((x) => [x.vehicleId, x.inShop]))).toEqual({ [inShop.v]: true, [leavingToday.v]: true, [left.v]: false });
  });

  it('a callback outcome needs a time and brings the task back first at that time; no-answer hides it for a day', async () => {
    const a = maintenanceCar();
    const b = maintenanceCar();
    await campaigns.runDaily(dealerId, '2026-03-02');
    const now = at('2026-03-02T02:00:00Z');
    const call = { dealerId, staffId: agent, now, today: '2026-03-02' };
    await expect(campaigns.work.recordCall({ ...call, taskId: String(task(a.v).id), disposition: 'callback' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await campaigns.work.recordCall({ ...call, taskId: String(task(a.v).id), disposition: 'callback', callbackAt: '2026-03-02T07:00:00.000Z' });
    await campaigns.work.recordCall({ ...call, taskId: String(task(b.v).id), disposition: 'no_answer' });
    expect(await campaigns.work.queue(dealerId, agent, '2026-03-02', at('2026-03-02T06:00:00Z'))).toHaveLength(0);
    const later = await campaigns.work.queue(dealerId, agent, '2026-03-02', at('2026-03-02T07:30:00Z'));
    expect(later.map((x) => x.taskId)).toEqual([task(a.v).id]);
    const tomorrow = await campaigns.work.queue(dealerId, agent, '2026-03-03', at('2026-03-03T07:30:00Z'));
    expect(tomorrow.map((x) => x.taskId)).toEqual([task(a.v).id, task(b.v).id]);
  });

  it('falls back to SMS after five unreachable days, or to a letter when SMS is opted out', async () => {
    const a = maintenanceCar();
    const b = maintenanceCar();
    handle.sqlite
      .prepare(`insert into contact_preference (customer_id, dealer_id, sms_opt_out, opt_out_at, opt_out_source, created_at, updated_at) values (?, ?, 1, ?, 'sms_reply:TD', ?, ?)`)
      .run(b.c, dealerId, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
    const smsDay = await campaigns.runDaily(dealerId, '2026-02-21');
    expect(smsDay.sms).toEqual({ queued: 1, tasks: 1, postponed: 0, skipped: { sms_opt_out: 1 } });
    await campaigns.runDaily(dealerId, '2026-03-02');
    const days = ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'];
    const results = [];
    for (const [i, today] of days.entries()) {
      // Two attempts on the first day count as one unreachable day.
      const tries = i === 0 ? 2 : 1;
      for (let k = 0; k < tries; k++) {
        results.push(await campaigns.work.recordCall({ dealerId, taskId: String(task(a.v).id), staffId: agent, disposition: 'busy', now: at(`${today}T0${k + 2}:00:00Z`), today }));
        if (k === 0) await campaigns.work.recordCall({ dealerId, taskId: String(task(b.v).id), staffId: agent, disposition: 'busy', now: at(`${today}T02:00:00Z`), today });
      }
    }
    expect(results.map((r) => r.fallback)).toEqual([null, null, null, null, null, 'sms']);
    expect(task(a.v)).toMatchObject({ status: 'closed', close_reason: 'unreachable', fallback: 1 });
    // The fallback is the campaign's SMS of that day to the customer (the step SMS of 02-21 was the other one).
    expect(handle.sqlite.prepare(`select dedupe_key from campaign_sms where customer_id = ? order by created_at`).pluck().all(a.c)).toEqual([
      expect.stringMatching(/:2026-02-21$/),
      expect.stringMatching(/:2026-03-06$/),
    ]);
    expect(handle.sqlite.prepare(`select count(*) from campaign_sms where customer_id = ?`).pluck().get(b.c)).toBe(0);
    // b refused SMS (the modem's TD flag) and the earlier SMS step was skipped for it too.
    expect(task(b.v)).toMatchObject({ status: 'open', fallback: 1, step_channel: 'letter', step_on: '2026-03-06' });
    expect(handle.sqlite.prepare(`select skipped_reason from campaign_touch where task_id = ? and channel = 'sms'`).pluck().all(task(b.v).id)).toEqual(['sms_opt_out']);
    const letters = await campaigns.letters.batch(dealerId, '2026-03-06');
    expect(letters.items.map((l) => l.taskId)).toEqual([task(b.v).id]);
    await campaigns.letters.markPrinted(dealerId, [String(task(b.v).id)], agent, '2026-03-06');
    expect(task(b.v)).toMatchObject({ status: 'closed', close_reason: 'unreachable' });
  });

  it('settles no-shows after the window and lists them in follow-up mode until followed up', async () => {
    const { v } = maintenanceCar();
    await campaigns.runDaily(dealerId, '2026-03-02');
    await campaigns.work.recordCall({ dealerId, taskId: String(task(v).id), staffId: agent, disposition: 'reached', now: at('2026-03-02T02:00:00Z'), today: '2026-03-02', willCome: true });
    await campaigns.runDaily(dealerId, '2026-03-31');
    expect(task(v)).toMatchObject({ status: 'done', result: 'no_show', result_on: '2026-03-30' });
    const follow = await campaigns.work.queue(dealerId, agent, '2026-03-31', at('2026-03-31T02:00:00Z'), 'followup');
    expect(follow.map((f) => f.taskId)).toEqual([task(v).id]);
    await campaigns.work.recordFollowUp({ dealerId, taskId: String(task(v).id), staffId: agent, now: at('2026-03-31T03:00:00Z'), feedbackReason: 'too_busy', followupRemark: '下月再来' });
    expect(task(v)).toMatchObject({ feedback_reason: 'too_busy', followup_remark: '下月再来' });
    expect(await campaigns.work.queue(dealerId, agent, '2026-03-31', at('2026-03-31T04:00:00Z'), 'followup')).toHaveLength(0);
  });

  it('honours turn-offs: a customer who refused maintenance contact and a sold vehicle get no task, and are counted', async () => {
    const refused = maintenanceCar();
    const sold = maintenanceCar();
    const ok = maintenanceCar();
    campaigns.preferences.set(dealerId, { customerId: refused.c, purpose: 'maintenance', channel: 'any', reason: '客户要求不再打扰', staffId: agent });
    campaigns.preferences.markVehicleSold(dealerId, sold.c, sold.v, agent);
    expect(() => campaigns.preferences.set(dealerId, { customerId: ok.c, purpose: 'marketing', channel: 'sms', reason: '  ' })).toThrow();
    const r = await campaigns.generate(dealerId, '2026-03-02');
    expect(r.byCampaign.maintenance).toMatchObject({ created: 1, skipped: { turned_off: 1, vehicle_sold: 1 } });
    expect(task(ok.v)).toBeTruthy();
    expect(task(refused.v)).toBeUndefined();
    expect((await campaigns.preferences.history(sold.c)).map((h) => [h.kind, h.action])).toEqual([['sold', 'set']]);
  });

  it('claims: two seats racing for one task, one wins; a stale claim frees up after the TTL', async () => {
    const { v } = maintenanceCar();
    await campaigns.runDaily(dealerId, '2026-03-02');
    const id = String(task(v).id);
    const second = openDatabase(store.file);
    try {
      const seat2 = createCampaigns({ handle: second });
      const now = at('2026-03-02T02:00:00Z');
      const wins = await Promise.all([campaigns.work.claim(dealerId, id, agent, now), seat2.work.claim(dealerId, id, other, now)]);
      expect(wins.filter(Boolean)).toHaveLength(1);
      const winner = wins[0] ? agent : other;
      const loser = wins[0] ? other : agent;
      const loserSeat = wins[0] ? seat2 : campaigns;
      await expect(loserSeat.work.recordCall({ dealerId, taskId: id, staffId: loser, disposition: 'reached', now, today: '2026-03-02', willCome: true })).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await loserSeat.work.next(dealerId, loser, '2026-03-02', now)).toBeNull();
      expect(await loserSeat.work.claim(dealerId, id, loser, at('2026-03-02T02:31:00Z'))).toBe(true);
      expect(winner).not.toBe(loser);
    } finally {
      second.close();
    }
  });

  it('reports per campaign and per agent: target, reminded, reached, came, rates', async () => {
    const a = maintenanceCar();
    const b = maintenanceCar();
    await campaigns.runDaily(dealerId, '2026-03-02');
    await campaigns.work.recordCall({ dealerId, taskId: String(task(a.v).id), staffId: agent, disposition: 'reached', now: at('2026-03-02T02:00:00Z'), today: '2026-03-02', willCome: true });
    await campaigns.work.recordCall({ dealerId, taskId: String(task(b.v).id), staffId: agent, disposition: 'no_answer', now: at('2026-03-02T02:05:00Z'), today: '2026-03-02' });
    addRepairOrder(handle, dealerId, a.v, { openedOn: '2026-03-05', category: 'maintenance' });
    await campaigns.runDaily(dealerId, '2026-03-06');
    const feb = await campaigns.report(dealerId, '2026-02', '2026-02', '2026-03-06');
    expect(feb.campaigns.find((r) => r.kind === 'maintenance' && r.month === null)).toMatchObject({ target: 2, reminded: 2, reached: 1, came: 1, cameAfterReminder: 1, remindRate: 100, cameRate: 50 });
    const march = await campaigns.report(dealerId, '2026-03', '2026-03', '2026-03-06');
    const calls = { staffId: agent, calls: 2, tasksCalled: 2, reached: 1, cameCredited: 1, reachRate: 50 };
    expect(march.agents).toEqual([expect.objectContaining({ ...calls, month: null }), expect.objectContaining({ ...calls, month: '2026-03' })]);
  });
});
