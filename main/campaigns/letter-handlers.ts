/**
 * Contract handlers of letter printing (信函打印): today's letter batch with the skipped reasons, one
 * PDF for the chosen letters through the host's print service (cancellable while the browser runs),
 * "printed", and the list as Excel. Letters print together only when they share a template, since one
 * PDF has one paper size.
 */
import type { DbHandle } from '../../db/connection';
import type { PageSize } from '../../db/tables/campaigns';
import { EXPORT_ROW_LIMIT } from '../../preload/channels/kit';
import type { LetterItemDto } from '../../preload/channels/letters';
import { isPrintCancelled, type PrintService } from '../print';
import { fieldError, ServiceError, staffOf, type HandlerMap } from '../rpc';
import type { Templates } from '../templates';
import { dealerToday } from './handlers';
import type { Campaigns } from './index';
import { lettersWorkbook } from './letters-excel';

export interface LetterHandlerDeps {
  handle: DbHandle;
  campaigns: Campaigns;
  /** The one templates instance of the composition root. */
  templates: Templates;
  print: PrintService;
  /** Most letters one Excel export carries (EXPORT_ROW_LIMIT); tests lower it. */
  exportLimit?: number;
  /** Injectable clock for tests. */
  now?: () => Date;
}

/** The template a letter step falls back to when it names none (as letters.render does). */
const DEFAULT_LETTER = 'letter.reminder';

