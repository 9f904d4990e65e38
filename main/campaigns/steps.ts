/**
 * Moving tasks through their channel plan. The step pointer of an open task names the step now due;
 * a step that is done (letter printed, SMS queued, call made) or skipped (opted out, no number) moves
 * it to the next one, and a later step whose date has come supersedes an undone earlier one.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';
import type { Database } from '../../db/schema';
import type { StepChannel } from '../../db/tables/campaigns';
import { parseTemplate, renderTokens, type MergeValues } from '../templates';
import type { LoadedCampaign } from './config';
import { addDays } from './dates';
import { stepCase } from './generate';
import { mergeValuesForCars, type DealerProfile } from './merge';
import type { Preferences } from './preferences';
import { campaignSmsKey, type SmsQueue } from './sms-queue';
import { OPEN } from './open-task';

export const MOBILE = /^1[3-9]\d{9}$/;

type Db = Kysely<Database> | Transaction<Database>;

/** The pointer after step `seq` is done: the next step, or past the end. */
export function nextStep(c: LoadedCampaign, seq: number, dueOn: string): { step_seq: number; step_channel: StepChannel | null; step_on: string | null } {
  const next = c.steps[seq + 1];
  if (!next) return { step_seq: c.steps.length, step_channel: null, step_on: null };
  return { step_seq: next.seq, step_channel: next.channel, step_on: addDays(dueOn, next.offsetDays) };
}

/** Jumps open tasks to the latest step whose date has come when an earlier one was never done. */
export async function supersedeSteps(db: Db, campaigns: readonly LoadedCampaign[], today: string, at: string): Promise<number> {
  let n = 0;
  for (const c of campaigns) {
    if (c.steps.length < 2) continue;
    const seq = stepCase(c.steps, today, (s) => String(s.seq));
    const channel = stepCase(c.steps, today, (s) => `'${s.channel}'`);
    const on = stepCase(c.steps, today, (s) => `date(due_on, '${s.offsetDays >= 0 ? '+' : ''}${s.offsetDays} days')`);
    const r = await sql`update campaign_task set step_seq = ${sql.raw(seq)}, step_channel = ${sql.raw(channel)}, step_on = ${sql.raw(on)}, updated_at = ${at}
      where campaign_id = ${c.id} and status = 'open' and fallback = 0 and step_seq < ${sql.raw(seq)}`.execute(db);
    n += Number(r.numAffectedRows ?? 0n);
  }
  return n;
}

export interface TouchInput {
  /** Given when something else refers to the touch (a queued SMS: campaign_sms.touch_id). */
  id?: string;
  dealerId: string;
  taskId: string;
  stepSeq: number;
  channel: StepChannel;
  today: string;
  staffId: string | null;
  disposition?: string | null;
  reached?: boolean;
  skippedReason?: string | null;
  /** The campaign_sms row an SMS touch went out with: dropping that message takes the touch back. */
  smsId?: string | null;
}

/** The campaign_touch row of a touch. */
function touchRow(t: TouchInput) {
  const now = nowIso();
  return {
    id: t.id ?? newId(),
    dealer_id: t.dealerId,
    task_id: t.taskId,
    step_seq: t.stepSeq,
    channel: t.channel,
    touch_on: t.today,
    occurred_at: now,
    staff_id: t.staffId,
    disposition: t.disposition ?? null,
    reached: t.reached ? 1 : 0,
    skipped_reason: t.skippedReason ?? null,
    sms_id: t.smsId ?? null,
    created_at: now,
  };
}

export async function addTouch(db: Db, t: TouchInput): Promise<void> {
  await db.insertInto('campaign_touch').values(touchRow(t)).execute();
}

