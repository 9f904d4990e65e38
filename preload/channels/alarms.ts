/**
 * Channels of server health monitoring and alarms (告警监控): the live list every seat sees, the
 * supervisor's console (acknowledge, history, silences, per-server tree) and the administrator's
 * health-agent registry. The agent input is a structural copy of main/alarms/agents.ts's
 * `agentInputSchema` (preload may not import main/); the host parses it again with the original.
 */
import { z } from 'zod';
import { ALARM_STATES, SEVERITIES } from '../../db/tables/alarms';
import { ADMINS, ALL_STAFF, empty, idSchema, page, request, SUPERVISORS, timestamp } from './kit';

const bilingual = z.object({ zh: z.string(), en: z.string() });
export const alarmSeveritySchema = z.enum(SEVERITIES);
export const alarmStateSchema = z.enum(ALARM_STATES);

export const alarmSchema = z.object({
  id: idSchema,
  fingerprint: z.string(),
  name: z.string(),
  server: z.string().nullable(),
  severity: alarmSeveritySchema,
  state: alarmStateSchema,
  detail: z.string().nullable(),
  occurrences: z.number().int(),
  firstSeenAt: timestamp,
  lastSeenAt: timestamp,
  firedAt: timestamp.nullable(),
  suppressedBy: z.string().nullable(),
  silenceId: z.string().nullable(),
  ack: z.object({ by: z.string(), byName: z.string(), at: timestamp, comment: z.string() }).nullable(),
  escalatedAt: timestamp.nullable(),
  escalatedVia: z.string().nullable(),
  resolvedAt: timestamp.nullable(),
});
export type AlarmDto = z.infer<typeof alarmSchema>;

export const alarmEventSchema = z.object({
  id: z.string(),
  alarmId: z.string().nullable(),
  silenceId: z.string().nullable(),
  target: z.string().nullable(),
  type: z.string(),
  at: timestamp,
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});

const targetNodeSchema = z.object({
  target: z.string(),
  name: z.string(),
  kind: z.string(),
  severity: alarmSeveritySchema,
  health: z.enum(['ok', 'pending', 'firing']),
  flapping: z.boolean(),
  lastCheckAt: timestamp.nullable(),
  lastDetail: z.string().nullable(),
  alarm: z.object({ id: z.string(), state: alarmStateSchema }).nullable(),
});
export const serverNodeSchema = z.object({
  server: z.string().nullable(),
  agent: targetNodeSchema.nullable(),
  services: z.array(targetNodeSchema),
});

export const silenceSchema = z.object({
  id: idSchema,
  kind: z.enum(['silence', 'maintenance']),
  pattern: z.string(),
  reason: z.string(),
  startsAt: timestamp,
  endsAt: timestamp,
  createdBy: z.string(),
  createdByName: z.string(),
  endedAt: timestamp.nullable(),
  endedBy: z.string().nullable(),
  active: z.boolean(),
});

export const agentViewSchema = z.object({
  id: idSchema,
  name: z.string(),
  url: z.string(),
  hasSecret: z.boolean(),
  periodMs: z.number().int(),
  timeoutMs: z.number().int(),
  channel: z.string().nullable(),
  enabled: z.boolean(),
  streaming: z.boolean(),
});
export type AgentViewDto = z.infer<typeof agentViewSchema>;

const agentUrl = z
  .string()
  .trim()
  .max(300, 'agentUrl')
  .regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, 'agentUrl');
const agentSecret = z.string().min(8, 'agentSecret').max(256, 'tooLong');

export const agentFieldsSchema = z
  .object({
    name: z.string().trim().min(1, 'agentName').max(64, 'agentName'),
    url: agentUrl,
    /** Omitted on update: keep the stored secret; null: no secret. */
    secret: agentSecret.nullable().optional(),
    periodMs: z.number().int().min(1_000, 'agentPeriod').max(3_600_000, 'agentPeriod').default(10_000),
    timeoutMs: z.number().int().min(200, 'agentTimeout').max(60_000, 'agentTimeout').default(5_000),
    channel: z.string().trim().max(32, 'tooLong').nullable().default(null),
    enabled: z.boolean().default(true),
  })
  .strict()
  .refine((a) => a.timeoutMs <= a.periodMs, { message: 'agentTimeout', path: ['timeoutMs'] });
export type AgentFields = z.input<typeof agentFieldsSchema>;

export const historyFiltersSchema = z
  .object({
    from: timestamp.optional(),
    to: timestamp.optional(),
    server: z.string().trim().max(64, 'tooLong').optional(),
    text: z.string().trim().max(64, 'tooLong').optional(),
    severity: alarmSeveritySchema.optional(),
    state: alarmStateSchema.optional(),
    firedOnly: z.boolean().optional(),
  })
  .strict();