export function createLetterHandlers(deps: LetterHandlerDeps): HandlerMap {
  const { handle, campaigns, templates, print } = deps;
  const { db } = handle;
  const clock = deps.now ?? (() => new Date());
  const exportLimit = deps.exportLimit ?? EXPORT_ROW_LIMIT;
  /** Prints under way, by the page's job id, so the page that started one can cancel it. */
  const jobs = new Map<string, { staffId: string; controller: AbortController }>();

  /** Printable templates by id, and the id letter steps without one use. */
  async function printable(dealerId: string) {
    await templates.ensureDefaults(dealerId);
    const rows = await db.selectFrom('message_template').select(['id', 'code', 'name', 'page']).where('dealer_id', '=', dealerId).where('kind', '!=', 'sms').execute();
    const byId = new Map(rows.map((r) => [r.id, { name: r.name, page: (r.page ?? 'A4') satisfies PageSize }]));
    return { byId, fallbackId: rows.find((r) => r.code === DEFAULT_LETTER)?.id ?? null };
  }

  /**
   * Today's letters (the batch skips and moves on letters the customer refuses or cannot receive, as a
   * refresh of the tab does), today's skips by reason, and the campaigns with a letter step.
   */
  async function letterList(dealerId: string, campaignId: string | null, today: string) {
    const loaded = await campaigns.config.load(dealerId);
    const byCampaign = new Map(loaded.map((c) => [c.id, c]));
    const { byId, fallbackId } = await printable(dealerId);
    const batch = await campaigns.letters.batch(dealerId, today, campaignId ?? undefined);
    const items: LetterItemDto[] = batch.items.flatMap((item) => {
      const c = byCampaign.get(item.campaignId);
      if (!c) return [];
      const templateId = item.templateId && byId.has(item.templateId) ? item.templateId : fallbackId;
      const template = templateId ? byId.get(templateId) : undefined;
      return [
        {
          taskId: item.taskId,
          campaignId: c.id,
          campaignKind: c.kind,
          campaignNameZh: c.nameZh,
          campaignNameEn: c.nameEn,
          customerName: item.customerName,
          address: item.address,
          plate: item.plate,
          dueOn: item.dueOn,
          templateId,
          templateName: template?.name ?? DEFAULT_LETTER,
          page: template?.page ?? 'A4',
        },
      ];
    });
    // Skips are counted from today's touches, so the summary survives a refresh (a skipped task has moved on).
    let skippedQuery = db
      .selectFrom('campaign_touch as tc')
      .innerJoin('campaign_task as t', 't.id', 'tc.task_id')
      .select(['tc.skipped_reason'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tc.dealer_id', '=', dealerId)
      .where('tc.channel', '=', 'letter')
      .where('tc.touch_on', '=', today)
      .where('tc.skipped_reason', 'is not', null)
      .groupBy('tc.skipped_reason');
    if (campaignId) skippedQuery = skippedQuery.where('t.campaign_id', '=', campaignId);
    const skipped: Record<string, number> = {};
    for (const r of await skippedQuery.execute()) if (r.skipped_reason) skipped[r.skipped_reason] = Number(r.n);
    return { items, skipped, campaigns: loaded.filter((c) => c.steps.some((s) => s.channel === 'letter')) };
  }

  return {
    'letters.batch': async (input, ctx) => {
      const me = staffOf(ctx);
      const today = dealerToday(clock());
      const list = await letterList(me.dealerId, input.campaignId, today);
      return {
        today,
        items: list.items,
        skipped: list.skipped,
        campaigns: list.campaigns.map((c) => ({ id: c.id, kind: c.kind, nameZh: c.nameZh, nameEn: c.nameEn })),
      };
    },

    'letters.export': async (input, ctx) => {
      const me = staffOf(ctx);
      const today = dealerToday(clock());
      const list = await letterList(me.dealerId, input.campaignId, today);
      const truncated = list.items.length > exportLimit;
      const items = truncated ? list.items.slice(0, exportLimit) : list.items;
      const campaign = input.campaignId ? list.campaigns.find((c) => c.id === input.campaignId) : undefined;
      const buffer = await lettersWorkbook(items, list.skipped, input.lang);
      return { fileName: `信函清单_${campaign ? `${campaign.nameZh}_` : ''}${today}.xlsx`, base64: buffer.toString('base64'), rows: items.length, truncated };
    },

    'letters.print': async (input, ctx) => {
      const me = staffOf(ctx);
      if (jobs.has(input.jobId)) throw new ServiceError('CONFLICT', { zh: '这份 PDF 正在生成', en: 'This PDF is already being made' });
      const controller = new AbortController();
      jobs.set(input.jobId, { staffId: me.staffId, controller });
      try {
        const today = dealerToday(clock());
        const { fallbackId } = await printable(me.dealerId);
        const taskIds = [...new Set(input.taskIds)];
        const rows = [];
        for (let i = 0; i < taskIds.length; i += 500) {
          rows.push(
            ...(await db
              .selectFrom('campaign_task as t')
              .leftJoin('campaign_step as s', (j) => j.onRef('s.campaign_id', '=', 't.campaign_id').onRef('s.seq', '=', 't.step_seq'))
              .select(['t.id', 't.status', 't.step_channel', 's.template_id'])
              .where('t.dealer_id', '=', me.dealerId)
              .where('t.id', 'in', taskIds.slice(i, i + 500))
              .execute()),
          );
        }
        const gone = taskIds.length - rows.filter((r) => r.status === 'open' && r.step_channel === 'letter').length;
        if (gone > 0) {
          throw fieldError('CONFLICT', 'taskIds', {
            zh: `有 ${gone} 封信件已不在待打印列表（可能已被标记为已打印），请刷新后重试`,
            en: `${gone} of the letters are no longer waiting to print (perhaps marked printed already); refresh and try again`,
          });
        }
        if (new Set(rows.map((r) => r.template_id ?? fallbackId)).size > 1) {
          throw fieldError('VALIDATION', 'taskIds', {
            zh: '所选信件使用不同的模板（纸张），请按活动筛选后分别生成 PDF',
            en: 'The chosen letters use different templates (paper sizes); filter by campaign and make one PDF for each',
          });
        }
        const doc = await campaigns.letters.render(me.dealerId, taskIds, today);
        const pdf = await print.toPdf(doc.html, doc.page, { signal: controller.signal });
        return { status: 'done' as const, fileName: `信函_${today}_${doc.pages}封.pdf`, base64: pdf.toString('base64'), pages: doc.pages, bytes: pdf.length };
      } catch (error) {
        if (isPrintCancelled(error)) return { status: 'cancelled' as const };
        throw error;
      } finally {
        jobs.delete(input.jobId);
      }
    },

    'letters.cancelPrint': (input, ctx) => {
      const me = staffOf(ctx);
      const job = jobs.get(input.jobId);
      if (!job || job.staffId !== me.staffId) return { cancelled: false };
      job.controller.abort();
      return { cancelled: true };
    },

    'letters.markPrinted': async (input, ctx) => {
      const me = staffOf(ctx);
      const marked = await campaigns.letters.markPrinted(me.dealerId, [...new Set(input.taskIds)], me.staffId, dealerToday(clock()));
      return { marked };
    },
  };
}
