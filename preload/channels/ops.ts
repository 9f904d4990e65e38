/**
 * Channels of IT operations: seat configuration (config.*), auto-update status (updates.*), backups
 * (backups.*) and the diagnostics bundle (diagnostics.*). The seat configuration's real schema (with cron
 * and URL checks) lives in main/config/schema.ts; preload may not import main/, so this is a structural
 * copy of its *output* shape for typing the settings form. Inputs are a plain object checked by the host,
 * which answers with issue paths under `config.` (e.g. `config.update.quietHour`).
 */
import { z } from 'zod';
import { ADMINS, ALL_STAFF, empty, request, SUPERVISORS, timestamp } from './kit';

const bilingual = z.object({ zh: z.string(), en: z.string() });

export const seatConfigViewSchema = z.object({
  schemaVersion: z.literal(1),
  dealerId: z.string().nullable(),
  seatName: z.string(),
  dms: z.object({
    kind: z.enum(['none', 'rest', 'file']),
    baseUrl: z.string().nullable(),
    apiKey: z.string(),
    username: z.string(),
    password: z.string(),
    importFolder: z.string().nullable(),
    schedule: z.string(),
    timeoutSeconds: z.number().int(),
  }),
  modem: z.object({
    enabled: z.boolean(),
    port: z.string().nullable(),
    baudRate: z.number().int(),
    pin: z.string(),
    smsc: z.string(),
    maxSmsPerMinute: z.number().int(),
    perCustomerDailyCap: z.number().int(),
    quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
  }),
  healthAgents: z.array(z.object({ name: z.string(), url: z.string(), apiKey: z.string(), intervalSeconds: z.number().int() })),
  update: z.object({
    enabled: z.boolean(),
    feedUrl: z.string().nullable(),
    channel: z.enum(['stable', 'beta']),
    checkIntervalHours: z.number().int(),
    install: z.enum(['on-quit', 'quiet-hour', 'manual']),
    quietHour: z.number().int(),
    minimumVersion: z.string().nullable(),
    allowDowngrade: z.boolean(),
    multiRangeRequests: z.boolean(),
    authToken: z.string(),
  }),
  backup: z.object({
    enabled: z.boolean(),
    folder: z.string().nullable(),
    schedule: z.string(),
    keepDaily: z.number().int(),
    keepWeekly: z.number().int(),
    maxAgeHours: z.number().int(),
  }),
  logging: z.object({
    level: z.enum(['debug', 'info', 'warn', 'error']),
    maxFileMb: z.number().int(),
    maxFiles: z.number().int(),
  }),
  /** Passed through so a save from the settings screen keeps the alarm escalation mobiles (modem engineer). */
  alarms: z.object({ escalationMobiles: z.array(z.string()) }),
  /** Passed through likewise: the browser that prints letter PDFs (letters engineer). */
  print: z.object({ browserPath: z.string().nullable(), timeoutSeconds: z.number().int() }),
});
export type SeatConfigView = z.infer<typeof seatConfigViewSchema>;

const configView = z.object({
  /** Secrets replaced by '******' (empty secrets stay empty: "not set"). */
  config: seatConfigViewSchema,
  source: z.enum(['file', 'defaults']),
  file: z.string(),
});

/** A configuration edited from the masked view; '******' keeps the stored secret. */
const configInput = z.object({ config: z.record(z.string(), z.unknown()) }).strict();

export const updateStatusSchema = z.object({
  phase: z.enum(['disabled', 'idle', 'checking', 'up-to-date', 'not-in-rollout', 'downloading', 'downloaded', 'installing', 'error']),
  currentVersion: z.string(),
  channel: z.enum(['stable', 'beta']),
  feedUrl: z.string().nullable(),
  disabledReason: bilingual.nullable(),
  availableVersion: z.string().nullable(),
  releaseNotes: z.string().nullable(),
  releaseDate: z.string().nullable(),
  mandatory: z.boolean(),
  stagingPercent: z.number().nullable(),
  progress: z.object({ percent: z.number(), transferred: z.number(), total: z.number(), bytesPerSecond: z.number() }).nullable(),
  installPlan: z.object({ kind: z.enum(['now', 'at', 'on-quit', 'manual']), at: z.string().nullable() }).nullable(),
  lastCheckAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  nextCheckAt: z.string().nullable(),
  lastError: z.object({ message: z.string(), at: z.string() }).nullable(),
  consecutiveFailures: z.number().int(),
  warnings: z.array(z.string()),
});
export type UpdateStatusDto = z.infer<typeof updateStatusSchema>;