export type HistoryFilters = z.input<typeof historyFiltersSchema>;

const notificationItemSchema = z.object({
  alarmId: z.string(),
  fingerprint: z.string(),
  name: z.string(),
  server: z.string().nullable(),
  severity: alarmSeveritySchema,
  change: z.enum(['firing', 'flapping', 'resolved']),
  detail: z.string().nullable(),
  at: timestamp,
});
export const alarmNotificationSchema = z.object({
  batchId: z.string(),
  at: timestamp,
  level: z.enum(['critical', 'warning', 'info']),
  title: bilingual,
  text: bilingual,
  items: z.array(notificationItemSchema),
});
export type AlarmNotification = z.infer<typeof alarmNotificationSchema>;

export const alarmsRequests = {
  'alarms.open': request({ input: empty, output: z.array(alarmSchema), roles: ALL_STAFF }),
  'alarms.get': request({
    input: z.object({ id: idSchema }).strict(),
    output: z.object({ alarm: alarmSchema, events: z.array(alarmEventSchema) }),
    roles: SUPERVISORS,
  }),
  'alarms.acknowledge': request({
    input: z
      .object({ id: idSchema, comment: z.string().trim().min(1, 'ackComment').max(500, 'ackComment') })
      .strict(),
    output: alarmSchema,
    roles: SUPERVISORS,
  }),
  'alarms.history': request({
    input: z
      .object({
        filters: historyFiltersSchema.default({}),
        cursor: z.string().max(80).nullable().default(null),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: page(alarmSchema),
    roles: SUPERVISORS,
  }),
  'alarms.exportHistory': request({
    input: z.object({ filters: historyFiltersSchema.default({}) }).strict(),
    output: z.object({ fileName: z.string(), base64: z.string(), rows: z.number().int() }),
    roles: SUPERVISORS,
  }),
  'alarms.tree': request({ input: empty, output: z.array(serverNodeSchema), roles: SUPERVISORS }),
  'alarms.silences.list': request({
    input: z.object({ includeOver: z.boolean().default(false) }).strict(),
    output: z.array(silenceSchema),
    roles: SUPERVISORS,
  }),
  'alarms.silences.create': request({
    input: z
      .object({
        kind: z.enum(['silence', 'maintenance']),
        pattern: z.string().trim().min(1, 'silencePattern').max(200, 'silencePattern'),
        reason: z.string().trim().min(1, 'silenceReason').max(500, 'silenceReason'),
        startsAt: timestamp.nullable().default(null),
        endsAt: timestamp,
      })
      .strict(),
    output: silenceSchema,
    roles: SUPERVISORS,
  }),
  'alarms.silences.end': request({ input: z.object({ id: idSchema }).strict(), output: silenceSchema, roles: SUPERVISORS }),
  'alarms.agents.list': request({ input: empty, output: z.array(agentViewSchema), roles: ADMINS }),
  'alarms.agents.add': request({ input: agentFieldsSchema, output: agentViewSchema, roles: ADMINS }),
  'alarms.agents.update': request({
    input: z.object({ id: idSchema, agent: agentFieldsSchema }).strict(),
    output: agentViewSchema,
    roles: ADMINS,
  }),
  'alarms.agents.remove': request({
    input: z.object({ id: idSchema }).strict(),
    output: z.object({ ok: z.literal(true) }),
    roles: ADMINS,
  }),
  'alarms.agents.test': request({
    input: z
      .object({
        url: agentUrl,
        secret: agentSecret.nullable().default(null),
        /** An agent being edited: use its stored secret when `secret` is null. */
        id: idSchema.nullable().default(null),
        timeoutMs: z.number().int().min(200).max(60_000).default(5_000),
      })
      .strict(),
    output: z.object({
      agent: z.object({ name: z.string(), version: z.string(), hostname: z.string(), platform: z.string() }),
      checks: z.array(
        z.object({ id: z.string(), kind: z.string(), name: z.string(), status: z.enum(['ok', 'fail']), detail: z.string() }),
      ),
    }),
    roles: ADMINS,
  }),
} as const;

export const alarmsEvents = {
  'alarms.changed': z.object({ alarm: alarmSchema }),
  'alarms.notification': alarmNotificationSchema,
  'alarms.silencesChanged': z.object({ silenceId: z.string() }),
  /** A critical alarm nobody acknowledged went out by another channel (sms, email ...). */
  'alarms.escalation': z.object({ channel: z.string(), alarm: alarmSchema, text: z.string() }),
} as const;
