/**
 * The IPC contract: every channel the renderer can call and every event a host can push, declared once
 * with zod schemas. Hosts validate inputs (and outputs) against it and enforce `roles`; the renderer and
 * preload take their types from it. Nothing here may import Node or Electron: it runs in all processes.
 */
import { z } from 'zod';
import { CONTACT_EVENT_KINDS, MEMBER_TIERS, REPAIR_CATEGORIES, STAFF_ROLES } from '../db/schema';
import {
  ADMINS,
  ALL_STAFF,
  empty,
  excelFile,
  exportLang,
  idSchema,
  isoDate,
  normalizePhone,
  page,
  request,
  SUPERVISORS,
  timestamp,
  type Access,
  type Role,
} from './channels/kit';
import { ERROR_CODES, type Bilingual } from './messages';
import { alarmsEvents, alarmsRequests } from './channels/alarms';
import { queryEvents, queryRequests } from './channels/query';
import { dmsEvents, dmsRequests } from './channels/dms';
import { opsEvents, opsRequests } from './channels/ops';
import { modemEvents, modemRequests } from './channels/modem';
import { campaignSettingsRequests } from './channels/campaign-settings';
import { campaignsEvents, campaignsRequests } from './channels/campaigns';
import { preferencesRequests } from './channels/preferences';
import { lettersRequests } from './channels/letters';
import { appointmentsEvents, appointmentsRequests } from './channels/appointments';
import { templatesRequests } from './channels/templates';
import { dealerRequests } from './channels/dealer';

export { idSchema, normalizePhone, type Role };

// ---------- shared field schemas ----------

export const mobileSchema = z
  .string()
  .transform(normalizePhone)
  .pipe(z.string().regex(/^1[3-9]\d{9}$/, 'mobile'));
export const phoneSchema = z
  .string()
  .transform(normalizePhone)
  .pipe(z.string().regex(/^(1[3-9]\d{9}|0\d{2,3}\d{7,8}|\d{7,8})$/, 'phone'));

const birthdaySchema = isoDate.refine((d) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && d >= '1900-01-01' && t <= Date.now() && new Date(t).toISOString().startsWith(d);
}, 'birthday');

export const roleSchema = z.enum(STAFF_ROLES);
export const memberTierSchema = z.enum(MEMBER_TIERS);
export const repairCategorySchema = z.enum(REPAIR_CATEGORIES);
export const contactEventKindSchema = z.enum(CONTACT_EVENT_KINDS);

// ---------- result and error envelope ----------
const bilingualSchema = z.object({ zh: z.string(), en: z.string() });
export const apiErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: bilingualSchema,
  /** Field-level problems, keyed by the dotted path of the input field. */
  issues: z.array(z.object({ path: z.string(), message: bilingualSchema })).optional(),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;
export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiErrorBody };

// ---------- domain shapes ----------
export const staffSummarySchema = z.object({
  id: idSchema,
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
});
export type StaffSummary = z.infer<typeof staffSummarySchema>;

export const sessionSchema = z.object({
  token: z.string(),
  staff: staffSummarySchema,
  dealer: z.object({ id: idSchema, name: z.string(), brand: z.string() }),
});
export type Session = z.infer<typeof sessionSchema>;

export const customerHitSchema = z.object({
  id: idSchema,
  name: z.string(),
  mobile: z.string().nullable(),
  memberTier: memberTierSchema.nullable(),
  plates: z.array(z.string()),
  models: z.array(z.string()),
  /** Which field the query matched, so the list can highlight it. */
  matchedOn: z.enum(['name', 'phone', 'plate', 'vin', 'text']),
});
export type CustomerHit = z.infer<typeof customerHitSchema>;

