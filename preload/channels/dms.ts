/**
 * Channels of DMS sync (DMS 同步): sources, sync now / cancel / history, the file import wizard, the
 * reconciliation diff (seed V1.6) and the review of conflicts and quarantined rows. The column-mapping
 * field list is a copy of main/dms/file/mapping.ts's FILE_FIELDS (preload may not import main/); the
 * handlers check at compile time that the two agree.
 */
import { z } from 'zod';
import { ADMINS, idSchema, request, SUPERVISORS, timestamp } from './kit';

export const DMS_FILE_FIELDS = [
  'customer_dms_id', 'name', 'gender', 'mobile', 'phone2', 'birthday', 'city', 'address',
  'vin', 'plate', 'model', 'model_year', 'color', 'purchase_date', 'purchased_here', 'sales_consultant',
  'ro_no', 'opened_on', 'closed_on', 'category', 'mileage_km', 'labor_yuan', 'parts_yuan', 'total_yuan', 'advisor',
] as const;
export const DMS_ENTITY_NAMES = ['customer', 'vehicle', 'repair_order'] as const;
export const DMS_DIFF_BUCKETS = ['dms_newer', 'ws_newer', 'only_dms', 'only_ws'] as const;
export const DMS_RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;

const bilingual = z.object({ zh: z.string(), en: z.string() });
const entitySchema = z.enum(DMS_ENTITY_NAMES);
const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
/** A croner pattern (5 or 6 fields, or a nickname like @daily); the host checks that croner accepts it. */
const cronText = z.string().trim().min(1, 'cron').max(100, 'cron');
export const dmsMappingSchema = z.partialRecord(z.enum(DMS_FILE_FIELDS), z.string().min(1).max(200));
const base64 = z.string().min(1, 'dmsFile').max(70_000_000, 'dmsFile');

export const dmsCountsSchema = z.object({
  fetched: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  deleted: z.number().int(),
  conflicts: z.number().int(),
  quarantined: z.number().int(),
});

export const dmsSourceSchema = z.object({
  id: idSchema,
  name: z.string(),
  kind: z.enum(['rest', 'file']),
  baseUrl: z.string().nullable(),
  /** The key itself never leaves the host. */
  hasApiKey: z.boolean(),
  attempts: z.number().int().nullable(),
  timeoutMs: z.number().int().nullable(),
  schedule: z.string().nullable(),
  reconcileSchedule: z.string().nullable(),
  enabled: z.boolean(),
  running: z.boolean(),
  nextRun: timestamp.nullable(),
});
export type DmsSourceDto = z.infer<typeof dmsSourceSchema>;

export const dmsRunSchema = z.object({
  id: idSchema,
  sourceId: idSchema,
  mode: z.enum(['incremental', 'file', 'reconcile']),
  trigger: z.enum(['manual', 'schedule']),
  status: z.enum(DMS_RUN_STATUSES),
  startedAt: timestamp,
  finishedAt: timestamp.nullable(),
  counts: dmsCountsSchema,
  error: bilingual.nullable(),
});
export type DmsRunDto = z.infer<typeof dmsRunSchema>;

export const dmsDiffItemSchema = z.object({
  /** Stable row key: entity + DMS id (or local id for records the DMS never had). */
  key: z.string(),
  bucket: z.enum(DMS_DIFF_BUCKETS),
  entity: entitySchema,
  dmsId: z.string().nullable(),
  localId: z.string().nullable(),
  label: z.string(),
  fields: z.array(z.object({ field: z.string(), label: bilingual, dms: fieldValue, local: fieldValue })),
  dmsUpdatedAt: z.string().nullable(),
});
export type DmsDiffItem = z.infer<typeof dmsDiffItemSchema>;

const cell = z.union([z.string(), z.number(), z.null()]);

