/**
 * The Excel exports of 招揽任务 that are not task lists, through the real composition root and read back
 * with exceljs: 信函打印's list (same campaign filter, skipped letters on a second sheet, cut at one
 * file's limit with `truncated`), 生成与分配's 今日跳过及原因 card (generation's and the steps' skips) and
 * 活动设置's lists. All are supervisors' (the screens are); headers and names follow the language asked for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../db/ids';
import { addDays, addMonths } from '../../../main/campaigns';
import { dealerToday } from '../../../main/campaigns/handlers';
import type { CallContext } from '../../../main/rpc';
import type { Services } from '../../../main/services';
import { EXPORT_ROW_LIMIT } from '../../../preload/channels/kit';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { readWorkbook, sheetRows } from '../../support/excel';
import { call, code, ok, signIn, startServices } from '../../support/services';
import { addCustomer, addRepairOrder, addVehicle } from './fixture';

let services: Services;
let store: TestStore;
let cleanup: () => void;
let agent: CallContext;
let supervisor: CallContext;
const today = dealerToday();


/** A car whose 定保 falls due in 20 days: its letter step (−30) is due today. */
function letterCar(name: string, address: string | null) {
  const c = addCustomer(services.handle, store.dealerId, { name, gender: 'F', address });
  const v = addVehicle(services.handle, store.dealerId, c, { purchaseDate: null, purchasedHere: false });
  addRepairOrder(services.handle, store.dealerId, v, { openedOn: addMonths(addDays(today, 20), -6), category: 'maintenance' });
  return { c, v };
}

let maintenanceId = '';