/** Backups are named by the list (dealercs-YYYYMMDD-HHMMSS-xxxx.sqlite): never a path. */
export const backupFileSchema = z.string().regex(/^dealercs-[0-9A-Za-z-]{1,64}\.sqlite$/, 'backupFile');

export const backupItemSchema = z.object({
  file: z.string(),
  createdAt: timestamp,
  bytes: z.number().int(),
  schemaVersion: z.string().nullable(),
  integrity: z.literal('ok'),
  appVersion: z.string(),
  seatName: z.string(),
  trigger: z.enum(['scheduled', 'manual', 'pre-restore', 'pre-update']),
});
export type BackupItem = z.infer<typeof backupItemSchema>;

export const backupStatusSchema = z.object({
  running: z.boolean(),
  folder: z.string(),
  nextRunAt: z.string().nullable(),
  lastRun: z.object({ at: z.string(), ok: z.boolean(), file: z.string().nullable(), error: z.string().nullable() }).nullable(),
});

export const backupFreshnessSchema = z.object({
  level: z.enum(['ok', 'warning', 'critical']),
  newestAt: z.string().nullable(),
  ageHours: z.number().nullable(),
  message: bilingual,
});

export const opsRequests = {
  'config.get': request({ input: empty, output: configView, roles: ADMINS }),
  'config.validate': request({ input: configInput, output: configView, roles: ADMINS }),
  'config.save': request({ input: configInput, output: configView, roles: ADMINS }),

  'updates.status': request({ input: empty, output: updateStatusSchema, roles: ALL_STAFF }),
  'updates.check': request({ input: empty, output: updateStatusSchema, roles: SUPERVISORS }),
  'updates.install': request({ input: empty, output: z.object({ installing: z.literal(true) }), roles: ADMINS }),

  'backups.list': request({
    input: empty,
    output: z.object({ items: z.array(backupItemSchema), freshness: backupFreshnessSchema, status: backupStatusSchema }),
    roles: ADMINS,
  }),
  'backups.run': request({ input: empty, output: backupItemSchema, roles: ADMINS }),
  'backups.verify': request({
    input: z.object({ file: backupFileSchema }).strict(),
    output: z.object({
      file: z.string(),
      ok: z.boolean(),
      checksum: z.enum(['ok', 'no-manifest']).nullable(),
      schemaVersion: z.string().nullable(),
      pendingMigrations: z.array(z.string()),
      problem: bilingual.nullable(),
    }),
    roles: ADMINS,
  }),
  'backups.restore': request({
    input: z.object({ file: backupFileSchema, confirm: z.literal(true, 'confirmRestore') }).strict(),
    output: z.object({
      file: z.string(),
      previousFile: z.string().nullable(),
      migrated: z.array(z.string()),
      /** The store was swapped and the services closed: the host restarts itself or the user must. */
      restartRequired: z.literal(true),
      restarting: z.boolean(),
    }),
    roles: ADMINS,
  }),

  'diagnostics.export': request({
    input: empty,
    output: z.object({ fileName: z.string(), base64: z.string(), bytes: z.number().int(), entries: z.array(z.string()) }),
    roles: SUPERVISORS,
  }),
} as const;

export const opsEvents = {
  'updates.status': updateStatusSchema,
  'backups.status': backupStatusSchema,
  'config.changed': z.object({ source: z.enum(['file', 'defaults']), at: timestamp }),
} as const;
