/**
 * The seat configuration: one JSON file IT pushes to every seat (or edits in the admin settings screen).
 * Every section has defaults, so an empty `{}` is a valid "demo seat" configuration; unknown keys are
 * rejected so a misspelt option is reported instead of silently ignored.
 */
import { Cron } from 'croner';
import { z } from 'zod';
import { mobileSchema } from '../../preload/contract';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

const httpUrl = z
  .string()
  .trim()
  .url('url')
  // zod keeps running refinements after .url() fails, so parse defensively.
  .refine((u) => !URL.canParse(u) || /^https?:$/.test(new URL(u).protocol), 'httpUrl');

const cronExpression = z.string().trim().refine((expr) => {
  try {
    new Cron(expr, { paused: true });
    return true;
  } catch {
    return false;
  }
}, 'cron');

/** Quiet window "HH:MM"–"HH:MM" (may wrap past midnight), in the seat's local time. */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'clockTime');

export const dmsConfigSchema = z
  .object({
    kind: z.enum(['none', 'rest', 'file']).default('none'),
    baseUrl: httpUrl.nullable().default(null),
    apiKey: z.string().max(512, 'tooLong').default(''),
    username: z.string().max(128, 'tooLong').default(''),
    password: z.string().max(512, 'tooLong').default(''),
    /** Folder where the DMS drops CSV/XLSX exports (file adapter). */
    importFolder: z.string().max(1024, 'tooLong').nullable().default(null),
    schedule: cronExpression.default('0 */2 * * *'),
    timeoutSeconds: z.number().int().min(5, 'range').max(600, 'range').default(60),
  })
  .strict()
  .refine((d) => d.kind !== 'rest' || d.baseUrl !== null, { message: 'dmsBaseUrl', path: ['baseUrl'] })
  .refine((d) => d.kind !== 'file' || d.importFolder !== null, { message: 'dmsFolder', path: ['importFolder'] });

export const modemConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** COM3 on Windows, /dev/ttyUSB0 on Linux. */
    port: z.string().trim().max(128, 'tooLong').nullable().default(null),
    baudRate: z
      .number()
      .int()
      .refine((b) => [9600, 19200, 38400, 57600, 115200].includes(b), 'baudRate')
      .default(115200),
    pin: z.string().regex(/^(\d{4,8})?$/, 'pin').default(''),
    /** SMS centre number; empty = the one stored on the SIM. */
    smsc: z.string().regex(/^(\+?\d{5,20})?$/, 'smsc').default(''),
    /** A real GSM modem manages 6–12 SMS a minute; more only fills its buffer. */
    maxSmsPerMinute: z.number().int().min(1, 'range').max(12, 'range').default(8),
    /** SMS per customer per day (service and marketing together). */
    perCustomerDailyCap: z.number().int().min(1, 'range').max(50, 'range').default(5),
    quietHours: z
      .object({ start: clockTime, end: clockTime })
      .strict()
      .nullable()
      .default({ start: '21:00', end: '08:00' }),
  })
  .strict()
  .refine((m) => !m.enabled || m.port !== null, { message: 'modemPort', path: ['port'] });

export const healthAgentSchema = z
  .object({
    name: z.string().trim().min(1, 'required').max(64, 'tooLong'),
    url: httpUrl,
    apiKey: z.string().max(512, 'tooLong').default(''),
    intervalSeconds: z.number().int().min(5, 'range').max(3600, 'range').default(30),
  })
  .strict();

export const UPDATE_INSTALL_MODES = ['on-quit', 'quiet-hour', 'manual'] as const;
export type UpdateInstallMode = (typeof UPDATE_INSTALL_MODES)[number];

