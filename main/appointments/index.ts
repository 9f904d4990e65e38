/**
 * Appointments (预约管理): slot capacity per weekday and start time, booking from a reminder task or
 * the customer page with double booking prevented (an IMMEDIATE transaction counts and inserts under
 * the write lock; a unique index stops the same car twice a day), rescheduling and cancelling (which
 * withdraw the queued confirmations), confirmation SMS queued for the day before and one hour before,
 * and arrivals / no-shows read from repair orders feeding the no-show follow-up list.
 */
import type { DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';
import type { AppointmentStatus } from '../../db/tables/campaigns';
import type { SmsQueue } from '../campaigns/sms-queue';
import { addDays, DEALER_UTC_OFFSET_MINUTES, localDate, localToUtcIso } from '../campaigns/dates';
import { dealerProfileFrom, dealerValues, salutation } from '../campaigns/merge';
import { fieldError, ServiceError } from '../rpc';
import { parseTemplate, renderTokens } from '../templates';
import { DEFAULT_TEMPLATES } from '../templates/defaults';

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

export interface DayAvailability {
  date: string;
  weekday: number;
  /** No slot takes bookings that day (none configured, or every capacity is 0). */
  closed: boolean;
  slots: SlotAvailability[];
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
  /** Dealer's offset from UTC in minutes; DEALER_UTC_OFFSET_MINUTES (China) unless a test says otherwise. */
  utcOffsetMinutes?: number;
  /** Local time the day-before confirmation goes out. */
  dayBeforeAt?: string;
  /** How far ahead a booking may be made. */
  maxDaysAhead?: number;
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
const REMINDERS = [
  { code: 'sms.appointment_day_before', key: 'day_before', label: '预约提醒（前一天）' },
  { code: 'sms.appointment_hour_before', key: 'hour_before', label: '预约提醒（前一小时）' },
] as const;

const STATUS_ZH: Record<AppointmentStatus, string> = { booked: '预约', cancelled: '取消', arrived: '到店', no_show: '爽约' };
const STATUS_EN: Record<AppointmentStatus, string> = { booked: 'booked', cancelled: 'cancelled', arrived: 'marked arrived', no_show: 'a no-show' };
const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const msg = (zh: string, en: string) => ({ zh, en });

type Row = { id: string; customer_id: string; vehicle_id: string; task_id: string | null; date: string; start_time: string; service_type: string; advisor: string | null; note: string | null; status: AppointmentStatus; ro_id: string | null };

function toDto(r: Row): AppointmentDto {
  return { id: r.id, customerId: r.customer_id, vehicleId: r.vehicle_id, taskId: r.task_id, date: r.date, startTime: r.start_time, serviceType: r.service_type, advisor: r.advisor, status: r.status, roId: r.ro_id };
}

export function createAppointments(deps: AppointmentsDeps) {
  const { sqlite, db } = deps.handle;
  const offset = deps.utcOffsetMinutes ?? DEALER_UTC_OFFSET_MINUTES;
  const dayBeforeAt = deps.dayBeforeAt ?? '10:00';
  const maxDaysAhead = deps.maxDaysAhead ?? 180;

  const slotStmt = sqlite.prepare<[string, number, string], number>(`select capacity from appointment_slot where dealer_id = ? and weekday = ? and start_time = ? and active = 1`).pluck();
  const openDayStmt = sqlite.prepare<[string, number], number>(`select count(*) from appointment_slot where dealer_id = ? and weekday = ? and active = 1 and capacity > 0`).pluck();
  const countStmt = sqlite.prepare<[string, string, string], number>(`select count(*) from appointment where dealer_id = ? and date = ? and start_time = ? and status = 'booked'`).pluck();
  const vehicleDayStmt = sqlite.prepare<[string, string], string>(`select start_time from appointment where vehicle_id = ? and date = ? and status = 'booked'`).pluck();
  const customerStmt = sqlite.prepare<[string, string], number>(`select count(*) from customer where id = ? and dealer_id = ? and deleted_at is null`).pluck();
  const vehicleStmt = sqlite.prepare<[string, string], number>(`select count(*) from vehicle where id = ? and customer_id = ? and deleted_at is null`).pluck();
  const taskStmt = sqlite.prepare<[string, string], string>(`select customer_id from campaign_task where id = ? and dealer_id = ?`).pluck();
  const rowStmt = sqlite.prepare<[string, string], Row>(`select * from appointment where id = ? and dealer_id = ?`);
  const templateStmt = sqlite.prepare<[string, string], { body: string; active: number }>(`select body, active from message_template where dealer_id = ? and code = ?`);
  const insertStmt = sqlite.prepare(`insert into appointment (id, dealer_id, customer_id, vehicle_id, task_id, date, start_time, service_type, advisor, note, status, booked_by, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?, ?, ?)`);
  const cancelStmt = sqlite.prepare<[string | null, string, string | null, string | null, string, string, string]>(
    `update appointment set status = 'cancelled', cancel_reason = ?, cancelled_at = ?, cancelled_by = ?, rescheduled_to = ?, updated_at = ?
      where id = ? and dealer_id = ? and status = 'booked'`,
  );

  const linkStmt = sqlite.prepare<[string, string]>(`update appointment set rescheduled_to = ? where id = ?`);
  const arriveStmt = sqlite.prepare<[string, string, string, string]>(
    `update appointment set status = 'arrived', updated_at = ? where id = ? and dealer_id = ? and status in ('booked', 'no_show') and date <= ?`,
  );
  const followUpStmt = sqlite.prepare<[string, string, string | null, string, string, string, string | null]>(
    `update appointment set followup_remark = ?, followed_up_at = ?, followed_up_by = ?, updated_at = ?
      where id = ? and dealer_id = ? and status = 'no_show' and followed_up_at is ?`,
  );
  const followUpRowStmt = sqlite.prepare<[string, string], { status: AppointmentStatus; followup_remark: string | null; name: string | null }>(
    `select a.status, a.followup_remark, s.display_name as name from appointment a left join staff s on s.id = a.followed_up_by where a.id = ? and a.dealer_id = ?`,
  );
  const pastBookedStmt = sqlite.prepare<[string, string], { id: string; vehicle_id: string; date: string }>(
    `select id, vehicle_id, date from appointment where dealer_id = ? and status = 'booked' and date < ?`,
  );
  const visitStmt = sqlite.prepare<[string, string, string], string>(`select id from repair_order where dealer_id = ? and vehicle_id = ? and opened_on = ? and deleted_at is null`).pluck();
  const settleArrivedStmt = sqlite.prepare<[string, string, string, string]>(
    `update appointment set status = 'arrived', ro_id = ?, updated_at = ? where id = ? and dealer_id = ? and status = 'booked'`,
  );
  const settleNoShowStmt = sqlite.prepare<[string, string, string]>(`update appointment set status = 'no_show', updated_at = ? where id = ? and dealer_id = ? and status = 'booked'`);

  async function ensureDefaults(dealerId: string): Promise<void> {
    // Only a dealer that never had slots gets the defaults: slots a supervisor removed stay removed.
    const any = await db.selectFrom('appointment_slot').select('id').where('dealer_id', '=', dealerId).executeTakeFirst();
    if (any) return;
    const at = nowIso();
    const rows = [];
    for (let weekday = 0; weekday < 7; weekday++) {
      for (const [start, end] of DEFAULT_TIMES) rows.push({ id: newId(), dealer_id: dealerId, weekday, start_time: start, end_time: end, capacity: weekday === 0 ? 2 : 4, active: 1, created_at: at, updated_at: at });
    }
    await db.insertInto('appointment_slot').values(rows).onConflict((oc) => oc.columns(['dealer_id', 'weekday', 'start_time']).doNothing()).execute();
  }

  async function getSlots(dealerId: string): Promise<SlotConfig[]> {
    const rows = await db.selectFrom('appointment_slot').select(['weekday', 'start_time', 'end_time', 'capacity']).where('dealer_id', '=', dealerId).where('active', '=', 1).orderBy('weekday').orderBy('start_time').execute();
    return rows.map((r) => ({ weekday: r.weekday, startTime: r.start_time, endTime: r.end_time, capacity: r.capacity }));
  }

  /** Replaces the dealer's slots. Removed slots are kept inactive, so they are not re-created as defaults. */
  async function setSlots(dealerId: string, slots: readonly SlotConfig[]): Promise<void> {
    const seen = new Set<string>();
    slots.forEach((s, i) => {
      const bad = (field: string, zh: string, en: string) => fieldError('VALIDATION', `slots.${i}.${field}`, msg(zh, en));
      if (!Number.isInteger(s.weekday) || s.weekday < 0 || s.weekday > 6) throw bad('weekday', '星期不正确', 'Not a valid weekday');
      if (!TIME.test(s.startTime)) throw bad('startTime', '时间格式应为 HH:MM', 'Times are written HH:MM');
      if (!TIME.test(s.endTime) || s.endTime <= s.startTime) throw bad('endTime', '结束时间须晚于开始时间', 'The end must be after the start');
      if (!Number.isInteger(s.capacity) || s.capacity < 0 || s.capacity > 99) throw bad('capacity', '可约数量为 0–99', 'Capacity is 0–99');
      const key = `${s.weekday} ${s.startTime}`;
      if (seen.has(key)) throw bad('startTime', '同一天已有相同开始时间的时段', 'That day already has a slot starting then');
      seen.add(key);
    });
    const at = nowIso();
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('appointment_slot').set({ active: 0, updated_at: at }).where('dealer_id', '=', dealerId).execute();
      for (const s of slots) {
        await tx
          .insertInto('appointment_slot')
          .values({ id: newId(), dealer_id: dealerId, weekday: s.weekday, start_time: s.startTime, end_time: s.endTime, capacity: s.capacity, active: 1, created_at: at, updated_at: at })
          .onConflict((oc) => oc.columns(['dealer_id', 'weekday', 'start_time']).doUpdateSet({ end_time: s.endTime, capacity: s.capacity, active: 1, updated_at: at }))
          .execute();
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

  async function availabilityRange(dealerId: string, from: string, to: string): Promise<DayAvailability[]> {
    const days: DayAvailability[] = [];
    for (let date = from; date <= to; date = addDays(date, 1)) {
      const slots = await availability(dealerId, date);
      days.push({ date, weekday: weekdayOf(date), closed: !slots.some((s) => s.capacity > 0), slots });
    }
    return days;
  }

  /** The dealer's template text for a reminder; the built-in text when the dealer has none, nothing when switched off. */
  function reminderBody(dealerId: string, code: string): string | null {
    const row = templateStmt.get(dealerId, code);
    if (row) return row.active === 1 ? row.body : null;
    return DEFAULT_TEMPLATES.find((t) => t.code === code)?.body ?? null;
  }

  function queueConfirmations(dealerId: string, appointmentId: string, input: Pick<BookInput, 'customerId' | 'vehicleId' | 'date' | 'startTime' | 'now'>): void {
    const row = sqlite.prepare<[string, string], { name: string; gender: 'M' | 'F' | null; mobile: string | null; plate: string | null }>(
      `select c.name, c.gender, c.mobile, v.plate from customer c join vehicle v on v.id = ? where c.id = ?`,
    ).get(input.vehicleId, input.customerId);
    if (!row?.mobile || !/^1[3-9]\d{9}$/.test(row.mobile)) return;
    const values = {
      customerName: row.name, salutation: salutation(row.name, row.gender), plate: row.plate,
      ...dealerValues(dealerProfileFrom(deps.handle, dealerId)), appointmentDate: input.date, appointmentTime: input.startTime,
    };
    const start = localToUtcIso(input.date, input.startTime, offset);
    const at = {
      day_before: localToUtcIso(addDays(input.date, -1), dayBeforeAt, offset),
      hour_before: new Date(Date.parse(start) - 3_600_000).toISOString(),
    };
    for (const r of REMINDERS) {
      // A reminder whose moment has passed (booked for this afternoon) is not sent late.
      if (at[r.key] <= input.now.toISOString()) continue;
      const body = reminderBody(dealerId, r.code);
      if (!body) continue;
      const text = renderTokens(parseTemplate(body).tokens, values, false).text;
      deps.smsQueue.enqueue({
        dealerId, customerId: input.customerId, mobile: row.mobile, text, purpose: 'appointment', dedupeKey: `appt:${appointmentId}:${r.key}`, notBefore: at[r.key], expiresAt: start,
        // The customer's timeline shows it from now on, waiting for its time (or withdrawn if the booking is cancelled).
        source: { kind: 'appointment', appointmentId, reminder: r.key }, label: r.label, vehicleId: input.vehicleId,
      });
    }
  }

  function withdrawConfirmations(dealerId: string, id: string): void {
    for (const r of REMINDERS) deps.smsQueue.cancel(dealerId, `appt:${id}:${r.key}`);
  }

  /** Checks and inserts; the caller holds the write lock (IMMEDIATE transaction). */
  function bookLocked(input: BookInput, id: string): void {
    if (!TIME.test(input.startTime)) throw fieldError('VALIDATION', 'startTime', msg('请选择预约时段', 'Choose a time slot'));
    const today = localDate(input.now, offset);
    if (input.date < today) throw fieldError('VALIDATION', 'date', msg('不能预约已经过去的日期', 'That date has already passed'));
    if (input.date > addDays(today, maxDaysAhead)) throw fieldError('VALIDATION', 'date', msg(`最多可预约 ${maxDaysAhead} 天以内`, `Bookings go at most ${maxDaysAhead} days ahead`));
    if (localToUtcIso(input.date, input.startTime, offset) <= input.now.toISOString()) {
      throw fieldError('VALIDATION', 'startTime', msg('该时段已经过去，请选择之后的时段', 'That slot has already begun; choose a later one'));
    }
    if (customerStmt.get(input.customerId, input.dealerId) === 0) throw new ServiceError('NOT_FOUND');
    if (vehicleStmt.get(input.vehicleId, input.customerId) === 0) throw fieldError('VALIDATION', 'vehicleId', msg('请选择该客户名下的车辆', "Choose one of this customer's vehicles"));
    if (input.taskId && taskStmt.get(input.taskId, input.dealerId) !== input.customerId) {
      throw fieldError('VALIDATION', 'taskId', msg('招揽任务不属于该客户', 'The reminder task is not this customer’s'));
    }
    const weekday = weekdayOf(input.date);
    if (openDayStmt.get(input.dealerId, weekday) === 0) throw fieldError('VALIDATION', 'date', msg('该日不接受预约（休息日），请选择其他日期', 'No bookings that day (closed); choose another date'));
    const capacity = slotStmt.get(input.dealerId, weekday, input.startTime);
    if (capacity === undefined) throw fieldError('VALIDATION', 'startTime', msg('该时间没有可预约的时段', 'No bookable slot at that time'));
    const existing = vehicleDayStmt.get(input.vehicleId, input.date);
    if (existing !== undefined) {
      throw fieldError('DUPLICATE', 'vehicleId', msg(`该车 ${input.date} 已有 ${existing} 的预约`, `This vehicle is already booked on ${input.date} at ${existing}`));
    }
    if ((countStmt.get(input.dealerId, input.date, input.startTime) ?? 0) >= capacity) {
      throw fieldError('CONFLICT', 'startTime', msg('该时段已约满，请选择其他时段', 'This slot is full; choose another'));
    }
    const at = nowIso();
    insertStmt.run(id, input.dealerId, input.customerId, input.vehicleId, input.taskId ?? null, input.date, input.startTime, input.serviceType, input.advisor ?? null, input.note ?? null, input.staffId, at, at);
    queueConfirmations(input.dealerId, id, input);
  }

  function book(input: BookInput): AppointmentDto {
    const id = newId();
    // IMMEDIATE takes the write lock before counting, so two seats cannot both see the last free place.
    sqlite.transaction(() => bookLocked(input, id)).immediate();
    return { id, customerId: input.customerId, vehicleId: input.vehicleId, taskId: input.taskId ?? null, date: input.date, startTime: input.startTime, serviceType: input.serviceType, advisor: input.advisor ?? null, status: 'booked', roId: null };
  }

  function bookedRow(dealerId: string, id: string): Row {
    const row = rowStmt.get(id, dealerId);
    if (!row) throw new ServiceError('NOT_FOUND');
    if (row.status !== 'booked') throw new ServiceError('CONFLICT', msg('该预约已取消或已结束', 'This appointment is already cancelled or over'));
    return row;
  }

  /** Moves a booking: the old one is cancelled (pointing at the new one) and the new one booked, or neither. */
  function reschedule(dealerId: string, id: string, to: { date: string; startTime: string; staffId: string | null; now: Date }): AppointmentDto {
    const newIdValue = newId();
    sqlite
      .transaction(() => {
        const old = bookedRow(dealerId, id);
        const at = nowIso();
        // Cancelled first so the car's own booking does not block its new day; linked once the new row exists.
        cancelStmt.run('改期 rescheduled', at, to.staffId, null, at, id, dealerId);
        withdrawConfirmations(dealerId, id);
        bookLocked({ dealerId, customerId: old.customer_id, vehicleId: old.vehicle_id, taskId: old.task_id, serviceType: old.service_type, advisor: old.advisor, note: old.note, date: to.date, startTime: to.startTime, staffId: to.staffId, now: to.now }, newIdValue);
        linkStmt.run(newIdValue, id);
      })
      .immediate();
    const moved = rowStmt.get(newIdValue, dealerId);
    if (!moved) throw new ServiceError('INTERNAL');
    return toDto(moved);
  }

  async function cancel(dealerId: string, id: string, reason: string | null = null, staffId: string | null = null): Promise<void> {
    sqlite
      .transaction(() => {
        bookedRow(dealerId, id);
        const at = nowIso();
        cancelStmt.run(reason, at, staffId, null, at, id, dealerId);
        withdrawConfirmations(dealerId, id);
      })
      .immediate();
  }

  /** The service desk saw the car although no repair order (yet) says so. */
  async function markArrived(dealerId: string, id: string, today: string): Promise<AppointmentDto> {
    // The status test is part of the update, so a cancel landing between a read and the write is not
    // turned back into a visit; the read afterwards only explains a refusal.
    const row = sqlite
      .transaction(() => {
        if (arriveStmt.run(nowIso(), id, dealerId, today).changes === 1) {
          withdrawConfirmations(dealerId, id);
          return rowStmt.get(id, dealerId);
        }
        const now = rowStmt.get(id, dealerId);
        if (!now) throw new ServiceError('NOT_FOUND');
        if (now.status !== 'booked' && now.status !== 'no_show') {
          throw new ServiceError('CONFLICT', msg(`该预约已${STATUS_ZH[now.status]}，不能再标记到店`, `This appointment is already ${STATUS_EN[now.status]}; it cannot be marked arrived`));
        }
        throw new ServiceError('CONFLICT', msg('预约日期还没到，不能标记到店', 'The appointment day has not come yet'));
      })
      .immediate();
    if (!row) throw new ServiceError('INTERNAL');
    return toDto(row);
  }

  /**
   * The follow-up call to a no-show: what they said. `seen` is the follow-up time the seat last read
   * (null: none yet), so a second seat calling the same customer does not overwrite the first's remark.
   */
  async function followUp(dealerId: string, id: string, remark: string, staffId: string | null, seen: string | null = null): Promise<void> {
    sqlite
      .transaction(() => {
        const at = nowIso();
        if (followUpStmt.run(remark, at, staffId, at, id, dealerId, seen).changes === 1) return;
        const row = followUpRowStmt.get(id, dealerId);
        if (!row) throw new ServiceError('NOT_FOUND');
        if (row.status !== 'no_show') throw new ServiceError('CONFLICT', msg('该预约不是爽约状态', 'This appointment is not a no-show'));
        const who = row.name ?? '另一位坐席';
        const whoEn = row.name ?? 'another seat';
        throw new ServiceError(
          'CONFLICT',
          msg(`${who} 刚刚已记录了回访：“${row.followup_remark ?? ''}”。请刷新后再看是否需要补充`, `${whoEn} has just recorded a follow-up: “${row.followup_remark ?? ''}”. Reload to see it before adding yours`),
        );
      })
      .immediate();
  }

  /** A repair order opened on the booked day marks the appointment arrived. */
  async function onRepairOrder(ro: { dealerId: string; id: string; vehicleId: string; openedOn: string }): Promise<number> {
    const r = await db.updateTable('appointment').set({ status: 'arrived', ro_id: ro.id, updated_at: nowIso() }).where('dealer_id', '=', ro.dealerId).where('vehicle_id', '=', ro.vehicleId).where('date', '=', ro.openedOn).where('status', 'in', ['booked', 'no_show']).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /**
   * Past bookings: arrived when a repair order shows the visit that day, otherwise no-show. One IMMEDIATE
   * transaction, and each update still requires 'booked': an arrival or cancel made by another seat or
   * process is never overwritten.
   */
  async function detectNoShows(dealerId: string, today: string): Promise<{ arrived: number; noShows: number }> {
    return sqlite
      .transaction(() => {
        let arrived = 0;
        let noShows = 0;
        for (const a of pastBookedStmt.all(dealerId, today)) {
          const roId = visitStmt.get(dealerId, a.vehicle_id, a.date);
          const at = nowIso();
          if (roId !== undefined) arrived += settleArrivedStmt.run(roId, at, a.id, dealerId).changes;
          else noShows += settleNoShowStmt.run(at, a.id, dealerId).changes;
        }
        return { arrived, noShows };
      })
      .immediate();
  }

  async function list(dealerId: string, from: string, to: string, status?: AppointmentStatus): Promise<AppointmentDto[]> {
    let q = db.selectFrom('appointment').selectAll().where('dealer_id', '=', dealerId).where('date', '>=', from).where('date', '<=', to);
    if (status) q = q.where('status', '=', status);
    return (await q.orderBy('date').orderBy('start_time').execute()).map(toDto);
  }

  return {
    ensureDefaults,
    getSlots,
    setSlots,
    availability,
    availabilityRange,
    book,
    reschedule,
    cancel,
    markArrived,
    followUp,
    onRepairOrder,
    detectNoShows,
    list,
    noShows: (dealerId: string, from: string, to: string) => list(dealerId, from, to, 'no_show'),
  };
}

export type Appointments = ReturnType<typeof createAppointments>;
