/**
 * Channels of the query builder (扩展查询). The tree is react-querybuilder's RuleGroupType; this is its
 * structural schema, shared by the host (main/query/tree.ts adds the catalog checks): shape only,
 * the host checks fields, operators and values against the catalog and answers with issue paths under
 * `tree.` (e.g. `tree.rules.1.value.count`).
 */
import { z } from 'zod';
import { ALL_STAFF, empty, idSchema, request, SUPERVISORS } from './kit';

export interface QueryRuleShape {
  id?: string;
  path?: number[];
  field: string;
  operator: string;
  value?: unknown;
  valueSource?: 'value';
  disabled?: boolean;
  muted?: boolean;
}
export interface QueryGroupShape {
  id?: string;
  path?: number[];
  combinator: 'and' | 'or';
  not?: boolean;
  rules: Array<QueryRuleShape | QueryGroupShape>;
  disabled?: boolean;
  muted?: boolean;
}

/** Fields react-querybuilder puts on every rule and group. */
export const queryNodeFields = {
  id: z.string().max(100).optional(),
  path: z.array(z.number().int()).max(20).optional(),
  disabled: z.boolean().optional(),
  muted: z.boolean().optional(),
};
const queryRuleShape = z
  .object({
    ...queryNodeFields,
    field: z.string().max(100),
    operator: z.string().max(40),
    value: z.unknown().optional(),
    valueSource: z.literal('value').optional(),
  })
  .strict();
export const queryTreeSchema: z.ZodType<QueryGroupShape> = z.lazy(() =>
  z
    .object({
      ...queryNodeFields,
      combinator: z.enum(['and', 'or']),
      not: z.boolean().optional(),
      rules: z.array(z.union([queryTreeSchema, queryRuleShape])).max(200),
    })
    .strict(),
);

const bilingual = z.object({ zh: z.string(), en: z.string() });
export const QUERY_VALUE_EDITORS = [
  'none',
  'boolean',
  'text',
  'textList',
  'option',
  'optionList',
  'staff',
  'staffList',
  'number',
  'numberList',
  'numberRange',
  'date',
  'dateRange',
  'relative',
  'year',
  'relYear',
  'windowCount',
  'windowMoney',
  'windowTags',
] as const;
export type QueryValueEditor = (typeof QUERY_VALUE_EDITORS)[number];

export const queryCatalogEntrySchema = z.object({
  id: z.string(),
  label: bilingual,
  group: z.string(),
  groupLabel: bilingual,
  type: z.string(),
  scope: z.enum(['customer', 'vehicle']),
  operators: z.array(z.object({ id: z.string(), label: bilingual, editor: z.enum(QUERY_VALUE_EDITORS) })),
  options: z.array(z.object({ value: z.string(), label: bilingual })).optional(),
  tagKey: z.enum(['categories', 'kinds']).optional(),
  unit: bilingual.optional(),
  min: z.number().optional(),
  max: z.number().optional(),
});
export type QueryCatalogEntry = z.infer<typeof queryCatalogEntrySchema>;

export const queryResultRowSchema = z.object({
  id: idSchema,
  name: z.string(),
  gender: z.enum(['M', 'F']).nullable(),
  mobile: z.string().nullable(),
  city: z.string().nullable(),
  memberTier: z.string().nullable(),
  vehicles: z.array(z.object({ model: z.string(), plate: z.string().nullable() })),
  lastVisit: z.string().nullable(),
});
export type QueryResultRow = z.infer<typeof queryResultRowSchema>;

export const savedQuerySchema = z.object({
  id: idSchema,
  name: z.string(),
  description: z.string().nullable(),
  ownerStaffId: idSchema,
  ownerName: z.string(),
  shared: z.boolean(),
  tree: queryTreeSchema,
  lastRunAt: z.string().nullable(),
  lastCount: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  canEdit: z.boolean(),
});
export type SavedQueryDto = z.infer<typeof savedQuerySchema>;

const savedFields = {
  name: z.string().trim().min(1, 'required').max(60, 'tooLong'),
  description: z.string().trim().max(500, 'tooLong').nullable(),
  shared: z.boolean(),
  tree: queryTreeSchema,
};

const pageInput = {
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(200),
};
const resultPage = z.object({ total: z.number().int(), rows: z.array(queryResultRowSchema) });

export const QUERY_CAMPAIGN_CHANNELS = ['sms', 'phone', 'letter'] as const;
export type QueryCampaignChannel = (typeof QUERY_CAMPAIGN_CHANNELS)[number];
const droppedSchema = z.array(z.object({ code: z.string(), label: bilingual, count: z.number().int() }));
/** What a campaign is made from: the tree on screen, or a saved query (exactly one of them). */
const campaignSource = {
  tree: queryTreeSchema.optional(),
  savedId: idSchema.optional(),
};
const oneSource = (v: { tree?: unknown; savedId?: unknown }) => (v.tree === undefined) !== (v.savedId === undefined);
const segmentsSchema = z.object({ encoding: z.enum(['gsm7', 'ucs2']), characters: z.number().int(), parts: z.number().int(), perPart: z.number().int(), remaining: z.number().int() });

