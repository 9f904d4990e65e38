/**
 * Channels of templates (模板管理): SMS, letter, birthday-card and envelope templates with merge fields.
 * Supervisors edit and save them (the host validates merge fields and HTML and answers with issues at
 * the field); every seat lists, previews and renders SMS templates for a customer to send.
 * The merge-field list lives here so the editor's buttons and the host's engine share one list.
 */
import { z } from 'zod';
import type { PageSize, TemplateKind } from '../../db/tables/campaigns';
import { ALL_STAFF, idSchema, request, SUPERVISORS, timestamp } from './kit';

export const TEMPLATE_KINDS = ['sms', 'letter', 'card', 'envelope'] as const satisfies readonly TemplateKind[];
export const PAGE_SIZE_CODES = ['A4', 'DL', 'C5', 'A6'] as const satisfies readonly PageSize[];

/**
 * The merge fields templates may use. Writers type the Chinese name ({{客户姓名}}); the English key
 * ({{customerName}}) works too so bilingual staff and imported templates both render.
 */
export const MERGE_FIELDS = [
  { key: 'customerName', zh: '客户姓名', en: 'Customer name', sample: '张伟' },
  { key: 'salutation', zh: '称呼', en: 'Salutation', sample: '张先生' },
  { key: 'plate', zh: '车牌', en: 'Plate', sample: '粤A12345' },
  { key: 'model', zh: '车型', en: 'Model', sample: '雅阁' },
  /** Every car the SMS is about, "车型 车牌" joined by 、 (one reminder SMS names all of a customer's cars due that day). */
  { key: 'vehicleList', zh: '车辆列表', en: 'Cars (model and plate)', sample: '雅阁 粤A12345、思域 粤B67890' },
  { key: 'vin', zh: '车架号', en: 'VIN', sample: 'LHGCV1658M8000001' },
  { key: 'mileage', zh: '里程', en: 'Mileage (km)', sample: '15000' },
  { key: 'dueDate', zh: '到期日', en: 'Due date', sample: '2026-06-30' },
  { key: 'campaignName', zh: '活动名称', en: 'Campaign', sample: '定期保养提醒' },
  { key: 'dealerName', zh: '经销商', en: 'Dealer', sample: '广州本田某某 4S 店' },
  { key: 'dealerShortName', zh: '经销商简称', en: 'Dealer short name', sample: '某某本田' },
  { key: 'dealerPhone', zh: '经销商电话', en: 'Dealer phone', sample: '020-12345678' },
  { key: 'dealerAddress', zh: '经销商地址', en: 'Dealer address', sample: '广州市天河区某某路 1 号' },
  { key: 'advisorName', zh: '顾问', en: 'Advisor', sample: '黄志强' },
  { key: 'advisorPhone', zh: '顾问电话', en: 'Advisor phone', sample: '13800000000' },
  { key: 'appointmentDate', zh: '预约日期', en: 'Appointment date', sample: '2026-06-28' },
  { key: 'appointmentTime', zh: '预约时间', en: 'Appointment time', sample: '09:30' },
  { key: 'gift', zh: '礼品', en: 'Gift', sample: '精美车载香薰' },
  { key: 'memberTier', zh: '会员等级', en: 'Member tier', sample: '金卡' },
  { key: 'address', zh: '地址', en: 'Address', sample: '广州市越秀区某某街 8 号' },
  { key: 'today', zh: '日期', en: 'Date', sample: '2026-06-01' },
] as const;

export type MergeFieldKey = (typeof MERGE_FIELDS)[number]['key'];
const MERGE_FIELD_KEYS = MERGE_FIELDS.map((f) => f.key) as [MergeFieldKey, ...MergeFieldKey[]];

export const templateKindSchema = z.enum(TEMPLATE_KINDS);
export const pageSizeSchema = z.enum(PAGE_SIZE_CODES, 'pageSize');
const mergeFieldKeySchema = z.enum(MERGE_FIELD_KEYS);
const bilingual = z.object({ zh: z.string(), en: z.string() });

