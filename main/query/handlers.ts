/**
 * Contract handlers of the query builder (扩展查询): catalog, live preview, result pages, Excel export,
 * saved queries and "make campaign" (SMS queued into the campaigns capability's SMS queue, one per
 * recipient with merge fields filled). Every call is scoped to the signed-in staff member's dealer.
 */
import type { DbHandle } from '../../db/connection';
import { newId } from '../../db/ids';
import type { QueryGroupShape } from '../../preload/channels/query';
import type { SmsQueue } from '../campaigns/sms-queue';
import { salutation } from '../campaigns/merge';
import { fieldError, ServiceError, type CallContext, type HandlerMap, type SignedInStaff } from '../rpc';
import { countSegments, parseTemplate, renderTokens, sampleValues, type MergeValues } from '../templates';
import { exerciseA, exerciseB, exerciseC } from './examples';
import type { QueryService, Viewer } from './index';

export interface QueryHandlerDeps {
  handle: DbHandle;
  query: QueryService;
  smsQueue: SmsQueue;
  modelNamesZh: Readonly<Record<string, string>>;
}

const TIER_ZH: Record<string, string> = { standard: '普通会员', silver: '银卡会员', gold: '金卡会员', platinum: '白金会员' };
const CHUNK = 500;

function staffOf(ctx: CallContext): SignedInStaff {
  if (!ctx.staff) throw new ServiceError('UNAUTHENTICATED');
  return ctx.staff;
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

  const sentences = async (tree: QueryGroupShape, dealerId: string) => ({
    zh: await query.sentence(tree, 'zh', { dealerId }),
    en: await query.sentence(tree, 'en', { dealerId }),
  });

  async function sourceTree(ctx: CallContext, input: { tree?: QueryGroupShape; savedId?: string }): Promise<QueryGroupShape> {
    if (input.tree) return input.tree;
    if (input.savedId) return (await query.saved.get(viewerOf(ctx), input.savedId)).tree;
    throw fieldError('VALIDATION', 'tree', { zh: '请选择当前查询或一个已保存的查询', en: 'Give the query on screen or a saved query' });
  }

  /** Merge values per recipient: customer, their most recently bought vehicle, dealer and today. */
  async function mergeValuesFor(dealerId: string, ids: readonly string[], today: string): Promise<Map<string, MergeValues>> {
    const dealer = await db.selectFrom('dealer').select('name').where('id', '=', dealerId).executeTakeFirst();
    const out = new Map<string, MergeValues>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const customers = await db
        .selectFrom('customer')
        .select(['id', 'name', 'gender', 'address', 'member_tier'])
        .where('dealer_id', '=', dealerId)
        .where('id', 'in', chunk)
        .execute();
      const vehicles = await db
        .selectFrom('vehicle')
        .select(['customer_id', 'model', 'plate', 'vin', 'mileage_km'])
        .where('dealer_id', '=', dealerId)
        .where('customer_id', 'in', chunk)
        .where('deleted_at', 'is', null)
        .orderBy('customer_id')
        .orderBy('purchase_date', 'desc')
        .execute();
      const firstVehicle = new Map<string, (typeof vehicles)[number]>();
      for (const v of vehicles) if (!firstVehicle.has(v.customer_id)) firstVehicle.set(v.customer_id, v);
      for (const c of customers) {
        const v = firstVehicle.get(c.id);
        out.set(c.id, {
          customerName: c.name,
          salutation: salutation(c.name, c.gender),
          plate: v?.plate ?? null,
          model: v ? (modelNamesZh[v.model] ?? v.model) : null,
          vin: v?.vin ?? null,
          mileage: v?.mileage_km === null || v === undefined ? null : String(v.mileage_km),
          dealerName: dealer?.name ?? null,
          memberTier: c.member_tier ? (TIER_ZH[c.member_tier] ?? c.member_tier) : null,
          address: c.address,
          today,
        });
      }
    }
    return out;
  }

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
      const tree = await sourceTree(ctx, input);
      const prep = await underTree(() => query.prepareCampaign(tree, { dealerId, channel: input.channel }));
      return {
        matched: prep.matched,
        recipientCount: prep.recipients.length,
        dropped: prep.dropped.map((d) => ({ code: d.code, label: d.label, count: d.count })),
      };
    },

    'query.campaign.previewSms': ({ body }) => {
      const parsed = parseTemplate(body);
      const text = renderTokens(parsed.tokens, sampleValues(), false).text;
      const s = countSegments(text);
      return {
        text,
        segments: { encoding: s.encoding, characters: s.characters, parts: s.parts, perPart: s.perPart, remaining: s.remaining },
        problems: parsed.issues.map((i) => i.message),
      };
    },

    'query.campaign.create': async (input, ctx) => {
      const { dealerId } = staffOf(ctx);
      const problems = templateProblems(input.body);
      if (problems.length > 0) throw new ServiceError('VALIDATION', undefined, problems.map((message) => ({ path: 'body', message })));
      const tree = await sourceTree(ctx, input);
      const prep = await underTree(() => query.prepareCampaign(tree, { dealerId, channel: 'sms' }));
      const today = query.today();
      const values = await mergeValuesFor(dealerId, prep.recipients.map((r) => r.customerId), today);
      const tokens = parseTemplate(input.body).tokens;
      const batch = newId();
      let queued = 0;
      let alreadyQueued = 0;
      let maxParts = 0;
      handle.sqlite.transaction(() => {
        for (const r of prep.recipients) {
          const text = renderTokens(tokens, values.get(r.customerId) ?? {}, false).text;
          maxParts = Math.max(maxParts, countSegments(text).parts);
          const result = smsQueue.enqueue({
            dealerId,
            customerId: r.customerId,
            mobile: r.contact,
            text,
            purpose: 'marketing',
            dedupeKey: `query:${batch}:${r.customerId}`,
          });
          if (result.queued) queued++;
          else alreadyQueued++;
        }
      })();
      return {
        matched: prep.matched,
        queued,
        alreadyQueued,
        dropped: prep.dropped.map((d) => ({ code: d.code, label: d.label, count: d.count })),
        segments: maxParts,
      };
    },
  };
  return handlers;
}
