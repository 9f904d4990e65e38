/**
 * Channels of contact preferences (联系偏好, issue 5 item 4): a customer's do-not-contact flags per purpose
 * and channel, the modem's SMS opt-out ("TD/退订") with where it came from, vehicles marked sold, and the
 * append-only history of every change. Every change needs a reason. Any agent may turn contact off or
 * mark a car sold (the customer asks on the phone); lifting an opt-out the customer sent by SMS needs a
 * supervisor, which the host checks against the opt-out's source.
 */
import { z } from 'zod';
import { CONTACT_PURPOSES } from '../../db/tables/campaigns';
import { ALL_STAFF, idSchema, request, timestamp } from './kit';

export const contactPurposeSchema = z.enum(CONTACT_PURPOSES);
/** 'all' purposes and 'any' channel are flags of their own, covering every cell of their row or column. */
export const flagPurposeSchema = z.enum(['all', 'maintenance', 'insurance', 'marketing', 'survey'] as const satisfies ReadonlyArray<'all' | (typeof CONTACT_PURPOSES)[number]>);
export const flagChannelSchema = z.enum(['any', 'sms', 'phone', 'letter']);
export type FlagPurpose = z.infer<typeof flagPurposeSchema>;
export type FlagChannel = z.infer<typeof flagChannelSchema>;

/** Why a preference changed: required, shown in the history. */
export const preferenceReasonSchema = z.string().trim().min(1, 'prefReason').max(200, 'prefReason');

export const preferenceFlagSchema = z.object({
  purpose: flagPurposeSchema,
  channel: flagChannelSchema,
  reason: z.string(),
  setByName: z.string().nullable(),
  since: timestamp,
});
export type PreferenceFlagDto = z.infer<typeof preferenceFlagSchema>;

export const preferenceHistorySchema = z.object({
  at: timestamp,
  kind: z.enum(['flag', 'sold', 'sms_opt_out']),
  action: z.enum(['set', 'clear']),
  purpose: flagPurposeSchema,
  channel: flagChannelSchema,
  vehicleId: idSchema.nullable(),
  plate: z.string().nullable(),
  reason: z.string(),
  /** null when the customer did it (a 退订 reply) or the system did. */
  staffName: z.string().nullable(),
});
export type PreferenceHistoryDto = z.infer<typeof preferenceHistorySchema>;

export const preferencesSchema = z.object({
  customerId: idSchema,
  /** Customer-level flags (vehicle-level ones are the sold marks below). */
  flags: z.array(preferenceFlagSchema),
  smsOptOut: z.object({
    optedOut: z.boolean(),
    at: timestamp.nullable(),
    source: z.enum(['sms_reply', 'staff', 'other']).nullable(),
    /** The customer's own reply that opted out, when that was the source. */
    replyText: z.string().nullable(),
    /** Lifting it needs a supervisor (the customer opted out themselves). */
    needsSupervisor: z.boolean(),
  }),
  soldVehicles: z.array(z.object({ vehicleId: idSchema, reason: z.string(), since: timestamp, setByName: z.string().nullable() })),
  /** Newest first. */
  history: z.array(preferenceHistorySchema),
});
export type PreferencesDto = z.infer<typeof preferencesSchema>;

const flagInput = z
  .object({ customerId: idSchema, purpose: flagPurposeSchema, channel: flagChannelSchema, reason: preferenceReasonSchema })
  .strict();

export const preferencesRequests = {
  'preferences.get': request({
    input: z.object({ customerId: idSchema }).strict(),
    output: preferencesSchema,
    roles: ALL_STAFF,
  }),
  /** Turns contact off for a purpose × channel (a flag); setting one that is already set updates its reason. */
  'preferences.setFlag': request({ input: flagInput, output: preferencesSchema, roles: ALL_STAFF }),
  'preferences.clearFlag': request({ input: flagInput, output: preferencesSchema, roles: ALL_STAFF }),
  /** Sold: every reminder about the car stops and its open campaign tasks close as "车已卖出". */
  'preferences.setVehicleSold': request({
    input: z.object({ vehicleId: idSchema, sold: z.boolean(), reason: preferenceReasonSchema }).strict(),
    output: preferencesSchema.extend({ closedTasks: z.number().int() }),
    roles: ALL_STAFF,
  }),
  'preferences.clearSmsOptOut': request({
    input: z.object({ customerId: idSchema, reason: preferenceReasonSchema }).strict(),
    output: preferencesSchema,
    roles: ALL_STAFF,
  }),
  /** What the agent may do for one campaign task: its purpose and, per channel, whether contact is allowed. */
  'preferences.forTask': request({
    input: z.object({ taskId: idSchema }).strict(),
    output: z.object({
      purpose: contactPurposeSchema,
      phone: z.boolean(),
      sms: z.boolean(),
      letter: z.boolean(),
      smsOptOut: z.boolean(),
      vehicleSold: z.boolean(),
    }),
    roles: ALL_STAFF,
  }),
} as const;