export const templateSchema = z.object({
  id: idSchema,
  code: z.string(),
  kind: templateKindSchema,
  name: z.string(),
  body: z.string(),
  page: pageSizeSchema.nullable(),
  active: z.boolean(),
  /** One of the starting templates campaigns and appointments refer to by code: its code is fixed. */
  builtIn: z.boolean(),
  updatedAt: timestamp,
});
export type TemplateRow = z.infer<typeof templateSchema>;

/** A problem the engine found in a body: what the writer typed and a bilingual explanation. */
export const templateIssueSchema = z.object({
  code: z.enum(['UNKNOWN_FIELD', 'UNCLOSED', 'EMPTY_FIELD', 'UNSAFE_HTML', 'EMPTY']),
  at: z.string(),
  message: bilingual,
});
export type TemplateIssueDto = z.infer<typeof templateIssueSchema>;

export const segmentCountSchema = z.object({
  encoding: z.enum(['gsm7', 'ucs2']),
  units: z.number().int(),
  characters: z.number().int(),
  parts: z.number().int(),
  perPart: z.number().int(),
  remaining: z.number().int(),
});
export type SegmentCountDto = z.infer<typeof segmentCountSchema>;

const bodySchema = z.string().max(20_000, 'templateBody');

export const templatesRequests = {
  'templates.list': request({
    input: z.object({ kind: templateKindSchema.nullable().default(null), activeOnly: z.boolean().default(false) }).strict(),
    output: z.array(templateSchema),
    roles: ALL_STAFF,
  }),
  'templates.get': request({
    input: z.object({ id: idSchema }).strict(),
    output: templateSchema,
    roles: ALL_STAFF,
  }),
  /** Creates (no id) or updates; a body with unknown fields, unclosed braces or unsafe HTML is refused at 'body'. */
  'templates.save': request({
    input: z
      .object({
        id: idSchema.nullable().default(null),
        code: z.string().trim().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, 'templateCode').max(40, 'templateCode'),
        kind: templateKindSchema,
        name: z.string().trim().min(1, 'templateName').max(60, 'templateName'),
        body: bodySchema,
        page: pageSizeSchema.nullable().default(null),
        active: z.boolean().default(true),
      })
      .strict(),
    output: templateSchema,
    roles: SUPERVISORS,
  }),
  /** The editor's live preview of a draft with sample values: SMS text and parts, or the printable HTML. */
  'templates.preview': request({
    input: z.object({ kind: templateKindSchema, body: bodySchema, page: pageSizeSchema.nullable().default(null) }).strict(),
    output: z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('sms'),
        text: z.string(),
        segments: segmentCountSchema,
        /** Segments of the body as written, before merging (what the writer is typing). */
        rawSegments: segmentCountSchema,
        issues: z.array(templateIssueSchema),
      }),
      z.object({ kind: z.literal('document'), html: z.string(), pages: z.number().int(), issues: z.array(templateIssueSchema) }),
    ]),
    roles: ALL_STAFF,
  }),
  /** An SMS template filled for one customer (and vehicle): their name, car, open reminder and appointment, the dealer. */
  'templates.renderFor': request({
    input: z.object({ templateId: idSchema, customerId: idSchema, vehicleId: idSchema.nullable().default(null) }).strict(),
    output: z.object({
      text: z.string(),
      segments: segmentCountSchema,
      /** Fields the template uses that have no value for this customer (rendered empty). */
      missing: z.array(mergeFieldKeySchema),
      mobile: z.string().nullable(),
      /** The outbox kind to send it as, the one a campaign would use: appointment confirmations are service, every other template marketing (held in quiet hours). */
      kind: z.enum(['service', 'marketing']),
    }),
    roles: ALL_STAFF,
  }),
  'templates.export': request({
    input: z.object({ kind: templateKindSchema.nullable().default(null) }).strict(),
    output: z.object({ fileName: z.string(), base64: z.string(), rows: z.number().int() }),
    roles: SUPERVISORS,
  }),
} as const;