/** addTouch as one prepared statement, for loops that write a touch per task (on the connection's open transaction). */
function touchWriter(sqlite: BetterSqlite3.Database): (t: TouchInput) => void {
  const columns = Object.keys(touchRow({ dealerId: '', taskId: '', stepSeq: 0, channel: 'sms', today: '', staffId: null }));
  const insert = sqlite.prepare(`insert into campaign_touch (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
  return (t) => insert.run(touchRow(t));
}

export function dueTasksQuery(db: Db, dealerId: string, channel: StepChannel, today: string) {
  return db
    .selectFrom('campaign_task as t')
    .innerJoin('customer as c', 'c.id', 't.customer_id')
    .innerJoin('campaign as cp', 'cp.id', 't.campaign_id')
    .leftJoin('vehicle as v', 'v.id', 't.vehicle_id')
    .select([
      't.id', 't.campaign_id', 't.customer_id', 't.vehicle_id', 't.step_seq', 't.due_on', 't.gift', 't.fallback',
      'c.name as customer_name', 'c.gender', 'c.address', 'c.member_tier', 'c.mobile',
      'v.plate', 'v.model', 'v.vin', 'v.mileage_km', 'cp.name_zh as campaign_name', 'cp.purpose',
    ])
    .where('t.dealer_id', '=', dealerId)
    .where('t.status', '=', OPEN)
    .where('t.step_channel', '=', channel)
    .where('t.step_on', '<=', today);
}

export interface SmsRunResult {
  /** SMS queued: one per customer and campaign, however many of their cars are due. */
  queued: number;
  /** Tasks whose SMS step was done by those SMS (each has its touch). */
  tasks: number;
  /** Tasks left on their step because an earlier run today already queued this campaign's SMS to the customer. */
  postponed: number;
  skipped: Record<string, number>;
}

export interface StepDeps {
  handle: DbHandle;
  smsQueue: SmsQueue;
  preferences: Preferences;
  dealer: (dealerId: string) => DealerProfile;
}

export { campaignSmsKey } from './sms-queue';

type DueRow = Awaited<ReturnType<ReturnType<typeof dueTasksQuery>['execute']>>[number];

/**
 * Queues every SMS step that is due (respecting opt-outs) and moves those tasks on, in one transaction.
 * Tasks are per vehicle; the SMS is per customer, campaign and day: the due tasks of one customer in one
 * campaign at the same step share one message (that step's template, 车牌 / 车辆列表 naming every car, the
 * first few when there are many) and each task records its own touch linked to that message, so per-task
 * reports stay right and a dropped message takes every one of them back. Cars of the customer at another
 * step of the campaign (an overdue car on its later step's text, a new car on the first) would need another
 * text: they keep their step for the next day's SMS, as do cars due after an earlier run today (or a
 * message held back to today) already texted the customer for this campaign. The most urgent step goes
 * first: the group of the car with the oldest due date. A task on its unreachable fallback (work.ts) is a
 * step of its own, with the follow-up template.
 */
export async function sendDueSms(deps: StepDeps, dealerId: string, campaigns: readonly LoadedCampaign[], today: string): Promise<SmsRunResult> {
  const { db } = deps.handle;
  const out: SmsRunResult = { queued: 0, tasks: 0, postponed: 0, skipped: {} };
  const byId = new Map(campaigns.map((c) => [c.id, c]));
  const templates = new Map(
    (await db.selectFrom('message_template').select(['id', 'code', 'body']).where('dealer_id', '=', dealerId).where('kind', '=', 'sms').execute()).map((t) => [t.id, t]),
  );
  const fallbackTemplate = [...templates.values()].find((t) => t.code === 'sms.followup');
  const tokensOf = new Map<string, ReturnType<typeof parseTemplate>['tokens']>();
  const tokens = (t: { id: string; body: string }) => tokensOf.get(t.id) ?? tokensOf.set(t.id, parseTemplate(t.body).tokens).get(t.id) ?? [];
  const dealer = deps.dealer(dealerId);
  await db.transaction().execute(async (tx) => {
    // Oldest due date first within a customer's campaign: that task's step, template and date lead the message.
    const rows = await dueTasksQuery(tx, dealerId, 'sms', today).orderBy('t.customer_id').orderBy('t.campaign_id').orderBy('t.due_on').orderBy('t.id').execute();
    const at = nowIso();

    // Tens of thousands of tasks can take their SMS step in one night (the day after a store's first
    // generation): the touch and the task's move are prepared statements, not queries built per task.
    const touch = touchWriter(deps.handle.sqlite);
    const moves = new Map<string, BetterSqlite3.Statement>();
    /** The task's step is done (or skipped): its touch, and the pointer moves on. */
    function stepDone(row: DueRow, c: LoadedCampaign, done: { skippedReason: string | null; smsId: string | null }): void {
      touch({ dealerId, taskId: row.id, stepSeq: row.step_seq, channel: 'sms', today, staffId: null, skippedReason: done.skippedReason, smsId: done.smsId });
      const set: Record<string, string | number | null> = { updated_at: at };
      for (const [k, v] of Object.entries(afterStep(row, c, done.skippedReason !== null))) if (v !== undefined) set[k] = v;
      if (!done.skippedReason) Object.assign(set, { last_touch_on: today, last_touch_channel: 'sms', last_touch_staff_id: null });
      // One statement per set of columns (a few: next step, letter fallback, closed; touched or not).
      const columns = Object.keys(set);
      const key = columns.join(',');
      let move = moves.get(key);
      if (!move) moves.set(key, (move = deps.handle.sqlite.prepare(`update campaign_task set ${columns.map((k) => `${k} = @${k}`).join(', ')} where id = @id`)));
      move.run({ ...set, id: row.id });
    }

    /**
     * Where the task goes after this step: its next step; after its unreachable fallback SMS, closed as
     * unreachable — or, when that SMS could not go (no longer allowed), the letter the fallback rule offers next.
     */
    function afterStep(row: DueRow, c: LoadedCampaign, skipped: boolean): Partial<Record<'step_seq' | 'step_channel' | 'step_on' | 'status' | 'close_reason', string | number | null>> {
      if (row.fallback !== 1) return nextStep(c, row.step_seq, row.due_on);
      if (skipped && row.address?.trim() && deps.preferences.allows(row.customer_id, row.vehicle_id, c.purpose, 'letter')) return { step_channel: 'letter' as const, step_on: today };
      return { status: 'closed' as const, close_reason: 'unreachable', step_channel: null, step_on: null };
    }

    interface Group {
      c: LoadedCampaign;
      /** The step the message is for; null for the unreachable fallback. */
      step: number | null;
      template: { id: string; body: string };
      rows: [DueRow, ...DueRow[]];
    }
    // Per customer and campaign, the steps in the order their first car came (the oldest due date first).
    const pairs = new Map<string, Map<string, Group>>();
    for (const row of rows) {
      const c = byId.get(row.campaign_id);
      if (!c) continue;
      const step = row.fallback === 1 ? null : row.step_seq;
      const stepTemplate = step === null ? undefined : c.steps[step]?.templateId;
      const template = (stepTemplate && templates.get(stepTemplate)) || fallbackTemplate;
      let skipped: string | null = null;
      if (!row.mobile?.trim()) skipped = 'no_mobile';
      else if (!MOBILE.test(row.mobile)) skipped = 'invalid_mobile';
      else if (!deps.preferences.allows(row.customer_id, row.vehicle_id, c.purpose, 'sms')) skipped = 'sms_opt_out';
      else if (!template) skipped = 'no_template';
      if (skipped || !template) {
        const reason = skipped ?? 'no_template';
        out.skipped[reason] = (out.skipped[reason] ?? 0) + 1;
        stepDone(row, c, { skippedReason: reason, smsId: null });
        continue;
      }
      const pairKey = `${row.customer_id}\u0000${row.campaign_id}`;
      let steps = pairs.get(pairKey);
      if (!steps) pairs.set(pairKey, (steps = new Map()));
      const stepKey = step === null ? 'fallback' : String(step);
      const group = steps.get(stepKey);
      if (group) group.rows.push(row);
      else steps.set(stepKey, { c, step, template, rows: [row] });
    }

    for (const steps of pairs.values()) {
      const [lead, ...waiting] = steps.values();
      // One SMS per customer, campaign and day: the other steps' cars are texted on a later day.
      for (const later of waiting) out.postponed += later.rows.length;
      if (!lead) continue;
      const { c, step, template, rows: group } = lead;
      const [first] = group;
      const mobile = first.mobile ?? '';
      const values: MergeValues = mergeValuesForCars(group, dealer, today);
      const text = renderTokens(tokens(template), values, false).text;
      const queued = deps.smsQueue.enqueue({
        dealerId,
        customerId: first.customer_id,
        mobile,
        text,
        purpose: c.purpose,
        dedupeKey: campaignSmsKey(c.id, first.customer_id, today),
        source: { kind: 'campaign', campaignId: c.id, step, taskIds: group.map((r) => r.id), vehicleIds: group.flatMap((r) => (r.vehicle_id ? [r.vehicle_id] : [])) },
        label: c.nameZh,
        vehicleId: group.length === 1 ? first.vehicle_id : null,
      });
      if (!queued.queued) {
        out.postponed += group.length;
        continue;
      }
      out.queued += 1;
      for (const row of group) {
        stepDone(row, c, { skippedReason: null, smsId: queued.id });
        out.tasks += 1;
      }
    }
  });
  return out;
}

/**
 * Call steps the customer refused: the car was sold, they turned phone contact off for the campaign's
 * purpose (or for everything), or there is no number to call. Such a step is skipped like an SMS to an
 * opted-out customer (a touch with the reason, the task moves to its next step), so it never waits in an
 * agent's queue and the supervisor sees how many were skipped and why. Returns the counts by reason.
 */
export async function skipRefusedCalls(db: Db, dealerId: string, campaigns: readonly LoadedCampaign[], today: string): Promise<Record<string, number>> {
  const byId = new Map(campaigns.map((c) => [c.id, c]));
  const out: Record<string, number> = {};
  await db.transaction().execute(async (tx) => {
    const refusal = (channel: string) => sql`exists (select 1 from contact_turnoff o where o.customer_id = t.customer_id
      and o.vehicle_id in ('', coalesce(t.vehicle_id, '')) and o.purpose in ('all', cp.purpose) and o.channel in ('any', ${channel}))`;
    const rows = await sql<{ id: string; campaign_id: string; step_seq: number; step_channel: 'phone' | 'reason_call'; due_on: string; fallback: number; reason: string | null }>`
      select t.id, t.campaign_id, t.step_seq, t.step_channel, t.due_on, t.fallback,
        case
          when t.vehicle_id is not null and exists (select 1 from contact_turnoff o where o.vehicle_id = t.vehicle_id and o.kind = 'sold') then 'vehicle_sold'
          when ${refusal('phone')} then 'phone_opt_out'
          when coalesce(trim(c.mobile), '') = '' and coalesce(trim(c.phone2), '') = '' then 'no_phone'
        end as reason
      from campaign_task t
      join customer c on c.id = t.customer_id
      join campaign cp on cp.id = t.campaign_id
      where t.dealer_id = ${dealerId} and t.status = 'open' and t.step_channel in ('phone', 'reason_call') and t.step_on <= ${today}
        and reason is not null`.execute(tx);
    const at = nowIso();
    for (const row of rows.rows) {
      const c = byId.get(row.campaign_id);
      if (!c || !row.reason) continue;
      out[row.reason] = (out[row.reason] ?? 0) + 1;
      await addTouch(tx, { dealerId, taskId: row.id, stepSeq: row.step_seq, channel: row.step_channel, today, staffId: null, skippedReason: row.reason });
      const after = row.fallback === 1 ? { status: 'closed' as const, close_reason: 'unreachable', step_channel: null, step_on: null } : nextStep(c, row.step_seq, row.due_on);
      await tx.updateTable('campaign_task').set({ ...after, claimed_by: null, callback_at: null, updated_at: at }).where('id', '=', row.id).execute();
    }
  });
  return out;
}