beforeAll(async () => {
  const tmp = tempDir('campaign-exports-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  services = await startServices(store);
  agent = await signIn(services, store.staff.agent);
  supervisor = await signIn(services, store.staff.supervisor);
  letterCar('王芳', '广州市天河路 1 号');
  letterCar('李红', '广州市越秀区中山路 8 号');
  letterCar('赵无址', null);
  // Turned off for every purpose before generation: no task is made for her car (turned_off).
  const off = letterCar('钱免扰', '广州市海珠区江南大道 3 号');
  ok(await call(services, supervisor, 'preferences.setFlag', { customerId: off.c, purpose: 'all', channel: 'any', reason: '客户要求不再联系' }));
  // Templates first (the batch writes the starting ones), so the campaigns' default steps link them.
  ok(await call(services, supervisor, 'letters.batch', {}));
  ok(await call(services, supervisor, 'campaigns.generate', {}));
  const batch = ok(await call(services, supervisor, 'letters.batch', {}));
  maintenanceId = batch.items.find((i) => i.campaignKind === 'maintenance')?.campaignId ?? '';
});
afterAll(async () => {
  await services.close();
  cleanup();
});

describe('信函打印 export', () => {
  it('is for supervisors', async () => {
    expect(code(await call(services, agent, 'letters.export', {}))).toBe('FORBIDDEN');
  });

  it("holds the tab's rows and columns, and today's skipped letters by reason", async () => {
    const batch = ok(await call(services, supervisor, 'letters.batch', {}));
    const file = ok(await call(services, supervisor, 'letters.export', { lang: 'zh' }));
    expect(file).toMatchObject({ fileName: `信函清单_${today}.xlsx`, rows: batch.items.length, truncated: false });
    const book = await readWorkbook(file.base64);
    expect(book.worksheets.map((w) => w.name)).toEqual(['待打印信函', '今日跳过']);
    const rows = sheetRows(book.getWorksheet('待打印信函'));
    expect(rows[0]).toEqual(['客户', '地址', '车牌', '招揽活动', '到期日', '模板', '纸张']);
    expect(rows).toHaveLength(batch.items.length + 1);
    const wang = batch.items.find((i) => i.customerName === '王芳');
    expect(rows).toContainEqual(['王芳', '广州市天河路 1 号', wang?.plate, '定期保养招揽', wang?.dueOn, '招揽信件 (A4)', 'A4']);
    expect(rows.map((r) => r[0])).not.toContain('赵无址');
    expect(sheetRows(book.getWorksheet('今日跳过'))).toEqual([
      ['跳过原因', '封数'],
      ['无地址', 1],
    ]);
  });

  it('follows the campaign filter and the screen language', async () => {
    const file = ok(await call(services, supervisor, 'letters.export', { campaignId: maintenanceId, lang: 'en' }));
    expect(file.fileName).toBe(`信函清单_定期保养招揽_${today}.xlsx`);
    expect(file.rows).toBe(2);
    const book = await readWorkbook(file.base64);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Letters to print', 'Skipped today']);
    const rows = sheetRows(book.getWorksheet('Letters to print'));
    expect(rows[0]).toEqual(['Customer', 'Address', 'Plate', 'Campaign', 'Due', 'Template', 'Paper']);
    expect(rows.slice(1).map((r) => [r[0], r[3]])).toEqual(expect.arrayContaining([['王芳', 'Scheduled maintenance'], ['李红', 'Scheduled maintenance']]));
    expect(sheetRows(book.getWorksheet('Skipped today'))[1]).toEqual(['No address', 1]);
  });
});

describe('今日跳过及原因 export', () => {
  it('is for supervisors', async () => {
    expect(code(await call(services, agent, 'campaigns.exportSkips', {}))).toBe('FORBIDDEN');
  });

  it("holds generation's skips per campaign and the skipped steps, as the card shows them", async () => {
    const card = ok(await call(services, supervisor, 'campaigns.skips', {}));
    const file = ok(await call(services, supervisor, 'campaigns.exportSkips', { lang: 'zh' }));
    expect(file.fileName).toBe(`跳过原因_${today}.xlsx`);
    const book = await readWorkbook(file.base64);
    expect(book.worksheets.map((w) => w.name)).toEqual(['生成跳过', '步骤跳过']);
    const generation = sheetRows(book.getWorksheet('生成跳过'));
    expect(generation[0]).toEqual(['招揽活动', '符合条件', '新增', '跳过合计', '跳过原因']);
    const maintenance = card.generation?.byCampaign.find((r) => r.kind === 'maintenance');
    expect(generation).toContainEqual(['定期保养招揽', maintenance?.candidates, maintenance?.created, 1, '客户免打扰 1']);
    // Campaigns with nothing due today are left out, as on the card.
    expect(generation).toHaveLength((card.generation?.byCampaign ?? []).filter((r) => r.candidates > 0).length + 1);
    const steps = sheetRows(book.getWorksheet('步骤跳过'));
    expect(steps).toEqual([
      ['招揽活动', '步骤渠道', '跳过原因', '数量'],
      ['定期保养招揽', '信件', '无地址', 1],
    ]);
    expect(file.rows).toBe(generation.length - 1 + steps.length - 1);

    const en = await readWorkbook(ok(await call(services, supervisor, 'campaigns.exportSkips', { day: today, lang: 'en' })).base64);
    expect(sheetRows(en.getWorksheet('Steps'))[1]).toEqual(['Scheduled maintenance', 'Letter', 'No address', 1]);
    expect(sheetRows(en.getWorksheet('Generation'))).toContainEqual(expect.arrayContaining(['Scheduled maintenance', 'Customer do-not-contact 1']));
  });

  it('of a day without a run or skips is the two header rows', async () => {
    const file = ok(await call(services, supervisor, 'campaigns.exportSkips', { day: addDays(today, -400), lang: 'zh' }));
    expect(file.rows).toBe(0);
    const book = await readWorkbook(file.base64);
    expect(sheetRows(book.getWorksheet('生成跳过'))).toHaveLength(1);
    expect(sheetRows(book.getWorksheet('步骤跳过'))).toHaveLength(1);
  });
});

describe('活动设置 export', () => {
  it('is for supervisors', async () => {
    expect(code(await call(services, agent, 'campaigns.config.export', {}))).toBe('FORBIDDEN');
  });

  it("holds every list of the tab, a sheet each, with the tab's rows", async () => {
    const campaigns = ok(await call(services, supervisor, 'campaigns.config.list', {}));
    const dispositions = ok(await call(services, supervisor, 'campaigns.config.dispositions', {}));
    const feedback = ok(await call(services, supervisor, 'campaigns.config.reasons', { kind: 'feedback' }));
    const close = ok(await call(services, supervisor, 'campaigns.config.reasons', { kind: 'close' }));
    const rules = ok(await call(services, supervisor, 'campaigns.config.inspectionRules', {}));
    const file = ok(await call(services, supervisor, 'campaigns.config.export', { lang: 'zh' }));
    expect(file).toMatchObject({ fileName: `活动设置_${today}.xlsx`, truncated: false });
    expect(file.rows).toBe(campaigns.length + dispositions.length + feedback.length + close.length + rules.length);
    const book = await readWorkbook(file.base64);
    expect(book.worksheets.map((w) => w.name)).toEqual(['招揽活动', '通话结果', '不来原因', '关闭原因', '年审规则']);

    const listed = sheetRows(book.getWorksheet('招揽活动'));
    expect(listed[0]).toEqual(['招揽活动', '启用', '优先级', '分阶段提醒计划']);
    expect(listed).toHaveLength(campaigns.length + 1);
    expect(listed).toContainEqual(['定期保养招揽', '是', 50, '-30 天 信件；-7 天 短信；+2 天 电话；+30 天 原因回访']);

    const outcomes = sheetRows(book.getWorksheet('通话结果'));
    expect(outcomes[0]).toEqual(['按键', '名称', '编码', '已接通', '联系不上', '隐藏天数', '预约回电', '启用']);
    const first = dispositions.find((d) => d.active);
    expect(outcomes[1]?.slice(0, 3)).toEqual([1, first?.labelZh, first?.code]);

    const closeRows = sheetRows(book.getWorksheet('关闭原因'));
    expect(closeRows).toHaveLength(close.length + 1);
    expect(closeRows.find((r) => r[1] === 'expired')?.[2]).toBe('是');
    expect(sheetRows(book.getWorksheet('年审规则'))).toHaveLength(rules.length + 1);

    const en = await readWorkbook(ok(await call(services, supervisor, 'campaigns.config.export', { lang: 'en' })).base64);
    expect(sheetRows(en.getWorksheet('Campaigns'))).toContainEqual(['Scheduled maintenance', 'Yes', 50, '-30 d Letter; -7 d SMS; +2 d Phone; +30 d Reason call']);
    expect(sheetRows(en.getWorksheet('Call outcomes'))[1]?.[1]).toBe(first?.labelEn);
  });
});

describe('信函打印 export of more letters than one file carries', () => {
  it('carries the first EXPORT_ROW_LIMIT and says it was cut', async () => {
    // Copies of one waiting letter (another cycle each), so the day holds one more than a file carries.
    const source = services.handle.sqlite
      .prepare(`select id from campaign_task where campaign_id = ? and status = 'open' and step_channel = 'letter' limit 1`)
      .pluck()
      .get(maintenanceId);
    if (typeof source !== 'string') throw new Error('no letter task to copy');
    const copy = services.handle.sqlite.prepare(`insert into campaign_task (id, dealer_id, campaign_id, subject_id, vehicle_id, customer_id, cycle_key, due_on,
        window_from, settle_on, expire_on, status, step_seq, step_channel, step_on, priority, created_on, created_at, updated_at)
      select ?, dealer_id, campaign_id, subject_id, vehicle_id, customer_id, ?, due_on, window_from, settle_on, expire_on, status, step_seq,
        step_channel, step_on, priority, created_on, created_at, updated_at from campaign_task where id = ?`);
    const waiting = ok(await call(services, supervisor, 'letters.batch', { campaignId: maintenanceId })).items.length;
    services.handle.sqlite.transaction(() => {
      for (let i = waiting; i <= EXPORT_ROW_LIMIT; i++) copy.run(newId(), `export-test-${i}`, source);
    })();

    const file = ok(await call(services, supervisor, 'letters.export', { campaignId: maintenanceId, lang: 'zh' }));
    expect(file).toMatchObject({ rows: EXPORT_ROW_LIMIT, truncated: true });
    const book = await readWorkbook(file.base64);
    expect(book.getWorksheet('待打印信函')?.actualRowCount).toBe(EXPORT_ROW_LIMIT + 1);
  }, 120_000);
});
