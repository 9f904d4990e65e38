/**
 * Templates capability: SMS, letter, birthday-card and envelope templates with merge fields, validated
 * on save, rendered to text (SMS, with the segment count) or to a print-ready HTML document.
 */
import type { DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';
import type { PageSize, TemplateKind } from '../../db/tables/campaigns';
import { fieldError, ServiceError } from '../rpc';
import { DEFAULT_TEMPLATES } from './defaults';
import { renderDocument, type RenderedDocument } from './document';
import { parseTemplate, renderTokens, validateTemplate, type TemplateIssue } from './engine';
import type { MergeFieldKey, MergeValues } from './fields';
import { countSegments, type SegmentCount } from './segments';

export { countSegments, type SegmentCount } from './segments';
export { MERGE_FIELDS, sampleValues, type MergeFieldKey, type MergeValues } from './fields';
export { PAGE_SIZES, renderDocument, type RenderedDocument } from './document';
export { parseTemplate, renderTokens, validateTemplate, type TemplateIssue } from './engine';

export interface TemplateDto {
  id: string;
  code: string;
  kind: TemplateKind;
  name: string;
  body: string;
  page: PageSize | null;
  active: boolean;
  /** A starting template campaigns and appointments refer to by code: its code and kind are fixed. */
  builtIn: boolean;
  updatedAt: string;
}

export interface SaveTemplateInput {
  id?: string | null;
  code: string;
  kind: TemplateKind;
  name: string;
  body: string;
  page?: PageSize | null;
  active?: boolean;
}

export interface SmsPreview {
  text: string;
  segments: SegmentCount;
  missing: MergeFieldKey[];
  issues: TemplateIssue[];
}

export interface TemplatesDeps {
  handle: DbHandle;
}

export interface Templates {
  ensureDefaults(dealerId: string): Promise<void>;
  list(dealerId: string, kind?: TemplateKind | null, activeOnly?: boolean): Promise<TemplateDto[]>;
  get(dealerId: string, idOrCode: string): Promise<TemplateDto>;
  /**
   * Validates (unknown fields, unclosed braces, unsafe HTML at 'body'; a missing paper size at 'page')
   * and stores; throws VALIDATION with those issues. A built-in template keeps its code, any saved one its kind.
   */
  save(dealerId: string, input: SaveTemplateInput): Promise<TemplateDto>;
  /** Renders an SMS body (saved template or draft text) and counts its parts. */
  previewSms(body: string, values: MergeValues): SmsPreview;
  renderSms(dealerId: string, idOrCode: string, values: MergeValues): Promise<SmsPreview>;
  renderDocument(dealerId: string, idOrCode: string, recipients: readonly MergeValues[], title?: string): Promise<RenderedDocument>;
  /** The editor's preview of a draft letter, card or envelope: one page filled with sample values. */
  previewDocument(body: string, page: PageSize, values: MergeValues): RenderedDocument & { issues: TemplateIssue[] };
  countSegments(text: string): SegmentCount;
}

type Row = {
  id: string;
  code: string;
  kind: TemplateKind;
  name: string;
  body: string;
  page: PageSize | null;
  active: number;
  updated_at: string;
};

const BUILT_IN = new Set(DEFAULT_TEMPLATES.map((t) => t.code));

const toDto = (r: Row): TemplateDto => ({
  id: r.id,
  code: r.code,
  kind: r.kind,
  name: r.name,
  body: r.body,
  page: r.page,
  active: r.active === 1,
  builtIn: BUILT_IN.has(r.code),
  updatedAt: r.updated_at,
});

const COLUMNS = ['id', 'code', 'kind', 'name', 'body', 'page', 'active', 'updated_at'] as const;

const duplicateCode = () => fieldError('DUPLICATE', 'code', { zh: '模板编码已存在', en: 'This template code is already used' });

/** SQLite refusing a second (dealer, code): another save took the code between our check and our write. */
const isCodeTaken = (error: unknown) => error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_UNIQUE';

async function orDuplicate<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (isCodeTaken(error)) throw duplicateCode();
    throw error;
  }
}

