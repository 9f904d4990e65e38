/**
 * The Excel exports of 预约管理 through the real composition root, read back with exceljs: the day view
 * (its bookings as shown — cancelled ones only when asked — and its slots on a second sheet), the no-show
 * follow-up list (same dates and "not yet called" filter, the follow-up with who and when), and the list
 * in the screen's language. Supervisors only (names and mobiles); each cut at one file's limit with
 * `truncated`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../db/ids';
import { addDays } from '../../../main/campaigns';
import { dealerToday } from '../../../main/campaigns/handlers';
import type { CallContext } from '../../../main/rpc';
import type { Services } from '../../../main/services';
import { EXPORT_ROW_LIMIT } from '../../../preload/channels/kit';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { readWorkbook, sheetRows } from '../../support/excel';
import { call, code, ok, signIn, startServices } from '../../support/services';
import { addCustomer, addVehicle } from '../campaigns/fixture';

let services: Services;
let store: TestStore;
let cleanup: () => void;
let agent: CallContext;
let supervisor: CallContext;
const today = dealerToday();
const day = addDays(today, 7);
const missedDay = addDays(today, -2);


function car(name: string, mobile: string) {
  const customerId = addCustomer(services.handle, store.dealerId, { name, gender: 'F', mobile });
  return { customerId, vehicleId: addVehicle(services.handle, store.dealerId, customerId, { model: 'Accord' }) };
}

/** Appointments written straight into the store (as older data or another seat would have left them). */
function insertAppointments(x: { customerId: string; vehicleId: string }, date: string, status: 'no_show' | 'cancelled', count: number): string[] {
  const at = new Date().toISOString();
  const insert = services.handle.sqlite.prepare(`insert into appointment (id, dealer_id, customer_id, vehicle_id, date, start_time, service_type, status, created_at, updated_at)
    values (?, ?, ?, ?, ?, '09:30', 'maintenance', ?, ?, ?)`);
  const ids: string[] = [];
  services.handle.sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = newId();
      insert.run(id, store.dealerId, x.customerId, x.vehicleId, date, status, at, at);
      ids.push(id);
    }
  })();
  return ids;
}

let called = '';

beforeAll(async () => {
  const tmp = tempDir('appointment-exports-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  services = await startServices(store);
  agent = await signIn(services, store.staff.agent);
  supervisor = await signIn(services, store.staff.supervisor);
  const slots = [];
  for (let w = 0; w < 7; w++) slots.push({ weekday: w, startTime: '09:30', endTime: '10:30', capacity: 3 }, { weekday: w, startTime: '14:30', endTime: '15:30', capacity: 1 });
  ok(await call(services, supervisor, 'appointments.slots.save', { slots }));

  const a = car('陈美玲', '13911110001');
  const b = car('林志强', '13911110002');
  const c = car('黄小燕', '13911110003');
  ok(await call(services, agent, 'appointments.book', { ...a, date: day, startTime: '09:30', serviceType: 'maintenance', advisor: '黄志强', note: '顺便洗车' }));
  ok(await call(services, agent, 'appointments.book', { ...b, date: day, startTime: '09:30', serviceType: 'repair' }));
  const gone = ok(await call(services, agent, 'appointments.book', { ...c, date: day, startTime: '14:30', serviceType: 'maintenance' }));
  ok(await call(services, agent, 'appointments.cancel', { id: gone.id, reason: '客户出差' }));

  called = insertAppointments(car('周爽约', '13911110004'), missedDay, 'no_show', 1)[0] ?? '';
  insertAppointments(car('吴未到', '13911110005'), addDays(missedDay, -1), 'no_show', 1);
  ok(await call(services, agent, 'appointments.followUp', { id: called, remark: '客户忘记了，改约下周' }));
});
afterAll(async () => {
  await services.close();
  cleanup();
});

describe('日视图 export', () => {
  it('is for supervisors', async () => {
    expect(code(await call(services, agent, 'appointments.exportDay', { date: day }))).toBe('FORBIDDEN');
  });

  it("holds the day's bookings as the view shows them, and its slots", async () => {
    const file = ok(await call(services, supervisor, 'appointments.exportDay', { date: day, lang: 'zh' }));
    expect(file).toMatchObject({ fileName: `预约日视图_${day}.xlsx`, rows: 2, truncated: false });
    const book = await readWorkbook(file.base64);
    expect(book.worksheets.map((w) => w.name)).toEqual(['预约', '时段']);
    const rows = sheetRows(book.getWorksheet('预约'));
    expect(rows[0]).toEqual(['预约日期', '时段', '客户', '手机', '车牌', '车型', '服务类型', '服务顾问', '状态', '来源活动', '预约人', '备注', '取消原因', '爽约回访', '回访人', '回访时间']);
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r[2] === '陈美玲')?.slice(0, 12)).toEqual([day, '09:30–10:30', '陈美玲', '13911110001', expect.stringMatching(/^粤A/), '雅阁', '定期保养', '黄志强', '已预约', '', '测试agent', '顺便洗车']);
    expect(rows.map((r) => r[2])).not.toContain('黄小燕');
    expect(sheetRows(book.getWorksheet('时段'))).toEqual([
      ['时段', '可约数', '已约', '剩余'],
      ['09:30–10:30', 3, 2, 1],
      ['14:30–15:30', 1, 0, 1],
    ]);
  });

  it('carries the cancelled bookings when the view shows them, in English when asked', async () => {
    const file = ok(await call(services, supervisor, 'appointments.exportDay', { date: day, cancelled: true, lang: 'en' }));
    expect(file.rows).toBe(3);
    const book = await readWorkbook(file.base64);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Appointments', 'Slots']);
    const rows = sheetRows(book.getWorksheet('Appointments'));
    expect(rows[0]?.slice(0, 9)).toEqual(['Date', 'Slot', 'Customer', 'Mobile', 'Plate', 'Model', 'Service', 'Advisor', 'Status']);
    const cancelled = rows.find((r) => r[2] === '黄小燕');
    expect(cancelled).toMatchObject({ 5: 'Accord', 6: 'Scheduled maintenance', 8: 'Cancelled', 12: '客户出差' });
    expect(rows.find((r) => r[2] === '林志强')).toMatchObject({ 6: 'Repair', 8: 'Booked' });
  });
});

