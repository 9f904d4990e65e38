/**
 * Contact preferences through the real composition root: the required reason (a field error on
 * `reason`), the append-only history with who did it, who may lift an SMS opt-out the customer sent
 * themselves (a real 退订 SMS through the modem's inbox store), a sold vehicle stopping generation and
 * closing its open tasks, and the campaign SMS step skipping opted-out customers with a counted reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, nowIso } from '../../../db/ids';
import { addDays, addMonths, createCampaigns, createSmsHandoff, type Campaigns } from '../../../main/campaigns';
import { createModem } from '../../../main/modem';
import { dealerToday } from '../../../main/campaigns/handlers';
import { buildDeliver } from '../../../main/modem/pdu';
import { persistIncoming } from '../../../main/modem/store/inbox';
import type { CallContext } from '../../../main/rpc';
import type { Services } from '../../../main/services';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { call, newContext, ok, signIn, startServices } from '../../support/services';
import { addCustomer, addRepairOrder, addVehicle } from '../campaigns/fixture';

let services: Services;
let store: TestStore;
let cleanup: () => void;
let agent: CallContext;
let supervisor: CallContext;
let campaigns: Campaigns;
const today = dealerToday();


function failure(r: { ok: true } | { ok: false; error: { code: string; issues?: Array<{ path: string; message: { zh: string } }> } }) {
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

/** A car whose 定保 falls due `dueInDays` from today (last maintenance six months before). */
function car(name: string, dueInDays: number, mobile?: string) {
  const c = addCustomer(services.handle, store.dealerId, { name, address: '广州市天河路 1 号', ...(mobile ? { mobile } : {}) });
  const v = addVehicle(services.handle, store.dealerId, c, { purchaseDate: null, purchasedHere: false });
  addRepairOrder(services.handle, store.dealerId, v, { openedOn: addMonths(addDays(today, dueInDays), -6), category: 'maintenance' });
  return { c, v };
}

function openTasks(vehicleId: string) {
  return services.handle.sqlite.prepare(`select id, status, close_reason, step_channel from campaign_task where vehicle_id = ?`).all(vehicleId) as Array<{
    id: string;
    status: string;
    close_reason: string | null;
    step_channel: string | null;
  }>;
}

/** The customer texts "TD" to the seat's modem: stored exactly as the modem bridge stores it. */
async function replyTd(mobile: string) {
  const [pdu] = buildDeliver({ sender: `+86${mobile}`, text: 'TD', timestamp: new Date().toISOString() });
  if (!pdu) throw new Error('no PDU');
  const r = await persistIncoming({ handle: services.handle, dealerId: store.dealerId, now: () => Date.now() }, pdu);
  expect(r).toMatchObject({ kind: 'message', message: { optOut: true } });
}

