import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { createAppointments, type Appointments } from '../../../main/appointments';
import { createTableSmsQueue } from '../../../main/campaigns';
import { createTemplates } from '../../../main/templates';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { addCustomer, addRepairOrder, addVehicle } from '../campaigns/fixture';
import { interleaved } from './interleave';

let handle: DbHandle;
let store: TestStore;
let cleanup: () => void;
let appts: Appointments;

// 2026-03-10 is a Tuesday; "now" is the morning before, Beijing time.
const NOW = new Date('2026-03-09T01:00:00Z');
const OTHER_DEALER = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

beforeEach(async () => {
  const tmp = tempDir('appointments-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  handle = openDatabase(store.file);
  await createTemplates({ handle }).ensureDefaults(store.dealerId);
  handle.sqlite.prepare(`update dealer set phone = '020-88886666' where id = ?`).run(store.dealerId);
  appts = createAppointments({ handle, smsQueue: createTableSmsQueue(handle) });
  await appts.ensureDefaults(store.dealerId);
  await appts.setSlots(store.dealerId, [{ weekday: 2, startTime: '09:30', endTime: '10:30', capacity: 2 }]);
});
afterEach(() => {
  handle.close();
  cleanup();
});

function car() {
  const c = addCustomer(handle, store.dealerId, { name: '李娜', gender: 'F' });
  return { c, v: addVehicle(handle, store.dealerId, c) };
}
const booking = (x: { c: string; v: string }) => ({ dealerId: store.dealerId, customerId: x.c, vehicleId: x.v, date: '2026-03-10', startTime: '09:30', serviceType: '定期保养', staffId: store.staff.agent.id, now: NOW });

describe('appointments', () => {
  it('fills a slot to its capacity and refuses the next booking, also from another connection', async () => {
    appts.book(booking(car()));
    const second = openDatabase(store.file);
    try {
      const seat2 = createAppointments({ handle: second, smsQueue: createTableSmsQueue(second) });
      seat2.book(booking(car()));
      expect(() => seat2.book(booking(car()))).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
      expect(() => appts.book(booking(car()))).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    } finally {
      second.close();
    }
    expect(await appts.availability(store.dealerId, '2026-03-10')).toEqual([{ weekday: 2, startTime: '09:30', endTime: '10:30', capacity: 2, booked: 2, remaining: 0 }]);
  });

  it('refuses the same car twice on a day, a slot that does not exist, and a time already past', async () => {
    const x = car();
    appts.book(booking(x));
    expect(() => appts.book(booking(x))).toThrow(expect.objectContaining({ code: 'DUPLICATE' }));
    expect(() => appts.book({ ...booking(car()), startTime: '11:00' })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() => appts.book({ ...booking(car()), now: new Date('2026-03-10T02:00:00Z') })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
  });

  it('queues confirmations for 10:00 the day before and an hour before, and withdraws them on cancel', async () => {
    const a = appts.book(booking(car()));
    const rows = handle.sqlite.prepare('select dedupe_key, not_before, text from campaign_sms order by not_before').all() as Array<{ dedupe_key: string; not_before: string; text: string }>;
    expect(rows.map((r) => [r.dedupe_key, r.not_before])).toEqual([
      [`appt:${a.id}:day_before`, '2026-03-09T02:00:00.000Z'],
      [`appt:${a.id}:hour_before`, '2026-03-10T00:30:00.000Z'],
    ]);
    expect(rows[0]?.text).toContain('李女士');
    expect(rows[0]?.text).toContain('2026-03-10 09:30');
    expect(rows[0]?.text).toContain('请致电020-88886666');
    await appts.cancel(store.dealerId, a.id);
    expect(handle.sqlite.prepare('select count(*) from campaign_sms').pluck().get()).toBe(0);
    expect((await appts.availability(store.dealerId, '2026-03-10'))[0]?.remaining).toBe(2);
  });

  it('marks arrivals from repair orders and the rest as no-shows', async () => {
    const came = car();
    const stayed = car();
    const a = appts.book(booking(came));
    const b = appts.book(booking(stayed));
    const ro = addRepairOrder(handle, store.dealerId, came.v, { openedOn: '2026-03-10', category: 'maintenance' });
    expect(await appts.detectNoShows(store.dealerId, '2026-03-11')).toEqual({ arrived: 1, noShows: 1 });
    const list = await appts.list(store.dealerId, '2026-03-10', '2026-03-10');
    expect(list.find((x) => x.id === a.id)).toMatchObject({ status: 'arrived', roId: ro });
    expect((await appts.noShows(store.dealerId, '2026-03-01', '2026-03-31')).map((x) => x.id)).toEqual([b.id]);
    // A repair order synced late still turns the no-show into an arrival.
    const late = addRepairOrder(handle, store.dealerId, stayed.v, { openedOn: '2026-03-10', category: 'repair' });
    expect(await appts.onRepairOrder({ dealerId: store.dealerId, id: late, vehicleId: stayed.v, openedOn: '2026-03-10' })).toBe(1);
  });

  it('keeps slots a supervisor removed: defaults only fill a dealer that never had any', async () => {
    await appts.ensureDefaults(store.dealerId);
    expect(await appts.getSlots(store.dealerId)).toEqual([{ weekday: 2, startTime: '09:30', endTime: '10:30', capacity: 2 }]);
    await appts.setSlots(store.dealerId, []);
    await appts.ensureDefaults(store.dealerId);
    expect(await appts.getSlots(store.dealerId)).toEqual([]);
    expect(() => appts.book(booking(car()))).toThrow(expect.objectContaining({ code: 'VALIDATION', issues: [expect.objectContaining({ path: 'date' })] }));
  });

  it('a reschedule into a full slot leaves the booking and its reminders as they were', async () => {
    const a = appts.book(booking(car()));
    await appts.setSlots(store.dealerId, [
      { weekday: 2, startTime: '09:30', endTime: '10:30', capacity: 2 },
      { weekday: 2, startTime: '13:30', endTime: '14:30', capacity: 1 },
    ]);
    appts.book({ ...booking(car()), startTime: '13:30' });
    expect(() => appts.reschedule(store.dealerId, a.id, { date: '2026-03-10', startTime: '13:30', staffId: null, now: NOW })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect((await appts.list(store.dealerId, '2026-03-10', '2026-03-10')).find((x) => x.id === a.id)?.status).toBe('booked');
    expect(handle.sqlite.prepare(`select count(*) from campaign_sms where dedupe_key like ?`).pluck().get(`appt:${a.id}:%`)).toBe(2);
  });

  it('settling no-shows leaves alone a booking another seat cancelled after the settlement read it', async () => {
    const gone = appts.book(booking(car()));
    const stayed = appts.book(booking(car()));
    // The other seat's cancel, committed between the settlement's read of open bookings and its writes.
    const seat2 = handle.sqlite.prepare(`update appointment set status = 'cancelled', cancel_reason = '客户来电取消' where id = ? and status = 'booked'`);
    let cancelled = false;
    const racing = interleaved(handle, () => {
      cancelled = seat2.run(gone.id).changes === 1;
    });
    const settled = await createAppointments({ handle: racing, smsQueue: createTableSmsQueue(racing) }).detectNoShows(store.dealerId, '2026-03-11');
    expect(racing.fired()).toBe(true);
    expect(cancelled).toBe(true);
    const rows = await appts.list(store.dealerId, '2026-03-10', '2026-03-10');
    expect(rows.find((x) => x.id === gone.id)?.status).toBe('cancelled');
    expect(rows.find((x) => x.id === stayed.id)?.status).toBe('no_show');
    // What it reports is what it changed.
    expect(settled).toEqual({ arrived: 0, noShows: 1 });
  });

  it('settles only its own dealer’s bookings', async () => {
    const mine = appts.book(booking(car()));
    expect(await appts.detectNoShows(OTHER_DEALER, '2026-03-11')).toEqual({ arrived: 0, noShows: 0 });
    expect((await appts.list(store.dealerId, '2026-03-10', '2026-03-10')).find((x) => x.id === mine.id)?.status).toBe('booked');
  });

  it('marking a visit does not turn a cancel that landed after the status was read back into an arrival', async () => {
    const a = appts.book(booking(car()));
    const seat2 = handle.sqlite.prepare(`update appointment set status = 'cancelled', cancel_reason = '客户来电取消' where id = ? and status = 'booked'`);
    let cancelled = false;
    const racing = interleaved(handle, () => {
      cancelled = seat2.run(a.id).changes === 1;
    });
    const marking = createAppointments({ handle: racing, smsQueue: createTableSmsQueue(racing) }).markArrived(store.dealerId, a.id, '2026-03-10');
    const outcome = await marking.then(
      (r) => ({ ok: true as const, status: r.status }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    expect(racing.fired()).toBe(true);
    const status = (await appts.list(store.dealerId, '2026-03-10', '2026-03-10')).find((x) => x.id === a.id)?.status;
    if (cancelled) {
      // The cancel got in first: the seat is told, in both languages, and the cancel stands.
      expect(outcome).toMatchObject({ ok: false, error: { code: 'CONFLICT', userMessage: { zh: '该预约已取消，不能再标记到店', en: expect.stringContaining('cancelled') } } });
      expect(status).toBe('cancelled');
    } else {
      expect(outcome).toEqual({ ok: true, status: 'arrived' });
      expect(status).toBe('arrived');
    }
  });

  it('marking a visit refuses one of another dealer, an unknown id and a cancelled booking, and changes nothing', async () => {
    const a = appts.book(booking(car()));
    await expect(appts.markArrived(OTHER_DEALER, a.id, '2026-03-10')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(appts.markArrived(store.dealerId, '01ARZ3NDEKTSV4RRFFQ69G5FAV', '2026-03-10')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(appts.markArrived(store.dealerId, a.id, '2026-03-09')).rejects.toMatchObject({ code: 'CONFLICT', userMessage: { zh: '预约日期还没到，不能标记到店' } });
    await appts.cancel(store.dealerId, a.id, '客户出差');
    await expect(appts.markArrived(store.dealerId, a.id, '2026-03-10')).rejects.toMatchObject({
      code: 'CONFLICT',
      userMessage: { zh: '该预约已取消，不能再标记到店', en: 'This appointment is already cancelled; it cannot be marked arrived' },
    });
    expect((await appts.list(store.dealerId, '2026-03-10', '2026-03-10')).find((x) => x.id === a.id)?.status).toBe('cancelled');
  });
});