export const customerSchema = z.object({
  id: idSchema,
  dmsId: z.string().nullable(),
  name: z.string(),
  gender: z.enum(['M', 'F']).nullable(),
  mobile: z.string().nullable(),
  phone2: z.string().nullable(),
  birthday: z.string().nullable(),
  city: z.string().nullable(),
  address: z.string().nullable(),
  memberTier: memberTierSchema.nullable(),
  memberNo: z.string().nullable(),
  memberSince: z.string().nullable(),
  responsibleStaff: z.string().nullable(),
  version: z.number().int(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type CustomerDto = z.infer<typeof customerSchema>;

export const vehicleSchema = z.object({
  id: idSchema,
  vin: z.string(),
  plate: z.string().nullable(),
  model: z.string(),
  modelYear: z.number().int().nullable(),
  color: z.string().nullable(),
  purchaseDate: z.string().nullable(),
  purchasedHere: z.boolean(),
  mileageKm: z.number().int().nullable(),
  mileageDate: z.string().nullable(),
});
export type VehicleDto = z.infer<typeof vehicleSchema>;

export const repairOrderSchema = z.object({
  id: idSchema,
  vehicleId: idSchema,
  roNo: z.string(),
  openedOn: z.string(),
  closedOn: z.string().nullable(),
  category: repairCategorySchema,
  mileageKm: z.number().int().nullable(),
  totalFen: z.number().int(),
  advisor: z.string().nullable(),
  plate: z.string().nullable(),
  model: z.string(),
});
export type RepairOrderDto = z.infer<typeof repairOrderSchema>;

/**
 * An outgoing SMS on the timeline. Its entry is written once, when the SMS is queued (campaign queue or
 * outbox), and read with the SMS's state now: waiting (queued, until `notBefore` when it has a time),
 * sending, sent, delivered, failed or expired (with the reason), uncertain, or cancelled (withdrawn).
 */
export const timelineSmsStates = ['queued', 'sending', 'sent', 'delivered', 'failed', 'expired', 'uncertain', 'cancelled'] as const;
export const timelineSmsSchema = z.object({
  state: z.enum(timelineSmsStates),
  notBefore: timestamp.nullable(),
  reason: bilingualSchema.nullable(),
  /** The outbox message once the SMS reached it (its sms.state events concern this entry). */
  messageId: z.string().nullable(),
  /** What sent it: a campaign (and its step; null for the unreachable fallback) or an appointment confirmation; both null for a hand-written SMS. */
  campaign: z.object({ id: z.string(), nameZh: z.string(), nameEn: z.string(), step: z.number().int().nullable() }).nullable(),
  appointmentId: z.string().nullable(),
  /** The cars a campaign SMS named (one reminder per customer names all their cars due that day). */
  plates: z.array(z.string()),
});
export type TimelineSmsDto = z.infer<typeof timelineSmsSchema>;

export const contactEventSchema = z.object({
  id: idSchema,
  kind: contactEventKindSchema,
  occurredAt: timestamp,
  staffName: z.string().nullable(),
  summary: z.string(),
  vehicleId: idSchema.nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  /** Outgoing SMS only (sms_out): the SMS's state now; null for other kinds and for entries older than the link. */
  sms: timelineSmsSchema.nullable(),
});
export type ContactEventDto = z.infer<typeof contactEventSchema>;

export const customerPatchSchema = z
  .object({
    name: z.string().trim().min(1, 'name').max(40, 'name'),
    gender: z.enum(['M', 'F']).nullable(),
    mobile: mobileSchema.nullable(),
    phone2: phoneSchema.nullable(),
    birthday: birthdaySchema.nullable(),
    city: z.string().trim().max(40, 'tooLong').nullable(),
    address: z.string().trim().max(200, 'tooLong').nullable(),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'emptyPatch');
export type CustomerPatch = z.input<typeof customerPatchSchema>;

// ---------- channels ----------
const coreRequests = {
  'app.info': request({
    input: empty,
    output: z.object({
      version: z.string(),
      host: z.enum(['electron', 'browser']),
      demo: z.boolean(),
      dealerName: z.string(),
    }),
    roles: 'public',
  }),
  'auth.login': request({
    input: z
      .object({
        username: z.string().trim().min(1, 'required').max(64, 'tooLong'),
        password: z.string().min(1, 'required').max(256, 'tooLong'),
      })
      .strict(),
    output: sessionSchema,
    roles: 'public',
  }),
  'auth.resume': request({
    input: z.object({ token: z.string().min(16).max(128) }).strict(),
    output: sessionSchema,
    roles: 'public',
  }),
  'auth.logout': request({ input: empty, output: z.object({ ok: z.literal(true) }), roles: ALL_STAFF }),

  'customers.search': request({
    input: z
      .object({
        q: z.string().trim().min(1, 'query').max(64, 'query'),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: z.object({ items: z.array(customerHitSchema), more: z.boolean() }),
    roles: ALL_STAFF,
  }),
  'customers.get': request({
    input: z.object({ id: idSchema }).strict(),
    output: z.object({
      customer: customerSchema,
      vehicles: z.array(vehicleSchema),
      repairOrders: z.array(repairOrderSchema),
      stats: z.object({ visits: z.number().int(), totalFen: z.number().int(), lastVisit: z.string().nullable() }),
    }),
    roles: ALL_STAFF,
  }),
  'customers.timeline': request({
    input: z
      .object({
        customerId: idSchema,
        cursor: z.string().max(80).nullable().default(null),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    output: page(contactEventSchema),
    roles: ALL_STAFF,
  }),
  'customers.update': request({
    input: z.object({ id: idSchema, version: z.number().int().min(0), patch: customerPatchSchema }).strict(),
    output: customerSchema,
    roles: ALL_STAFF,
  }),
  'customers.addNote': request({
    input: z
      .object({
        customerId: idSchema,
        vehicleId: idSchema.nullable().default(null),
        text: z.string().trim().min(1, 'noteText').max(2000, 'noteText'),
      })
      .strict(),
    output: contactEventSchema,
    roles: ALL_STAFF,
  }),
  'customers.exportSearch': request({
    input: z.object({ q: z.string().trim().min(1, 'query').max(64, 'query') }).strict(),
    output: z.object({ fileName: z.string(), base64: z.string(), rows: z.number().int() }),
    roles: ALL_STAFF,
  }),
  /**
   * The lists of one customer's page as Excel: vehicles, repair orders and the contact history (a sheet
   * each). Any staff member, like the page: one customer's record, no phone numbers in it.
   */
  'customers.exportRecord': request({
    input: z.object({ id: idSchema, lang: exportLang }).strict(),
    output: excelFile,
    roles: ALL_STAFF,
  }),

  'staff.list': request({
    input: empty,
    output: z.array(staffSummarySchema.extend({ active: z.boolean(), createdAt: timestamp })),
    roles: SUPERVISORS,
  }),
  'staff.create': request({
    input: z
      .object({
        username: z.string().trim().regex(/^[A-Za-z0-9._-]{3,32}$/, 'username'),
        displayName: z.string().trim().min(1, 'name').max(40, 'name'),
        role: roleSchema,
        password: z.string().min(8, 'password').max(256, 'tooLong'),
      })
      .strict(),
    output: staffSummarySchema,
    roles: ADMINS,
  }),
  'staff.setActive': request({
    input: z.object({ id: idSchema, active: z.boolean() }).strict(),
    output: z.object({ ok: z.literal(true) }),
    roles: ADMINS,
  }),
} as const;

/**
 * Every channel of every capability. A capability declares its channels in preload/channels/<name>.ts,
 * each name prefixed with the capability (`query.run`), and adds one spread here.
 */
export const requests = {
  ...coreRequests,
  ...alarmsRequests,
  ...queryRequests,
  ...dmsRequests,
  ...modemRequests,
  ...opsRequests,
  ...campaignsRequests,
  ...campaignSettingsRequests,
  ...preferencesRequests,
  ...lettersRequests,
  ...appointmentsRequests,
  ...templatesRequests,
  ...dealerRequests,
} as const;

/** Events a host pushes to signed-in renderers. */
export const events = {
  'customer.changed': z.object({ customerId: idSchema, by: z.string() }),
  ...alarmsEvents,
  ...queryEvents,
  ...dmsEvents,
  ...modemEvents,
  ...opsEvents,
  ...campaignsEvents,
  ...appointmentsEvents,
} as const;

export type RequestName = keyof typeof requests;
export type EventName = keyof typeof events;
export type RequestInput<N extends RequestName> = z.input<(typeof requests)[N]['input']>;
export type RequestOutput<N extends RequestName> = z.output<(typeof requests)[N]['output']>;
export type RequestParsedInput<N extends RequestName> = z.output<(typeof requests)[N]['input']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const REQUEST_NAMES = Object.keys(requests) as RequestName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(requests, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

export function canAccess(name: RequestName, role: Role | null): boolean {
  const roles: Access = requests[name].roles;
  if (roles === 'public') return true;
  return role !== null && roles.includes(role);
}

/** The surface the renderer sees, whichever host serves it (preload bridge or WebSocket client). */
export interface Api {
  invoke<N extends RequestName>(name: N, input: RequestInput<N>): Promise<Result<RequestOutput<N>>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export type { Bilingual };
