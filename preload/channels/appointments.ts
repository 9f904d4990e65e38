/**
 * Channels of appointments (预约管理): free places per slot over a date range and for one day, booking
 * (from the customer page or a reminder task), rescheduling, cancelling with a reason, marking a visit,
 * the paged list, the no-show follow-up list, the Excel exports of list, day view and no-shows, and the
 * supervisors' slot settings.
 * Every call is scoped by the host to the signed-in staff member's dealer.
 */
import { z } from 'zod';
import type { Bilingual } from '../messages';
import { ALL_STAFF, empty, excelFile, exportLang, idSchema, isoDate, request, SUPERVISORS, timestamp } from './kit';

export const SERVICE_TYPES = ['maintenance', 'first_service', 'repair', 'bodywork', 'inspection', 'insurance', 'other'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];
export const SERVICE_TYPE_LABELS: Record<ServiceType, Bilingual> = {
  maintenance: { zh: '定期保养', en: 'Scheduled maintenance' },
  first_service: { zh: '首次保养', en: 'First service' },
  repair: { zh: '一般维修', en: 'Repair' },
  bodywork: { zh: '钣金喷漆', en: 'Body and paint' },
  inspection: { zh: '年审检测', en: 'Annual inspection' },
  insurance: { zh: '保险理赔', en: 'Insurance claim' },
  other: { zh: '其他', en: 'Other' },
};
export const serviceTypeSchema = z.enum(SERVICE_TYPES);
/** Stored service types are free text on older rows: this tells one of SERVICE_TYPES from the rest. */
export const isServiceType = (s: string): s is ServiceType => (SERVICE_TYPES as readonly string[]).includes(s);

export const APPOINTMENT_STATUSES = ['booked', 'cancelled', 'arrived', 'no_show'] as const;
export const appointmentStatusSchema = z.enum(APPOINTMENT_STATUSES);

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'clockTime');

export const slotSchema = z.object({
  /** 0 = Sunday … 6 = Saturday. */
  weekday: z.number().int().min(0, 'range').max(6, 'range'),
  startTime: clock,
  endTime: clock,
  capacity: z.number().int().min(0, 'range').max(99, 'range'),
});
export type SlotDto = z.infer<typeof slotSchema>;

export const slotAvailabilitySchema = slotSchema.extend({ booked: z.number().int(), remaining: z.number().int() });
export type SlotAvailabilityDto = z.infer<typeof slotAvailabilitySchema>;

export const dayAvailabilitySchema = z.object({
  date: isoDate,
  weekday: z.number().int(),
  /** No slot takes bookings that day. */
  closed: z.boolean(),
  slots: z.array(slotAvailabilitySchema),
});
export type DayAvailabilityDto = z.infer<typeof dayAvailabilitySchema>;

export const appointmentSchema = z.object({
  id: idSchema,
  customerId: idSchema,
  customerName: z.string(),
  mobile: z.string().nullable(),
  vehicleId: idSchema,
  plate: z.string().nullable(),
  model: z.string().nullable(),
  /** The reminder task it was booked from, with that task's campaign. */
  taskId: idSchema.nullable(),
  campaignNameZh: z.string().nullable(),
  campaignNameEn: z.string().nullable(),
  date: isoDate,
  startTime: z.string(),
  endTime: z.string().nullable(),
  /** One of SERVICE_TYPES (older rows may hold free text). */
  serviceType: z.string(),
  advisor: z.string().nullable(),
  note: z.string().nullable(),
  status: appointmentStatusSchema,
  roId: idSchema.nullable(),
  bookedByName: z.string().nullable(),
  createdAt: timestamp,
  cancelReason: z.string().nullable(),
  rescheduledTo: idSchema.nullable(),
  followupRemark: z.string().nullable(),
  followedUpAt: timestamp.nullable(),
  followedUpByName: z.string().nullable(),
});
export type AppointmentDto = z.infer<typeof appointmentSchema>;

