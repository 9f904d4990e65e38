/**
 * customers.exportRecord: the lists of a customer's page (vehicles, repair orders, contact history) as
 * one workbook read back with exceljs — the page's rows and columns, models and categories in the
 * language asked for, amounts in yuan, times in Beijing time, no phone numbers; scoped to the dealer;
 * a contact history longer than one file carries is cut to its newest entries and says so.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../../db/ids';
import { EXPORT_ROW_LIMIT } from '../../../preload/channels/kit';
import { tempDir } from '../../support/db';
import { readWorkbook, sheetRows } from '../../support/excel';
import { createFixture, customersApi, errorOf, fakeClock, ok, staffContext, type Fixture } from './fixture';

let scratch: ReturnType<typeof tempDir>;
let fx: Fixture;
let api: ReturnType<typeof customersApi>;

beforeEach(async () => {
  scratch = tempDir();
  fx = await createFixture(scratch.dir);
  api = customersApi(fx.handle, fakeClock('2026-03-01T17:30:00.000Z'));
});
afterEach(() => {
  fx.handle.close();
  scratch.cleanup();
});

const agent = () => staffContext(fx.store, 'agent');

function addEvents(customerId: string, count: number, vehicleId: string | null = null) {
  const insert = fx.handle.sqlite.prepare(`insert into contact_event (id, dealer_id, customer_id, vehicle_id, kind, occurred_at, staff_id, summary, detail, created_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, null, ?)`);
  fx.handle.sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      const at = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
      insert.run(newId(), fx.store.dealerId, customerId, vehicleId, i % 2 ? 'call_out' : 'sms_out', at, fx.store.staff.supervisor.id, `第${i + 1}条`, at);
    }
  })();
}

describe('customers.exportRecord', () => {
  it("holds the page's vehicles, repair orders and contact history, a sheet each, without phone numbers", async () => {
    addEvents(fx.ids.wangXiaoMing, 3, fx.vehicles.wangXiaoMing2);
    ok(await api.call(agent(), 'customers.addNote', { customerId: fx.ids.wangXiaoMing, text: '客户下周出差' }));
    const page = ok(await api.call(agent(), 'customers.get', { id: fx.ids.wangXiaoMing }));
    const file = ok(await api.call(agent(), 'customers.exportRecord', { id: fx.ids.wangXiaoMing, lang: 'zh' }));
    expect(file).toMatchObject({ fileName: '客户档案_王小明_2026-03-02.xlsx', rows: 2 + 3 + 4, truncated: false });
    const book = await readWorkbook(file.base64);
    expect(book.worksheets.map((w) => w.name)).toEqual(['车辆', '维修记录', '联系记录']);

    const vehicles = sheetRows(book.getWorksheet('车辆'));
    expect(vehicles[0]).toEqual(['车牌', '车型', 'VIN', '年款', '颜色', '购车日期', '本店购车', '里程（km）', '里程日期']);
    expect(vehicles.slice(1).map((r) => [r[0], r[1]])).toEqual(page.vehicles.map((v) => [v.plate, v.model === 'e:NP1' ? '极湃1' : '飞度']));
    expect(vehicles[1]).toEqual(['粤AD12345', '极湃1', page.vehicles[0]?.vin, 2020, '珍珠白', '2023-03-01', '是', 30000, '2024-05-01']);

    const repairs = sheetRows(book.getWorksheet('维修记录'));
    expect(repairs[0]).toEqual(['日期', '工单号', '类别', '车牌', '车型', '里程（km）', '金额（元）', '服务顾问']);
    // The soft-deleted order is not on the page and not in the file.
    expect(repairs.slice(1).map((r) => r[1])).toEqual(['RO202405200003', 'RO202311020002', 'RO202001150001']);
    expect(repairs[1]).toEqual(['2024-05-20', 'RO202405200003', '保养', '粤AD12345', '极湃1', 10000, 1200, '黄志强']);
    expect(repairs[2]?.[2]).toBe('维修');

    const contacts = sheetRows(book.getWorksheet('联系记录'));
    expect(contacts[0]).toEqual(['时间', '类型', '内容', '车牌', '坐席']);
    // Newest first: the note (2026-03-01 17:30 UTC is 03-02 01:30 in Beijing), then the calls and SMS.
    expect(contacts[1]).toEqual([expect.stringMatching(/^2026-03-02 01:3\d$/), '备注', '客户下周出差', '', '测试agent']);
    expect(contacts[2]).toEqual(['2024-01-01 08:02', '发送短信', '第3条', '粤E5678A', expect.any(String)]);
    expect(contacts[3]?.slice(1, 3)).toEqual(['去电', '第2条']);
    // Phone numbers are on the contact card, not in this file.
    const cells = book.worksheets.flatMap((w) => sheetRows(w).flat());
    expect(cells).not.toContain('13900001111');
  });

  it('names models, categories and entry kinds in English when asked', async () => {
    addEvents(fx.ids.wangXiaoMing, 1);
    const book = await readWorkbook(ok(await api.call(agent(), 'customers.exportRecord', { id: fx.ids.wangXiaoMing, lang: 'en' })).base64);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Vehicles', 'Repair orders', 'Contact history']);
    expect(sheetRows(book.getWorksheet('Vehicles'))[1]?.slice(0, 2)).toEqual(['粤AD12345', 'e:NP1']);
    expect(sheetRows(book.getWorksheet('Repair orders'))[1]?.slice(2, 5)).toEqual(['Maintenance', '粤AD12345', 'e:NP1']);
    expect(sheetRows(book.getWorksheet('Contact history'))[1]?.slice(1, 3)).toEqual(['SMS sent', '第1条']);
  });

  it('is scoped to the dealer: another dealer’s customer is not found', async () => {
    expect(errorOf(await api.call(agent(), 'customers.exportRecord', { id: fx.ids.otherDealer })).code).toBe('NOT_FOUND');
    expect(errorOf(await api.call(agent(), 'customers.exportRecord', { id: fx.ids.deleted })).code).toBe('NOT_FOUND');
  });

  it('cuts a contact history longer than one file carries to its newest entries and says so', async () => {
    addEvents(fx.ids.liNa, EXPORT_ROW_LIMIT + 1);
    const file = ok(await api.call(agent(), 'customers.exportRecord', { id: fx.ids.liNa, lang: 'zh' }));
    expect(file).toMatchObject({ rows: EXPORT_ROW_LIMIT, truncated: true });
    const contacts = sheetRows((await readWorkbook(file.base64)).getWorksheet('联系记录'));
    expect(contacts).toHaveLength(EXPORT_ROW_LIMIT + 1);
    expect(contacts[1]?.[2]).toBe(`第${EXPORT_ROW_LIMIT + 1}条`);
  }, 120_000);
});
