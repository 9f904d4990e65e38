/**
 * The agent's work queue and the task lifecycle. open → done (customer reached; a feedback reason is
 * required when they will not come) or closed (with a reason). Call outcomes are configurable
 * dispositions that hide the vehicle (the customer, for a birthday) from that campaign for N days —
 * every task of the campaign for it, the next due cycle's included (campaign_hide) — or schedule a
 * callback; five unreachable days switch the task to an SMS or letter fallback. Claims are one conditional UPDATE, so two seats never work the
 * same task: the second claim changes no row and loses.
 */
import { sql } from 'kysely';
import type { DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';
import type { StepChannel } from '../../db/tables/campaigns';
import { fieldError, ServiceError } from '../rpc';
import { parseTemplate, renderTokens } from '../templates';
import type { LoadedCampaign } from './config';
import { addDays } from './dates';
import { mergeValues, type DealerProfile } from './merge';
import type { Preferences } from './preferences';
import type { SmsQueue } from './sms-queue';
import { addTouch, campaignSmsKey, MOBILE } from './steps';
import { OPEN } from './open-task';

export interface WorkOptions {
  /** A claim older than this is free again (a seat that crashed mid-call does not lock the task). */
  claimTtlMinutes: number;
  /** Distinct unreachable days after which a task falls back to SMS or letter. */
  fallbackAfterDays: number;
}

export interface WorkDeps {
  handle: DbHandle;
  preferences: Preferences;
  smsQueue: SmsQueue;
  dealer: (dealerId: string) => DealerProfile;
  campaigns: (dealerId: string) => Promise<LoadedCampaign[]>;
  options: WorkOptions;
}

export interface QueueItem {
  taskId: string;
  campaignKind: string;
  campaignName: string;
  customerId: string;
  customerName: string;
  mobile: string | null;
  vehicleId: string | null;
  plate: string | null;
  model: string | null;
  dueOn: string;
  stepChannel: StepChannel | null;
  stepOn: string | null;
  callbackAt: string | null;
  priority: number;
  assignedStaffId: string | null;
  claimedBy: string | null;
  /** Step date passed: the list shows these rows in red. */
  overdue: boolean;
  /** The customer has a repair order open today: they are in the shop right now. */
  inShop: boolean;
  result: 'came' | 'no_show' | null;
  campaignRemark: string | null;
  followupRemark: string | null;
}

export interface RecordCallInput {
  dealerId: string;
  taskId: string;
  staffId: string;
  disposition: string;
  now: Date;
  today: string;
  callbackAt?: string | null;
  willCome?: boolean | null;
  feedbackReason?: string | null;
  campaignRemark?: string | null;
  followupRemark?: string | null;
  /**
   * Runs inside the call's transaction once the call is recorded, so what the outcome implies (非车主:
   * the car is sold) commits or rolls back with it. Synchronous: better-sqlite3 statements on the same
   * connection, which take part in the open transaction.
   */
  alsoInTransaction?: () => void;
}

export type QueueMode = 'work' | 'followup';

export function createWork(deps: WorkDeps) {
  const { db } = deps.handle;
  const ttl = (now: Date) => new Date(now.getTime() - deps.options.claimTtlMinutes * 60_000).toISOString();

  async function queue(dealerId: string, staffId: string, today: string, now: Date, mode: QueueMode = 'work', limit = 200): Promise<QueueItem[]> {
    const nowIsoStr = now.toISOString();
    // First the page of task ids, from the task table alone; only those rows are then joined to their
    // customer, car and campaign and checked for an open repair order — not every open task of the store.
    let q = db
      .selectFrom('campaign_task as t')
      .select('t.id')
      .where('t.dealer_id', '=', dealerId)
      .where((eb) => eb.or([eb('t.assigned_staff_id', 'is', null), eb('t.assigned_staff_id', '=', staffId)]))
      .where((eb) => eb.or([eb('t.claimed_by', 'is', null), eb('t.claimed_by', '=', staffId), eb('t.claimed_at', '<', ttl(now))]))
      .where((eb) => eb.or([eb('t.hidden_until', 'is', null), eb('t.hidden_until', '<=', today)]))
      // Hidden from this campaign by an outcome on any of its tasks for the same vehicle (or customer).
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('campaign_hide as h')
              .select('h.subject_id')
              .whereRef('h.campaign_id', '=', 't.campaign_id')
              .whereRef('h.subject_id', '=', 't.subject_id')
              .where('h.hidden_until', '>', today),
          ),
        ),
      );
    if (mode === 'work') {
      q = q
        .where('t.status', '=', OPEN)
        .where('t.step_channel', 'in', ['phone', 'reason_call'])
        .where('t.step_on', '<=', today)
        .where((eb) => eb.or([eb('t.callback_at', 'is', null), eb('t.callback_at', '<=', nowIsoStr)]))
        // Callbacks that have come go first, then the oldest step, then the campaign's priority.
        .orderBy(sql`t.callback_at is null`)
        .orderBy('t.step_on')
        .orderBy('t.priority', 'desc')
        .orderBy('t.due_on');
    } else {
      q = q.where('t.status', 'in', ['open', 'done']).where('t.result', '=', 'no_show').where('t.followed_up_at', 'is', null).where('t.result_on', '<=', today).orderBy('t.result_on').orderBy('t.priority', 'desc');
    }
    const ids = (await q.orderBy('t.id').limit(limit).execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    const details = await db
      .selectFrom('campaign_task as t')
      .innerJoin('customer as c', 'c.id', 't.customer_id')
      .innerJoin('campaign as cp', 'cp.id', 't.campaign_id')
      .leftJoin('vehicle as v', 'v.id', 't.vehicle_id')
      .select([
        't.id', 't.customer_id', 't.vehicle_id', 't.due_on', 't.step_channel', 't.step_on', 't.callback_at', 't.priority', 't.assigned_staff_id',
        't.claimed_by', 't.result', 't.campaign_remark', 't.followup_remark', 'c.name', 'c.mobile', 'v.plate', 'v.model', 'cp.kind', 'cp.name_zh',
      ])
      .select(
        sql<number>`exists (select 1 from repair_order r where r.customer_id = t.customer_id and r.deleted_at is null
          and r.opened_on <= ${today} and (r.closed_on is null or r.closed_on >= ${today}))`.as('in_shop'),
      )
      // One JSON parameter, however long the page (an export asks for 20,001 ids).
      .where('t.id', 'in', sql<string>`(select value from json_each(${JSON.stringify(ids)}))`)
      .execute();
    const byId = new Map(details.map((r) => [r.id, r]));
    const rows = ids.flatMap((id) => byId.get(id) ?? []);
    return rows.map((r) => ({
      taskId: r.id,
      campaignKind: r.kind,
      campaignName: r.name_zh,
      customerId: r.customer_id,
      customerName: r.name,
      mobile: r.mobile,
      vehicleId: r.vehicle_id,
      plate: r.plate,
      model: r.model,
      dueOn: r.due_on,
      stepChannel: r.step_channel,
      stepOn: r.step_on,
      callbackAt: r.callback_at,
      priority: r.priority,
      assignedStaffId: r.assigned_staff_id,
      claimedBy: r.claimed_by,
      overdue: r.step_on !== null && r.step_on < today,
      inShop: r.in_shop === 1,
      result: r.result,
      campaignRemark: r.campaign_remark,
      followupRemark: r.followup_remark,
    }));
  }

  async function claim(dealerId: string, taskId: string, staffId: string, now: Date): Promise<boolean> {
    const r = await db
      .updateTable('campaign_task')
      .set({ claimed_by: staffId, claimed_at: now.toISOString() })
      .where('id', '=', taskId)
      .where('dealer_id', '=', dealerId)
      .where('status', 'in', ['open', 'done'])
      .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claimed_by', '=', staffId), eb('claimed_at', '<', ttl(now))]))
      .executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }

  async function release(dealerId: string, taskId: string, staffId: string): Promise<void> {
    await db.updateTable('campaign_task').set({ claimed_by: null, claimed_at: null }).where('id', '=', taskId).where('dealer_id', '=', dealerId).where('claimed_by', '=', staffId).execute();
  }

  async function loadTask(dealerId: string, taskId: string) {
    const t = await db.selectFrom('campaign_task').selectAll().where('id', '=', taskId).where('dealer_id', '=', dealerId).executeTakeFirst();
    if (!t) throw new ServiceError('NOT_FOUND');
    return t;
  }

  function assertClaimable(t: { claimed_by: string | null; claimed_at: string | null }, staffId: string, now: Date) {
    if (t.claimed_by && t.claimed_by !== staffId && (t.claimed_at ?? '') >= ttl(now)) {
      throw new ServiceError('CONFLICT', { zh: '该任务正由其他坐席处理', en: 'Another agent is working on this task' });
    }
  }

  async function feedbackReasonExists(dealerId: string, code: string): Promise<boolean> {
    const r = await db.selectFrom('campaign_reason').select('id').where('dealer_id', '=', dealerId).where('kind', '=', 'feedback').where('code', '=', code).where('active', '=', 1).executeTakeFirst();
    return Boolean(r);
  }

  /**
   * Five unreachable days: SMS when allowed and the number is valid, else a letter, else close as unreachable.
   * The SMS is the campaign's one SMS of the day to this customer. When the campaign already has today's SMS
   * for them (another car's reminder, which does not name this car), this task does not pretend it went
   * with it: it stays open on its SMS fallback for the next day's run (sendDueSms), which texts it with the
   * follow-up template and then closes it as unreachable like the SMS sent here would.
   */
  async function fallback(dealerId: string, taskId: string, today: string, at: string): Promise<'sms' | 'letter' | 'none'> {
    const row = await db
      .selectFrom('campaign_task as t')
      .innerJoin('customer as c', 'c.id', 't.customer_id')
      .innerJoin('campaign as cp', 'cp.id', 't.campaign_id')
      .leftJoin('vehicle as v', 'v.id', 't.vehicle_id')
      .select(['t.id', 't.campaign_id', 't.customer_id', 't.vehicle_id', 't.step_seq', 't.due_on', 't.gift', 'c.name as customer_name', 'c.gender', 'c.address', 'c.member_tier', 'c.mobile', 'v.plate', 'v.model', 'v.vin', 'v.mileage_km', 'cp.name_zh as campaign_name', 'cp.purpose'])
      .where('t.id', '=', taskId)
      .executeTakeFirstOrThrow();
    if (row.mobile && MOBILE.test(row.mobile) && deps.preferences.allows(row.customer_id, row.vehicle_id, row.purpose, 'sms')) {
      const template = await db.selectFrom('message_template').select('body').where('dealer_id', '=', dealerId).where('code', '=', 'sms.followup').executeTakeFirst();
      if (template) {
        const mobile = row.mobile;
        const text = renderTokens(parseTemplate(template.body).tokens, mergeValues(row, deps.dealer(dealerId), today), false).text;
        await db.transaction().execute(async (tx) => {
          const queued = deps.smsQueue.enqueue({
            dealerId, customerId: row.customer_id, mobile, text, purpose: row.purpose, dedupeKey: campaignSmsKey(row.campaign_id, row.customer_id, today),
            source: { kind: 'campaign', campaignId: row.campaign_id, step: null, taskIds: [taskId], vehicleIds: row.vehicle_id ? [row.vehicle_id] : [] },
            label: row.campaign_name, vehicleId: row.vehicle_id,
          });
          if (!queued.queued) {
            // Today's SMS of this campaign to the customer is taken: the fallback SMS goes with tomorrow's run.
            await tx.updateTable('campaign_task').set({ fallback: 1, step_channel: 'sms', step_on: addDays(today, 1), claimed_by: null, updated_at: at }).where('id', '=', taskId).execute();
            return;
          }
          await addTouch(tx, { dealerId, taskId, stepSeq: row.step_seq, channel: 'sms', today, staffId: null, smsId: queued.id });
          await tx.updateTable('campaign_task').set({ status: 'closed', close_reason: 'unreachable', fallback: 1, last_touch_on: today, last_touch_channel: 'sms', last_touch_staff_id: null, claimed_by: null, updated_at: at }).where('id', '=', taskId).execute();
        });
        return 'sms';
      }
    }
    if (row.address?.trim() && deps.preferences.allows(row.customer_id, row.vehicle_id, row.purpose, 'letter')) {
      await db.updateTable('campaign_task').set({ fallback: 1, step_channel: 'letter', step_on: today, claimed_by: null, updated_at: at }).where('id', '=', taskId).execute();
      return 'letter';
    }
    await db.updateTable('campaign_task').set({ status: 'closed', close_reason: 'unreachable', fallback: 1, claimed_by: null, updated_at: at }).where('id', '=', taskId).execute();
    return 'none';
  }

  async function recordCall(input: RecordCallInput): Promise<{ status: string; fallback: 'sms' | 'letter' | 'none' | null }> {
    const { dealerId, staffId, today, now } = input;
    const t = await loadTask(dealerId, input.taskId);
    if (t.status !== 'open') throw new ServiceError('CONFLICT', { zh: '任务已完成或已关闭', en: 'The task is already done or closed' });
    assertClaimable(t, staffId, now);
    const d = await db.selectFrom('campaign_disposition').selectAll().where('dealer_id', '=', dealerId).where('code', '=', input.disposition).where('active', '=', 1).executeTakeFirst();
    if (!d) throw fieldError('VALIDATION', 'disposition', { zh: '通话结果不存在或已停用', en: 'Unknown or inactive call outcome' });
    if (d.callback === 1 && !input.callbackAt) throw fieldError('VALIDATION', 'callbackAt', { zh: '请填写回电时间', en: 'Choose when to call back' });
    if (d.reached === 1 && input.willCome === false) {
      if (!input.feedbackReason) throw fieldError('VALIDATION', 'feedbackReason', { zh: '客户不来厂时必须选择反馈原因', en: 'Choose why the customer will not come' });
      if (!(await feedbackReasonExists(dealerId, input.feedbackReason))) throw fieldError('VALIDATION', 'feedbackReason', { zh: '反馈原因不存在', en: 'Unknown feedback reason' });
    }
    const campaign = (await deps.campaigns(dealerId)).find((c) => c.id === t.campaign_id);
    const channel: StepChannel = t.step_channel === 'reason_call' ? 'reason_call' : 'phone';
    const at = nowIso();
    const remarks = {
      ...(input.campaignRemark != null ? { campaign_remark: input.campaignRemark } : {}),
      ...(input.followupRemark != null ? { followup_remark: input.followupRemark } : {}),
    };
    let fell: 'sms' | 'letter' | 'none' | null = null;
    await db.transaction().execute(async (tx) => {
      await addTouch(tx, { dealerId, taskId: t.id, stepSeq: t.step_seq, channel, today, staffId, disposition: d.code, reached: d.reached === 1 });
      await tx
        .insertInto('contact_event')
        .values({
          id: newId(), dealer_id: dealerId, customer_id: t.customer_id, vehicle_id: t.vehicle_id, kind: 'call_out', occurred_at: now.toISOString(), staff_id: staffId,
          summary: `${campaign?.nameZh ?? ''}：${d.label_zh}`,
          detail: JSON.stringify({ taskId: t.id, disposition: d.code, willCome: input.willCome ?? null, feedbackReason: input.feedbackReason ?? null }),
          created_at: at,
        })
        .execute();
      const base = { ...remarks, worked_at: t.worked_at ?? now.toISOString(), claimed_by: null, claimed_at: null, updated_at: at, last_touch_on: today, last_touch_channel: channel, last_touch_staff_id: staffId };
      if (d.reached === 1) {
        await tx
          .updateTable('campaign_task')
          .set({ ...base, status: 'done', will_come: input.willCome == null ? null : input.willCome ? 1 : 0, feedback_reason: input.willCome === false ? (input.feedbackReason ?? null) : null, callback_at: null, unreachable_days: 0, hidden_until: d.hide_days > 0 ? addDays(today, d.hide_days) : null })
          .where('id', '=', t.id)
          .execute();
      } else {
        const unreachableDays = d.unreachable === 1 && t.last_unreachable_on !== today ? t.unreachable_days + 1 : t.unreachable_days;
        await tx
          .updateTable('campaign_task')
          .set({
            ...base,
            callback_at: d.callback === 1 ? (input.callbackAt ?? null) : t.callback_at,
            hidden_until: d.hide_days > 0 ? addDays(today, d.hide_days) : d.callback === 1 ? null : t.hidden_until,
            unreachable_days: unreachableDays,
            last_unreachable_on: d.unreachable === 1 ? today : t.last_unreachable_on,
          })
          .where('id', '=', t.id)
          .execute();
      }
      // The outcome hides the vehicle from the campaign, not just this task: the latest outcome decides.
      if (d.hide_days > 0) {
        const until = addDays(today, d.hide_days);
        await tx
          .insertInto('campaign_hide')
          .values({ campaign_id: t.campaign_id, subject_id: t.subject_id, dealer_id: dealerId, hidden_until: until, task_id: t.id, created_at: at, updated_at: at })
          .onConflict((oc) => oc.columns(['campaign_id', 'subject_id']).doUpdateSet({ hidden_until: until, task_id: t.id, updated_at: at }))
          .execute();
      } else if (d.reached === 1 || d.callback === 1) {
        // Reached, or asked to be called back: nothing to hide any more (as the task's own date is cleared).
        await tx.deleteFrom('campaign_hide').where('campaign_id', '=', t.campaign_id).where('subject_id', '=', t.subject_id).execute();
      }
      // After the task's own update, so this call's task is no longer open when the hook closes the car's open tasks.
      input.alsoInTransaction?.();
    });
    const after = await loadTask(dealerId, t.id);
    if (after.status === 'open' && after.unreachable_days >= deps.options.fallbackAfterDays) fell = await fallback(dealerId, t.id, today, at);
    return { status: (await loadTask(dealerId, t.id)).status, fallback: fell };
  }

  /** 回访 of a no-show: why did they not come? Reason from the configurable list, remark kept apart from the campaign remark. */
  async function recordFollowUp(input: { dealerId: string; taskId: string; staffId: string; now: Date; feedbackReason: string; followupRemark?: string | null }): Promise<void> {
    const t = await loadTask(input.dealerId, input.taskId);
    if (t.result !== 'no_show') throw new ServiceError('CONFLICT', { zh: '只有未来厂的任务需要回访', en: 'Only no-show tasks are followed up' });
    assertClaimable(t, input.staffId, input.now);
    if (!(await feedbackReasonExists(input.dealerId, input.feedbackReason))) throw fieldError('VALIDATION', 'feedbackReason', { zh: '反馈原因不存在', en: 'Unknown feedback reason' });
    const at = nowIso();
    await db
      .updateTable('campaign_task')
      .set({ feedback_reason: input.feedbackReason, followup_remark: input.followupRemark ?? t.followup_remark, followed_up_at: input.now.toISOString(), status: t.status === 'open' ? 'done' : t.status, claimed_by: null, claimed_at: null, updated_at: at })
      .where('id', '=', t.id)
      .execute();
  }

  async function close(dealerId: string, taskId: string, staffId: string, reason: string, remark?: string | null): Promise<void> {
    const ok = await db.selectFrom('campaign_reason').select('id').where('dealer_id', '=', dealerId).where('kind', '=', 'close').where('code', '=', reason).where('active', '=', 1).executeTakeFirst();
    if (!ok) throw fieldError('VALIDATION', 'reason', { zh: '请选择关闭原因', en: 'Choose a reason for closing' });
    const r = await db
      .updateTable('campaign_task')
      .set({ status: 'closed', close_reason: reason, ...(remark ? { campaign_remark: remark } : {}), claimed_by: null, worked_at: nowIso(), updated_at: nowIso() })
      .where('id', '=', taskId)
      .where('dealer_id', '=', dealerId)
      .where('status', '=', 'open')
      .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claimed_by', '=', staffId)]))
      .executeTakeFirst();
    if (r.numUpdatedRows === 0n) throw new ServiceError('CONFLICT', { zh: '任务不是未完成状态或正由他人处理', en: 'The task is not open or another agent has it' });
  }

  async function assign(dealerId: string, taskIds: readonly string[], staffId: string | null): Promise<number> {
    if (taskIds.length === 0) return 0;
    const r = await db.updateTable('campaign_task').set({ assigned_staff_id: staffId, updated_at: nowIso() }).where('dealer_id', '=', dealerId).where('id', 'in', [...taskIds]).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async function assignRoundRobin(dealerId: string, taskIds: readonly string[], staffIds: readonly string[]): Promise<number> {
    if (staffIds.length === 0) return 0;
    let n = 0;
    await db.transaction().execute(async (tx) => {
      for (const [i, id] of taskIds.entries()) {
        const r = await tx.updateTable('campaign_task').set({ assigned_staff_id: staffIds[i % staffIds.length] ?? null, updated_at: nowIso() }).where('dealer_id', '=', dealerId).where('id', '=', id).executeTakeFirst();
        n += Number(r.numUpdatedRows);
      }
    });
    return n;
  }

  /** Open, unassigned tasks go to the customer's responsible agent (the seed's 招揽对象角色). */
  async function assignByResponsible(dealerId: string, campaignId?: string): Promise<number> {
    const r = await sql`update campaign_task set assigned_staff_id = (select c.responsible_staff_id from customer c where c.id = campaign_task.customer_id), updated_at = ${nowIso()}
      where dealer_id = ${dealerId} and status = 'open' and assigned_staff_id is null ${campaignId ? sql`and campaign_id = ${campaignId}` : sql``}
        and exists (select 1 from customer c where c.id = campaign_task.customer_id and c.responsible_staff_id is not null)`.execute(db);
    return Number(r.numAffectedRows ?? 0n);
  }

  /** Claims and returns the first task of the seat's queue, skipping those another seat claimed meanwhile. */
  async function next(dealerId: string, staffId: string, today: string, now: Date, mode: QueueMode = 'work'): Promise<QueueItem | null> {
    for (const item of await queue(dealerId, staffId, today, now, mode, 20)) {
      if (await claim(dealerId, item.taskId, staffId, now)) return { ...item, claimedBy: staffId };
    }
    return null;
  }

  return { queue, claim, release, next, recordCall, recordFollowUp, close, assign, assignRoundRobin, assignByResponsible };
}

export type Work = ReturnType<typeof createWork>;
