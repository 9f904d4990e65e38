/**
 * Channels of contact preferences (联系偏好, issue 5 item 4): a customer's do-not-contact flags per purpose
 * and channel, the modem's SMS opt-out ("TD/退订") with where it came from, vehicles marked sold, and the
 * append-only history of every change. Every change needs a reason. Any agent may turn contact off or
 * mark a car sold (the customer asks on the phone); lifting an opt-out the customer sent by SMS needs a
 * supervisor, which the host checks against the opt-out's source.
 */
import { z } from 'zod';
import { CONTACT_PURPOSES } from '../../db/tables/campaigns';
import type { Bilingual } from '../messages';
import { ALL_STAFF, excelFile, exportLang, idSchema, request, timestamp } from './kit';

export const contactPurposeSchema = z.enum(CONTACT_PURPOSES);
/** 'all' purposes and 'any' channel are flags of their own, covering every cell of their row or column. */
export const flagPurposeSchema = z.enum(['all', 'maintenance', 'insurance', 'marketing', 'survey'] as const satisfies ReadonlyArray<'all' | (typeof CONTACT_PURPOSES)[number]>);
export const flagChannelSchema = z.enum(['any', 'sms', 'phone', 'letter']);
export type FlagPurpose = z.infer<typeof flagPurposeSchema>;
export type FlagChannel = z.infer<typeof flagChannelSchema>;
/** Names of purposes and channels as the card shows them; the timeline and the Excel export use them too. */
export const FLAG_PURPOSE_LABELS: Record<FlagPurpose, Bilingual> = {
  all: { zh: '全部用途', en: 'All purposes' },
  maintenance: { zh: '保养', en: 'Maintenance' },
  insurance: { zh: '保险', en: 'Insurance' },
  marketing: { zh: '营销', en: 'Marketing' },
  survey: { zh: '回访调查', en: 'Surveys' },
};
export const FLAG_CHANNEL_LABELS: Record<FlagChannel, Bilingual> = {
  any: { zh: '所有渠道', en: 'Any channel' },
  sms: { zh: '短信', en: 'SMS' },
  phone: { zh: '电话', en: 'Phone' },
  letter: { zh: '信件', en: 'Letter' },
};

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
  /**
   * The history of changes as Excel, newest first, with the same columns as the card. Any staff member:
   * it is one customer's record without their phone numbers, as on the card.
   */
  'preferences.exportHistory': request({
    input: z.object({ customerId: idSchema, lang: exportLang }).strict(),
    output: excelFile,
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