export const dmsRequests = {
  'dms.sources.list': request({ input: z.object({}).strict(), output: z.array(dmsSourceSchema), roles: SUPERVISORS }),
  'dms.sources.save': request({
    input: z
      .object({
        id: idSchema.optional(),
        name: z.string().trim().min(1, 'dmsSourceName').max(60, 'dmsSourceName'),
        kind: z.enum(['rest', 'file']),
        baseUrl: z.url({ message: 'dmsBaseUrl' }).max(500, 'dmsBaseUrl').nullable().default(null),
        /** Absent or empty on an edit keeps the stored key. */
        apiKey: z.string().max(500, 'tooLong').optional(),
        attempts: z.number().int().min(1).max(20).nullable().default(null),
        timeoutMs: z.number().int().min(100).max(600_000).nullable().default(null),
        schedule: cronText.nullable().default(null),
        reconcileSchedule: cronText.nullable().default(null),
        enabled: z.boolean().default(true),
      })
      .strict(),
    output: dmsSourceSchema,
    roles: ADMINS,
  }),
  /** Test connection: one key page per entity with the given settings (or the stored key of `id`). */
  'dms.sources.test': request({
    input: z
      .object({
        id: idSchema.optional(),
        baseUrl: z.url({ message: 'dmsBaseUrl' }).max(500, 'dmsBaseUrl'),
        apiKey: z.string().max(500, 'tooLong').optional(),
      })
      .strict(),
    output: z.object({ ok: z.boolean(), message: bilingual }),
    roles: ADMINS,
  }),
  'dms.syncNow': request({
    input: z.object({ sourceId: idSchema }).strict(),
    output: z.object({ runId: idSchema.nullable() }),
    roles: SUPERVISORS,
  }),
  'dms.cancel': request({
    input: z.object({ sourceId: idSchema }).strict(),
    output: z.object({ cancelled: z.boolean() }),
    roles: SUPERVISORS,
  }),
  'dms.runs': request({
    input: z.object({ sourceId: idSchema.nullable().default(null), limit: z.number().int().min(1).max(200).default(50) }).strict(),
    output: z.array(dmsRunSchema),
    roles: SUPERVISORS,
  }),
  'dms.file.preview': request({
    input: z
      .object({
        sourceId: idSchema,
        fileName: z.string().trim().min(1, 'dmsFile').max(255, 'dmsFile'),
        base64,
        mapping: dmsMappingSchema.optional(),
      })
      .strict(),
    output: z.object({
      format: z.enum(['csv', 'xlsx']),
      encoding: z.string().nullable(),
      headers: z.array(z.string()),
      sample: z.array(z.array(cell)),
      rows: z.number().int(),
      proposal: z.object({ mapping: dmsMappingSchema, unmapped: z.array(z.string()), missing: z.array(z.enum(DMS_FILE_FIELDS)) }),
      problems: z.array(z.object({ ref: z.string(), zh: z.string(), en: z.string() })),
    }),
    roles: SUPERVISORS,
  }),
  'dms.file.import': request({
    input: z.object({ sourceId: idSchema, base64, mapping: dmsMappingSchema }).strict(),
    output: z.object({ runId: idSchema.nullable() }),
    roles: SUPERVISORS,
  }),
  'dms.diff': request({
    input: z
      .object({
        sourceId: idSchema,
        /** Compare again with the DMS instead of paging the last comparison. */
        refresh: z.boolean().default(false),
        bucket: z.enum(DMS_DIFF_BUCKETS).default('dms_newer'),
        entity: entitySchema.nullable().default(null),
        q: z.string().trim().max(64, 'query').default(''),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    output: z.object({
      comparedAt: timestamp,
      counts: z.object({ dms_newer: z.number().int(), ws_newer: z.number().int(), only_dms: z.number().int(), only_ws: z.number().int() }),
      items: z.array(dmsDiffItemSchema),
      total: z.number().int(),
    }),
    roles: SUPERVISORS,
  }),
  /** The filtered list of the last comparison as Excel (one row per field difference). */
  'dms.diff.export': request({
    input: z
      .object({
        sourceId: idSchema,
        bucket: z.enum(DMS_DIFF_BUCKETS).default('dms_newer'),
        entity: entitySchema.nullable().default(null),
        q: z.string().trim().max(64, 'query').default(''),
      })
      .strict(),
    output: z.object({ fileName: z.string(), base64: z.string(), rows: z.number().int() }),
    roles: SUPERVISORS,
  }),
  /** "Import selected" (items) or "import all DMS-newer" (all): the DMS side wins for these records. */
  'dms.diff.import': request({
    input: z
      .object({
        sourceId: idSchema,
        items: z.array(z.object({ entity: entitySchema, dmsId: z.string().min(1).max(64) }).strict()).max(10_000).optional(),
        all: z.literal(true).optional(),
      })
      .strict()
      .refine((v) => (v.items !== undefined && v.items.length > 0) !== (v.all === true), { message: 'dmsDiffSelection', path: ['items'] }),
    output: z.object({ runId: idSchema, status: z.enum(DMS_RUN_STATUSES), counts: dmsCountsSchema, error: bilingual.nullable() }),
    roles: SUPERVISORS,
  }),
  'dms.conflicts.list': request({
    input: z.object({ status: z.enum(['open', 'all']).default('open') }).strict(),
    output: z.array(
      z.object({
        id: idSchema,
        entity: entitySchema,
        dmsId: z.string(),
        localId: z.string(),
        label: z.string(),
        field: z.string(),
        fieldLabel: bilingual,
        localValue: z.string().nullable(),
        dmsValue: z.string().nullable(),
        baseValue: z.string().nullable(),
        status: z.enum(['open', 'kept_local', 'took_dms']),
        createdAt: timestamp,
      }),
    ),
    roles: SUPERVISORS,
  }),
  'dms.conflicts.resolve': request({
    input: z.object({ id: idSchema, choice: z.enum(['kept_local', 'took_dms']) }).strict(),
    output: z.object({ ok: z.literal(true) }),
    roles: SUPERVISORS,
  }),
  'dms.quarantine.list': request({
    input: z.object({ status: z.enum(['open', 'dismissed']).default('open'), runId: idSchema.nullable().default(null) }).strict(),
    output: z.array(
      z.object({
        id: idSchema,
        sourceId: idSchema,
        runId: idSchema,
        entity: entitySchema.nullable(),
        ref: z.string(),
        dmsId: z.string().nullable(),
        reason: bilingual,
        raw: z.string(),
        status: z.enum(['open', 'dismissed']),
        createdAt: timestamp,
      }),
    ),
    roles: SUPERVISORS,
  }),
  'dms.quarantine.dismiss': request({
    input: z.object({ ids: z.array(idSchema).min(1).max(1000) }).strict(),
    output: z.object({ dismissed: z.number().int() }),
    roles: SUPERVISORS,
  }),
} as const;

export const dmsEvents = {
  'dms.progress': z.object({
    sourceId: idSchema,
    runId: idSchema,
    entity: entitySchema,
    done: z.number().int(),
    entityTotal: z.number().int().nullable(),
    entityDone: z.number().int(),
    rowsPerSecond: z.number(),
    etaSeconds: z.number().nullable(),
    counts: dmsCountsSchema,
  }),
  'dms.runFinished': z.object({
    sourceId: idSchema,
    runId: idSchema,
    status: z.enum(DMS_RUN_STATUSES),
    counts: dmsCountsSchema,
    error: bilingual.nullable(),
  }),
} as const;
