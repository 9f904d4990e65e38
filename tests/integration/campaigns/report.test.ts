/**
 * 招揽成功率 on a hand-built fixture with fixed days: per campaign and month, per step and channel,
 * per agent and month, and the Excel export holding the same rows and columns as the screen.
 *
 * 定保 plan: letter −30, SMS −7, phone +2, reason call +30. A and B are due 2026-02-28, C 2026-03-15.
 *   A: letter printed 01-29, SMS 02-21, reached by the agent 03-02, came 03-05 (credited to that call).
 *   B: letter never printed (the SMS step supersedes it), SMS skipped (no mobile, only a landline), no answer 03-02.
 *   C: letter printed 02-13, SMS 03-08, came 03-10 (credited to the SMS).
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { createCampaigns, type Campaigns } from '../../../main/campaigns';
import { campaignReport, type CampaignReport } from '../../../main/campaigns/report';
import { reportWorkbook } from '../../../main/campaigns/report-excel';
import { createTemplates } from '../../../main/templates';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { addCustomer, addRepairOrder, addVehicle } from './fixture';

const tmp = tempDir('campaign-report-');
let handle: DbHandle;
let store: TestStore;
let dealerId: string;
let campaigns: Campaigns;
let agent: string;
const at = (iso: string) => new Date(iso);

function car(name: string, lastService: string, mobile: string | null) {
  const c = addCustomer(handle, dealerId, { name, mobile, phone2: mobile ? null : '020-83331234', address: '广州市天河路 1 号' });
  const v = addVehicle(handle, dealerId, c, { purchaseDate: null, purchasedHere: false });
  addRepairOrder(handle, dealerId, v, { openedOn: lastService, category: 'maintenance' });
  return v;
}
const taskOf = (vehicleId: string) =>
  String(handle.sqlite.prepare(`select t.id from campaign_task t join campaign c on c.id = t.campaign_id where c.kind = 'maintenance' and t.vehicle_id = ?`).pluck().get(vehicleId));

let report: CampaignReport;

beforeAll(async () => {
  store = await createTestStore(tmp.dir);
  dealerId = store.dealerId;
  agent = store.staff.agent.id;
  handle = openDatabase(store.file);
  await createTemplates({ handle }).ensureDefaults(dealerId);
  campaigns = createCampaigns({ handle });
  await campaigns.config.ensureDefaults(dealerId);

  const a = car('甲', '2025-08-31', '13900000001');
  const b = car('乙', '2025-08-31', null);
  const c = car('丙', '2025-09-15', '13900000003');
  await campaigns.runDaily(dealerId, '2026-01-29');
  await campaigns.letters.markPrinted(dealerId, [taskOf(a)], null, '2026-01-29');
  await campaigns.runDaily(dealerId, '2026-02-13');
  await campaigns.letters.markPrinted(dealerId, [taskOf(c)], null, '2026-02-13');
  await campaigns.runDaily(dealerId, '2026-02-21');
  await campaigns.runDaily(dealerId, '2026-03-02');
  await campaigns.work.recordCall({ dealerId, taskId: taskOf(a), staffId: agent, disposition: 'reached', now: at('2026-03-02T02:00:00Z'), today: '2026-03-02', willCome: true });
  await campaigns.work.recordCall({ dealerId, taskId: taskOf(b), staffId: agent, disposition: 'no_answer', now: at('2026-03-02T02:05:00Z'), today: '2026-03-02' });
  addRepairOrder(handle, dealerId, a, { openedOn: '2026-03-05', category: 'maintenance' });
  await campaigns.runDaily(dealerId, '2026-03-06');
  await campaigns.runDaily(dealerId, '2026-03-08');
  addRepairOrder(handle, dealerId, c, { openedOn: '2026-03-10', category: 'maintenance' });
  await campaigns.runDaily(dealerId, '2026-03-11');
  report = await campaigns.report(dealerId, '2026-02', '2026-03', '2026-03-11');
});
afterAll(() => {
  handle.close();
  tmp.cleanup();
});

const only = <T>(rows: T[], pick: (r: T) => boolean): T => {
  const found = rows.filter(pick);
  expect(found).toHaveLength(1);
  return found[0] as T;
};

describe('success-rate report by campaign, step, channel, agent and month', () => {
  it('per campaign: the period total, then one row per month due (target, reminded, 提醒成功率, came after reminder)', () => {
    const rows = report.campaigns.filter((r) => r.kind === 'maintenance');
    expect(rows.map((r) => r.month)).toEqual([null, '2026-02', '2026-03']);
    expect(rows[0]).toMatchObject({ target: 3, reminded: 3, reached: 1, came: 2, cameAfterReminder: 2, remindRate: 100, cameRate: 66.7 });
    expect(rows[1]).toMatchObject({ target: 2, reminded: 2, reached: 1, came: 1, cameAfterReminder: 1, remindRate: 100, cameRate: 50 });
    expect(rows[2]).toMatchObject({ target: 1, reminded: 1, reached: 0, came: 1, cameAfterReminder: 1, remindRate: 100, cameRate: 100 });
    // A's visit on 03-05 opened a 售后回访 call due 03-08, not worked yet.
    expect(report.campaigns.filter((r) => r.kind === 'service_followup')).toEqual([
      expect.objectContaining({ month: null, target: 1, reminded: 0, remindRate: 0 }),
      expect.objectContaining({ month: '2026-03', target: 1, reminded: 0 }),
    ]);
    // A campaign with nothing due still shows, with zeros and no months.
    expect(report.campaigns.filter((r) => r.kind === 'birthday')).toEqual([expect.objectContaining({ month: null, target: 0, reminded: 0, remindRate: 0 })]);
  });

  it('per step and channel: who got to the step, who was reminded by it, and the visits it is credited with', () => {
    const steps = report.steps.filter((r) => r.kind === 'maintenance');
    const row = (stepSeq: number, channel: string, month: string | null) => only(steps, (r) => r.stepSeq === stepSeq && r.channel === channel && r.month === month);
    // Letters: A's printed; B's never was (its SMS step came first), so B did not get to that step.
    expect(row(0, 'letter', '2026-02')).toMatchObject({ offsetDays: -30, target: 1, reminded: 1, remindRate: 100, cameAfterReminder: 0 });
    // SMS: A's queued, B's skipped for want of a mobile.
    expect(row(1, 'sms', '2026-02')).toMatchObject({ offsetDays: -7, target: 2, reminded: 1, remindRate: 50, cameAfterReminder: 0 });
    // Calls: both made; A's visit is credited to the call.
    expect(row(2, 'phone', '2026-02')).toMatchObject({ offsetDays: 2, target: 2, reminded: 2, remindRate: 100, cameAfterReminder: 1 });
    // C (due in March) came after its SMS; its call step (03-17) has not come.
    expect(row(1, 'sms', '2026-03')).toMatchObject({ target: 1, reminded: 1, cameAfterReminder: 1 });
    expect(steps.some((r) => r.stepSeq === 2 && r.month === '2026-03')).toBe(false);
    expect(row(1, 'sms', null)).toMatchObject({ target: 3, reminded: 2, remindRate: 66.7, cameAfterReminder: 1 });
    // Totals come first, then their months; steps in plan order.
    expect(steps.map((r) => `${r.stepSeq}${r.channel}:${r.month ?? 'total'}`)).toEqual([
      '0letter:total', '0letter:2026-02', '0letter:2026-03',
      '1sms:total', '1sms:2026-02', '1sms:2026-03',
      '2phone:total', '2phone:2026-02',
    ]);
    // The unworked 售后回访 call is waiting at its step: a target not yet reminded.
    expect(only(report.steps, (r) => r.kind === 'service_followup' && r.month === '2026-03')).toMatchObject({ stepSeq: 0, channel: 'phone', target: 1, reminded: 0 });
  });

  it('per agent, by the month of the calls: calls, tasks called, reached and the visits credited', () => {
    expect(report.agents).toEqual([
      expect.objectContaining({ staffId: agent, month: null, calls: 2, tasksCalled: 2, reached: 1, reachRate: 50, cameCredited: 1 }),
      expect.objectContaining({ staffId: agent, month: '2026-03', calls: 2, tasksCalled: 2, reached: 1, reachRate: 50, cameCredited: 1 }),
    ]);
  });

  it('a narrower period keeps only its months', async () => {
    const feb = await campaigns.report(dealerId, '2026-02', '2026-02', '2026-03-11');
    expect(feb.campaigns.filter((r) => r.kind === 'maintenance').map((r) => [r.month, r.target])).toEqual([[null, 2], ['2026-02', 2]]);
    // No calls were made in February.
    expect(feb.agents).toEqual([]);
    await expect(campaignReport(handle, dealerId, '2026-03', '2026-02', '2026-03-11')).rejects.toThrow(RangeError);
  });

  it('the Excel export has the three tables with the same rows and columns as the screen', async () => {
    const { buffer, rows } = await reportWorkbook(report, 'zh');
    expect(rows).toBe(report.campaigns.length + report.steps.length + report.agents.length);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Uint8Array.from(buffer).buffer);
    const values = (sheet: number) =>
      (wb.worksheets[sheet]?.getSheetValues() ?? []).filter(Boolean).map((r) => (Array.isArray(r) ? r.slice(1) : []));
    const byCampaign = values(0);
    expect(byCampaign[0]).toEqual(['招揽活动 Campaign', '月份 Month', '目标 Target', '已提醒 Reminded', '提醒成功率 % Remind rate', '已接通 Reached', '回厂 Came', '提醒后回厂数 Came after reminder', '回厂率 % Came rate']);
    expect(byCampaign).toHaveLength(report.campaigns.length + 1);
    expect(byCampaign).toContainEqual(['定期保养招揽', '合计', 3, 3, 100, 1, 2, 2, 66.7]);
    expect(byCampaign).toContainEqual(['定期保养招揽', '2026-02', 2, 2, 100, 1, 1, 1, 50]);
    const bySteps = values(1);
    expect(bySteps).toHaveLength(report.steps.length + 1);
    expect(bySteps).toContainEqual(['定期保养招揽', '第 2 步 短信 (-7 天)', '2026-02', 2, 1, 50, 0]);
    expect(bySteps).toContainEqual(['定期保养招揽', '第 3 步 电话 (+2 天)', '合计', 2, 2, 100, 1]);
    const byAgent = values(2);
    // The agent's own column is the visits credited to their calls, labelled as on screen, not the campaign's "came after reminder".
    expect(byAgent[0]).toEqual(['坐席 Agent', '月份 Month', '通话次数 Calls', '拨打任务 Tasks called', '接通任务 Reached', '接通率 % Reach rate', '带来回厂 Visits credited']);
    expect(byAgent.slice(1)).toEqual([
      ['测试agent', '合计', 2, 2, 1, 50, 1],
      ['测试agent', '2026-03', 2, 2, 1, 50, 1],
    ]);
    const en = new ExcelJS.Workbook();
    await en.xlsx.load(Uint8Array.from((await reportWorkbook(report, 'en')).buffer).buffer);
    expect(en.worksheets[1]?.getSheetValues().filter(Boolean).map((r) => (Array.isArray(r) ? r.slice(1) : []))).toContainEqual(['Scheduled maintenance', 'Step 2 SMS (-7 d)', 'Total', 3, 2, 66.7, 1]);
  });
});
