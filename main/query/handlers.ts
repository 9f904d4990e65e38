/**
 * Contract handlers of the query builder (扩展查询): catalog, live preview, result pages, Excel export,
 * saved queries and "make campaign" (SMS queued into the campaigns capability's SMS queue, one per
 * recipient with merge fields filled). Every call is scoped to the signed-in staff member's dealer.
 */
import type { DbHandle } from '../../db/connection';
import type { QueryCampaignChannel, QueryGroupShape } from '../../preload/channels/query';
import type { SmsQueue } from '../campaigns/sms-queue';
import { fieldError, ServiceError, staffOf, type CallContext, type HandlerMap } from '../rpc';
import { countSegments, parseTemplate, renderTokens } from '../templates';
import { previewValues } from '../templates/recipient';
import { exerciseA, exerciseB, exerciseC } from './examples';
import { createCampaignMaker } from './make-campaign';
import type { QueryService, Viewer } from './index';

export interface QueryHandlerDeps {
  handle: DbHandle;
  query: QueryService;
  smsQueue: SmsQueue;
  modelNamesZh: Readonly<Record<string, string>>;
}

function viewerOf(ctx: CallContext): Viewer {
  const s = staffOf(ctx);
  return { staffId: s.staffId, dealerId: s.dealerId, role: s.role };
}

/** Tree problems come back with paths relative to the tree; the input field is `tree`. */
async function underTree<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'VALIDATION' && error.issues) {
      throw new ServiceError(
        error.code,
        error.userMessage,
        error.issues.map((i) => ({ ...i, path: i.path === '' ? 'tree' : `tree.${i.path}` })),
      );
    }
    throw error;
  }
}

function templateProblems(body: string) {
  return parseTemplate(body).issues.map((i) => i.message);
}

