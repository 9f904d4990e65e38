/**
 * Success-rate report (招揽成功率) over a period of months, each part as period totals with one row per
 * month under them:
 *
 * - per campaign, for the tasks due in the month (the cohort): target, reminded (a letter printed, an SMS
 *   queued or a call made), 提醒成功率 = reminded / target, reached by phone, came (from repair orders),
 *   提醒后回厂数 (a visit credited to a reminder made within 90 days before it) and the came rate;
 * - per campaign, step and channel, for the same cohort: target = tasks that got to the step (it was
 *   carried out or skipped, or its date came and nobody worked it before the task expired or while it
 *   is still open), reminded = the step was carried out, and the visits credited to that step;
 * - per agent, by the month the calls were made: calls, tasks called (the agent's target), reached
 *   (the reminder got through), reach rate, and visits in the month credited to the agent's calls.
 */
import { sql } from 'kysely';
import type { DbHandle } from '../../db/connection';
import type { CampaignKind, StepChannel } from '../../db/tables/campaigns';
import { CREDIT_DAYS } from './results';

export interface CampaignReportRow {
  campaignId: string;
  kind: CampaignKind;
  nameZh: string;
  nameEn: string;
  /** 'YYYY-MM', or null for the whole period. */
  month: string | null;
  target: number;
  reminded: number;
  reached: number;
  came: number;
  cameAfterReminder: number;
  /** 提醒成功率 = reminded / target, in percent. */
  remindRate: number;
  /** came / target, in percent. */
  cameRate: number;
}

export interface StepReportRow {
  campaignId: string;
  kind: CampaignKind;
  nameZh: string;
  nameEn: string;
  /** Index in the campaign's channel plan (0 = first step). */
  stepSeq: number;
  channel: StepChannel;
  /** Days from the due date in the current plan, when that step still uses this channel. */
  offsetDays: number | null;
  month: string | null;
  target: number;
  reminded: number;
  remindRate: number;
  cameAfterReminder: number;
}

export interface AgentReportRow {
  staffId: string;
  name: string;
  month: string | null;
  calls: number;
  tasksCalled: number;
  reached: number;
  /** reached / tasksCalled, in percent. */
  reachRate: number;
  cameCredited: number;
}

export interface CampaignReport {
  campaigns: CampaignReportRow[];
  steps: StepReportRow[];
  agents: AgentReportRow[];
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export const rate = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 1000) / 10);

