/**
 * Channels of telephony and SMS over the GSM modem (短信 / 电话, issue 4). A copy of main/modem/api.ts's
 * schemas (preload may not import main/), plus the admin settings channels. Events carry the screen pop
 * (call.incoming), call and SMS states, received SMS and the modem's health.
 */
import { z } from 'zod';
import { ADMINS, ALL_STAFF, empty, idSchema, request, SUPERVISORS } from './kit';

const bilingual = z.object({ zh: z.string(), en: z.string() });
const encoding = z.enum(['gsm7', 'ucs2']);
const threadKey = z.union([z.object({ customerId: idSchema }).strict(), z.object({ number: z.string().min(3).max(24) }).strict()]);
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'clockTime');

export const SMS_STATES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'uncertain', 'cancelled'] as const;
export const MODEM_BAUD_RATES = [9600, 19200, 38400, 57600, 115200] as const;

const modemStatusSchema = z.object({
  link: z.enum(['stopped', 'connecting', 'ready', 'disconnected']),
  port: z.string(),
  signal: z.object({ csq: z.number().int(), dbm: z.number().int() }).nullable(),
  registration: z.enum(['home', 'roaming', 'searching', 'denied', 'not_registered', 'unknown']),
  sim: z.enum(['ready', 'pin', 'puk', 'absent', 'error', 'unknown']),
  paused: bilingual.nullable(),
  lastOkAt: z.string().nullable(),
  lastError: bilingual.nullable(),
  reconnects: z.number().int(),
});

/**
 * The per-customer daily cap (perCustomerDailyCap) counts every SMS of the customer's local day. Automated
 * SMS (the campaign queue: reminders, query campaigns, appointment confirmations) may take the day's total
 * only this far — one short of the cap — so an agent can always still text a customer the campaigns reached;
 * a hand-written SMS is refused only at the cap itself. A cap of 1 keeps nothing back (else nothing automated
 * would ever go). One rule for the outbox that enforces it and the settings screen that explains it.
 */
export function automatedDailyAllowance(cap: number): number {
  return Math.max(1, cap - 1);
}

/** What an admin edits (stored in the seat configuration file's `modem` section). */
export const modemSettingsSchema = z
  .object({
    enabled: z.boolean(),
    port: z.string().trim().max(128, 'tooLong').nullable(),
    baudRate: z.number().int().refine((b) => (MODEM_BAUD_RATES as readonly number[]).includes(b), 'baudRate'),
    maxSmsPerMinute: z.number().int().min(1, 'range').max(12, 'range'),
    quietHours: z.object({ start: clockTime, end: clockTime }).strict().nullable(),
    perCustomerDailyCap: z.number().int().min(1, 'range').max(50, 'range'),
  })
  .strict()
  .refine((m) => !m.enabled || (m.port !== null && m.port !== ''), { message: 'modemPort', path: ['port'] });
export type ModemSettings = z.output<typeof modemSettingsSchema>;

const callLogRow = z.object({
  id: idSchema,
  direction: z.enum(['in', 'out']),
  number: z.string().nullable(),
  customerId: idSchema.nullable(),
  customerName: z.string().nullable(),
  staffName: z.string().nullable(),
  startedAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  durationS: z.number().int().nullable(),
  missed: z.boolean(),
  abandoned: z.boolean(),
  endReason: z.string().nullable(),
});