export function createQueryHandlers(deps: QueryHandlerDeps): HandlerMap {
  const { handle, query, smsQueue, modelNamesZh } = deps;
  const { db } = handle;
  const maker = createCampaignMaker({ handle, smsQueue, modelNamesZh });

  const sentences = async (tree: QueryGroupShape, dealerId: string) => ({
    zh: await query.sentence(tree, 'zh', { dealerId }),
    en: await query.sentence(tree, 'en', { dealerId }),
  });

  async function source(ctx: CallContext, input: { tree?: QueryGroupShape; savedId?: string }): Promise<{ tree: QueryGroupShape; savedName: string | null }> {
    if (input.tree) return { tree: input.tree, savedName: null };
    if (input.savedId) {
      const saved = await query.saved.get(viewerOf(ctx), input.savedId);
      return { tree: saved.tree, savedName: saved.name };
    }
    throw fieldError('VALIDATION', 'tree', { zh: '请选择当前查询或一个已保存的查询', en: 'Give the query on screen or a saved query' });
  }

  /** Active templates a campaign on this channel can use: SMS texts to start from, letter and card layouts. */
  async function templatesFor(dealerId: string, channel: QueryCampaignChannel) {
    if (channel === 'phone') return [];
    const kinds = channel === 'sms' ? (['sms'] as const) : (['letter', 'card'] as const);
    const rows = await db
      .selectFrom('message_template')
      .select(['id', 'code', 'kind', 'name', 'body'])
      .where('dealer_id', '=', dealerId)
      .where('active', '=', 1)
      .where('kind', 'in', [...kinds])
      .orderBy('kind')
      .orderBy('code')
      .execute();
    return rows.flatMap((r) => (r.kind === 'sms' || r.kind === 'letter' || r.kind === 'card' ? [{ id: r.id, code: r.code, kind: r.kind, name: r.name, body: r.body }] : []));
  }

  const defaultName = (savedName: string | null) => savedName ?? `扩展查询 ${query.today()}`;

  const handlers: HandlerMap = {
    'query.catalog': async (_input, ctx) => {
      const { dealerId } = staffOf(ctx);
      const staff = await db
        .selectFrom('staff')
        .select(['id', 'display_name'])
        .where('dealer_id', '=', dealerId)
        .orderBy('display_name')
        .execute();
      const models = await db
        .selectFrom('vehicle')
        .select('model')
        .distinct()
        .where('dealer_id', '=', dealerId)
        .where('deleted_at', 'is', null)
        .orderBy('model')
        .execute();
      const today = query.today();
      const yearStart = `${today.slice(0, 4)}-01-01`;
      return {
        fields: query.catalog(),
        staff: staff.map((s) => ({ id: s.id, name: s.display_name })),
        models: models.map((m) => ({ value: m.model, zh: modelNamesZh[m.model] ?? m.model })),
        examples: [
          { key: 'a', label: { zh: '练习一：三年前本店购车的雅阁会员，去年进厂 2 次以上', en: 'Exercise 1: Accord members, bought here 3+ years ago, 2+ visits last year' }, tree: exerciseA },
          { key: 'b', label: { zh: '练习二：去年来过、今年没来的流失客户', en: 'Exercise 2: visited last year but not this year' }, tree: exerciseB },
          { key: 'c', label: { zh: '练习三：今年维修过的飞度车主（调查名单）', en: 'Exercise 3: Fit owners repaired this year (survey list)' }, tree: exerciseC(yearStart, today) },
        ],
        today,
      };
    },

    'query.preview': async ({ tree }, ctx) => {
      const { dealerId } = staffOf(ctx);
      return underTree(async () => ({ sentence: await sentences(tree, dealerId), count: await query.count(tree, { dealerId }) }));
    },

    'query.run': async ({ tree, offset, limit }, ctx) => {
      const { dealerId } = staffOf(ctx);
      return underTree(() => query.page(tree, { dealerId, offset, limit }));
    },

    'query.export': async ({ tree, lang, title }, ctx) => {
      const { dealerId } = staffOf(ctx);
      const file = await underTree(() => query.exportXlsx(tree, { dealerId, lang, ...(title ? { title } : {}) }));
      return { fileName: file.fileName, base64: file.data.toString('base64'), rows: file.rows };
    },

    'query.saved.list': async (_input, ctx) => query.saved.list(viewerOf(ctx)),
    'query.saved.get': async ({ id }, ctx) => query.saved.get(viewerOf(ctx), id),
    'query.saved.create': async (input, ctx) => {
      await underTree(() => query.check(input.tree));
      return query.saved.create(viewerOf(ctx), input);
    },
    'query.saved.update': async ({ id, patch }, ctx) => {
      if (patch.tree) {
        const tree = patch.tree;
        await underTree(() => query.check(tree)).catch((error: unknown) => {
          if (error instanceof ServiceError && error.issues) {
            throw new ServiceError(error.code, error.userMessage, error.issues.map((i) => ({ ...i, path: `patch.${i.path}` })));
          }
          throw error;
        });
      }
      return query.saved.update(viewerOf(ctx), id, patch);
    },
    'query.saved.delete': async ({ id }, ctx) => {
      await query.saved.remove(viewerOf(ctx), id);
      return { ok: true as const };
    },
    'query.saved.run': async ({ id, offset, limit }, ctx) => {
      const viewer = viewerOf(ctx);
      const saved = await query.saved.get(viewer, id);
      const result = await query.page(saved.tree, { dealerId: viewer.dealerId, offset, limit });
      await query.saved.recordRun(viewer, id, result.total);
      return { ...result, sentence: await sentences(saved.tree, viewer.dealerId) };
    },

    'query.campaign.prepare': async (input, ctx) => {
      const { dealerId } = staffOf(ctx);
      const { tree, savedName } = await source(ctx, input);
      const prep = await underTree(() => query.prepareCampaign(tree, { dealerId, channel: input.channel }));
      return {
        matched: prep.matched,
        recipientCount: prep.recipients.length,
        dropped: prep.dropped.map((d) => ({ code: d.code, label: d.label, count: d.count })),
        templates: await templatesFor(dealerId, input.channel),
        defaultName: defaultName(savedName),
      };
    },

    'query.campaign.previewSms': ({ body }, ctx) => {
      const parsed = parseTemplate(body);
      // The dealer's own signature and hotline: they change the part count the sender is shown.
      const text = renderTokens(parsed.tokens, previewValues(handle, staffOf(ctx).dealerId), false).text;
      const s = countSegments(text);
      return {
        text,
        segments: { encoding: s.encoding, characters: s.characters, parts: s.parts, perPart: s.perPart, remaining: s.remaining },
        problems: parsed.issues.map((i) => i.message),
      };
    },

    'query.campaign.create': async (input, ctx) => {
      const { dealerId, staffId } = staffOf(ctx);
      // A repeated request (double click, retry after a crash) answers at once with its first result.
      const earlier = maker.previous(dealerId, input.requestId, input.channel);
      if (earlier) return earlier;
      if (input.channel === 'sms') {
        const problems = templateProblems(input.body ?? '');
        if (problems.length > 0) throw new ServiceError('VALIDATION', undefined, problems.map((message) => ({ path: 'body', message })));
      }
      const { tree, savedName } = await source(ctx, input);
      const prep = await underTree(() => query.prepareCampaign(tree, { dealerId, channel: input.channel }));
      return maker.make(
        {
          dealerId,
          staffId,
          requestId: input.requestId,
          channel: input.channel,
          name: input.name ?? defaultName(savedName),
          tree,
          savedQueryId: input.savedId ?? null,
          sentenceZh: await query.sentence(tree, 'zh', { dealerId }),
          today: query.today(),
          ...(input.body === undefined ? {} : { body: input.body }),
          templateId: input.templateId ?? null,
          assign: input.assign,
        },
        prep,
      );
    },
  };
  return handlers;
}
