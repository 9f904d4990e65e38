/**
 * The campaigns channels through the real composition root: roles, validation issue paths, the agent's
 * queue → claim → outcome flow, conflicts between seats, assignment and the report.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../../main/campaigns';
import { dealerToday } from '../../../main/campaigns/handlers';
import type { Services } from '../../../main/services';
import type { CallContext } from '../../../main/rpc';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { call, newContext, ok, signIn, startServices } from '../../support/services';
import { newId } from '../../../db/ids';
import { addCustomer, addRepairOrder, addVehicle } from './fixture';

let services: Services;
let store: TestStore;
let cleanup: () => void;
let agent: CallContext;
let supervisor: CallContext;
let admin: CallContext;
const today = dealerToday();

/** A car whose 定保 fell due five days ago: its phone step (+2) is due, the reason call (+30) not yet. */
function dueCar(name: string) {
  const c = addCustomer(services.handle, store.dealerId, { name, address: '广州市天河路 1 号' });
  const v = addVehicle(services.handle, store.dealerId, c, { purchaseDate: null, purchasedHere: false });
  addRepairOrder(services.handle, store.dealerId, v, { openedOn: addMonths(addDays(today, -5), -6), category: 'maintenance' });
  return { c, v };
}

beforeAll(async () => {
  const tmp = tempDir('campaign-handlers-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  services = await startServices(store);
  for (let i = 0; i < 12; i++) dueCar(`客户${i}`);
  agent = await signIn(services, store.staff.agent);
  supervisor = await signIn(services, store.staff.supervisor);
  admin = await signIn(services, store.staff.admin);
});
afterAll(async () => {
  await services.close();
  cleanup();
});


describe('campaigns channels', () => {
  it('only supervisors and admins generate, assign and read the report; sign-in is required', async () => {
    for (const name of ['campaigns.generate', 'campaigns.assign', 'campaigns.report', 'campaigns.tasks', 'campaigns.exportReport'] as const) {
      const r = await call(services, agent, name, {});
      expect(r.ok ? null : r.error.code).toBe('FORBIDDEN');
    }
    const anonymous = await call(services, newContext(), 'campaigns.queue', {});
    expect(anonymous.ok ? null : anonymous.error.code).toBe('UNAUTHENTICATED');
  });

  it('generate creates call tasks once (idempotent) and reports per campaign', async () => {
    const first = ok(await call(services, supervisor, 'campaigns.generate', {}));
    expect(first.today).toBe(today);
    expect(first.created).toBeGreaterThanOrEqual(6);
    expect(first.openTasks).toBeGreaterThanOrEqual(6);
    expect(first.byCampaign.find((c) => c.kind === 'maintenance')?.created).toBe(12);
    const again = ok(await call(services, admin, 'campaigns.generate', {}));
    expect(again.created).toBe(0);
    expect(again.openTasks).toBe(first.openTasks);
  });

  it('the agent works the queue: claim, not-coming needs a reason at the field, reached → done', async () => {
    const queue = ok(await call(services, agent, 'campaigns.queue', { mode: 'work' }));
    expect(queue.items.length).toBeGreaterThanOrEqual(6);
    const first = queue.items[0];
    if (!first) throw new Error('empty queue');
    expect(first.campaignNameZh).toBe('定期保养招揽');
    expect(first.stepChannel).toBe('phone');
    expect(first.overdueDays).toBe(3);
    expect(first.plate).toMatch(/^粤A/);

    const claimed = ok(await call(services, agent, 'campaigns.claim', { taskId: first.taskId }));
    expect(claimed.claimedBy).toBe(store.staff.agent.id);
    // Another seat cannot take it meanwhile.
    const stolen = await call(services, supervisor, 'campaigns.claim', { taskId: first.taskId });
    expect(stolen.ok ? null : stolen.error.code).toBe('CONFLICT');

    const noReason = await call(services, agent, 'campaigns.recordCall', { taskId: first.taskId, disposition: 'reached', willCome: false });
    expect(noReason.ok).toBe(false);
    if (!noReason.ok) {
      expect(noReason.error.code).toBe('VALIDATION');
      expect(noReason.error.issues?.map((i) => i.path)).toEqual(['feedbackReason']);
    }
    const unknown = await call(services, agent, 'campaigns.recordCall', { taskId: first.taskId, disposition: 'shouted' });
    expect(!unknown.ok && unknown.error.issues?.[0]?.path).toBe('disposition');

    const reasons = ok(await call(services, agent, 'campaigns.reasons', { kind: 'feedback' }));
    const reason = reasons[0];
    if (!reason) throw new Error('no feedback reasons');
    const saved = ok(
      await call(services, agent, 'campaigns.recordCall', {
        taskId: first.taskId, disposition: 'reached', willCome: false, feedbackReason: reason.code, campaignRemark: '下月再来', followupRemark: '回访：价格',
      }),
    );
    expect(saved.status).toBe('done');
    const after = ok(await call(services, agent, 'campaigns.queue', { mode: 'work' }));
    expect(after.items.some((i) => i.taskId === first.taskId)).toBe(false);
    const worked = ok(await call(services, agent, 'campaigns.worked', {}));
    const done = worked.items.find((i) => i.taskId === first.taskId);
    expect(done).toMatchObject({ status: 'done', willCome: false, feedbackReason: reason.code, campaignRemark: '下月再来', followupRemark: '回访：价格', lastDisposition: 'reached' });
  });

  it('no answer keeps the task open with the outcome noted; call back needs a future time', async () => {
    const next = ok(await call(services, agent, 'campaigns.next', { mode: 'work' }));
    if (!next) throw new Error('no next task');
    expect(next.claimedBy).toBe(store.staff.agent.id);
    const r = ok(await call(services, agent, 'campaigns.recordCall', { taskId: next.taskId, disposition: 'no_answer' }));
    expect(r.status).toBe('open');
    const worked = ok(await call(services, agent, 'campaigns.worked', {}));
    expect(worked.items.find((i) => i.taskId === next.taskId)).toMatchObject({ status: 'open', lastDisposition: 'no_answer', claimedBy: null });

    const other = ok(await call(services, agent, 'campaigns.next', { mode: 'work' }));
    if (!other) throw new Error('no next task');
    const noTime = await call(services, agent, 'campaigns.recordCall', { taskId: other.taskId, disposition: 'callback' });
    expect(!noTime.ok && noTime.error.issues?.[0]?.path).toBe('callbackAt');
    const badTime = await call(services, agent, 'campaigns.recordCall', { taskId: other.taskId, disposition: 'callback', callbackAt: 'tomorrow' });
    expect(!badTime.ok && badTime.error.issues?.[0]?.path).toBe('callbackAt');
    const past = await call(services, agent, 'campaigns.recordCall', { taskId: other.taskId, disposition: 'callback', callbackAt: '2020-01-01T10:00:00+08:00' });
    expect(!past.ok && past.error.issues?.[0]?.path).toBe('callbackAt');
    const later = new Date(Date.now() + 3 * 3600_000).toISOString();
    expect(ok(await call(services, agent, 'campaigns.recordCall', { taskId: other.taskId, disposition: 'callback', callbackAt: later })).status).toBe('open');
    const released = ok(await call(services, agent, 'campaigns.release', { taskId: other.taskId }));
    expect(released.ok).toBe(true);
  });

  it('close needs a manual reason from the list; automatic reasons are not offered', async () => {
    const closeReasons = ok(await call(services, agent, 'campaigns.reasons', { kind: 'close' }));
    expect(closeReasons.map((r) => r.code)).not.toContain('came_early');
    const task = ok(await call(services, agent, 'campaigns.queue', {})).items[0];
    if (!task) throw new Error('empty queue');
    const bad = await call(services, agent, 'campaigns.close', { taskId: task.taskId, reason: 'nope' });
    expect(!bad.ok && bad.error.issues?.[0]?.path).toBe('reason');
    const empty = await call(services, agent, 'campaigns.close', { taskId: task.taskId, reason: '' });
    expect(!empty.ok && empty.error.issues?.[0]?.path).toBe('reason');
    expect(ok(await call(services, agent, 'campaigns.close', { taskId: task.taskId, reason: 'duplicate', remark: '重复' })).ok).toBe(true);
    const twice = await call(services, agent, 'campaigns.close', { taskId: task.taskId, reason: 'duplicate' });
    expect(twice.ok ? null : twice.error.code).toBe('CONFLICT');
  });

  it('a supervisor assigns tasks; assigned tasks leave other seats’ queues; bad staff is a field error', async () => {
    const tasks = ok(await call(services, supervisor, 'campaigns.tasks', { assigned: 'unassigned' }));
    const ids = tasks.items.slice(0, 2).map((t) => t.taskId);
    expect(ids).toHaveLength(2);
    const bad = await call(services, supervisor, 'campaigns.assign', { taskIds: ids, staffId: newId() });
    expect(!bad.ok && bad.error.issues?.[0]?.path).toBe('staffId');
    const emptyList = await call(services, supervisor, 'campaigns.assign', { taskIds: [], staffId: null });
    expect(!emptyList.ok && emptyList.error.issues?.[0]?.path).toBe('taskIds');
    expect(ok(await call(services, supervisor, 'campaigns.assign', { taskIds: ids, staffId: store.staff.admin.id })).assigned).toBe(2);
    const agentQueue = ok(await call(services, agent, 'campaigns.queue', {}));
    expect(agentQueue.items.some((i) => ids.includes(i.taskId))).toBe(false);
    const all = ok(await call(services, supervisor, 'campaigns.tasks', { assigned: 'any' }));
    expect(all.items.filter((i) => ids.includes(i.taskId)).map((i) => i.assignedName)).toEqual(['测试admin', '测试admin']);
    const unassigned = ok(await call(services, supervisor, 'campaigns.tasks', { assigned: 'unassigned' }));
    expect(unassigned.items.some((i) => ids.includes(i.taskId))).toBe(false);
  });

  it('round-robin deals tasks over the chosen agents; by-responsible uses the customer’s agent', async () => {
    const tasks = ok(await call(services, supervisor, 'campaigns.tasks', { assigned: 'unassigned' }));
    const ids = tasks.items.slice(0, 2).map((t) => t.taskId);
    const bad = await call(services, supervisor, 'campaigns.assignRoundRobin', { taskIds: ids, staffIds: [] });
    expect(!bad.ok && bad.error.issues?.[0]?.path).toBe('staffIds');
    const stranger = await call(services, supervisor, 'campaigns.assignRoundRobin', { taskIds: ids, staffIds: [newId()] });
    expect(!stranger.ok && stranger.error.issues?.[0]?.path).toBe('staffIds');
    expect(ok(await call(services, supervisor, 'campaigns.assignRoundRobin', { taskIds: ids, staffIds: [store.staff.agent.id, store.staff.supervisor.id] })).assigned).toBe(2);
    const all = ok(await call(services, supervisor, 'campaigns.tasks', { assigned: 'any' }));
    expect(ids.map((id) => all.items.find((i) => i.taskId === id)?.assignedStaffId)).toEqual([store.staff.agent.id, store.staff.supervisor.id]);

    const left = ok(await call(services, supervisor, 'campaigns.tasks', { assigned: 'unassigned' })).items[0];
    if (!left) throw new Error('no unassigned task');
    services.handle.sqlite.prepare('update customer set responsible_staff_id = ? where id = ?').run(store.staff.agent.id, left.customerId);
    expect(ok(await call(services, supervisor, 'campaigns.assignByResponsible', {})).assigned).toBeGreaterThanOrEqual(1);
    const after = ok(await call(services, supervisor, 'campaigns.tasks', { assigned: 'any' })).items.find((i) => i.taskId === left.taskId);
    expect(after?.assignedStaffId).toBe(store.staff.agent.id);
    const forbidden = await call(services, agent, 'campaigns.assignByResponsible', {});
    expect(forbidden.ok ? null : forbidden.error.code).toBe('FORBIDDEN');
  });

  it('follow-up mode lists no-shows; the follow-up needs a reason from the list', async () => {
    const id = services.handle.sqlite.prepare("select id from campaign_task where status = 'open' and assigned_staff_id is null order by id limit 1").pluck().get();
    if (typeof id !== 'string') throw new Error('no open task');
    services.handle.sqlite.prepare("update campaign_task set result = 'no_show', result_on = ? where id = ?").run(today, id);
    const followup = ok(await call(services, agent, 'campaigns.queue', { mode: 'followup' }));
    expect(followup.items.map((i) => i.taskId)).toContain(id);
    const missing = await call(services, agent, 'campaigns.recordFollowUp', { taskId: id, feedbackReason: '' });
    expect(!missing.ok && missing.error.issues?.[0]?.path).toBe('feedbackReason');
    const unknown = await call(services, agent, 'campaigns.recordFollowUp', { taskId: id, feedbackReason: 'aliens' });
    expect(!unknown.ok && unknown.error.issues?.[0]?.path).toBe('feedbackReason');
    expect(ok(await call(services, agent, 'campaigns.recordFollowUp', { taskId: id, feedbackReason: 'too_busy', followupRemark: '出差中' })).ok).toBe(true);
    const after = ok(await call(services, agent, 'campaigns.queue', { mode: 'followup' }));
    expect(after.items.map((i) => i.taskId)).not.toContain(id);
    const notNoShow = ok(await call(services, agent, 'campaigns.queue', {})).items[0];
    if (!notNoShow) throw new Error('empty queue');
    const wrong = await call(services, agent, 'campaigns.recordFollowUp', { taskId: notNoShow.taskId, feedbackReason: 'too_busy' });
    expect(wrong.ok ? null : wrong.error.code).toBe('CONFLICT');
  });

  it('the report counts reached per campaign and per agent over a period of months, and exports to Excel', async () => {
    const month = (d: string) => d.slice(0, 7);
    const badRange = await call(services, supervisor, 'campaigns.report', { from: month(today), to: month(addMonths(today, -1)) });
    expect(!badRange.ok && badRange.error.issues?.[0]).toMatchObject({ path: 'to', message: { zh: '结束月份不能早于开始月份，且最多 120 个月' } });
    const tooLong = await call(services, supervisor, 'campaigns.report', { from: month(addMonths(today, -120)), to: month(today) });
    expect(!tooLong.ok && tooLong.error.issues?.[0]?.path).toBe('to');
    const badMonth = await call(services, supervisor, 'campaigns.report', { from: today, to: month(today) });
    expect(!badMonth.ok && badMonth.error.issues?.[0]).toMatchObject({ path: 'from', message: { en: 'Months are written YYYY-MM' } });
    const period = { from: month(addDays(today, -60)), to: month(today) };
    const report = ok(await call(services, supervisor, 'campaigns.report', period));
    const maintenance = report.campaigns.find((c) => c.kind === 'maintenance' && c.month === null);
    expect(maintenance).toMatchObject({ target: 12, reached: 1 });
    expect(report.steps.find((s) => s.kind === 'maintenance' && s.channel === 'phone' && s.month === null)).toMatchObject({ stepSeq: 2, reminded: 3 });
    const me = report.agents.find((a) => a.staffId === store.staff.agent.id && a.month === null);
    expect(me).toMatchObject({ calls: 3, tasksCalled: 3, reached: 1 });
    const file = ok(await call(services, supervisor, 'campaigns.exportReport', { ...period, lang: 'en' }));
    expect(file.fileName).toMatch(/\.xlsx$/);
    expect(file.rows).toBe(report.campaigns.length + report.steps.length + report.agents.length);
    expect(Buffer.from(file.base64, 'base64').subarray(0, 2).toString()).toBe('PK');
  });

  it('marks a customer whose car is in the shop today (an open repair order) in the queue and the supervisor’s list', async () => {
    const { v } = dueCar('在店客户');
    ok(await call(services, supervisor, 'campaigns.generate', {}));
    // Bodywork opened yesterday and not closed: the car is in, and the 定保 reminder is not settled by it.
    addRepairOrder(services.handle, store.dealerId, v, { openedOn: addDays(today, -1), closedOn: null, category: 'bodywork' });
    const mine = ok(await call(services, agent, 'campaigns.queue', {})).items;
    const row = mine.find((i) => i.vehicleId === v);
    expect(row).toMatchObject({ inShop: true, status: 'open' });
    expect(mine.filter((i) => i.inShop).map((i) => i.vehicleId)).toEqual([v]);
    const all = ok(await call(services, supervisor, 'campaigns.tasks', {})).items;
    expect(all.find((i) => i.vehicleId === v)?.inShop).toBe(true);
  });

  it('every task list exports to Excel with the rows it shows, for supervisors', async () => {
    const denied = await call(services, agent, 'campaigns.exportTasks', { list: 'work' });
    expect(denied.ok ? null : denied.error.code).toBe('FORBIDDEN');
    const sheet = async (list: 'work' | 'followup' | 'worked' | 'open' | 'unassigned', lang: 'zh' | 'en' = 'zh') => {
      const file = ok(await call(services, supervisor, 'campaigns.exportTasks', { list, lang }));
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(Uint8Array.from(Buffer.from(file.base64, 'base64')).buffer);
      const rows = (book.worksheets[0]?.getSheetValues() ?? []).filter(Boolean).map((r) => (Array.isArray(r) ? r.slice(1) : []));
      return { file, header: rows[0] ?? [], rows: rows.slice(1) };
    };
    const open = ok(await call(services, supervisor, 'campaigns.tasks', {})).items;
    const all = await sheet('open');
    expect(all.file).toMatchObject({ rows: open.length, truncated: false, fileName: `招揽任务_全部未完成_${today}.xlsx` });
    expect(all.header.slice(0, 6)).toEqual(['招揽活动 Campaign', '到期日 Due', '当前步骤 Step', '步骤日期 Step date', '逾期天数 Days overdue', '客户 Customer']);
    expect(all.rows.map((r) => r[5])).toEqual(open.map((i) => i.customerName));
    // The no-answer call of an earlier test shows its outcome by name; the in-shop customer says so.
    const outcome = all.header.indexOf('通话结果 Outcome');
    const noAnswer = open.findIndex((i) => i.lastDisposition === 'no_answer');
    expect(noAnswer).toBeGreaterThanOrEqual(0);
    expect(all.rows[noAnswer]?.[outcome]).toBe('无人接听');
    expect(all.rows.find((r) => r[5] === '在店客户')?.[all.header.indexOf('在店 In shop')]).toBe('是');
    expect(all.rows[0]?.[0]).toBe('定期保养招揽');
    expect((await sheet('open', 'en')).rows[0]?.[0]).toBe('Scheduled maintenance');
    const unassigned = ok(await call(services, supervisor, 'campaigns.tasks', { assigned: 'unassigned' })).items;
    expect((await sheet('unassigned')).rows.map((r) => r[5])).toEqual(unassigned.map((i) => i.customerName));
    // The supervisor's own queue and today's worked list, as those tabs show them.
    const mine = ok(await call(services, supervisor, 'campaigns.queue', {})).items;
    expect((await sheet('work')).rows.map((r) => r[5])).toEqual(mine.map((i) => i.customerName));
    const worked = ok(await call(services, supervisor, 'campaigns.worked', {})).items;
    expect((await sheet('worked')).file.rows).toBe(worked.length);
  });
});