export function createTemplates(deps: TemplatesDeps): Templates {
  const { db } = deps.handle;

  async function find(dealerId: string, idOrCode: string): Promise<TemplateDto> {
    const row = await db
      .selectFrom('message_template')
      .select(COLUMNS)
      .where('dealer_id', '=', dealerId)
      .where((eb) => eb.or([eb('id', '=', idOrCode), eb('code', '=', idOrCode)]))
      .executeTakeFirst();
    if (!row) throw new ServiceError('NOT_FOUND');
    return toDto(row);
  }

  function previewSms(body: string, values: MergeValues): SmsPreview {
    const parsed = parseTemplate(body);
    const out = renderTokens(parsed.tokens, values, false);
    return { text: out.text, segments: countSegments(out.text), missing: out.missing, issues: parsed.issues };
  }

  return {
    async ensureDefaults(dealerId) {
      const at = nowIso();
      await db
        .insertInto('message_template')
        .values(
          DEFAULT_TEMPLATES.map((t) => ({
            id: newId(),
            dealer_id: dealerId,
            code: t.code,
            kind: t.kind,
            name: t.name,
            body: t.body,
            page: t.page,
            active: 1,
            created_at: at,
            updated_at: at,
          })),
        )
        .onConflict((oc) => oc.columns(['dealer_id', 'code']).doNothing())
        .execute();
    },

    async list(dealerId, kind, activeOnly) {
      let q = db.selectFrom('message_template').select(COLUMNS).where('dealer_id', '=', dealerId);
      if (kind) q = q.where('kind', '=', kind);
      if (activeOnly) q = q.where('active', '=', 1);
      return (await q.orderBy('kind').orderBy('code').execute()).map(toDto);
    },

    get: find,

    async save(dealerId, input) {
      const html = input.kind !== 'sms';
      const issues = validateTemplate(input.body, html).map((i) => ({ path: 'body', message: i.message }));
      if (html && !input.page) {
        issues.push({ path: 'page', message: { zh: '信件、贺卡和信封需要选择纸张尺寸', en: 'Letters, cards and envelopes need a paper size' } });
      }
      if (issues.length > 0) throw new ServiceError('VALIDATION', undefined, issues);
      const at = nowIso();
      const page = html ? (input.page ?? null) : null;
      const active = input.active === false ? 0 : 1;
      const taken = await db
        .selectFrom('message_template')
        .select('id')
        .where('dealer_id', '=', dealerId)
        .where('code', '=', input.code)
        .$if(Boolean(input.id), (q) => q.where('id', '!=', input.id ?? ''))
        .executeTakeFirst();
      // The check names the field for the usual case; the unique index decides between two saves at once.
      if (taken) throw duplicateCode();
      if (input.id) {
        // Campaign steps, letters and appointment reminders find these by code and kind.
        const before = await find(dealerId, input.id);
        if (before.builtIn && before.code !== input.code) {
          throw fieldError('VALIDATION', 'code', { zh: '内置模板的编码不能修改（活动和预约按编码使用它）', en: 'A built-in template keeps its code (campaigns and appointments use it)' });
        }
        if (before.kind !== input.kind) {
          throw fieldError('VALIDATION', 'kind', { zh: '已保存模板的类型不能修改，请新建模板', en: 'A saved template keeps its kind; create a new one instead' });
        }
        const r = await orDuplicate(
          db
            .updateTable('message_template')
            .set({ code: input.code, kind: input.kind, name: input.name, body: input.body, page, active, updated_at: at })
            .where('id', '=', input.id)
            .where('dealer_id', '=', dealerId)
            .executeTakeFirst(),
        );
        if (r.numUpdatedRows === 0n) throw new ServiceError('NOT_FOUND');
        return find(dealerId, input.id);
      }
      const id = newId();
      await orDuplicate(
        db
          .insertInto('message_template')
          .values({ id, dealer_id: dealerId, code: input.code, kind: input.kind, name: input.name, body: input.body, page, active, created_at: at, updated_at: at })
          .execute(),
      );
      return find(dealerId, id);
    },

    previewSms,

    async renderSms(dealerId, idOrCode, values) {
      const t = await find(dealerId, idOrCode);
      if (t.kind !== 'sms') throw fieldError('VALIDATION', 'template', { zh: '这不是短信模板', en: 'Not an SMS template' });
      return previewSms(t.body, values);
    },

    async renderDocument(dealerId, idOrCode, recipients, title) {
      const t = await find(dealerId, idOrCode);
      if (t.kind === 'sms' || !t.page) throw fieldError('VALIDATION', 'template', { zh: '这不是信件模板', en: 'Not a printable template' });
      return renderDocument({ body: t.body, page: t.page, title: title ?? t.name, recipients });
    },

    previewDocument(body, page, values) {
      const issues = validateTemplate(body, true);
      return { ...renderDocument({ body, page, title: '', recipients: [values] }), issues };
    },

    countSegments,
  };
}
