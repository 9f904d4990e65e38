/**
 * The channels and events this capability proposes for preload/contract.ts (zod, as the contract
 * writes them). Until the lead moves them there, createModem's handlers validate with these.
 */
import { z } from 'zod';

const id = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'id');
const bilingual = z.object({ zh: z.string(), en: z.string() });

export const modemChannels = {
  'sms.count': {
    input: z.object({ text: z.string().max(2000) }).strict(),
    output: z.object({ encoding: z.enum(['gsm7', 'ucs2']), parts: z.number().int(), units: z.number().int() }),
    roles: ['agent', 'supervisor', 'admin'],
  },
  'sms.send': {
    input: z
      .object({
        customerId: id.nullable().default(null),
        recipient: z.string().trim().max(24).nullable().default(null),
        body: z.string().trim().min(1, 'required').max(1000, 'tooLong'),
        kind: z.enum(['service', 'marketing']).default('service'),
        clientRef: z.string().max(64).nullable().default(null),
      })
      .strict()
      .refine((v) => v.customerId !== null || v.recipient !== null, 'required'),
    output: z.object({ id, parts: z.number().int(), encoding: z.enum(['gsm7', 'ucs2']), duplicate: z.boolean() }),
    roles: ['agent', 'supervisor', 'admin'],
  },
  'sms.resolveUncertain': {
    input: z.object({ messageId: id, action: z.enum(['resend', 'mark_sent', 'cancel']) }).strict(),
    output: z.object({ state: z.string() }),
    roles: ['supervisor', 'admin'],
  },
  'sms.threads': {
    input: z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.object({
      items: z.array(
        z.object({
          key: z.string(),
          customerId: id.nullable(),
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
    roles: ['agent', 'supervisor', 'admin'],
  },
  'sms.thread': {
    input: z.union([z.object({ customerId: id }).strict(), z.object({ number: z.string().min(3).max(24) }).strict()]),
    output: z.array(
      z.object({ id, direction: z.enum(['in', 'out']), number: z.string(), body: z.string(), at: z.string(), state: z.string(), parts: z.number().int() }),
    ),
    roles: ['agent', 'supervisor', 'admin'],
  },
  'sms.markRead': {
    input: z.union([z.object({ customerId: id }).strict(), z.object({ number: z.string().min(3).max(24) }).strict()]),
    output: z.object({ updated: z.number().int() }),
    roles: ['agent', 'supervisor', 'admin'],
  },
  'calls.dial': {
    input: z.object({ number: z.string().trim().min(3).max(24), customerId: id.nullable().default(null) }).strict(),
    output: z.object({ callId: id }),
    roles: ['agent', 'supervisor', 'admin'],
  },
  'calls.answer': { input: z.object({}).strict(), output: z.object({ callId: id }), roles: ['agent', 'supervisor', 'admin'] },
  'calls.hangup': { input: z.object({}).strict(), output: z.object({ callId: id.nullable() }), roles: ['agent', 'supervisor', 'admin'] },
  'modem.status': {
    input: z.object({}).strict(),
    output: z.object({
      link: z.enum(['stopped', 'connecting', 'ready', 'disconnected']),
      port: z.string(),
      signal: z.object({ csq: z.number().int(), dbm: z.number().int() }).nullable(),
      registration: z.enum(['home', 'roaming', 'searching', 'denied', 'not_registered', 'unknown']),
      sim: z.enum(['ready', 'pin', 'puk', 'absent', 'error', 'unknown']),
      paused: bilingual.nullable(),
      lastOkAt: z.string().nullable(),
      lastError: bilingual.nullable(),
      reconnects: z.number().int(),
      queue: z.object({ queued: z.number().int(), uncertain: z.number().int(), failedToday: z.number().int() }),
    }),
    roles: ['agent', 'supervisor', 'admin'],
  },
  'modem.ports': {
    input: z.object({}).strict(),
    output: z.array(z.object({ path: z.string(), manufacturer: z.string().nullable(), serialNumber: z.string().nullable(), vendorId: z.string().nullable(), productId: z.string().nullable() })),
    roles: ['admin'],
  },
} as const;

const callInfo = z.object({
  callId: id,
  direction: z.enum(['in', 'out']),
  number: z.string().nullable(),
  customerId: id.nullable(),
  customerName: z.string().nullable(),
  phase: z.enum(['ringing', 'dialing', 'active', 'ended']),
  endReason: z.string().nullable(),
});

export const modemEvents = {
  /** Screen pop: fired at the first +CLIP (or after ~1 s as "unknown"), again when the number arrives late. */
  'call.incoming': callInfo,
  'call.state': callInfo,
  'sms.received': z.object({ id, customerId: id.nullable(), customerName: z.string().nullable(), sender: z.string(), body: z.string(), receivedAt: z.string(), optOut: z.boolean() }),
  'sms.state': z.object({ messageId: id, state: z.string() }),
  'modem.status': modemChannels['modem.status'].output.omit({ queue: true }),
} as const;

export type ModemChannel = keyof typeof modemChannels;
export type ModemEventName = keyof typeof modemEvents;
export type ModemEventPayload<E extends ModemEventName> = z.output<(typeof modemEvents)[E]>;
export type ModemInput<C extends ModemChannel> = z.output<(typeof modemChannels)[C]['input']>;
export type ModemOutput<C extends ModemChannel> = z.output<(typeof modemChannels)[C]['output']>;
