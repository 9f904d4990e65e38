/**
 * Contract handlers of reminder campaigns (招揽): the agent's queue (招揽 / 回访), claim and release,
 * call outcomes, follow-ups and closing; the supervisor's generate-now, assignment and success-rate
 * report with its Excel export. Every query is scoped to the signed-in staff member's dealer.
 */
import { z } from 'zod';
import type { DbHandle } from '../../db/connection';
import type { CampaignKind } from '../../db/tables/campaigns';
import { campaignKindSchema, type CampaignTaskDto, type GenerationDto, type SkipSummaryDto } from '../../preload/channels/campaigns';
import { fieldError, ServiceError, staffOf, type EventSink, type HandlerMap, type SignedInStaff } from '../rpc';
import type { SoldVehicle, VehicleSales } from '../preferences';
import { DEALER_UTC_OFFSET_MINUTES, localDate } from './dates';
import { AUTOMATIC_CLOSE, createCampaignConfigHandlers } from './config-handlers';
import type { Campaigns, GenerationResult } from './index';
import { NOT_OWNER_DISPOSITION } from './params';
import { MODEL_NAMES_ZH } from '../../preload/vocabulary';
import { reportWorkbook } from './report-excel';
import { skipsWorkbook } from './skips-excel';
import { taskRows } from './task-rows';
import { tasksWorkbook } from './tasks-excel';
import { createSalesTeamHandlers } from './team-handlers';
import { OPEN } from './open-task';

export { DEALER_UTC_OFFSET_MINUTES };
export const dealerToday = (now: Date = new Date()) => localDate(now, DEALER_UTC_OFFSET_MINUTES);

export interface CampaignHandlerDeps {
  handle: DbHandle;
  campaigns: Campaigns;
  emit: EventSink;
  /** Marks a car sold (main/preferences) when a call's outcome is 非车主/已卖车. */
  vehicleSales?: VehicleSales;
  /** Injectable clock for tests. */
  now?: () => Date;
}

const CALL_CHANNELS = ['phone', 'reason_call'] as const;
/** Close reasons only the system sets: never offered for closing by hand, never switched off. */

/** campaign_run.stats as generateTasks writes it: per campaign kind, candidates, created and skips by reason. */
const runStatsSchema = z.record(
  z.string(),
  z.object({ candidates: z.number().int(), created: z.number().int(), skipped: z.record(z.string(), z.number().int()) }),
);

/** At most this many rows in one task-list export (the screens show 300–2000). */
const EXPORT_LIMIT = 20_000;
const LIST_TITLE = {
  work: { zh: '我的任务', en: 'My tasks' },
  followup: { zh: '回访', en: 'No-show follow-up' },
  worked: { zh: '今日已处理', en: 'Worked today' },
  open: { zh: '全部未完成', en: 'All open' },
  unassigned: { zh: '未分配', en: 'Unassigned' },
} as const;


