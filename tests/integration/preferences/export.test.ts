/**
 * A customer's contact-preference history as Excel (联系偏好 → 变更记录), through the real composition
 * root and read back with exceljs: newest first with the card's wording, who and why; the customer's own
 * 退订 reply as theirs; any staff member may take it (one customer, no phone numbers); another dealer's
 * customer is not found; a history longer than one file carries is cut and says so.
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
import { call, code, newContext, ok, signIn, startServices } from '../../support/services';
import { addCustomer, addRepairOrder, addVehicle } from '../campaigns/fixture';

let services: Services;
let store: TestStore;
let cleanup: () => void;
let agent: CallContext;
let supervisor: CallContext;
const today = dealerToday();


let customerId = '';
let plate = '';

beforeAll(async () => {
  const tmp = tempDir('preferences-export-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  services = await startServices(store);
  agent = await signIn(services, store.staff.agent);
  supervisor = await signIn(services, store.staff.supervisor);
  customerId = addCustomer(services.handle, store.dealerId, { name: '李强', mobile: '13900002222' });
  const vehicleId = addVehicle(services.handle, store.dealerId, customerId);
  addRepairOrder(services.handle, store.dealerId, vehicleId, { openedOn: addMonths(addDays(today, 40), -6) });
  plate = String(services.handle.sqlite.prepare('select plate from vehicle where id = ?').pluck().get(vehicleId));
  // Four changes by two seats.
  ok(await call(services, agent, 'preferences.setFlag', { customerId, purpose: 'marketing', channel: 'sms', reason: '客户来电要求不要发营销短信' }));
  ok(await call(services, supervisor, 'preferences.clearFlag', { customerId, purpose: 'marketing', channel: 'sms', reason: '客户重新同意接收' }));
  ok(await call(services, agent, 'preferences.setFlag', { customerId, purpose: 'all', channel: 'phone', reason: '客户投诉打扰' }));
  ok(await call(services, agent, 'preferences.setVehicleSold', { vehicleId, sold: true, reason: '客户已将车辆卖出' }));
  // The customer's own 退订 reply, as the modem stores it.
  services.handle.sqlite
    .prepare(`insert into sms_inbox (id, dealer_id, sender, body, received_at, part_count, customer_id, opt_out, created_at, updated_at) values (?, ?, '13900002222', 'TD', ?, 1, ?, 1, ?, ?)`)
    .run(newId(), store.dealerId, '2020-01-02T03:04:00.000Z', customerId, '2020-01-02T03:04:00.000Z', '2020-01-02T03:04:00.000Z');
});
afterAll(async () => {
  await services.close();
  cleanup();
});

describe('preferences.exportHistory', () => {
  it('needs sign-in; any staff member may take it; an unknown customer is not found', async () => {
    expect(code(await call(services, newContext(), 'preferences.exportHistory', { customerId }))).toBe('UNAUTHENTICATED');
    expect(code(await call(services, agent, 'preferences.exportHistory', { customerId }))).toBe('ok');
    expect(code(await call(services, agent, 'preferences.exportHistory', { customerId: newId() }))).toBe('NOT_FOUND');
  });

  it('holds the history as the card shows it, newest first, with purpose, channel and plate on columns of their own', async () => {
    const card = ok(await call(services, agent, 'preferences.get', { customerId }));
    const file = ok(await call(services, agent, 'preferences.exportHistory', { customerId, lang: 'zh' }));
    expect(file).toMatchObject({ fileName: `联系偏好_李强_${today}.xlsx`, rows: card.history.length, truncated: false });
    expect(file.rows).toBe(5);
    const rows = sheetRows((await readWorkbook(file.base64)).getWorksheet('联系偏好变更记录'));
    expect(rows[0]).toEqual(['时间', '变更', '用途', '渠道', '车牌', '原因', '操作人']);
    expect(rows.slice(1).map((r) => [r[1], r[5], r[6]])).toEqual([
      [`车辆 ${plate} 已售`, '客户已将车辆卖出', '测试agent'],
      ['全部用途 · 电话 免打扰', '客户投诉打扰', '测试agent'],
      ['营销 · 短信 恢复联系', '客户重新同意接收', '测试supervisor'],
      ['营销 · 短信 免打扰', '客户来电要求不要发营销短信', '测试agent'],
      ['退订短信', 'TD', '客户本人'],
    ]);
    expect(rows[2]?.slice(2, 4)).toEqual(['全部用途', '电话']);
    expect(rows[1]?.[4]).toBe(plate);
    // Beijing time, as the card shows it.
    expect(rows[5]?.[0]).toBe('2020-01-02 11:04');
  });

  it('speaks English when asked', async () => {
    const file = ok(await call(services, agent, 'preferences.exportHistory', { customerId, lang: 'en' }));
    const rows = sheetRows((await readWorkbook(file.base64)).getWorksheet('Contact preference history'));
    expect(rows[0]).toEqual(['When', 'Change', 'Purpose', 'Channel', 'Plate', 'Reason', 'By']);
    expect(rows.map((r) => r[1])).toEqual(['Change', `Car ${plate} sold`, 'Do not contact: All purposes · Phone', 'Contact again: Marketing · SMS', 'Do not contact: Marketing · SMS', 'Opted out of SMS']);
    expect(rows[5]?.[6]).toBe('Customer');
  });

  it('carries the newest EXPORT_ROW_LIMIT changes of a longer history and says it was cut', async () => {
    const insert = services.handle.sqlite.prepare(`insert into contact_turnoff_log (id, dealer_id, customer_id, vehicle_id, purpose, channel, action, reason, staff_id, created_at, kind)
      values (?, ?, ?, '', 'marketing', 'letter', ?, '批量', null, ?, 'flag')`);
    services.handle.sqlite.transaction(() => {
      for (let i = 0; i < EXPORT_ROW_LIMIT; i++) insert.run(newId(), store.dealerId, customerId, i % 2 ? 'set' : 'clear', new Date(Date.UTC(2019, 0, 1) + i * 1000).toISOString());
    })();
    const file = ok(await call(services, agent, 'preferences.exportHistory', { customerId, lang: 'zh' }));
    expect(file).toMatchObject({ rows: EXPORT_ROW_LIMIT, truncated: true });
    const rows = sheetRows((await readWorkbook(file.base64)).getWorksheet('联系偏好变更记录'));
    expect(rows).toHaveLength(EXPORT_ROW_LIMIT + 1);
    // The newest changes are the ones kept.
    expect(rows[1]?.[1]).toBe(`车辆 ${plate} 已售`);
  }, 120_000);
});
