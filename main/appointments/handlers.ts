/**
 * Contract handlers of appointments (预约管理): availability, the day view, booking, rescheduling,
 * cancelling, marking a visit, the paged list, the no-show follow-up list, the Excel exports of the
 * three lists (list, day view, no-shows) and the supervisors' slot settings. Every query is scoped to the signed-in staff member's dealer; every change
 * is pushed as `appointments.changed` so other seats' day views follow.
 */
import { sql } from 'kysely';
import type { DbHandle } from '../../db/connection';
import type { AppointmentStatus } from '../../db/tables/campaigns';
import type { AppointmentDto } from '../../preload/channels/appointments';
import { EXPORT_ROW_LIMIT } from '../../preload/channels/kit';
import { addDays, DEALER_UTC_OFFSET_MINUTES, localDate } from '../campaigns/dates';
import { ServiceError, staffOf, type EventSink, type HandlerMap } from '../rpc';
import { appointmentsWorkbook, slotSettingsWorkbook, type AppointmentsWorkbookOptions } from './excel';
import type { Appointments } from './index';

export interface AppointmentHandlerDeps {
  handle: DbHandle;
  appointments: Appointments;
  emit: EventSink;
  /** Chinese names of the stored (English) model names, for the Excel export. */
  modelNamesZh?: Readonly<Record<string, string>>;
  utcOffsetMinutes?: number;
  /** Most rows one Excel export carries (EXPORT_ROW_LIMIT); tests lower it. */
  exportLimit?: number;
  /** Injectable clock for tests. */
  now?: () => Date;
}


interface Filter {
  from?: string;
  to?: string;
  date?: string;
  status?: AppointmentStatus | null;
  /** Every status but this one (the day view hides cancelled bookings unless asked). */
  notStatus?: AppointmentStatus;
  customerId?: string | null;
  ids?: readonly string[];
  pendingFollowUp?: boolean;
}