export const updateConfigSchema = z
  .object({
    /** Off for fleets where IT pushes installers (per-machine installs): the app then only reports. */
    enabled: z.boolean().default(true),
    feedUrl: httpUrl.nullable().default(null),
    channel: z.enum(['stable', 'beta']).default('stable'),
    checkIntervalHours: z.number().int().min(1, 'range').max(168, 'range').default(4),
    install: z.enum(UPDATE_INSTALL_MODES).default('on-quit'),
    /** Local hour (0–23) at which a downloaded update is installed when install = 'quiet-hour'. */
    quietHour: z.number().int().min(0, 'range').max(23, 'range').default(2),
    /** Seats older than this install as soon as the update is downloaded (also settable in the feed). */
    minimumVersion: z.string().regex(SEMVER, 'semver').nullable().default(null),
    allowDowngrade: z.boolean().default(false),
    /** Differential downloads ask for many blocks in one request; off for servers that answer one range at a time. */
    multiRangeRequests: z.boolean().default(true),
    /** Sent as `Authorization: Bearer …` when the update server is protected. */
    authToken: z.string().max(1024, 'tooLong').default(''),
  })
  .strict();

export const backupConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Local folder or network share (\\server\share\dealercs); null = <userData>/backups. */
    folder: z.string().trim().max(1024, 'tooLong').nullable().default(null),
    schedule: cronExpression.default('30 12,19 * * *'),
    keepDaily: z.number().int().min(1, 'range').max(365, 'range').default(7),
    keepWeekly: z.number().int().min(0, 'range').max(520, 'range').default(4),
    /** The freshness alarm fires when the newest good backup is older than this. */
    maxAgeHours: z.number().int().min(1, 'range').max(24 * 14, 'range').default(26),
  })
  .strict();

export const loggingConfigSchema = z
  .object({
    level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    maxFileMb: z.number().int().min(1, 'range').max(100, 'range').default(5),
    maxFiles: z.number().int().min(1, 'range').max(50, 'range').default(5),
  })
  .strict();

export const alarmsConfigSchema = z
  .object({
    /** Mobiles told by SMS (through the modem outbox) about a critical alarm nobody acknowledged. */
    escalationMobiles: z.array(mobileSchema).max(10, 'tooMany').default([]),
  })
  .strict();

export const printConfigSchema = z
  .object({
    /** Chromium, Chrome or Edge that makes letter PDFs on the browser host; null = CHROMIUM_PATH or the usual install folders. */
    browserPath: z.string().trim().max(1024, 'tooLong').nullable().default(null),
    timeoutSeconds: z.number().int().min(10, 'range').max(900, 'range').default(120),
  })
  .strict();

export const seatConfigSchema = z
  .object({
    schemaVersion: z.literal(1, 'schemaVersion').default(1),
    /** The dealer this seat works for (dealer.id); null on a fresh demo seat. */
    dealerId: z.string().regex(ULID, 'id').nullable().default(null),
    /** Shown in diagnostics and the alarm list so IT can tell seats apart. */
    seatName: z.string().trim().max(64, 'tooLong').default(''),
    dms: dmsConfigSchema.default(() => dmsConfigSchema.parse({})),
    modem: modemConfigSchema.default(() => modemConfigSchema.parse({})),
    healthAgents: z.array(healthAgentSchema).max(50, 'tooMany').default([]),
    update: updateConfigSchema.default(() => updateConfigSchema.parse({})),
    backup: backupConfigSchema.default(() => backupConfigSchema.parse({})),
    logging: loggingConfigSchema.default(() => loggingConfigSchema.parse({})),
    alarms: alarmsConfigSchema.default(() => alarmsConfigSchema.parse({})),
    print: printConfigSchema.default(() => printConfigSchema.parse({})),
  })
  .strict();

export type SeatConfig = z.output<typeof seatConfigSchema>;
export type SeatConfigInput = z.input<typeof seatConfigSchema>;
export type UpdateConfig = SeatConfig['update'];
export type BackupConfig = SeatConfig['backup'];

export function defaultSeatConfig(): SeatConfig {
  return seatConfigSchema.parse({});
}