export const queryRequests = {
  'query.catalog': request({
    input: empty,
    output: z.object({
      fields: z.array(queryCatalogEntrySchema),
      staff: z.array(z.object({ id: idSchema, name: z.string() })),
      models: z.array(z.object({ value: z.string(), zh: z.string() })),
      examples: z.array(z.object({ key: z.string(), label: bilingual, tree: queryTreeSchema })),
      today: z.string(),
    }),
    roles: ALL_STAFF,
  }),
  'query.preview': request({
    input: z.object({ tree: queryTreeSchema }).strict(),
    output: z.object({ sentence: bilingual, count: z.number().int() }),
    roles: ALL_STAFF,
  }),
  'query.run': request({
    input: z.object({ tree: queryTreeSchema, ...pageInput }).strict(),
    output: resultPage,
    roles: ALL_STAFF,
  }),
  'query.export': request({
    input: z.object({ tree: queryTreeSchema, lang: z.enum(['zh', 'en']), title: z.string().trim().max(60, 'tooLong').optional() }).strict(),
    output: z.object({ fileName: z.string(), base64: z.string(), rows: z.number().int() }),
    roles: SUPERVISORS,
  }),
  'query.saved.list': request({ input: empty, output: z.array(savedQuerySchema), roles: ALL_STAFF }),
  'query.saved.get': request({ input: z.object({ id: idSchema }).strict(), output: savedQuerySchema, roles: ALL_STAFF }),
  'query.saved.create': request({
    input: z
      .object({ ...savedFields, description: savedFields.description.default(null), shared: savedFields.shared.default(false) })
      .strict(),
    output: savedQuerySchema,
    roles: SUPERVISORS,
  }),
  'query.saved.update': request({
    input: z
      .object({
        id: idSchema,
        patch: z
          .object(savedFields)
          .partial()
          .strict()
          .refine((p) => Object.keys(p).length > 0, 'emptyPatch'),
      })
      .strict(),
    output: savedQuerySchema,
    roles: SUPERVISORS,
  }),
  'query.saved.delete': request({ input: z.object({ id: idSchema }).strict(), output: z.object({ ok: z.literal(true) }), roles: SUPERVISORS }),
  'query.saved.run': request({
    input: z.object({ id: idSchema, ...pageInput }).strict(),
    output: resultPage.extend({ sentence: bilingual }),
    roles: ALL_STAFF,
  }),
  'query.campaign.prepare': request({
    input: z
      .object({ ...campaignSource, channel: z.enum(QUERY_CAMPAIGN_CHANNELS) })
      .strict()
      .refine(oneSource, 'querySource'),
    output: z.object({
      matched: z.number().int(),
      recipientCount: z.number().int(),
      dropped: droppedSchema,
      /** Active templates for the channel: SMS texts to start from, letter and card layouts to print. */
      templates: z.array(z.object({ id: idSchema, code: z.string(), kind: z.enum(['sms', 'letter', 'card']), name: z.string(), body: z.string() })),
      /** What the campaign is called unless the supervisor names it: the saved query's name or 扩展查询 + today. */
      defaultName: z.string(),
    }),
    roles: SUPERVISORS,
  }),
  /** Renders the SMS body with sample values: the live preview and segment counter of the dialog. */
  'query.campaign.previewSms': request({
    input: z.object({ body: z.string().max(2000, 'tooLong') }).strict(),
    output: z.object({ text: z.string(), segments: segmentsSchema, problems: z.array(bilingual) }),
    roles: SUPERVISORS,
  }),
  /**
   * Makes an ad-hoc campaign from the query: SMS queued one per recipient (merge fields filled), phone
   * tasks for the agents' work queue, or letter tasks for the letter batch — each recipient once, the
   * dropped ones counted by reason. `requestId` is generated by the dialog once per attempt: the same id
   * again (double click, retry after a crash) returns the first result and creates nothing.
   */
  'query.campaign.create': request({
    input: z
      .object({
        ...campaignSource,
        requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId'),
        channel: z.enum(QUERY_CAMPAIGN_CHANNELS),
        name: z.string().trim().min(1, 'required').max(60, 'tooLong').optional(),
        /** The SMS text (SMS only). */
        body: z.string().trim().min(1, 'required').max(2000, 'tooLong').optional(),
        /** The letter or card layout (letters; the default reminder letter when left out). */
        templateId: idSchema.optional(),
        /** Phone tasks: leave them to whoever takes them, or give each to the customer's responsible agent. */
        assign: z.enum(['none', 'responsible']).default('none'),
      })
      .strict()
      .refine(oneSource, 'querySource')
      .refine((v) => v.channel !== 'sms' || v.body !== undefined, { message: 'required', path: ['body'] }),
    output: z.object({
      campaignId: idSchema,
      name: z.string(),
      channel: z.enum(QUERY_CAMPAIGN_CHANNELS),
      matched: z.number().int(),
      /** Tasks created: one per recipient. */
      tasks: z.number().int(),
      queued: z.number().int(),
      alreadyQueued: z.number().int(),
      dropped: droppedSchema,
      segments: z.number().int(),
      /** True when this request had been made before: nothing new was created. */
      repeated: z.boolean(),
    }),
    roles: SUPERVISORS,
  }),
} as const;

export const queryEvents = {} as const;