export function createAppointmentHandlers(deps: AppointmentHandlerDeps): HandlerMap {
  const { handle, appointments, emit } = deps;
  const { db } = handle;
  const clock = deps.now ?? (() => new Date());
  const offset = deps.utcOffsetMinutes ?? DEALER_UTC_OFFSET_MINUTES;
  const exportLimit = deps.exportLimit ?? EXPORT_ROW_LIMIT;
  const todayOf = () => localDate(clock(), offset);

  function query(dealerId: string, f: Filter) {
    let q = db
      .selectFrom('appointment as a')
      .innerJoin('customer as c', 'c.id', 'a.customer_id')
      .innerJoin('vehicle as v', 'v.id', 'a.vehicle_id')
      .leftJoin('campaign_task as t', 't.id', 'a.task_id')
      .leftJoin('campaign as cp', 'cp.id', 't.campaign_id')
      .leftJoin('staff as sb', 'sb.id', 'a.booked_by')
      .leftJoin('staff as sf', 'sf.id', 'a.followed_up_by')
      .leftJoin('appointment_slot as s', (join) =>
        join
          .onRef('s.dealer_id', '=', 'a.dealer_id')
          .onRef('s.start_time', '=', 'a.start_time')
          .on(sql<boolean>`s.weekday = cast(strftime('%w', a.date) as integer)`),
      )
      .where('a.dealer_id', '=', dealerId);
    if (f.date) q = q.where('a.date', '=', f.date);
    if (f.from) q = q.where('a.date', '>=', f.from);
    if (f.to) q = q.where('a.date', '<=', f.to);
    if (f.status) q = q.where('a.status', '=', f.status);
    if (f.notStatus) q = q.where('a.status', '!=', f.notStatus);
    if (f.customerId) q = q.where('a.customer_id', '=', f.customerId);
    if (f.ids) q = q.where('a.id', 'in', [...f.ids]);
    if (f.pendingFollowUp) q = q.where('a.followed_up_at', 'is', null);
    return q;
  }

  async function items(dealerId: string, f: Filter, page?: { offset: number; limit: number }, order: 'asc' | 'desc' = 'asc'): Promise<AppointmentDto[]> {
    let q = query(dealerId, f).select([
      'a.id', 'a.customer_id', 'c.name', 'c.mobile', 'a.vehicle_id', 'v.plate', 'v.model', 'a.task_id', 'cp.name_zh', 'cp.name_en', 'a.date', 'a.start_time',
      's.end_time', 'a.service_type', 'a.advisor', 'a.note', 'a.status', 'a.ro_id', 'sb.display_name as booked_by_name', 'a.created_at', 'a.cancel_reason',
      'a.rescheduled_to', 'a.followup_remark', 'a.followed_up_at', 'sf.display_name as followed_up_by_name',
    ]);
    q = q.orderBy('a.date', order).orderBy('a.start_time').orderBy('c.name').orderBy('a.id');
    if (page) q = q.limit(page.limit).offset(page.offset);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      customerId: r.customer_id,
      customerName: r.name,
      mobile: r.mobile,
      vehicleId: r.vehicle_id,
      plate: r.plate,
      model: r.model,
      taskId: r.task_id,
      campaignNameZh: r.name_zh,
      campaignNameEn: r.name_en,
      date: r.date,
      startTime: r.start_time,
      endTime: r.end_time,
      serviceType: r.service_type,
      advisor: r.advisor,
      note: r.note,
      status: r.status,
      roId: r.ro_id,
      bookedByName: r.booked_by_name,
      createdAt: r.created_at,
      cancelReason: r.cancel_reason,
      rescheduledTo: r.rescheduled_to,
      followupRemark: r.followup_remark,
      followedUpAt: r.followed_up_at,
      followedUpByName: r.followed_up_by_name,
    }));
  }

  async function one(dealerId: string, id: string): Promise<AppointmentDto> {
    const [item] = await items(dealerId, { ids: [id] });
    if (!item) throw new ServiceError('NOT_FOUND');
    return item;
  }

  async function count(dealerId: string, f: Filter): Promise<number> {
    const r = await query(dealerId, f)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async function day(dealerId: string, date: string) {
    const [d] = await appointments.availabilityRange(dealerId, date, date);
    if (!d) throw new ServiceError('INTERNAL');
    return d;
  }

  const changed = (date: string, appointmentId: string) => emit('appointments.changed', { date, appointmentId });

  /** The list's rows for an export: at most the limit, and whether the list held more. */
  async function exportRows(dealerId: string, f: Filter, order: 'asc' | 'desc' = 'asc'): Promise<{ rows: AppointmentDto[]; truncated: boolean }> {
    // One row past the limit tells a full export from a cut one without counting the whole range.
    const rows = await items(dealerId, f, { offset: 0, limit: exportLimit + 1 }, order);
    const truncated = rows.length > exportLimit;
    if (truncated) rows.length = exportLimit;
    return { rows, truncated };
  }

  async function file(fileName: string, found: { rows: AppointmentDto[]; truncated: boolean }, options: AppointmentsWorkbookOptions) {
    const buffer = await appointmentsWorkbook(found.rows, { ...options, ...(deps.modelNamesZh ? { modelNamesZh: deps.modelNamesZh } : {}) });
    return { fileName, base64: buffer.toString('base64'), rows: found.rows.length, truncated: found.truncated };
  }

  const handlers: HandlerMap = {
    'appointments.availability': async (input, ctx) => {
      const me = staffOf(ctx);
      return { today: todayOf(), days: await appointments.availabilityRange(me.dealerId, input.from, input.to) };
    },

    'appointments.day': async (input, ctx) => {
      const me = staffOf(ctx);
      const today = todayOf();
      // A past day shows who came: bookings still open from before today are settled first.
      if (input.date < today) await appointments.detectNoShows(me.dealerId, today);
      return { today, day: await day(me.dealerId, input.date), items: await items(me.dealerId, { date: input.date }) };
    },

    'appointments.book': async (input, ctx) => {
      const me = staffOf(ctx);
      const booked = appointments.book({
        dealerId: me.dealerId,
        customerId: input.customerId,
        vehicleId: input.vehicleId,
        date: input.date,
        startTime: input.startTime,
        serviceType: input.serviceType,
        advisor: input.advisor || null,
        note: input.note || null,
        taskId: input.taskId,
        staffId: me.staffId,
        now: clock(),
      });
      changed(booked.date, booked.id);
      return one(me.dealerId, booked.id);
    },

    'appointments.reschedule': async (input, ctx) => {
      const me = staffOf(ctx);
      const before = await one(me.dealerId, input.id);
      const moved = appointments.reschedule(me.dealerId, input.id, { date: input.date, startTime: input.startTime, staffId: me.staffId, now: clock() });
      changed(before.date, before.id);
      changed(moved.date, moved.id);
      return one(me.dealerId, moved.id);
    },

    'appointments.cancel': async (input, ctx) => {
      const me = staffOf(ctx);
      const before = await one(me.dealerId, input.id);
      await appointments.cancel(me.dealerId, input.id, input.reason, me.staffId);
      changed(before.date, before.id);
      return { ok: true as const };
    },

    'appointments.markArrived': async (input, ctx) => {
      const me = staffOf(ctx);
      const marked = await appointments.markArrived(me.dealerId, input.id, todayOf());
      changed(marked.date, marked.id);
      return one(me.dealerId, marked.id);
    },

    'appointments.list': async (input, ctx) => {
      const me = staffOf(ctx);
      const f: Filter = { from: input.from, to: input.to, status: input.status, customerId: input.customerId };
      return { items: await items(me.dealerId, f, { offset: input.offset, limit: input.limit }), total: await count(me.dealerId, f) };
    },

    'appointments.export': async (input, ctx) => {
      const me = staffOf(ctx);
      const found = await exportRows(me.dealerId, { from: input.from, to: input.to, status: input.status, customerId: input.customerId });
      return file(`预约_${input.from}_${input.to}.xlsx`, found, { lang: input.lang, sheet: 'appointments' });
    },

    'appointments.exportDay': async (input, ctx) => {
      const me = staffOf(ctx);
      const today = todayOf();
      // As the day view: a past day's bookings still open are settled first.
      if (input.date < today) await appointments.detectNoShows(me.dealerId, today);
      const found = await exportRows(me.dealerId, { date: input.date, ...(input.cancelled ? {} : { notStatus: 'cancelled' as const }) });
      const { slots } = await day(me.dealerId, input.date);
      return file(`预约日视图_${input.date}.xlsx`, found, { lang: input.lang, sheet: 'appointments', slots });
    },

    'appointments.noShows': async (input, ctx) => {
      const me = staffOf(ctx);
      const today = todayOf();
      await appointments.detectNoShows(me.dealerId, today);
      const f: Filter = { from: input.from, to: input.to, status: 'no_show', pendingFollowUp: input.pending };
      return { today, items: await items(me.dealerId, f, { offset: 0, limit: input.limit }, 'desc') };
    },

    'appointments.exportNoShows': async (input, ctx) => {
      const me = staffOf(ctx);
      await appointments.detectNoShows(me.dealerId, todayOf());
      const found = await exportRows(me.dealerId, { from: input.from, to: input.to, status: 'no_show', pendingFollowUp: input.pending }, 'desc');
      return file(`爽约跟进_${input.from}_${input.to}.xlsx`, found, { lang: input.lang, sheet: 'noShows' });
    },

    'appointments.followUp': async (input, ctx) => {
      const me = staffOf(ctx);
      await appointments.followUp(me.dealerId, input.id, input.remark, me.staffId, input.seenFollowedUpAt);
      const after = await one(me.dealerId, input.id);
      changed(after.date, after.id);
      return { ok: true as const };
    },

    'appointments.advisors': async (_input, ctx) => {
      const me = staffOf(ctx);
      const rows = await db
        .selectFrom('repair_order')
        .select(['advisor'])
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('dealer_id', '=', me.dealerId)
        .where('advisor', 'is not', null)
        .where('opened_on', '>=', addDays(todayOf(), -365))
        .where('deleted_at', 'is', null)
        .groupBy('advisor')
        .orderBy('n', 'desc')
        .limit(50)
        .execute();
      return rows.flatMap((r) => (r.advisor ? [r.advisor] : []));
    },

    'appointments.slots.get': async (_input, ctx) => {
      const me = staffOf(ctx);
      await appointments.ensureDefaults(me.dealerId);
      return appointments.getSlots(me.dealerId);
    },

    'appointments.slots.export': async (input, ctx) => {
      const me = staffOf(ctx);
      await appointments.ensureDefaults(me.dealerId);
      const slots = await appointments.getSlots(me.dealerId);
      const buffer = await slotSettingsWorkbook(slots, input.lang);
      // At most 200 slots (slots.save): never near one file's limit.
      return { fileName: `预约时段_${todayOf()}.xlsx`, base64: buffer.toString('base64'), rows: slots.length, truncated: false };
    },

    'appointments.slots.save': async (input, ctx) => {
      const me = staffOf(ctx);
      await appointments.setSlots(me.dealerId, input.slots);
      return appointments.getSlots(me.dealerId);
    },
  };
  return handlers;
}
