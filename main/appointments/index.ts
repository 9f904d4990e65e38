/**
 * Appointments (预约管理): slot capacity per weekday and start time, booking from a reminder task or
 * the customer page with double booking prevented (an IMMEDIATE transaction counts and inserts under
 * the write lock; a unique index stops the same car twice a day), confirmation SMS queued for the day
 * before and one hour before, and arrivals / no-shows read from repair orders.
 */
import type { DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';
import type { AppointmentStatus } from '../../db/tables/campaigns';
import type { SmsQueue } from '../campaigns/sms-queue';
import { addDays, localToUtcIso } from '../campaigns/dates';
import { salutation } from '../campaigns/merge';
import { fieldError, ServiceError } from '../rpc';
import { parseTemplate, renderTokens } from '../templates';

export interface SlotConfig {
  weekday: number;
  startTime: string;
  endTime: string;
  capacity: number;
}

export interface SlotAvailability extends SlotConfig {
  booked: number;
  remaining: number;
}

export interface BookInput {
  dealerId: string;
  customerId: string;
  vehicleId: string;
  date: string;
  startTime: string;
  serviceType: string;
  advisor?: string | null;
  note?: string | null;
  taskId?: string | null;
  staffId: string | null;
  now: Date;
}

export interface AppointmentDto {
  id: string;
  customerId: string;
  vehicleId: string;
  taskId: string | null;
  date: string;
  startTime: string;
  serviceType: string;
  advisor: string | null;
  status: AppointmentStatus;
  roId: string | null;
}

export interface AppointmentsDeps {
  handle: DbHandle;
  smsQueue: SmsQueue;
  /** Dealer's offset from UTC in minutes (China: 480). */
  utcOffsetMinutes?: number;
  /** Local time the day-before confirmation goes out. */
  dayBeforeAt?: string;
  dealerPhone?: (dealerId: string) => string | null;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DEFAULT_TIMES = [
  ['08:30', '09:30'],
  ['09:30', '10:30'],
  ['10:30', '11:30'],
  ['13:30', '14:30'],
  ['14:30', '15:30'],
  ['15:30', '16:30'],
] as const;

const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

export function createAppointments(deps: AppointmentsDeps) {
  const { sqlite, db } = deps.handle;
  const offset = deps.utcOffsetMinutes ?? 480;
  const dayBeforeAt = deps.dayBeforeAt ?? '10:00';

  const slotStmt = sqlite.prepare<[string, number, string], number>(`select capacity from appointment_slot where dealer_id = ? and weekday = ? and start_time = ? and active = 1`).pluck();
  const countStmt = sqlite.prepare<[string, string, string], number>(`select count(*) from appointment where dealer_id = ? and date = ? and start_time = ? and status = 'booked'`).pluck();
  const vehicleDayStmt = sqlite.prepare<[string, string], number>(`select count(*) from appointment where vehicle_id = ? and date = ? and status = 'booked'`).pluck();
  const insertStmt = sqlite.prepare(`insert into appointment (id, dealer_id, customer_id, vehicle_id, task_id, date, start_time, service_type, advisor, note, status, booked_by, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?, ?, ?)`);

  function toDto(r: { id: string; customer_id: string; vehicle_id: string; task_id: string | null; date: string; start_time: string; service_type: string; advisor: string | null; status: AppointmentStatus; ro_id: string | null }): AppointmentDto {
    return { id: r.id, customerId: r.customer_id, vehicleId: r.vehicle_id, taskId: r.task_id, date: r.date, startTime: r.start_time, serviceType: r.service_type, advisor: r.advisor, status: r.status, roId: r.ro_id };
  }

  async function ensureDefaults(dealerId: string): Promise<void> {
    const at = nowIso();
    const rows = [];
    for (let weekday = 0; weekday < 7; weekday++) {
      for (const [start, end] of DEFAULT_TIMES) rows.push({ id: newId(), dealer_id: dealerId, weekday, start_time: start, end_time: end, capacity: weekday === 0 ? 2 : 4, active: 1, created_at: at, updated_at: at });
    }
    await db.insertInto('appointment_slot').values(rows).onConflict((oc) => oc.columns(['dealer_id', 'weekday', 'start_time']).doNothing()).execute();
  }

  async function setSlots(dealerId: string, slots: readonly SlotConfig[]): Promise<void> {
    for (const s of slots) {
      if (!TIME.test(s.startTime) || !TIME.test(s.endTime) || s.endTime <= s.startTime || s.weekday < 0 || s.weekday > 6 || !Number.isInteger(s.capacity) || s.capacity < 0) {
        throw fieldError('VALIDATION', 'slots', { zh: '预约时段设置不正确', en: 'A slot is not valid' });
      }
    }
    const at = nowIso();
    await db.transaction().execute(async (tx) => {
      await tx.deleteFrom('appointment_slot').where('dealer_id', '=', dealerId).execute();
      if (slots.length) {
        await tx.insertInto('appointment_slot').values(slots.map((s) => ({ id: newId(), dealer_id: dealerId, weekday: s.weekday, start_time: s.startTime, end_time: s.endTime, capacity: s.capacity, active: 1, created_at: at, updated_at: at }))).execute();
      }
    });
  }

  async function availability(dealerId: string, date: string): Promise<SlotAvailability[]> {
    const slots = await db.selectFrom('appointment_slot').select(['weekday', 'start_time', 'end_time', 'capacity']).where('dealer_id', '=', dealerId).where('weekday', '=', weekdayOf(date)).where('active', '=', 1).orderBy('start_time').execute();
    return slots.map((s) => {
      const booked = countStmt.get(dealerId, date, s.start_time) ?? 0;
      return { weekday: s.weekday, startTime: s.start_time, endTime: s.end_time, capacity: s.capacity, booked, remaining: Math.max(0, s.capacity - booked) };
    });
  }

  function queueConfirmations(dealerId: string, appointmentId: string, input: BookInput): void {
    const row = sqlite.prepare<[string, string], { name: string; gender: 'M' | 'F' | null; mobile: string | null; plate: string | null; dealer: string }>(
      `select c.name, c.gender, c.mobile, v.plate, d.name as dealer from customer c join vehicle v on v.id = ? join dealer d on d.id = c.dealer_id where c.id = ?`,
    ).get(input.vehicleId, input.customerId);
    if (!row?.mobile || !/^1[3-9]\d{9}$/.test(row.mobile)) return;
    const values = {
      customerName: row.name, salutation: salutation(row.name, row.gender), plate: row.plate, dealerName: row.dealer,
      dealerPhone: deps.dealerPhone?.(dealerId) ?? null, appointmentDate: input.date, appointmentTime: input.startTime,
    };
    const reminders = [
      { code: 'sms.appointment_day_before', key: 'day_before', at: localToUtcIso(addDays(input.date, -1), dayBeforeAt, offset) },
      { code: 'sms.appointment_hour_before', key: 'hour_before', at: new Date(Date.parse(localToUtcIso(input.date, input.startTime, offset)) - 3_600_000).toISOString() },
    ];
    for (const r of reminders) {
      // A reminder whose moment has passed (booked for this afternoon) is not sent late.
      if (r.at <= input.now.toISOString()) continue;
      const body = sqlite.prepare<[string, string], string>(`select body from message_template where dealer_id = ? and code = ? and active = 1`).pluck().get(dealerId, r.code);
      if (!body) continue;
      const text = renderTokens(parseTemplate(body).tokens, values, false).text;
      deps.smsQueue.enqueue({ dealerId, customerId: input.customerId, mobile: row.mobile, text, purpose: 'appointment', dedupeKey: `appt:${appointmentId}:${r.key}`, notBefore: r.at });
    }
  }

  function book(input: BookInput): AppointmentDto {
    if (!TIME.test(input.startTime)) throw fieldError('VALIDATION', 'startTime', { zh: '预约时间不正确', en: 'Not a valid time' });
    if (localToUtcIso(input.date, input.startTime, offset) <= input.now.toISOString()) {
      throw fieldError('VALIDATION', 'date', { zh: '不能预约已经过去的时间', en: 'That time has already passed' });
    }
    const id = newId();
    const at = nowIso();
    // IMMEDIATE takes the write lock before counting, so two seats cannot both see the last free place.
    const run = sqlite.transaction(() => {
      const capacity = slotStmt.get(input.dealerId, weekdayOf(input.date), input.startTime);
      if (capacity === undefined) throw fieldError('VALIDATION', 'startTime', { zh: '该时段不可预约', en: 'No bookable slot at that time' });
      if ((countStmt.get(input.dealerId, input.date, input.startTime) ?? 0) >= capacity) {
        throw new ServiceError('CONFLICT', { zh: '该时段已约满，请选择其他时段', en: 'This slot is full; choose another' });
      }
      if ((vehicleDayStmt.get(input.vehicleId, input.date) ?? 0) > 0) {
        throw new ServiceError('DUPLICATE', { zh: '该车当天已有预约', en: 'This vehicle is already booked that day' });
      }
      insertStmt.run(id, input.dealerId, input.customerId, input.vehicleId, input.taskId ?? null, input.date, input.startTime, input.serviceType, input.advisor ?? null, input.note ?? null, input.staffId, at, at);
      queueConfirmations(input.dealerId, id, input);
    });
    run.immediate();
    return { id, customerId: input.customerId, vehicleId: input.vehicleId, taskId: input.taskId ?? null, date: input.date, startTime: input.startTime, serviceType: input.serviceType, advisor: input.advisor ?? null, status: 'booked', roId: null };
  }

  async function cancel(dealerId: string, id: string): Promise<void> {
    const r = await db.updateTable('appointment').set({ status: 'cancelled', updated_at: nowIso() }).where('id', '=', id).where('dealer_id', '=', dealerId).where('status', '=', 'booked').executeTakeFirst();
    if (r.numUpdatedRows === 0n) throw new ServiceError('NOT_FOUND');
    deps.smsQueue.cancel(dealerId, `appt:${id}:day_before`);
    deps.smsQueue.cancel(dealerId, `appt:${id}:hour_before`);
  }

  /** A repair order opened on the booked day marks the appointment arrived. */
  async function onRepairOrder(ro: { dealerId: string; id: string; vehicleId: string; openedOn: string }): Promise<number> {
    const r = await db.updateTable('appointment').set({ status: 'arrived', ro_id: ro.id, updated_at: nowIso() }).where('dealer_id', '=', ro.dealerId).where('vehicle_id', '=', ro.vehicleId).where('date', '=', ro.openedOn).where('status', 'in', ['booked', 'no_show']).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Past bookings: arrived when a repair order shows the visit that day, otherwise no-show. */
  async function detectNoShows(dealerId: string, today: string): Promise<{ arrived: number; noShows: number }> {
    const past = await db.selectFrom('appointment').select(['id', 'vehicle_id', 'date']).where('dealer_id', '=', dealerId).where('status', '=', 'booked').where('date', '<', today).execute();
    let arrived = 0;
    let noShows = 0;
    for (const a of past) {
      const ro = await db.selectFrom('repair_order').select('id').where('vehicle_id', '=', a.vehicle_id).where('opened_on', '=', a.date).where('deleted_at', 'is', null).executeTakeFirst();
      await db.updateTable('appointment').set(ro ? { status: 'arrived', ro_id: ro.id, updated_at: nowIso() } : { status: 'no_show', updated_at: nowIso() }).where('id', '=', a.id).execute();
      if (ro) arrived += 1;
      else noShows += 1;
    }
    return { arrived, noShows };
  }

  async function list(dealerId: string, from: string, to: string, status?: AppointmentStatus): Promise<AppointmentDto[]> {
    let q = db.selectFrom('appointment').selectAll().where('dealer_id', '=', dealerId).where('date', '>=', from).where('date', '<=', to);
    if (status) q = q.where('status', '=', status);
    return (await q.orderBy('date').orderBy('start_time').execute()).map(toDto);
  }

  return { ensureDefaults, setSlots, availability, book, cancel, onRepairOrder, detectNoShows, list, noShows: (dealerId: string, from: string, to: string) => list(dealerId, from, to, 'no_show') };
}

export type Appointments = ReturnType<typeof createAppointments>;
