/**
 * Results from repair orders. A qualifying visit inside a task's window makes it "came" (and closes an
 * open task as 来厂提前 / came early); the visit is credited to the last letter, SMS or call made within
 * the 90 days before it. Tasks with no visit by their settle date become no-shows, which feeds the
 * follow-up (回访) mode; open tasks past their expiry close as expired. All set-based.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { LoadedCampaign } from './config';

export const CREDIT_DAYS = 90;

export interface VisitFilter {
  vehicleId?: string;
}

export async function applyVisits(db: Kysely<Database>, campaigns: readonly LoadedCampaign[], today: string, at: string, filter: VisitFilter = {}): Promise<number> {
  let changed = 0;
  for (const c of campaigns) {
    const cats = c.params.visitCategories;
    if (cats.length === 0) continue;
    const vehicle = filter.vehicleId ? sql`and t.vehicle_id = ${filter.vehicleId}` : sql``;
    const touch = (col: string) => sql.raw(`(select tc.${col} from campaign_touch tc
        where tc.task_id = campaign_task.id and tc.skipped_reason is null
          and tc.touch_on <= substr(v.first, 1, 10) and tc.touch_on >= date(substr(v.first, 1, 10), '-${CREDIT_DAYS} days')
        order by tc.occurred_at desc, tc.id desc limit 1)`);
    const r = await sql`with v as (
        select t.id as task_id, min(r.opened_on || '|' || r.id) as first
        from campaign_task t
        join repair_order r on r.vehicle_id = t.vehicle_id and r.deleted_at is null
          and r.opened_on >= t.window_from and r.opened_on <= min(${today}, max(t.settle_on, t.expire_on))
          and r.category in (${sql.join(cats)})
        where t.campaign_id = ${c.id} and (t.result is null or t.result = 'no_show') and t.vehicle_id is not null ${vehicle}
        group by t.id)
      update campaign_task set result = 'came', result_on = substr(v.first, 1, 10), result_ro_id = substr(v.first, 12),
        credited_channel = ${touch('channel')}, credited_staff_id = ${touch('staff_id')},
        close_reason = case when status = 'open' then 'came_early' else close_reason end,
        status = case when status = 'open' then 'closed' else status end,
        claimed_by = null, updated_at = ${at}
      from v where v.task_id = campaign_task.id`.execute(db);
    changed += Number(r.numAffectedRows ?? 0n);
  }
  return changed;
}

export async function settleNoShows(db: Kysely<Database>, campaigns: readonly LoadedCampaign[], today: string, at: string): Promise<number> {
  const ids = campaigns.filter((c) => c.params.visitCategories.length > 0).map((c) => c.id);
  if (ids.length === 0) return 0;
  const r = await db
    .updateTable('campaign_task')
    .set((eb) => ({ result: 'no_show', result_on: eb.ref('settle_on'), updated_at: at }))
    .where('campaign_id', 'in', ids)
    .where('result', 'is', null)
    .where('settle_on', '<', today)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function expireTasks(db: Kysely<Database>, dealerId: string, today: string, at: string): Promise<number> {
  const r = await db
    .updateTable('campaign_task')
    .set({ status: 'closed', close_reason: 'expired', claimed_by: null, updated_at: at })
    .where('dealer_id', '=', dealerId)
    .where('status', '=', 'open')
    .where('expire_on', '<', today)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
