/**
 * The health agent's wire format and configuration, shared by the agent (tools/health-agent) and the
 * workstation's monitor (main/alarms/monitors), each of which validates what it receives with these.
 */
import { z } from 'zod';

export const AGENT_PROTOCOL_VERSION = 1;
/** Header carrying the optional shared secret. */
export const SECRET_HEADER = 'x-health-secret';

const id = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'ids are 1–64 letters, digits, dot, underscore or hyphen');
const severity = z.enum(['warning', 'critical']);

const serviceBase = { id, name: z.string().min(1).max(80).optional(), severity: severity.default('critical') };

export const serviceConfigSchema = z.discriminatedUnion('kind', [
  z.object({ ...serviceBase, kind: z.literal('process'), process: z.string().min(1).max(128) }).strict(),
  z
    .object({ ...serviceBase, kind: z.literal('tcp'), host: z.string().min(1).default('127.0.0.1'), port: z.number().int().min(1).max(65535) })
    .strict(),
  z
    .object({ ...serviceBase, kind: z.literal('http'), url: z.url(), expectStatus: z.number().int().min(100).max(599).optional() })
    .strict(),
  z
    .object({ ...serviceBase, kind: z.literal('folder'), path: z.string().min(1), maxAgeHours: z.number().positive().default(26) })
    .strict(),
]);
export type ServiceConfig = z.infer<typeof serviceConfigSchema>;

export const diskConfigSchema = z
  .object({
    id,
    name: z.string().min(1).max(80).optional(),
    path: z.string().min(1),
    /** Alarm when the volume is at least this full. */
    maxUsedPercent: z.number().min(0).max(100).default(90),
    /** Clear only below this (hysteresis); defaults to 5 points under the alarm level. */
    clearUsedPercent: z.number().min(0).max(100).optional(),
    severity: severity.default('critical'),
  })
  .strict();
export type DiskConfig = z.infer<typeof diskConfigSchema>;

export const agentConfigSchema = z
  .object({
    /** The server's name as the workstation shows it, e.g. 'backup-01' or '备份服务器'. */
    name: z.string().min(1).max(64),
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(7801),
    secret: z.string().min(8).max(256).optional(),
    /** How often the agent checks on its own, to push changes without waiting for a poll. */
    intervalMs: z.number().int().min(100).max(3_600_000).default(10_000),
    probeTimeoutMs: z.number().int().min(50).max(60_000).default(3_000),
    services: z.array(serviceConfigSchema).max(500).default([]),
    disks: z.array(diskConfigSchema).max(50).default([]),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    for (const item of [...config.services.map((s) => `svc:${s.id}`), ...config.disks.map((d) => `disk:${d.id}`)]) {
      if (seen.has(item)) ctx.addIssue({ code: 'custom', message: `duplicate id ${item}` });
      seen.add(item);
    }
  });
export type AgentConfig = z.infer<typeof agentConfigSchema>;
export type AgentConfigInput = z.input<typeof agentConfigSchema>;

export const checkKindSchema = z.enum(['process', 'tcp', 'http', 'folder', 'disk', 'remote']);
export const checkResultSchema = z.object({
  /** 'svc:<id>', 'disk:<id>' or 'remote:<key>'; unique within an agent. */
  id: z.string().min(1).max(200),
  kind: checkKindSchema,
  name: z.string(),
  status: z.enum(['ok', 'fail']),
  severity,
  latencyMs: z.number().min(0),
  detail: z.string(),
  checkedAt: z.string(),
  /** Kind-specific measure: disk used percent, folder newest-file age in hours. */
  value: z.number().optional(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

export const healthSchema = z.object({
  protocol: z.literal(AGENT_PROTOCOL_VERSION),
  agent: z.object({
    name: z.string(),
    version: z.string(),
    hostname: z.string(),
    platform: z.string(),
    startedAt: z.string(),
    intervalMs: z.number(),
  }),
  at: z.string(),
  checks: z.array(checkResultSchema),
});
export type HealthReport = z.infer<typeof healthSchema>;

/** A service program on the server reporting its own alarm (短信连接失败, 线路故障 ...). */
export const remoteAlarmSchema = z
  .object({
    key: id,
    name: z.string().min(1).max(80),
    status: z.enum(['firing', 'resolved']),
    severity: severity.default('critical'),
    detail: z.string().max(500).default(''),
  })
  .strict();
export type RemoteAlarm = z.infer<typeof remoteAlarmSchema>;
