/**
 * The appointments channels through the real composition root: roles, slot settings, booking errors at
 * their fields (slot full, vehicle booked that day, closed day, past date), confirmations queued for the
 * right local times and withdrawn on cancel or reschedule, the link to a reminder task, the no-show
 * follow-up list, paging and the Excel export.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../db/ids';
import { addDays, addMonths } from '../../../main/campaigns';
import { dealerToday } from '../../../main/campaigns/handlers';
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
const today = dealerToday();
/** A day a week ahead is open; the day after it is closed. */
const day = addDays(today, 7);
const closedDay = addDays(today, 8);
const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();

function refused(r: { ok: true } | { ok: false; error: { code: string; issues?: Array<{ path: string }> } }) {
  if (r.ok) throw new Error('expected a refusal');
  return { code: r.error.code, paths: (r.error.issues ?? []).map((i) => i.path) };
}

function car(name = '李娜') {
  const customerId = addCustomer(services.handle, store.dealerId, { name, gender: 'F' });
  return { customerId, vehicleId: addVehicle(services.handle, store.dealerId, customerId) };
}
const booking = (x: { customerId: string; vehicleId: string }, extra: Record<string, unknown> = {}) => ({
  ...x, date: day, startTime: '09:30', serviceType: 'maintenance', ...extra,
});
const queued = () =>
  services.handle.sqlite.prepare('select dedupe_key, not_before, expires_at, text from campaign_sms order by not_before').all() as Array<{ dedupe_key: string; not_before: string; expires_at: string; text: string }>;