/** The first day of the month after `month`. */
function nextMonthStart(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** Sums month rows into one total row per key, placed before that key's months (months ascending). */
function withTotals<R extends { month: string | null }>(rows: R[], key: (r: R) => string, total: (rows: R[]) => R, order: string[]): R[] {
  const groups = new Map<string, R[]>();
  for (const r of rows) {
    const k = key(r);
    const list = groups.get(k);
    if (list) list.push(r);
    else groups.set(k, [r]);
  }
  const out: R[] = [];
  for (const k of order) {
    const list = (groups.get(k) ?? []).sort((a, b) => (a.month ?? '').localeCompare(b.month ?? ''));
    if (list.length === 0) continue;
    out.push(total(list), ...list);
  }
  return out;
}

const sum = <R>(rows: R[], f: (r: R) => number) => rows.reduce((n, r) => n + f(r), 0);

export async function campaignReport(handle: DbHandle, dealerId: string, fromMonth: string, toMonth: string, today: string): Promise<CampaignReport> {
  if (!MONTH.test(fromMonth) || !MONTH.test(toMonth) || fromMonth > toMonth) throw new RangeError('bad report period');
  const from = `${fromMonth}-01`;
  const until = nextMonthStart(toMonth);
  const { db } = handle;

  const campaigns = await db
    .selectFrom('campaign')
    .select(['id', 'kind', 'name_zh', 'name_en', 'priority', 'enabled'])
    .where('dealer_id', '=', dealerId)
    .orderBy('priority', 'desc')
    .orderBy('kind')
    .orderBy('created_at')
    .execute();
  const campaignOf = new Map(campaigns.map((c) => [c.id, c]));
  const named = (id: string) => {
    const c = campaignOf.get(id);
    return { campaignId: id, kind: c?.kind ?? 'adhoc', nameZh: c?.name_zh ?? '', nameEn: c?.name_en ?? '' };
  };

  // The cohort: tasks due in the period, with the month they are due in.
  const cohort = sql`select t.id, t.campaign_id, substr(t.due_on, 1, 7) as month, t.step_seq, t.step_channel, t.step_on, t.status,
      t.close_reason, t.result, t.result_on, t.credited_channel, t.last_touch_on
    from campaign_task t where t.dealer_id = ${dealerId} and t.due_on >= ${from} and t.due_on < ${until}`;

  const byMonth = await sql<{ campaign_id: string; month: string; target: number; reminded: number; reached: number; came: number; came_after: number }>`
    with cohort as (${cohort})
    select c.campaign_id, c.month, count(*) as target, count(c.last_touch_on) as reminded,
      sum(exists (select 1 from campaign_touch tc where tc.task_id = c.id and tc.reached = 1)) as reached,
      count(case when c.result = 'came' then 1 end) as came,
      count(case when c.result = 'came' and c.credited_channel is not null then 1 end) as came_after
    from cohort c group by c.campaign_id, c.month`.execute(db);

  const monthRows = byMonth.rows.map(
    (r): CampaignReportRow => ({
      ...named(r.campaign_id),
      month: r.month,
      target: r.target,
      reminded: r.reminded,
      reached: r.reached,
      came: r.came,
      cameAfterReminder: r.came_after,
      remindRate: rate(r.reminded, r.target),
      cameRate: rate(r.came, r.target),
    }),
  );
  const campaignTotal = (rows: CampaignReportRow[]): CampaignReportRow => {
    const first = rows[0];
    if (!first) throw new Error('no rows to total');
    const target = sum(rows, (r) => r.target);
    const reminded = sum(rows, (r) => r.reminded);
    const came = sum(rows, (r) => r.came);
    return {
      ...named(first.campaignId), month: null, target, reminded, reached: sum(rows, (r) => r.reached), came,
      cameAfterReminder: sum(rows, (r) => r.cameAfterReminder), remindRate: rate(reminded, target), cameRate: rate(came, target),
    };
  };
  // Every enabled built-in campaign shows, with zeros when nothing was due; others only when they had tasks.
  const empty = campaigns
    .filter((c) => c.enabled === 1 && c.kind !== 'adhoc' && !monthRows.some((r) => r.campaignId === c.id))
    .map((c): CampaignReportRow => ({ ...named(c.id), month: null, target: 0, reminded: 0, reached: 0, came: 0, cameAfterReminder: 0, remindRate: 0, cameRate: 0 }));
  const order = campaigns.map((c) => c.id);
  const campaignOut = [...withTotals(monthRows, (r) => r.campaignId, campaignTotal, order), ...empty].sort(
    (a, b) => order.indexOf(a.campaignId) - order.indexOf(b.campaignId),
  );

  // Steps: a task counts for a step it got to (a touch: carried out or skipped), or for the step it is left
  // on once that step's date came (still open, or expired unworked). A visit counts for the step of the
  // touch it was credited to: the last one carried out within CREDIT_DAYS before it, as results.ts credits.
  const steps = await sql<{ campaign_id: string; month: string; step_seq: number; channel: StepChannel; target: number; reminded: number; came_after: number }>`
    with cohort as (${cohort}),
    reached_step as (
      select c.id as task_id, c.campaign_id, c.month, tc.step_seq, tc.channel, max(tc.skipped_reason is null) as made
      from cohort c join campaign_touch tc on tc.task_id = c.id
      group by c.id, tc.step_seq, tc.channel
      union all
      select c.id, c.campaign_id, c.month, c.step_seq, c.step_channel, 0
      from cohort c
      where c.step_channel is not null and c.step_on <= ${today} and (c.status = 'open' or c.close_reason = 'expired')
        and not exists (select 1 from campaign_touch tc where tc.task_id = c.id and tc.step_seq = c.step_seq)),
    credited as (
      select c.id as task_id, (select tc.step_seq || '|' || tc.channel from campaign_touch tc
          where tc.task_id = c.id and tc.skipped_reason is null and tc.touch_on <= c.result_on
            and tc.touch_on >= date(c.result_on, ${`-${CREDIT_DAYS} days`})
          order by tc.occurred_at desc, tc.id desc limit 1) as step_key
      from cohort c where c.result = 'came' and c.credited_channel is not null)
    select s.campaign_id, s.month, s.step_seq, s.channel, count(*) as target, sum(s.made) as reminded,
      sum(cr.task_id is not null) as came_after
    from reached_step s
    left join credited cr on cr.task_id = s.task_id and cr.step_key = s.step_seq || '|' || s.channel
    group by s.campaign_id, s.month, s.step_seq, s.channel`.execute(db);
  const plan = await db.selectFrom('campaign_step').select(['campaign_id', 'seq', 'offset_days', 'channel']).where('dealer_id', '=', dealerId).execute();
  // Plans are ordered by offset when loaded (config.load): the step index is the position in that order.
  const planned = new Map<string, number>();
  for (const id of order) {
    const own = plan.filter((s) => s.campaign_id === id).sort((a, b) => a.offset_days - b.offset_days || a.seq - b.seq);
    own.forEach((s, i) => planned.set(`${id}|${i}|${s.channel}`, s.offset_days));
  }
  const stepMonthRows = steps.rows.map(
    (r): StepReportRow => ({
      ...named(r.campaign_id),
      stepSeq: r.step_seq,
      channel: r.channel,
      offsetDays: planned.get(`${r.campaign_id}|${r.step_seq}|${r.channel}`) ?? null,
      month: r.month,
      target: r.target,
      reminded: r.reminded,
      remindRate: rate(r.reminded, r.target),
      cameAfterReminder: r.came_after,
    }),
  );
  const stepKey = (r: StepReportRow) => `${r.campaignId}|${r.stepSeq}|${r.channel}`;
  const stepOrder = [...new Set(stepMonthRows.map(stepKey))].sort((a, b) => {
    const [ca = '', sa = '0', cha = ''] = a.split('|');
    const [cb = '', sb = '0', chb = ''] = b.split('|');
    return order.indexOf(ca) - order.indexOf(cb) || Number(sa) - Number(sb) || cha.localeCompare(chb);
  });
  const stepOut = withTotals(stepMonthRows, stepKey, (rows) => {
    const first = rows[0];
    if (!first) throw new Error('no rows to total');
    const target = sum(rows, (r) => r.target);
    const reminded = sum(rows, (r) => r.reminded);
    return { ...first, month: null, target, reminded, remindRate: rate(reminded, target), cameAfterReminder: sum(rows, (r) => r.cameAfterReminder) };
  }, stepOrder);

  // Agents, by the month of their calls; visits by the month they happened.
  const calls = await sql<{ staff_id: string; month: string; calls: number; tasks_called: number; reached: number }>`
    select tc.staff_id, substr(tc.touch_on, 1, 7) as month, count(*) as calls, count(distinct tc.task_id) as tasks_called,
      count(distinct case when tc.reached = 1 then tc.task_id end) as reached
    from campaign_touch tc
    where tc.dealer_id = ${dealerId} and tc.staff_id is not null and tc.channel in ('phone', 'reason_call')
      and tc.skipped_reason is null and tc.touch_on >= ${from} and tc.touch_on < ${until}
    group by tc.staff_id, month`.execute(db);
  const credits = await sql<{ staff_id: string; month: string; came: number }>`
    select t.credited_staff_id as staff_id, substr(t.result_on, 1, 7) as month, count(*) as came
    from campaign_task t
    where t.dealer_id = ${dealerId} and t.result = 'came' and t.credited_staff_id is not null
      and t.result_on >= ${from} and t.result_on < ${until}
    group by t.credited_staff_id, month`.execute(db);
  const staff = await db.selectFrom('staff').select(['id', 'display_name']).where('dealer_id', '=', dealerId).orderBy('display_name').execute();
  const agentMonths = new Map<string, AgentReportRow>();
  const agentRow = (staffId: string, month: string) => {
    const k = `${staffId}|${month}`;
    let row = agentMonths.get(k);
    if (!row) {
      row = { staffId, name: staff.find((s) => s.id === staffId)?.display_name ?? '', month, calls: 0, tasksCalled: 0, reached: 0, reachRate: 0, cameCredited: 0 };
      agentMonths.set(k, row);
    }
    return row;
  };
  for (const r of calls.rows) Object.assign(agentRow(r.staff_id, r.month), { calls: r.calls, tasksCalled: r.tasks_called, reached: r.reached, reachRate: rate(r.reached, r.tasks_called) });
  for (const r of credits.rows) agentRow(r.staff_id, r.month).cameCredited = r.came;
  // A task called in two months counts once in the period: the total's tasks are counted again over the period.
  const periodTasks = await sql<{ staff_id: string; tasks_called: number; reached: number }>`
    select tc.staff_id, count(distinct tc.task_id) as tasks_called, count(distinct case when tc.reached = 1 then tc.task_id end) as reached
    from campaign_touch tc
    where tc.dealer_id = ${dealerId} and tc.staff_id is not null and tc.channel in ('phone', 'reason_call')
      and tc.skipped_reason is null and tc.touch_on >= ${from} and tc.touch_on < ${until}
    group by tc.staff_id`.execute(db);
  const agentOut = withTotals(
    [...agentMonths.values()],
    (r) => r.staffId,
    (rows) => {
      const first = rows[0];
      if (!first) throw new Error('no rows to total');
      const period = periodTasks.rows.find((p) => p.staff_id === first.staffId);
      const tasksCalled = period?.tasks_called ?? 0;
      const reached = period?.reached ?? 0;
      return { ...first, month: null, calls: sum(rows, (r) => r.calls), tasksCalled, reached, reachRate: rate(reached, tasksCalled), cameCredited: sum(rows, (r) => r.cameCredited) };
    },
    staff.map((s) => s.id),
  );

  return { campaigns: campaignOut, steps: stepOut, agents: agentOut };
}