beforeAll(async () => {
  const tmp = tempDir('preferences-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  services = await startServices(store);
  agent = await signIn(services, store.staff.agent);
  supervisor = await signIn(services, store.staff.supervisor);
  // A second campaigns instance over the same store runs the SMS step, as the nightly job does.
  campaigns = createCampaigns({ handle: services.handle });
  await campaigns.config.ensureDefaults(store.dealerId);
  // The SMS step falls back to this template when a step names none (the templates feature writes it on start).
  services.handle.sqlite
    .prepare(`insert or ignore into message_template (id, dealer_id, code, kind, name, body, active, created_at, updated_at)
      values (?, ?, 'sms.followup', 'sms', '保养提醒', '{{称呼}}您好，您的爱车该保养了。', 1, ?, ?)`)
    .run(newId(), store.dealerId, nowIso(), nowIso());
});
afterAll(async () => {
  await services.close();
  cleanup();
});

describe('preferences channels', () => {
  it('require sign-in and a reason; the reason error is on the reason field', async () => {
    const { c } = car('王芳', 40);
    const anonymous = await call(services, newContext(), 'preferences.get', { customerId: c });
    expect(failure(anonymous).code).toBe('UNAUTHENTICATED');
    const blank = failure(await call(services, agent, 'preferences.setFlag', { customerId: c, purpose: 'marketing', channel: 'sms', reason: '   ' }));
    expect(blank.code).toBe('VALIDATION');
    expect(blank.issues).toEqual([{ path: 'reason', message: expect.objectContaining({ zh: '请填写原因（1–200 个字符）' }) }]);
    const soldBlank = failure(await call(services, agent, 'preferences.setVehicleSold', { vehicleId: c, sold: true, reason: '' }));
    expect(soldBlank.issues?.map((i) => i.path)).toEqual(['reason']);
    expect(ok(await call(services, agent, 'preferences.get', { customerId: c })).history).toEqual([]);
  });

  it('an agent turns marketing SMS off and on again; both changes are in the history and the timeline', async () => {
    const { c } = car('李强', 40);
    const set = ok(await call(services, agent, 'preferences.setFlag', { customerId: c, purpose: 'marketing', channel: 'sms', reason: '客户来电要求不要发营销短信' }));
    expect(set.flags).toEqual([expect.objectContaining({ purpose: 'marketing', channel: 'sms', reason: '客户来电要求不要发营销短信', setByName: '测试agent' })]);
    expect(set.history).toEqual([expect.objectContaining({ kind: 'flag', action: 'set', purpose: 'marketing', channel: 'sms', staffName: '测试agent' })]);

    const again = failure(await call(services, agent, 'preferences.clearFlag', { customerId: c, purpose: 'marketing', channel: 'phone', reason: '误操作' }));
    expect(again.code).toBe('CONFLICT');

    const cleared = ok(await call(services, supervisor, 'preferences.clearFlag', { customerId: c, purpose: 'marketing', channel: 'sms', reason: '客户重新同意接收' }));
    expect(cleared.flags).toEqual([]);
    expect(cleared.history.map((h) => [h.action, h.reason, h.staffName])).toEqual([
      ['clear', '客户重新同意接收', '测试supervisor'],
      ['set', '客户来电要求不要发营销短信', '测试agent'],
    ]);
    const timeline = ok(await call(services, agent, 'customers.timeline', { customerId: c }));
    expect(timeline.items.filter((e) => e.kind === 'profile_change').map((e) => e.summary)).toEqual([
      '联系偏好：营销 · 短信 恢复联系（客户重新同意接收）',
      '联系偏好：营销 · 短信 设为免打扰（客户来电要求不要发营销短信）',
    ]);
  });

  it('an opt-out the customer sent by SMS needs a supervisor to lift, with a reason', async () => {
    const mobile = '13900001111';
    const { c } = car('赵敏', 40, mobile);
    await replyTd(mobile);
    const before = ok(await call(services, agent, 'preferences.get', { customerId: c }));
    expect(before.smsOptOut).toMatchObject({ optedOut: true, source: 'sms_reply', replyText: 'TD', needsSupervisor: true });
    expect(before.history).toEqual([expect.objectContaining({ kind: 'sms_opt_out', action: 'set', reason: 'TD', staffName: null })]);

    expect(failure(await call(services, agent, 'preferences.clearSmsOptOut', { customerId: c, reason: '客户来电说想收短信' })).code).toBe('FORBIDDEN');
    expect(failure(await call(services, supervisor, 'preferences.clearSmsOptOut', { customerId: c, reason: '' })).issues?.map((i) => i.path)).toEqual(['reason']);
    const lifted = ok(await call(services, supervisor, 'preferences.clearSmsOptOut', { customerId: c, reason: '客户书面申请恢复短信' }));
    expect(lifted.smsOptOut).toMatchObject({ optedOut: false, needsSupervisor: false });
    expect(lifted.history.map((h) => [h.kind, h.action, h.staffName])).toEqual([
      ['sms_opt_out', 'clear', '测试supervisor'],
      ['sms_opt_out', 'set', null],
    ]);
    expect(failure(await call(services, supervisor, 'preferences.clearSmsOptOut', { customerId: c, reason: '再来一次' })).code).toBe('CONFLICT');
  });

  it('a sold vehicle gets no new task (counted as vehicle_sold) and its open task closes as car_sold', async () => {
    const before = car('孙磊', -5);
    const after = car('周杰', -5);
    const plain = car('吴婷', -5);
    // Sold before generation: never a task, and the run says why.
    ok(await call(services, agent, 'preferences.setVehicleSold', { vehicleId: before.v, sold: true, reason: '客户已把车卖给朋友' }));
    const run = ok(await call(services, supervisor, 'campaigns.generate', {}));
    const maintenance = run.byCampaign.find((b) => b.kind === 'maintenance');
    expect(maintenance?.skipped.vehicle_sold).toBe(1);
    expect(openTasks(before.v)).toEqual([]);
    expect(openTasks(plain.v)).toEqual([expect.objectContaining({ status: 'open', step_channel: 'phone' })]);

    // Sold after: the task in the queue closes at once, and the drawer's check says no call.
    const [task] = openTasks(after.v);
    if (!task) throw new Error('no task generated');
    expect(ok(await call(services, agent, 'preferences.forTask', { taskId: task.id }))).toEqual({
      purpose: 'maintenance', phone: true, sms: true, letter: true, smsOptOut: false, vehicleSold: false,
    });
    const sold = ok(await call(services, agent, 'preferences.setVehicleSold', { vehicleId: after.v, sold: true, reason: '车辆已置换' }));
    expect(sold.closedTasks).toBe(1);
    expect(sold.soldVehicles).toEqual([expect.objectContaining({ vehicleId: after.v, reason: '车辆已置换', setByName: '测试agent' })]);
    expect(openTasks(after.v)).toEqual([expect.objectContaining({ status: 'closed', close_reason: 'car_sold' })]);
    expect(ok(await call(services, agent, 'preferences.forTask', { taskId: task.id }))).toMatchObject({ phone: false, sms: false, letter: false, vehicleSold: true });
    const queue = ok(await call(services, supervisor, 'campaigns.tasks', {}));
    expect(queue.items.map((i) => i.vehicleId)).not.toContain(after.v);

    // Not sold after all: the mark goes, the history keeps both.
    const unsold = ok(await call(services, agent, 'preferences.setVehicleSold', { vehicleId: after.v, sold: false, reason: '登记错了，车还在' }));
    expect(unsold.soldVehicles).toEqual([]);
    expect(unsold.history.map((h) => [h.kind, h.action, h.plate !== null])).toEqual([
      ['sold', 'clear', true],
      ['sold', 'set', true],
    ]);
    expect(failure(await call(services, agent, 'preferences.setVehicleSold', { vehicleId: after.v, sold: false, reason: '再取消一次' })).code).toBe('CONFLICT');
  });

  it('a call flag for the purpose shows in the task check; the campaign SMS step skips opted-out customers and counts why', async () => {
    // Due in five days: the −7 SMS step is the current one.
    const flagged = car('钱进', 5);
    const replied = car('冯雪', 5, '13900002222');
    const marketingOnly = car('陈晨', 5);
    const fine = car('褚明', 5);
    ok(await call(services, agent, 'preferences.setFlag', { customerId: flagged.c, purpose: 'maintenance', channel: 'sms', reason: '保养提醒只要电话' }));
    ok(await call(services, agent, 'preferences.setFlag', { customerId: marketingOnly.c, purpose: 'marketing', channel: 'sms', reason: '不要营销短信' }));
    await replyTd('13900002222');
    await campaigns.generate(store.dealerId, today);
    for (const x of [flagged, replied, marketingOnly, fine]) expect(openTasks(x.v)).toEqual([expect.objectContaining({ step_channel: 'sms' })]);

    const [t] = openTasks(flagged.v);
    if (!t) throw new Error('no task');
    expect(ok(await call(services, agent, 'preferences.forTask', { taskId: t.id }))).toMatchObject({ phone: true, sms: false, smsOptOut: false });

    const sms = await campaigns.sendDueSms(store.dealerId, today);
    expect(sms.skipped).toEqual({ sms_opt_out: 2 });
    expect(sms.queued).toBe(2);
    const touches = services.handle.sqlite
      .prepare(`select t.vehicle_id, tc.skipped_reason from campaign_touch tc join campaign_task t on t.id = tc.task_id where tc.channel = 'sms'`)
      .all() as Array<{ vehicle_id: string; skipped_reason: string | null }>;
    const reasonOf = (v: string) => touches.find((x) => x.vehicle_id === v)?.skipped_reason;
    expect([reasonOf(flagged.v), reasonOf(replied.v), reasonOf(marketingOnly.v), reasonOf(fine.v)]).toEqual(['sms_opt_out', 'sms_opt_out', null, null]);
  });

  it('the call outcome 非车主/已卖车 marks the car sold with the outcome as the reason, so every campaign stops for it', async () => {
    const { c, v } = car('卫东', -5);
    // A repair three days ago: the car also has a 售后回访 call open, a second campaign.
    addRepairOrder(services.handle, store.dealerId, v, { openedOn: addDays(today, -4), closedOn: addDays(today, -3), category: 'repair' });
    ok(await call(services, supervisor, 'campaigns.generate', {}));
    const kinds = () =>
      services.handle.sqlite
        .prepare(`select c.kind, t.status, t.close_reason from campaign_task t join campaign c on c.id = t.campaign_id where t.vehicle_id = ? order by c.kind`)
        .all(v);
    expect(kinds()).toEqual([
      { kind: 'maintenance', status: 'open', close_reason: null },
      { kind: 'service_followup', status: 'open', close_reason: null },
    ]);
    const maintenance = services.handle.sqlite
      .prepare(`select t.id from campaign_task t join campaign c on c.id = t.campaign_id where t.vehicle_id = ? and c.kind = 'maintenance'`)
      .get(v) as { id: string } | undefined;
    if (!maintenance) throw new Error('no task');
    const r = ok(await call(services, agent, 'campaigns.recordCall', { taskId: maintenance.id, disposition: 'not_owner', campaignRemark: '车去年卖给同事了' }));
    expect(r).toEqual({ status: 'done', fallback: null, vehicleSold: true });
    // This call is done (the customer was reached); the other campaign's call closes as 车已卖出.
    expect(kinds()).toEqual([
      { kind: 'maintenance', status: 'done', close_reason: null },
      { kind: 'service_followup', status: 'closed', close_reason: 'car_sold' },
    ]);
    const state = ok(await call(services, agent, 'preferences.get', { customerId: c }));
    expect(state.soldVehicles).toEqual([expect.objectContaining({ vehicleId: v, reason: '通话结果：非车主/已卖车（车去年卖给同事了）', setByName: '测试agent' })]);
    expect(state.history.map((h) => [h.kind, h.action, h.staffName])).toEqual([['sold', 'set', '测试agent']]);
    const timeline = services.handle.sqlite.prepare(`select summary, staff_id from contact_event where customer_id = ? and kind = 'profile_change'`).all(c);
    expect(timeline).toEqual([{ summary: expect.stringContaining('标记为已售，停止提醒（通话结果：非车主/已卖车（车去年卖给同事了））'), staff_id: store.staff.agent.id }]);
    const forTask = ok(await call(services, agent, 'preferences.forTask', { taskId: maintenance.id }));
    expect(forTask).toMatchObject({ phone: false, sms: false, letter: false, vehicleSold: true });
    // Any other outcome leaves the car alone.
    const other = car('韩梅', -5);
    ok(await call(services, supervisor, 'campaigns.generate', {}));
    const [t] = openTasks(other.v);
    if (!t) throw new Error('no task');
    expect(ok(await call(services, agent, 'campaigns.recordCall', { taskId: t.id, disposition: 'reached', willCome: true })).vehicleSold).toBe(false);
    expect(ok(await call(services, agent, 'preferences.get', { customerId: other.c })).soldVehicles).toEqual([]);
  });

  it('marking a car sold is all or nothing: if its timeline entry cannot be written, the car is not sold and its task stays open', async () => {
    const x = car('蒋涛', -5);
    ok(await call(services, supervisor, 'campaigns.generate', {}));
    expect(openTasks(x.v)).toEqual([expect.objectContaining({ status: 'open' })]);
    // A real failure at the last write of the sale (as a full disk or a crash would leave it).
    services.handle.sqlite.exec(`create trigger fail_profile_change before insert on contact_event when new.kind = 'profile_change' begin select raise(abort, 'timeline write failed'); end`);
    try {
      expect(failure(await call(services, agent, 'preferences.setVehicleSold', { vehicleId: x.v, sold: true, reason: '车已卖' })).code).not.toBe('VALIDATION');
    } finally {
      services.handle.sqlite.exec(`drop trigger fail_profile_change`);
    }
    expect(openTasks(x.v)).toEqual([expect.objectContaining({ status: 'open', close_reason: null })]);
    const state = ok(await call(services, agent, 'preferences.get', { customerId: x.c }));
    expect([state.soldVehicles, state.history]).toEqual([[], []]);
    // Written whole once the store takes it: the mark, the closed task and the timeline row that says so.
    expect(ok(await call(services, agent, 'preferences.setVehicleSold', { vehicleId: x.v, sold: true, reason: '车已卖' })).closedTasks).toBe(1);
    expect(services.handle.sqlite.prepare(`select detail from contact_event where customer_id = ? and kind = 'profile_change'`).all(x.c)).toEqual([{ detail: JSON.stringify({ action: 'sold', closedTasks: 1 }) }]);
  });

  it('a 非车主/已卖车 call and the sale it implies commit together: if the sale cannot be written, the call is not recorded either', async () => {
    const x = car('沈冰', -5);
    ok(await call(services, supervisor, 'campaigns.generate', {}));
    const [t] = openTasks(x.v);
    if (!t) throw new Error('no task');
    services.handle.sqlite.exec(`create trigger fail_sold_mark before insert on contact_turnoff when new.kind = 'sold' begin select raise(abort, 'sale write failed'); end`);
    try {
      expect(failure(await call(services, agent, 'campaigns.recordCall', { taskId: t.id, disposition: 'not_owner' })).code).not.toBe('VALIDATION');
    } finally {
      services.handle.sqlite.exec(`drop trigger fail_sold_mark`);
    }
    // Not hidden for a year with the car still someone's: the task is as it was, no touch, no call in the timeline.
    const task = services.handle.sqlite.prepare(`select status, hidden_until, last_touch_on from campaign_task where id = ?`).get(t.id);
    expect(task).toEqual({ status: 'open', hidden_until: null, last_touch_on: null });
    expect(services.handle.sqlite.prepare(`select count(*) as n from campaign_touch where task_id = ?`).get(t.id)).toEqual({ n: 0 });
    expect(services.handle.sqlite.prepare(`select kind from contact_event where customer_id = ?`).all(x.c)).toEqual([]);
    expect(ok(await call(services, agent, 'preferences.get', { customerId: x.c })).soldVehicles).toEqual([]);
    // Once the store takes it, both are there.
    expect(ok(await call(services, agent, 'campaigns.recordCall', { taskId: t.id, disposition: 'not_owner' }))).toEqual({ status: 'done', fallback: null, vehicleSold: true });
    expect(services.handle.sqlite.prepare(`select kind from contact_event where customer_id = ? order by kind`).all(x.c)).toEqual([{ kind: 'call_out' }, { kind: 'profile_change' }]);
  });

  it('a reminder SMS the hand-off drops because the customer opted out meanwhile is no longer a touch of the task', async () => {
    const mobile = '13900003333';
    const x = car('杨帆', 5, mobile);
    await campaigns.generate(store.dealerId, today);
    const [t] = openTasks(x.v);
    if (!t) throw new Error('no task');
    expect((await campaigns.sendDueSms(store.dealerId, today)).queued).toBeGreaterThan(0);
    const touched = () =>
      services.handle.sqlite
        .prepare(`select t.last_touch_on, (select count(*) from campaign_touch tc where tc.task_id = t.id and tc.skipped_reason is null) as made from campaign_task t where t.id = ?`)
        .get(t.id);
    expect(touched()).toEqual({ last_touch_on: today, made: 1 });
    await replyTd(mobile);
    const modem = createModem({ handle: services.handle, emit: () => undefined, dealerId: store.dealerId, config: { port: '' } });
    try {
      const r = await createSmsHandoff({ handle: services.handle, dealerId: () => store.dealerId, outbox: () => modem }).run();
      expect(r.dropped.opted_out).toBeGreaterThan(0);
    } finally {
      await modem.stop();
    }
    expect(services.handle.sqlite.prepare(`select handoff_error from campaign_sms where customer_id = ?`).all(x.c)).toEqual([{ handoff_error: 'opted_out' }]);
    expect(touched()).toEqual({ last_touch_on: null, made: 0 });
  });
});