const range = (maxDays: number) =>
  z
    .object({ from: isoDate, to: isoDate })
    .strict()
    .refine((p) => p.from <= p.to, { message: 'dateRange', path: ['to'] })
    .refine((p) => Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`) <= maxDays * 86_400_000, { message: 'range', path: ['to'] });

const listFilter = {
  from: isoDate,
  to: isoDate,
  status: appointmentStatusSchema.nullable().default(null),
  customerId: idSchema.nullable().default(null),
};

export const appointmentsRequests = {
  /** Free places per slot for each day of a range (the booking dialog's calendar; at most 62 days). */
  'appointments.availability': request({
    input: range(62),
    output: z.object({ today: isoDate, days: z.array(dayAvailabilitySchema) }),
    roles: ALL_STAFF,
  }),
  /** One day: each slot's capacity, booked and remaining, and every appointment of the day. */
  'appointments.day': request({
    input: z.object({ date: isoDate }).strict(),
    output: z.object({ today: isoDate, day: dayAvailabilitySchema, items: z.array(appointmentSchema) }),
    roles: ALL_STAFF,
  }),
  'appointments.book': request({
    input: z
      .object({
        customerId: idSchema,
        vehicleId: idSchema,
        date: isoDate,
        startTime: clock,
        serviceType: serviceTypeSchema,
        advisor: z.string().trim().max(40, 'tooLong').nullable().default(null),
        note: z.string().trim().max(500, 'tooLong').nullable().default(null),
        taskId: idSchema.nullable().default(null),
      })
      .strict(),
    output: appointmentSchema,
    roles: ALL_STAFF,
  }),
  /** Moves a booking to another date/slot; the old one is cancelled and points at the new one. */
  'appointments.reschedule': request({
    input: z.object({ id: idSchema, date: isoDate, startTime: clock }).strict(),
    output: appointmentSchema,
    roles: ALL_STAFF,
  }),
  'appointments.cancel': request({
    input: z.object({ id: idSchema, reason: z.string().trim().min(1, 'required').max(200, 'tooLong') }).strict(),
    output: z.object({ ok: z.literal(true) }),
    roles: ALL_STAFF,
  }),
  /** The car is here although no repair order shows it yet. */
  'appointments.markArrived': request({
    input: z.object({ id: idSchema }).strict(),
    output: appointmentSchema,
    roles: ALL_STAFF,
  }),
  'appointments.list': request({
    input: z
      .object({
        ...listFilter,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict()
      .refine((p) => p.from <= p.to, { message: 'dateRange', path: ['to'] }),
    output: z.object({ items: z.array(appointmentSchema), total: z.number().int() }),
    roles: ALL_STAFF,
  }),
  /**
   * Supervisors only, like query.export: the file carries every customer's name and mobile in the range.
   * `truncated`: the range held more appointments than one export carries (`rows` of them are in the file).
   */
  'appointments.export': request({
    input: z
      .object({ ...listFilter, lang: exportLang })
      .strict()
      .refine((p) => p.from <= p.to, { message: 'dateRange', path: ['to'] }),
    output: excelFile,
    roles: SUPERVISORS,
  }),
  /** The day view as Excel: the day's bookings (cancelled ones when the view shows them) and its slots. Supervisors only. */
  'appointments.exportDay': request({
    input: z.object({ date: isoDate, cancelled: z.boolean().default(false), lang: exportLang }).strict(),
    output: excelFile,
    roles: SUPERVISORS,
  }),
  /** 爽约跟进: no-shows in the range (detected from repair orders first), by default those not yet called. */
  'appointments.noShows': request({
    input: z
      .object({ from: isoDate, to: isoDate, pending: z.boolean().default(true), limit: z.number().int().min(1).max(1000).default(300) })
      .strict()
      .refine((p) => p.from <= p.to, { message: 'dateRange', path: ['to'] }),
    output: z.object({ today: isoDate, items: z.array(appointmentSchema) }),
    roles: ALL_STAFF,
  }),
  /** 爽约跟进 as Excel: the same filter, every row up to one file's limit. Supervisors only (names and mobiles). */
  'appointments.exportNoShows': request({
    input: z
      .object({ from: isoDate, to: isoDate, pending: z.boolean().default(true), lang: exportLang })
      .strict()
      .refine((p) => p.from <= p.to, { message: 'dateRange', path: ['to'] }),
    output: excelFile,
    roles: SUPERVISORS,
  }),
  /**
   * Records the follow-up call. `seenFollowedUpAt` is the follow-up time the seat was shown (null: none
   * yet); when another seat has recorded one since, the host refuses with CONFLICT instead of overwriting.
   */
  'appointments.followUp': request({
    input: z
      .object({ id: idSchema, remark: z.string().trim().min(1, 'required').max(500, 'tooLong'), seenFollowedUpAt: timestamp.nullable().default(null) })
      .strict(),
    output: z.object({ ok: z.literal(true) }),
    roles: ALL_STAFF,
  }),
  /** Service advisors named on the dealer's repair orders of the last year, most frequent first. */
  'appointments.advisors': request({ input: empty, output: z.array(z.string()), roles: ALL_STAFF }),
  'appointments.slots.get': request({ input: empty, output: z.array(slotSchema), roles: SUPERVISORS }),
  /** The saved weekly slots as Excel, Monday first. */
  'appointments.slots.export': request({ input: z.object({ lang: exportLang }).strict(), output: excelFile, roles: SUPERVISORS }),
  'appointments.slots.save': request({
    input: z.object({ slots: z.array(slotSchema.strict()).max(200, 'range') }).strict(),
    output: z.array(slotSchema),
    roles: SUPERVISORS,
  }),
} as const;

export const appointmentsEvents = {
  /** A booking was made, moved, cancelled or marked: day views of that date reload. */
  'appointments.changed': z.object({ date: isoDate, appointmentId: idSchema }),
} as const;