export const modemRequests = {
  /** Live segment counter of a composer. */
  'sms.count': request({
    input: z.object({ text: z.string().max(2000, 'tooLong') }).strict(),
    output: z.object({ encoding, parts: z.number().int(), units: z.number().int() }),
    roles: ALL_STAFF,
  }),
  'sms.send': request({
    input: z
      .object({
        customerId: idSchema.nullable().default(null),
        recipient: z.string().trim().max(24, 'tooLong').nullable().default(null),
        body: z.string().trim().min(1, 'smsBody').max(1000, 'smsBody'),
        kind: z.enum(['service', 'marketing']).default('service'),
        clientRef: z.string().max(64).nullable().default(null),
      })
      .strict()
      .refine((v) => v.customerId !== null || v.recipient !== null, { message: 'required', path: ['recipient'] }),
    output: z.object({ id: idSchema, parts: z.number().int(), encoding, duplicate: z.boolean() }),
    roles: ALL_STAFF,
  }),
  /** Messages whose outcome is unknown (interrupted mid-send), for a supervisor to decide. */
  'sms.uncertain': request({
    input: empty,
    output: z.array(
      z.object({
        id: idSchema,
        customerId: idSchema.nullable(),
        customerName: z.string().nullable(),
        recipient: z.string(),
        body: z.string(),
        parts: z.number().int(),
        createdAt: z.string(),
        errorText: z.string().nullable(),
      }),
    ),
    roles: SUPERVISORS,
  }),
  'sms.resolveUncertain': request({
    input: z.object({ messageId: idSchema, action: z.enum(['resend', 'mark_sent', 'cancel']) }).strict(),
    output: z.object({ state: z.string() }),
    roles: SUPERVISORS,
  }),
  'sms.threads': request({
    input: z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.object({
      items: z.array(
        z.object({
          key: z.string(),
          customerId: idSchema.nullable(),
          customerName: z.string().nullable(),
          number: z.string(),
          lastAt: z.string(),
          lastText: z.string(),
          lastDirection: z.enum(['in', 'out']),
          unread: z.number().int(),
        }),
      ),
      unreadTotal: z.number().int(),
    }),
    roles: ALL_STAFF,
  }),
  'sms.thread': request({
    input: threadKey,
    output: z.array(
      z.object({ id: idSchema, direction: z.enum(['in', 'out']), number: z.string(), body: z.string(), at: z.string(), state: z.string(), parts: z.number().int() }),
    ),
    roles: ALL_STAFF,
  }),
  'sms.markRead': request({ input: threadKey, output: z.object({ updated: z.number().int() }), roles: ALL_STAFF }),
  'calls.dial': request({
    input: z.object({ number: z.string().trim().min(3, 'phone').max(24, 'phone'), customerId: idSchema.nullable().default(null) }).strict(),
    output: z.object({ callId: idSchema }),
    roles: ALL_STAFF,
  }),
  /** "未知号码" on the screen pop: creates a customer with just a name and the caller's number. */
  'calls.quickCreate': request({
    input: z
      .object({
        name: z.string().trim().min(1, 'name').max(40, 'name'),
        number: z.string().trim().regex(/^(\+?86)?\d{3,20}$/, 'phone'),
      })
      .strict(),
    output: z.object({ id: idSchema }),
    roles: ALL_STAFF,
  }),
  /** The call log, newest first: direction, start/answer/end, talk time, agent, missed/abandoned. */
  'calls.log': request({
    input: z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.array(callLogRow),
    roles: ALL_STAFF,
  }),
  'calls.exportLog': request({
    input: z.object({ limit: z.number().int().min(1).max(10000).default(5000) }).strict(),
    output: z.object({ fileName: z.string(), base64: z.string(), rows: z.number().int() }),
    roles: SUPERVISORS,
  }),
  'calls.answer': request({ input: empty, output: z.object({ callId: idSchema }), roles: ALL_STAFF }),
  'calls.hangup': request({ input: empty, output: z.object({ callId: idSchema.nullable() }), roles: ALL_STAFF }),
  'modem.status': request({
    input: empty,
    output: modemStatusSchema.extend({
      queue: z.object({ queued: z.number().int(), uncertain: z.number().int(), failedToday: z.number().int() }),
    }),
    roles: ALL_STAFF,
  }),
  'modem.ports': request({
    input: empty,
    output: z.array(
      z.object({ path: z.string(), manufacturer: z.string().nullable(), serialNumber: z.string().nullable(), vendorId: z.string().nullable(), productId: z.string().nullable() }),
    ),
    roles: ADMINS,
  }),
  'modem.settings': request({ input: empty, output: modemSettingsSchema, roles: ADMINS }),
  /** Saves the settings to the seat configuration and (re)connects the modem at once. */
  'modem.configure': request({ input: modemSettingsSchema, output: modemSettingsSchema, roles: ADMINS }),
  /** Demo only (port `sim://demo`): the simulated network delivers an SMS from, or rings a call from, `from`. */
  'modem.demoInject': request({
    input: z
      .object({
        kind: z.enum(['sms', 'call']),
        from: z.string().trim().regex(/^\+?\d{3,20}$/, 'phone'),
        text: z.string().trim().max(500, 'tooLong').default(''),
      })
      .strict()
      .refine((v) => v.kind !== 'sms' || v.text !== '', { message: 'smsBody', path: ['text'] }),
    output: z.object({ injected: z.enum(['sms', 'call']) }),
    roles: ADMINS,
  }),
} as const;

const callInfo = z.object({
  callId: idSchema,
  direction: z.enum(['in', 'out']),
  number: z.string().nullable(),
  customerId: idSchema.nullable(),
  customerName: z.string().nullable(),
  phase: z.enum(['ringing', 'dialing', 'active', 'ended']),
  endReason: z.string().nullable(),
});
export type CallInfoDto = z.output<typeof callInfo>;

export const modemEvents = {
  /** Screen pop: at the first +CLIP (or after ~1 s as unknown), again when the number arrives late. */
  'call.incoming': callInfo,
  'call.state': callInfo,
  'sms.received': z.object({
    id: idSchema,
    customerId: idSchema.nullable(),
    customerName: z.string().nullable(),
    sender: z.string(),
    body: z.string(),
    receivedAt: z.string(),
    optOut: z.boolean(),
  }),
  /** An outgoing message moved on; `customerId` when the event is about a new message to a customer (their page shows its entry). */
  'sms.state': z.object({ messageId: idSchema, state: z.string(), customerId: idSchema.nullable().optional() }),
  'modem.status': modemStatusSchema,
} as const;
