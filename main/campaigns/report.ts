/**
 * Success-rate report data (招揽成功率): per campaign — target tasks (due in the period), reminded
 * (any letter, SMS or call made), reached by phone, came (from repair orders), came after a reminder
 * (visit credited to a touch within 90 days); per agent — calls, reached, visits credited to them.
 */
import { sql } from 'kysely';
import type { DbHandle } from '../../db/connection';

export interface CampaignReportRow {
  campaignId: string;
  kind: string;
  name: string;
  target: number;
  reminded: number;
  reached: number;
  came: number;
  cameAfterReminder: number;
  /** 提醒成功率 = reminded / target. */
  remindRate: number;
  /** came / target. */
  cameRate: number;
}

export interface AgentReportRow {
  staffId: string;
  name: string;
  calls: number;
  tasksCalled: number;
  reached: number;
  cameCredited: number;
  /** reached / tasksCalled. */
  reachRate: number;
}

const rate = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 1000) / 10);

export async function campaignReport(handle: DbHandle, dealerId: string, from: string, to: string): Promise<CampaignReportRow[]> {
  const r = await sql<{ id: string; kind: string; name_zh: string; target: number; reminded: number; reached: number; came: number; came_after: number }>`
    select cp.id, cp.kind, cp.name_zh,
      count(t.id) as target,
      count(t.last_touch_on) as reminded,
      sum(case when exists (select 1 from campaign_touch tc where tc.task_id = t.id and tc.reached = 1) then 1 else 0 end) as reached,
      sum(case when t.result = 'came' then 1 else 0 end) as came,
      sum(case when t.result = 'came' and t.credited_channel is not null then 1 else 0 end) as came_after
    from campaign cp
    left join campaign_task t on t.campaign_id = cp.id and t.due_on between ${from} and ${to}
    where cp.dealer_id = ${dealerId}
    group by cp.id order by cp.priority desc`.execute(handle.db);
  return r.rows.map((x) => ({
    campaignId: x.id,
    kind: x.kind,
    name: x.name_zh,
    target: x.target,
    reminded: x.reminded,
    reached: x.reached ?? 0,
    came: x.came ?? 0,
    cameAfterReminder: x.came_after ?? 0,
    remindRate: rate(x.reminded, x.target),
    cameRate: rate(x.came ?? 0, x.target),
  }));
}

export async function agentReport(handle: DbHandle, dealerId: string, from: string, to: string): Promise<AgentReportRow[]> {
  const r = await sql<{ staff_id: string; display_name: string; calls: number; tasks_called: number; reached: number; came: number }>`
    select s.id as staff_id, s.display_name,
      count(tc.id) as calls,
      count(distinct tc.task_id) as tasks_called,
      count(distinct case when tc.reached = 1 then tc.task_id end) as reached,
      (select count(*) from campaign_task t where t.credited_staff_id = s.id and t.result = 'came' and t.result_on between ${from} and ${to}) as came
    from staff s
    join campaign_touch tc on tc.staff_id = s.id and tc.channel in ('phone','reason_call') and tc.touch_on between ${from} and ${to}
    where s.dealer_id = ${dealerId}
    group by s.id order by s.display_name`.execute(handle.db);
  return r.rows.map((x) => ({
    staffId: x.staff_id,
    name: x.display_name,
    calls: x.calls,
    tasksCalled: x.tasks_called,
    reached: x.reached,
    cameCredited: x.came,
    reachRate: rate(x.reached, x.tasks_called),
  }));
}