describe('爽约跟进 export', () => {
  it('is for supervisors', async () => {
    expect(code(await call(services, agent, 'appointments.exportNoShows', { from: addDays(today, -30), to: today }))).toBe('FORBIDDEN');
  });

  it('holds the no-shows not yet called by default, and every one with who called and what was said when asked', async () => {
    const range = { from: addDays(today, -30), to: today };
    const pending = ok(await call(services, supervisor, 'appointments.exportNoShows', { ...range, lang: 'zh' }));
    expect(pending).toMatchObject({ fileName: `爽约跟进_${range.from}_${range.to}.xlsx`, rows: 1, truncated: false });
    const pendingRows = sheetRows((await readWorkbook(pending.base64)).getWorksheet('爽约跟进'));
    expect(pendingRows.map((r) => r[2])).toEqual(['客户', '吴未到']);
    expect(pendingRows[1]?.[8]).toBe('爽约');

    const all = ok(await call(services, supervisor, 'appointments.exportNoShows', { ...range, pending: false, lang: 'zh' }));
    expect(all.rows).toBe(2);
    const rows = sheetRows((await readWorkbook(all.base64)).getWorksheet('爽约跟进'));
    // Newest first, as the list.
    expect(rows.slice(1).map((r) => [r[0], r[2]])).toEqual([
      [missedDay, '周爽约'],
      [addDays(missedDay, -1), '吴未到'],
    ]);
    expect(rows[1]?.slice(13, 15)).toEqual(['客户忘记了，改约下周', '测试agent']);
    expect(rows[1]?.[15]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  });
});

describe('预约列表 export', () => {
  it('names headers, statuses and services in the language asked for', async () => {
    const file = ok(await call(services, supervisor, 'appointments.export', { from: day, to: day, lang: 'en' }));
    const rows = sheetRows((await readWorkbook(file.base64)).getWorksheet('Appointments'));
    expect(rows).toHaveLength(4);
    expect(rows[0]?.[0]).toBe('Date');
    expect(rows.slice(1).map((r) => r[8]).sort()).toEqual(['Booked', 'Booked', 'Cancelled']);
  });
});

describe('时段设置 export', () => {
  it('is for supervisors and holds the saved weekly slots, Monday first', async () => {
    expect(code(await call(services, agent, 'appointments.slots.export', {}))).toBe('FORBIDDEN');
    const file = ok(await call(services, supervisor, 'appointments.slots.export', { lang: 'zh' }));
    expect(file).toMatchObject({ fileName: `预约时段_${today}.xlsx`, rows: 14, truncated: false });
    const rows = sheetRows((await readWorkbook(file.base64)).getWorksheet('预约时段'));
    expect(rows.slice(0, 3)).toEqual([
      ['星期', '开始', '结束', '可约数'],
      ['周一', '09:30', '10:30', 3],
      ['周一', '14:30', '15:30', 1],
    ]);
    expect(rows.at(-1)).toEqual(['周日', '14:30', '15:30', 1]);
    const en = sheetRows((await readWorkbook(ok(await call(services, supervisor, 'appointments.slots.export', { lang: 'en' })).base64)).getWorksheet('Slots'));
    expect(en[1]).toEqual(['Monday', '09:30', '10:30', 3]);
  });
});

describe('exports of more appointments than one file carries', () => {
  it('carry the first EXPORT_ROW_LIMIT and say they were cut', async () => {
    const bulk = car('批量客户', '13911110009');
    const bulkDay = addDays(today, 30);
    insertAppointments(bulk, bulkDay, 'cancelled', EXPORT_ROW_LIMIT + 1);
    const cut = ok(await call(services, supervisor, 'appointments.exportDay', { date: bulkDay, cancelled: true, lang: 'zh' }));
    expect(cut).toMatchObject({ rows: EXPORT_ROW_LIMIT, truncated: true });
    expect((await readWorkbook(cut.base64)).getWorksheet('预约')?.actualRowCount).toBe(EXPORT_ROW_LIMIT + 1);
    // Without the cancelled ones the day is empty.
    expect(ok(await call(services, supervisor, 'appointments.exportDay', { date: bulkDay, lang: 'zh' }))).toMatchObject({ rows: 0, truncated: false });

    insertAppointments(bulk, addDays(today, -5), 'no_show', EXPORT_ROW_LIMIT + 1);
    const noShows = ok(await call(services, supervisor, 'appointments.exportNoShows', { from: addDays(today, -5), to: addDays(today, -5), lang: 'zh' }));
    expect(noShows).toMatchObject({ rows: EXPORT_ROW_LIMIT, truncated: true });
  }, 120_000);
});
