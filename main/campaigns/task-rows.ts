/** The rows of the campaign task lists, read for a set of task ids. */
import { sql } from 'kysely';
import type { DbHandle } from '../../db/connection';
import type { CampaignTaskDto } from '../../preload/channels/campaigns';
import { daysBetween } from './dates';

type Db = DbHandle['db'];

/**
 * Full rows for the given tasks, in the given order, as every task list shows them (queue, worked, the
 * supervisor's list and its Excel): customer, car and its sales consultant, campaign, step, assignment,
 * a claim younger than 30 minutes, the live in-shop flag and the last call outcome.
 */
export async function taskRows(db: Db, dealerId: string, taskIds: readonly string[], today: string, now: Date): Promise<CampaignTaskDto[]> {
  if (taskIds.length === 0) return [];
  const rows = [];
  for (let i = 0; i < taskIds.length; i += 500) {
    const chunk = taskIds.slice(i, i + 500);
    rows.push(
      ...(await db
        .selectFrom('campaign_task as t')
        .innerJoin('customer as c', 'c.id', 't.customer_id')
        .innerJoin('campaign as cp', 'cp.id', 't.campaign_id')
        .leftJoin('vehicle as v', 'v.id', 't.vehicle_id')
        .leftJoin('staff as sa', 'sa.id', 't.assigned_staff_id')
        .leftJoin('staff as sc', 'sc.id', 't.claimed_by')
        .select([
          't.id', 't.customer_id', 't.vehicle_id', 't.due_on', 't.step_channel', 't.step_on', 't.callback_at', 't.status', 't.result',
          't.assigned_staff_id', 't.claimed_by', 't.claimed_at', 't.last_touch_on', 't.last_touch_channel', 't.will_come', 't.feedback_reason',
          't.close_reason', 't.campaign_remark', 't.followup_remark', 'c.name', 'c.mobile', 'v.plate', 'v.model', 'v.sales_consultant', 'cp.kind', 'cp.name_zh', 'cp.name_en',
          'sa.display_name as assigned_name', 'sc.display_name as claimed_name',
        ])
        .select(
          sql<number>`exists (select 1 from repair_order r where r.customer_id = t.customer_id and r.deleted_at is null
            and r.opened_on <= ${today} and (r.closed_on is null or r.closed_on >= ${today}))`.as('in_shop'),
        )
        .select(
          sql<string | null>`(select tc.disposition from campaign_touch tc where tc.task_id = t.id and tc.disposition is not null
            order by tc.occurred_at desc, tc.id desc limit 1)`.as('last_disposition'),
        )
        .where('t.dealer_id', '=', dealerId)
        .where('t.id', 'in', [...chunk])
        .execute()),
    );
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  const claimLimit = new Date(now.getTime() - 30 * 60_000).toISOString();
  return taskIds.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const claimed = r.claimed_by && (r.claimed_at ?? '') >= claimLimit ? r.claimed_by : null;
    return [
      {
        taskId: r.id,
        campaignKind: r.kind,
        campaignNameZh: r.name_zh,
        campaignNameEn: r.name_en,
        customerId: r.customer_id,
        customerName: r.name,
        mobile: r.mobile,
        vehicleId: r.vehicle_id,
        plate: r.plate,
        model: r.model,
        salesConsultant: r.sales_consultant,
        dueOn: r.due_on,
        stepChannel: r.step_channel,
        stepOn: r.step_on,
        overdueDays: r.status === 'open' && r.step_on !== null && r.step_on < today ? daysBetween(r.step_on, today) : 0,
        callbackAt: r.callback_at,
        status: r.status,
        result: r.result,
        assignedStaffId: r.assigned_staff_id,
        assignedName: r.assigned_name,
        claimedBy: claimed,
        claimedByName: claimed ? r.claimed_name : null,
        inShop: r.in_shop === 1,
        lastTouchOn: r.last_touch_on,
        lastTouchChannel: r.last_touch_channel,
        lastDisposition: r.last_disposition,
        willCome: r.will_come === null ? null : r.will_come === 1,
        feedbackReason: r.feedback_reason,
        closeReason: r.close_reason,
        campaignRemark: r.campaign_remark,
        followupRemark: r.followup_remark,
      },
    ];
  });
}