export function createCampaignHandlers(deps: CampaignHandlerDeps): HandlerMap {
  const { handle, campaigns, emit } = deps;
  const { db } = handle;
  const clock = deps.now ?? (() => new Date());

  const itemsFor = (dealerId: string, taskIds: readonly string[], today: string) => taskRows(db, dealerId, taskIds, today, clock());

  async function one(dealerId: string, taskId: string, today: string): Promise<CampaignTaskDto> {
    const [item] = await itemsFor(dealerId, [taskId], today);
    if (!item) throw new ServiceError('NOT_FOUND');
    return item;
  }

  async function changed(dealerId: string, taskId: string): Promise<void> {
    const t = await db.selectFrom('campaign_task').select(['status', 'claimed_by']).where('id', '=', taskId).where('dealer_id', '=', dealerId).executeTakeFirst();
    if (t) emit('campaigns.taskChanged', { taskId, status: t.status, claimedBy: t.claimed_by });
  }

  async function openTasks(dealerId: string, today: string): Promise<number> {
    const r = await db
      .selectFrom('campaign_task')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('dealer_id', '=', dealerId)
      .where('status', '=', OPEN)
      .where('step_channel', 'in', [...CALL_CHANNELS])
      .where('step_on', '<=', today)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async function byCampaignDto(dealerId: string, byCampaign: GenerationResult['byCampaign']): Promise<GenerationDto['byCampaign']> {
    const loaded = await campaigns.config.load(dealerId);
    const entries = Object.entries(byCampaign) as Array<[CampaignKind, NonNullable<GenerationResult['byCampaign'][CampaignKind]>]>;
    return entries.filter(([kind]) => kind !== 'adhoc').map(([kind, stats]) => {
      const c = loaded.find((x) => x.kind === kind);
      const skipped: Record<string, number> = {};
      for (const [reason, n] of Object.entries(stats.skipped)) if (typeof n === 'number') skipped[reason] = n;
      return { kind, nameZh: c?.nameZh ?? kind, nameEn: c?.nameEn ?? kind, candidates: stats.candidates, created: stats.created, skipped };
    });
  }

  async function generationDto(dealerId: string, result: GenerationResult): Promise<GenerationDto> {
    return {
      today: result.today,
      created: result.created,
      ms: result.ms,
      openTasks: await openTasks(dealerId, result.today),
      byCampaign: await byCampaignDto(dealerId, result.byCampaign),
    };
  }

  /** The day's skips: generation's from its latest run (a rerun counts the same skips again), steps' from their touches. */
  async function skips(dealerId: string, day: string): Promise<SkipSummaryDto> {
    const run = await db
      .selectFrom('campaign_run')
      .select(['finished_at', 'created', 'stats'])
      .where('dealer_id', '=', dealerId)
      .where('today', '=', day)
      .orderBy('finished_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    let generation: SkipSummaryDto['generation'] = null;
    if (run) {
      const stats = runStatsSchema.safeParse(JSON.parse(run.stats));
      const byCampaign: GenerationResult['byCampaign'] = {};
      if (stats.success) {
        for (const [kind, s] of Object.entries(stats.data)) {
          const k = campaignKindSchema.safeParse(kind);
          if (k.success) byCampaign[k.data] = s;
        }
      }
      generation = { at: run.finished_at, created: run.created, byCampaign: await byCampaignDto(dealerId, byCampaign) };
    }
    const rows = await db
      .selectFrom('campaign_touch as tc')
      .innerJoin('campaign_task as t', 't.id', 'tc.task_id')
      .innerJoin('campaign as cp', 'cp.id', 't.campaign_id')
      .select(['cp.id', 'cp.kind', 'cp.name_zh', 'cp.name_en', 'cp.priority', 'tc.channel', 'tc.skipped_reason'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tc.dealer_id', '=', dealerId)
      .where('tc.touch_on', '=', day)
      .where('tc.skipped_reason', 'is not', null)
      .groupBy(['cp.id', 'tc.channel', 'tc.skipped_reason'])
      .orderBy('cp.priority', 'desc')
      .orderBy('cp.id')
      .orderBy('tc.channel')
      .orderBy('n', 'desc')
      .execute();
    const steps = rows.flatMap((r) =>
      r.skipped_reason ? [{ campaignId: r.id, kind: r.kind, nameZh: r.name_zh, nameEn: r.name_en, channel: r.channel, reason: r.skipped_reason, count: Number(r.n) }] : [],
    );
    return { day, generation, steps };
  }

  /** Tasks the seat touched today, the latest first (campaigns.worked). */
  async function workedIds(me: SignedInStaff, today: string, limit: number): Promise<string[]> {
    const rows = await db
      .selectFrom('campaign_touch')
      .select('task_id')
      .select((eb) => eb.fn.max('occurred_at').as('last'))
      .where('dealer_id', '=', me.dealerId)
      .where('staff_id', '=', me.staffId)
      .where('touch_on', '=', today)
      .groupBy('task_id')
      .orderBy('last', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => r.task_id);
  }

  /** The dealer's open call tasks in the supervisor's order (campaigns.tasks). */
  async function openIds(dealerId: string, assigned: 'any' | 'unassigned', limit: number): Promise<string[]> {
    let q = db.selectFrom('campaign_task').select('id').where('dealer_id', '=', dealerId).where('status', '=', OPEN).where('step_channel', 'in', [...CALL_CHANNELS]);
    if (assigned === 'unassigned') q = q.where('assigned_staff_id', 'is', null);
    const rows = await q.orderBy('step_on').orderBy('priority', 'desc').orderBy('due_on').orderBy('id').limit(limit).execute();
    return rows.map((r) => r.id);
  }

  /** The report for the dealer's months; steps waiting past their date count up to the dealer's today. */
  const report = (dealerId: string, from: string, to: string) => campaigns.report(dealerId, from, to, dealerToday(clock()));

  const handlers: HandlerMap = {
    'campaigns.queue': async (input, ctx) => {
      const me = staffOf(ctx);
      const now = clock();
      const today = dealerToday(now);
      const queue = await campaigns.work.queue(me.dealerId, me.staffId, today, now, input.mode, input.limit);
      return { today, items: await itemsFor(me.dealerId, queue.map((q) => q.taskId), today) };
    },

    'campaigns.worked': async (input, ctx) => {
      const me = staffOf(ctx);
      const today = dealerToday(clock());
      return { today, items: await itemsFor(me.dealerId, await workedIds(me, today, input.limit), today) };
    },

    'campaigns.next': async (input, ctx) => {
      const me = staffOf(ctx);
      const now = clock();
      const today = dealerToday(now);
      const item = await campaigns.work.next(me.dealerId, me.staffId, today, now, input.mode);
      if (!item) return null;
      await changed(me.dealerId, item.taskId);
      return one(me.dealerId, item.taskId, today);
    },

    'campaigns.claim': async (input, ctx) => {
      const me = staffOf(ctx);
      const now = clock();
      const today = dealerToday(now);
      const current = await one(me.dealerId, input.taskId, today);
      if (current.status === 'closed') throw new ServiceError('CONFLICT', { zh: '任务已关闭', en: 'The task is closed' });
      if (!(await campaigns.work.claim(me.dealerId, input.taskId, me.staffId, now))) {
        throw new ServiceError('CONFLICT', {
          zh: `该任务正由${current.claimedByName ?? '其他坐席'}处理`,
          en: `${current.claimedByName ?? 'Another agent'} is working on this task`,
        });
      }
      await changed(me.dealerId, input.taskId);
      return one(me.dealerId, input.taskId, today);
    },

    'campaigns.release': async (input, ctx) => {
      const me = staffOf(ctx);
      await campaigns.work.release(me.dealerId, input.taskId, me.staffId);
      await changed(me.dealerId, input.taskId);
      return { ok: true as const };
    },

    'campaigns.recordCall': async (input, ctx) => {
      const me = staffOf(ctx);
      const now = clock();
      let callbackAt: string | null = null;
      if (input.callbackAt) {
        const at = new Date(input.callbackAt);
        if (at.getTime() <= now.getTime()) throw fieldError('VALIDATION', 'callbackAt', { zh: '回电时间须晚于现在', en: 'The call-back time must be in the future' });
        callbackAt = at.toISOString();
      }
      // Not the owner any more: stop every campaign for the car, not just hide this task for a year. The sale
      // is written in the call's transaction, so neither is kept without the other.
      const sales = deps.vehicleSales;
      let sale: { vehicleId: string; reason: string } | null = null;
      if (input.disposition === NOT_OWNER_DISPOSITION && sales) {
        const task = await db.selectFrom('campaign_task').select('vehicle_id').where('id', '=', input.taskId).where('dealer_id', '=', me.dealerId).executeTakeFirst();
        if (task?.vehicle_id) {
          const outcome = (await campaigns.config.dispositions(me.dealerId)).find((d) => d.code === NOT_OWNER_DISPOSITION);
          const remark = input.campaignRemark?.trim();
          sale = { vehicleId: task.vehicle_id, reason: `通话结果：${outcome?.labelZh ?? '非车主/已卖车'}${remark ? `（${remark}）` : ''}`.slice(0, 200) };
        }
      }
      // Written by the hook inside recordCall's transaction (a plain let would read as always null to the compiler).
      const sold: { current: SoldVehicle | null } = { current: null };
      const result = await campaigns.work.recordCall({
        dealerId: me.dealerId,
        taskId: input.taskId,
        staffId: me.staffId,
        disposition: input.disposition,
        now,
        today: dealerToday(now),
        callbackAt,
        willCome: input.willCome ?? null,
        feedbackReason: input.feedbackReason || null,
        campaignRemark: input.campaignRemark ?? null,
        followupRemark: input.followupRemark ?? null,
        ...(sale && sales ? { alsoInTransaction: () => void (sold.current = sales.sell(me, sale.vehicleId, sale.reason)) } : {}),
      });
      if (sold.current && sales) sales.announce(me, sold.current);
      await changed(me.dealerId, input.taskId);
      return { status: result.status === 'done' || result.status === 'closed' ? result.status : 'open', fallback: result.fallback, vehicleSold: sold.current !== null };
    },

    'campaigns.recordFollowUp': async (input, ctx) => {
      const me = staffOf(ctx);
      await campaigns.work.recordFollowUp({
        dealerId: me.dealerId,
        taskId: input.taskId,
        staffId: me.staffId,
        now: clock(),
        feedbackReason: input.feedbackReason,
        followupRemark: input.followupRemark ?? null,
      });
      await changed(me.dealerId, input.taskId);
      return { ok: true as const };
    },

    'campaigns.close': async (input, ctx) => {
      const me = staffOf(ctx);
      await one(me.dealerId, input.taskId, dealerToday(clock()));
      await campaigns.work.close(me.dealerId, input.taskId, me.staffId, input.reason, input.remark ?? null);
      await changed(me.dealerId, input.taskId);
      return { ok: true as const };
    },

    'campaigns.dispositions': async (_input, ctx) => {
      const me = staffOf(ctx);
      const all = await campaigns.config.dispositions(me.dealerId);
      return all.filter((d) => d.active).map((d) => ({ code: d.code, labelZh: d.labelZh, labelEn: d.labelEn, reached: d.reached, callback: d.callback, hideDays: d.hideDays }));
    },

    'campaigns.reasons': async (input, ctx) => {
      const me = staffOf(ctx);
      const all = await campaigns.config.reasons(me.dealerId, input.kind);
      // Closing by hand never claims "came early", "expired" or "unreachable": those are set by the system.
      return all.filter((r) => r.active && !(input.kind === 'close' && AUTOMATIC_CLOSE.has(r.code))).map((r) => ({ code: r.code, labelZh: r.labelZh, labelEn: r.labelEn }));
    },

    'campaigns.generate': async (input, ctx) => {
      const me = staffOf(ctx);
      const today = input.today ?? dealerToday(clock());
      await campaigns.config.ensureDefaults(me.dealerId);
      const result = await campaigns.generate(me.dealerId, today);
      // Calls the customer refused never reach an agent's queue (the nightly run does the same).
      await campaigns.skipRefusedCalls(me.dealerId, today);
      return generationDto(me.dealerId, result);
    },

    'campaigns.skips': async (input, ctx) => skips(staffOf(ctx).dealerId, input.day ?? dealerToday(clock())),

    'campaigns.exportSkips': async (input, ctx) => {
      const day = input.day ?? dealerToday(clock());
      const { buffer, rows } = await skipsWorkbook(await skips(staffOf(ctx).dealerId, day), input.lang);
      // A few rows per campaign: never near one file's limit.
      return { fileName: `跳过原因_${day}.xlsx`, base64: buffer.toString('base64'), rows, truncated: false };
    },

    'campaigns.tasks': async (input, ctx) => {
      const me = staffOf(ctx);
      const today = dealerToday(clock());
      const rows = await openIds(me.dealerId, input.assigned, input.limit + 1);
      return { today, items: await itemsFor(me.dealerId, rows.slice(0, input.limit), today), more: rows.length > input.limit };
    },

    'campaigns.exportTasks': async (input, ctx) => {
      const me = staffOf(ctx);
      const now = clock();
      const today = dealerToday(now);
      let ids: string[];
      if (input.list === 'work' || input.list === 'followup') {
        ids = (await campaigns.work.queue(me.dealerId, me.staffId, today, now, input.list, EXPORT_LIMIT + 1)).map((q) => q.taskId);
      } else if (input.list === 'worked') {
        ids = await workedIds(me, today, EXPORT_LIMIT + 1);
      } else {
        ids = await openIds(me.dealerId, input.list === 'unassigned' ? 'unassigned' : 'any', EXPORT_LIMIT + 1);
      }
      const items = await itemsFor(me.dealerId, ids.slice(0, EXPORT_LIMIT), today);
      const label = (rows: ReadonlyArray<{ code: string; labelZh: string; labelEn: string }>) => new Map(rows.map((r) => [r.code, { zh: r.labelZh, en: r.labelEn }]));
      const title = LIST_TITLE[input.list];
      const { buffer, rows } = await tasksWorkbook(`${title.zh} ${title.en}`, items, {
        dispositions: label(await campaigns.config.dispositions(me.dealerId)),
        feedback: label(await campaigns.config.reasons(me.dealerId, 'feedback')),
        close: label(await campaigns.config.reasons(me.dealerId, 'close')),
        modelNamesZh: MODEL_NAMES_ZH,
      }, input.lang);
      return { fileName: `招揽任务_${title.zh}_${today}.xlsx`, base64: buffer.toString('base64'), rows, truncated: ids.length > EXPORT_LIMIT };
    },

    'campaigns.assign': async (input, ctx) => {
      const me = staffOf(ctx);
      if (input.staffId) {
        const s = await db.selectFrom('staff').select('id').where('id', '=', input.staffId).where('dealer_id', '=', me.dealerId).where('active', '=', 1).executeTakeFirst();
        if (!s) throw fieldError('VALIDATION', 'staffId', { zh: '请选择本店在职的坐席', en: 'Choose an active agent of this dealer' });
      }
      const assigned = await campaigns.work.assign(me.dealerId, input.taskIds, input.staffId);
      for (const id of input.taskIds.slice(0, 200)) await changed(me.dealerId, id);
      return { assigned };
    },

    'campaigns.assignRoundRobin': async (input, ctx) => {
      const me = staffOf(ctx);
      const staffIds = [...new Set(input.staffIds)];
      const found = await db.selectFrom('staff').select('id').where('dealer_id', '=', me.dealerId).where('active', '=', 1).where('id', 'in', staffIds).execute();
      if (found.length !== staffIds.length) throw fieldError('VALIDATION', 'staffIds', { zh: '请选择本店在职的坐席', en: 'Choose active agents of this dealer' });
      const assigned = await campaigns.work.assignRoundRobin(me.dealerId, input.taskIds, staffIds);
      for (const id of input.taskIds.slice(0, 200)) await changed(me.dealerId, id);
      return { assigned };
    },

    'campaigns.assignByResponsible': async (_input, ctx) => {
      const me = staffOf(ctx);
      const assigned = await campaigns.work.assignByResponsible(me.dealerId);
      return { assigned };
    },

    'campaigns.report': async (input, ctx) => report(staffOf(ctx).dealerId, input.from, input.to),

    'campaigns.exportReport': async (input, ctx) => {
      const me = staffOf(ctx);
      const { buffer, rows } = await reportWorkbook(await report(me.dealerId, input.from, input.to), input.lang);
      return { fileName: `招揽成功率_${input.from}_${input.to}.xlsx`, base64: buffer.toString('base64'), rows };
    },
  };
  return { ...handlers, ...createCampaignConfigHandlers(campaigns), ...createSalesTeamHandlers({ handle, campaigns, emit, now: clock }) };
}
