/**
 * Contract handlers of templates (模板管理): list, get, save (supervisors), the editor's live preview with
 * sample values, an SMS template filled for one customer, and the Excel export of the list. Every call
 * is scoped to the signed-in staff member's dealer; the dealer's starting templates are written on first use.
 */
import ExcelJS from 'exceljs';
import type { DbHandle } from '../../db/connection';
import type { PageSize, TemplateKind } from '../../db/tables/campaigns';
import { DEALER_UTC_OFFSET_MINUTES, localDate, localDateTime } from '../campaigns/dates';
import { smsKindFor } from '../campaigns/sms-handoff';
import { fieldError, staffOf, type CallContext, type HandlerMap } from '../rpc';
import { PAGE_SIZES } from './document';
import { smsPurposeOf } from './defaults';
import type { Templates } from './index';
import { previewValues, recipientValues } from './recipient';

export interface TemplateHandlerDeps {
  handle: DbHandle;
  templates: Templates;
  modelNamesZh?: Readonly<Record<string, string>>;
  /** Injectable clock for tests. */
  now?: () => Date;
}

const KIND_ZH: Record<TemplateKind, string> = { sms: '短信', letter: '信函', card: '生日贺卡', envelope: '信封' };
/** The paper a draft previews on before the writer picks one. */
const DEFAULT_PAGE: Record<Exclude<TemplateKind, 'sms'>, PageSize> = { letter: 'A4', card: 'A6', envelope: 'DL' };

export function createTemplateHandlers(deps: TemplateHandlerDeps): HandlerMap {
  const { templates } = deps;
  const clock = deps.now ?? (() => new Date());
  const seeded = new Set<string>();

  /** The signed-in dealer, with its starting templates in place (idempotent; once per dealer and process). */
  async function dealerOf(ctx: CallContext): Promise<string> {
    const { dealerId } = staffOf(ctx);
    if (!seeded.has(dealerId)) {
      await templates.ensureDefaults(dealerId);
      seeded.add(dealerId);
    }
    return dealerId;
  }

  return {
    'templates.list': async (input, ctx) => templates.list(await dealerOf(ctx), input.kind, input.activeOnly),

    'templates.get': async (input, ctx) => templates.get(await dealerOf(ctx), input.id),

    'templates.save': async (input, ctx) => templates.save(await dealerOf(ctx), input),

    'templates.preview': (input, ctx) => {
      const values = previewValues(deps.handle, staffOf(ctx).dealerId);
      if (input.kind === 'sms') {
        const out = templates.previewSms(input.body, values);
        return { kind: 'sms', text: out.text, segments: out.segments, rawSegments: templates.countSegments(input.body), issues: out.issues };
      }
      const doc = templates.previewDocument(input.body, input.page ?? DEFAULT_PAGE[input.kind], values);
      return { kind: 'document', html: doc.html, pages: doc.pages, issues: doc.issues };
    },

    'templates.renderFor': async (input, ctx) => {
      const dealerId = await dealerOf(ctx);
      const template = await templates.get(dealerId, input.templateId);
      if (template.kind !== 'sms') throw fieldError('VALIDATION', 'templateId', { zh: '请选择短信模板', en: 'Choose an SMS template' });
      const recipient = await recipientValues(deps.handle, dealerId, input.customerId, input.vehicleId, localDate(clock(), DEALER_UTC_OFFSET_MINUTES), {
        ...(deps.modelNamesZh ? { modelNamesZh: deps.modelNamesZh } : {}),
      });
      const out = templates.previewSms(template.body, recipient.values);
      return { text: out.text, segments: out.segments, missing: out.missing, mobile: recipient.mobile, kind: smsKindFor(smsPurposeOf(template.code)) };
    },

    'templates.export': async (input, ctx) => {
      const rows = await templates.list(await dealerOf(ctx), input.kind);
      const now = clock();
      const workbook = new ExcelJS.Workbook();
      workbook.created = now;
      const sheet = workbook.addWorksheet('模板');
      sheet.columns = [
        { header: '类型', key: 'kind', width: 10 },
        { header: '编码', key: 'code', width: 28 },
        { header: '名称', key: 'name', width: 24 },
        { header: '纸张', key: 'page', width: 18 },
        { header: '启用', key: 'active', width: 8 },
        { header: '内置', key: 'builtIn', width: 8 },
        { header: '短信条数', key: 'parts', width: 10 },
        { header: '更新时间', key: 'updated', width: 18 },
        { header: '内容', key: 'body', width: 80 },
      ];
      sheet.getRow(1).font = { bold: true };
      const samples = previewValues(deps.handle, staffOf(ctx).dealerId);
      for (const t of rows) {
        sheet.addRow({
          kind: KIND_ZH[t.kind],
          code: t.code,
          name: t.name,
          page: t.page ? PAGE_SIZES[t.page].zh : '',
          active: t.active ? '是' : '否',
          builtIn: t.builtIn ? '是' : '',
          // Parts with the sample values: a planning figure, since real names and plates vary in length.
          parts: t.kind === 'sms' ? templates.previewSms(t.body, samples).segments.parts : '',
          updated: localDateTime(new Date(t.updatedAt), DEALER_UTC_OFFSET_MINUTES),
          body: t.body,
        });
      }
      sheet.getColumn('body').alignment = { wrapText: true, vertical: 'top' };
      sheet.views = [{ state: 'frozen', ySplit: 1 }];
      const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
      return { fileName: `模板_${localDate(now, DEALER_UTC_OFFSET_MINUTES).replaceAll('-', '')}.xlsx`, base64: buffer.toString('base64'), rows: rows.length };
    },
  };
}