beforeAll(async () => {
  const tmp = tempDir('appointment-handlers-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  services = await startServices(store);
  agent = await signIn(services, store.staff.agent);
  supervisor = await signIn(services, store.staff.supervisor);
  const slots = [];
  for (let w = 0; w < 7; w++) {
    if (w === weekday(closedDay)) continue;
    slots.push({ weekday: w, startTime: '09:30', endTime: '10:30', capacity: 2 }, { weekday: w, startTime: '14:30', endTime: '15:30', capacity: 1 });
  }
  ok(await call(services, supervisor, 'appointments.slots.save', { slots }));
});
afterAll(async () => {
  await services.close();
  cleanup();
});

describe('appointments channels', () => {
  it('slot settings are for supervisors, validated per field, and round-trip', async () => {
    expect(refused(await call(services, agent, 'appointments.slots.get', {})).code).toBe('FORBIDDEN');
    expect(refused(await call(services, agent, 'appointments.slots.save', { slots: [] })).code).toBe('FORBIDDEN');
    expect(refused(await call(services, newContext(), 'appointments.book', booking(car()))).code).toBe('UNAUTHENTICATED');
    const backwards = refused(await call(services, supervisor, 'appointments.slots.save', { slots: [{ weekday: 1, startTime: '10:00', endTime: '09:00', capacity: 2 }] }));
    expect(backwards).toEqual({ code: 'VALIDATION', paths: ['slots.0.endTime'] });
    const badClock = refused(await call(services, supervisor, 'appointments.slots.save', { slots: [{ weekday: 1, startTime: '9:00', endTime: '10:00', capacity: 2 }] }));
    expect(badClock).toEqual({ code: 'VALIDATION', paths: ['slots.0.startTime'] });
    const slots = ok(await call(services, supervisor, 'appointments.slots.get', {}));
    expect(slots).toHaveLength(12);
    expect(slots.filter((s) => s.weekday === weekday(day))).toEqual([
      { weekday: weekday(day), startTime: '09:30', endTime: '10:30', capacity: 2 },
      { weekday: weekday(day), startTime: '14:30', endTime: '15:30', capacity: 1 },
    ]);
  });

  it('fills a slot and refuses the next booking at the slot field; the day view counts down', async () => {
    ok(await call(services, agent, 'appointments.book', booking(car())));
    ok(await call(services, agent, 'appointments.book', booking(car())));
    expect(refused(await call(services, agent, 'appointments.book', booking(car())))).toEqual({ code: 'CONFLICT', paths: ['startTime'] });
    const view = ok(await call(services, agent, 'appointments.day', { date: day }));
    expect(view.day.closed).toBe(false);
    expect(view.day.slots.map((s) => [s.startTime, s.capacity, s.booked, s.remaining])).toEqual([
      ['09:30', 2, 2, 0],
      ['14:30', 1, 0, 1],
    ]);
    expect(view.items).toHaveLength(2);
    expect(view.items[0]).toMatchObject({ startTime: '09:30', endTime: '10:30', status: 'booked', bookedByName: '测试agent', serviceType: 'maintenance' });
  });

  it('refuses the same car twice that day, a closed day, a past date and another customer’s car, each at its field', async () => {
    const x = car();
    ok(await call(services, agent, 'appointments.book', booking(x, { startTime: '14:30' })));
    expect(refused(await call(services, agent, 'appointments.book', booking(x, { startTime: '09:30' })))).toEqual({ code: 'DUPLICATE', paths: ['vehicleId'] });
    expect(refused(await call(services, agent, 'appointments.book', booking(car(), { date: closedDay })))).toEqual({ code: 'VALIDATION', paths: ['date'] });
    expect(refused(await call(services, agent, 'appointments.book', booking(car(), { date: addDays(today, -1) })))).toEqual({ code: 'VALIDATION', paths: ['date'] });
    expect(refused(await call(services, agent, 'appointments.book', booking(car(), { startTime: '11:00' })))).toEqual({ code: 'VALIDATION', paths: ['startTime'] });
    const other = car();
    expect(refused(await call(services, agent, 'appointments.book', { ...booking(car()), vehicleId: other.vehicleId, date: addDays(day, 7) }))).toEqual({ code: 'VALIDATION', paths: ['vehicleId'] });
    const range = ok(await call(services, agent, 'appointments.availability', { from: day, to: closedDay }));
    expect(range.days.map((d) => [d.date, d.closed])).toEqual([
      [day, false],
      [closedDay, true],
    ]);
    expect(range.days[0]?.slots.find((s) => s.startTime === '14:30')?.remaining).toBe(0);
  });

  it('queues confirmations for 10:00 the day before and an hour before (Beijing time); cancel withdraws them and frees the place', async () => {
    services.handle.sqlite.prepare(`update dealer set phone = '020-87654321' where id = ?`).run(store.dealerId);
    const date = addDays(day, 14);
    const a = ok(await call(services, agent, 'appointments.book', booking(car('王芳'), { date })));
    const mine = queued().filter((r) => r.dedupe_key.startsWith(`appt:${a.id}:`));
    expect(mine.map((r) => [r.dedupe_key, r.not_before, r.expires_at])).toEqual([
      [`appt:${a.id}:day_before`, `${addDays(date, -1)}T02:00:00.000Z`, `${date}T01:30:00.000Z`],
      [`appt:${a.id}:hour_before`, `${date}T00:30:00.000Z`, `${date}T01:30:00.000Z`],
    ]);
    expect(mine[0]?.text).toContain('王女士');
    expect(mine[0]?.text).toContain(`${date} 09:30`);
    expect(mine[0]?.text).toContain(a.plate ?? 'no plate');
    expect(mine[0]?.text).toContain('请致电020-87654321');

    expect(refused(await call(services, agent, 'appointments.cancel', { id: a.id, reason: ' ' }))).toEqual({ code: 'VALIDATION', paths: ['reason'] });
    ok(await call(services, agent, 'appointments.cancel', { id: a.id, reason: '客户临时出差' }));
    expect(queued().filter((r) => r.dedupe_key.startsWith(`appt:${a.id}:`))).toEqual([]);
    const view = ok(await call(services, agent, 'appointments.day', { date }));
    expect(view.day.slots.find((s) => s.startTime === '09:30')?.remaining).toBe(2);
    expect(view.items.find((i) => i.id === a.id)).toMatchObject({ status: 'cancelled', cancelReason: '客户临时出差' });
    expect(refused(await call(services, agent, 'appointments.cancel', { id: a.id, reason: '再取消一次' })).code).toBe('CONFLICT');
  });

  it('reschedules: the old booking is cancelled and points at the new one, its reminders move with it', async () => {
    const date = addDays(day, 21);
    const a = ok(await call(services, agent, 'appointments.book', booking(car(), { date, note: '顺便检查空调' })));
    const moved = ok(await call(services, agent, 'appointments.reschedule', { id: a.id, date: addDays(date, 7), startTime: '14:30' }));
    expect(moved).toMatchObject({ date: addDays(date, 7), startTime: '14:30', note: '顺便检查空调', status: 'booked', vehicleId: a.vehicleId });
    const old = ok(await call(services, agent, 'appointments.day', { date })).items.find((i) => i.id === a.id);
    expect(old).toMatchObject({ status: 'cancelled', rescheduledTo: moved.id });
    expect(queued().filter((r) => r.dedupe_key.startsWith(`appt:${a.id}:`))).toEqual([]);
    expect(queued().filter((r) => r.dedupe_key.startsWith(`appt:${moved.id}:`)).map((r) => r.not_before)).toEqual([
      `${addDays(date, 6)}T02:00:00.000Z`,
      `${addDays(date, 7)}T05:30:00.000Z`,
    ]);
    // Moving into a full slot changes nothing.
    const full = ok(await call(services, agent, 'appointments.book', booking(car(), { date: addDays(date, 9), startTime: '14:30' })));
    expect(refused(await call(services, agent, 'appointments.reschedule', { id: moved.id, date: full.date, startTime: '14:30' }))).toEqual({ code: 'CONFLICT', paths: ['startTime'] });
    expect(ok(await call(services, agent, 'appointments.day', { date: moved.date })).items.find((i) => i.id === moved.id)?.status).toBe('booked');
  });

  it('links a booking made from a reminder task to that task and its campaign', async () => {
    const x = car('赵磊');
    addRepairOrder(services.handle, store.dealerId, x.vehicleId, { openedOn: addMonths(addDays(today, -5), -6), category: 'maintenance' });
    ok(await call(services, supervisor, 'campaigns.generate', {}));
    const task = ok(await call(services, supervisor, 'campaigns.tasks', {})).items.find((t) => t.vehicleId === x.vehicleId);
    if (!task) throw new Error('no task for the car');
    const a = ok(await call(services, agent, 'appointments.book', booking(x, { date: addDays(day, 35), taskId: task.taskId })));
    expect(a).toMatchObject({ taskId: task.taskId, campaignNameZh: '定期保养招揽' });
    const stranger = car();
    expect(refused(await call(services, agent, 'appointments.book', booking(stranger, { date: addDays(day, 35), taskId: task.taskId })))).toEqual({ code: 'VALIDATION', paths: ['taskId'] });
  });

  it('after the day, bookings without a repair order become the no-show follow-up list; a follow-up takes them off it', async () => {
    const yesterday = addDays(today, -1);
    const came = car('到店客户');
    const stayed = car('爽约客户');
    const at = new Date().toISOString();
    const insert = services.handle.sqlite.prepare(`insert into appointment (id, dealer_id, customer_id, vehicle_id, date, start_time, service_type, status, created_at, updated_at)
      values (?, ?, ?, ?, ?, '09:30', 'maintenance', 'booked', ?, ?)`);
    const cameId = newId();
    const stayedId = newId();
    insert.run(cameId, store.dealerId, came.customerId, came.vehicleId, yesterday, at, at);
    insert.run(stayedId, store.dealerId, stayed.customerId, stayed.vehicleId, yesterday, at, at);
    const ro = addRepairOrder(services.handle, store.dealerId, came.vehicleId, { openedOn: yesterday });

    const list = ok(await call(services, agent, 'appointments.noShows', { from: addDays(today, -30), to: today }));
    expect(list.items.map((i) => [i.id, i.customerName, i.status])).toEqual([[stayedId, '爽约客户', 'no_show']]);
    const yesterdayView = ok(await call(services, agent, 'appointments.day', { date: yesterday }));
    expect(yesterdayView.items.find((i) => i.id === cameId)).toMatchObject({ status: 'arrived', roId: ro });

    expect(refused(await call(services, agent, 'appointments.followUp', { id: stayedId, remark: '' }))).toEqual({ code: 'VALIDATION', paths: ['remark'] });
    ok(await call(services, agent, 'appointments.followUp', { id: stayedId, remark: '客户忘记了，已改约下周' }));
    expect(ok(await call(services, agent, 'appointments.noShows', { from: addDays(today, -30), to: today })).items).toEqual([]);
    const all = ok(await call(services, agent, 'appointments.noShows', { from: addDays(today, -30), to: today, pending: false }));
    expect(all.items[0]).toMatchObject({ id: stayedId, followupRemark: '客户忘记了，已改约下周', followedUpByName: '测试agent' });
    // The service desk can still record the visit by hand.
    expect(ok(await call(services, agent, 'appointments.markArrived', { id: stayedId })).status).toBe('arrived');
  });

  it('two seats calling the same no-show: the second is told who recorded what, and overwrites only once it has seen it', async () => {
    const missed = car('两边回访');
    const id = newId();
    const at = new Date().toISOString();
    services.handle.sqlite
      .prepare(`insert into appointment (id, dealer_id, customer_id, vehicle_id, date, start_time, service_type, status, created_at, updated_at) values (?, ?, ?, ?, ?, '09:30', 'maintenance', 'no_show', ?, ?)`)
      .run(id, store.dealerId, missed.customerId, missed.vehicleId, addDays(today, -2), at, at);
    // Both seats load the list: no follow-up yet.
    const shown = ok(await call(services, agent, 'appointments.noShows', { from: addDays(today, -2), to: addDays(today, -2) })).items.find((i) => i.id === id);
    expect(shown?.followedUpAt).toBeNull();
    ok(await call(services, supervisor, 'appointments.followUp', { id, remark: '客户说周六再来', seenFollowedUpAt: null }));

    const late = await call(services, agent, 'appointments.followUp', { id, remark: '客户没接电话', seenFollowedUpAt: shown?.followedUpAt ?? null });
    if (late.ok) throw new Error('the second seat overwrote the first one’s follow-up');
    expect(late.error.code).toBe('CONFLICT');
    expect(late.error.message.zh).toContain('测试supervisor');
    expect(late.error.message.zh).toContain('客户说周六再来');
    expect(late.error.message.en).toContain('客户说周六再来');
    const after = ok(await call(services, agent, 'appointments.noShows', { from: addDays(today, -2), to: addDays(today, -2), pending: false })).items.find((i) => i.id === id);
    expect(after).toMatchObject({ followupRemark: '客户说周六再来', followedUpByName: '测试supervisor' });

    // Having seen it, the seat may replace it.
    ok(await call(services, agent, 'appointments.followUp', { id, remark: '客户没接电话，已发短信', seenFollowedUpAt: after?.followedUpAt ?? null }));
    const replaced = ok(await call(services, agent, 'appointments.noShows', { from: addDays(today, -2), to: addDays(today, -2), pending: false })).items.find((i) => i.id === id);
    expect(replaced).toMatchObject({ followupRemark: '客户没接电话，已发短信', followedUpByName: '测试agent' });
  });

  it('cannot mark a future booking arrived', async () => {
    const a = ok(await call(services, agent, 'appointments.book', booking(car(), { date: addDays(day, 42) })));
    expect(refused(await call(services, agent, 'appointments.markArrived', { id: a.id })).code).toBe('CONFLICT');
  });

  it('lists by status with paging and exports what the list shows to Excel', async () => {
    const first = ok(await call(services, agent, 'appointments.list', { from: today, to: addDays(today, 90), status: 'booked', limit: 3 }));
    expect(first.items).toHaveLength(3);
    expect(first.total).toBeGreaterThan(3);
    const rest = ok(await call(services, agent, 'appointments.list', { from: today, to: addDays(today, 90), status: 'booked', offset: 3, limit: 500 }));
    expect(rest.items).toHaveLength(first.total - 3);
    expect(new Set([...first.items, ...rest.items].map((i) => i.id)).size).toBe(first.total);
    expect([...first.items, ...rest.items].every((i) => i.status === 'booked')).toBe(true);

    // Names and mobiles of a whole range leave the building with supervisors only, as with query.export.
    expect(refused(await call(services, agent, 'appointments.export', { from: today, to: addDays(today, 90), status: 'booked' })).code).toBe('FORBIDDEN');
    const file = ok(await call(services, supervisor, 'appointments.export', { from: today, to: addDays(today, 90), status: 'booked' }));
    expect(file.rows).toBe(first.total);
    expect(file.truncated).toBe(false);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Uint8Array.from(Buffer.from(file.base64, 'base64')).buffer);
    const sheet = book.getWorksheet('预约');
    expect(sheet?.rowCount).toBe(first.total + 1);
    expect(sheet?.getRow(2).getCell(7).value).toBe('定期保养');
    expect(sheet?.getRow(2).getCell(9).value).toBe('已预约');
  });

  it('an export of a range with more than 20,000 appointments says it was cut, and an older free-text service type is written as stored', async () => {
    const x = car('批量客户');
    const date = addDays(today, 400);
    const at = new Date().toISOString();
    const insert = services.handle.sqlite.prepare(`insert into appointment (id, dealer_id, customer_id, vehicle_id, date, start_time, service_type, status, created_at, updated_at)
      values (?, ?, ?, ?, ?, '09:30', ?, 'cancelled', ?, ?)`);
    services.handle.sqlite.transaction(() => {
      insert.run(newId(), store.dealerId, x.customerId, x.vehicleId, addDays(date, -1), '钣喷（旧数据）', at, at);
      for (let i = 0; i < 20_001; i++) insert.run(newId(), store.dealerId, x.customerId, x.vehicleId, date, 'maintenance', at, at);
    })();

    const old = ok(await call(services, supervisor, 'appointments.export', { from: addDays(date, -1), to: addDays(date, -1) }));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Uint8Array.from(Buffer.from(old.base64, 'base64')).buffer);
    expect(book.getWorksheet('预约')?.getRow(2).getCell(7).value).toBe('钣喷（旧数据）');

    const cut = ok(await call(services, supervisor, 'appointments.export', { from: date, to: date, status: 'cancelled' }));
    expect(cut).toMatchObject({ rows: 20_000, truncated: true });
    // Exactly the limit is not cut.
    services.handle.sqlite.prepare(`delete from appointment where id = (select id from appointment where date = ? order by id desc limit 1)`).run(date);
    expect(ok(await call(services, supervisor, 'appointments.export', { from: date, to: date, status: 'cancelled' }))).toMatchObject({ rows: 20_000, truncated: false });
  });
});

