/**
 * Letter and card steps: the batch due today (turned-off customers skipped with the reason), one
 * print document per template, and "printed" which records the touch and moves each task on.
 */
import type { DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';
import type { PageSize } from '../../db/tables/campaigns';
import { renderDocument, type RenderedDocument } from '../templates';
import type { LoadedCampaign } from './config';
import { mergeValues, type DealerProfile } from './merge';
import type { Preferences } from './preferences';
import { addTouch, dueTasksQuery, nextStep } from './steps';

export interface LetterItem {
  taskId: string;
  campaignId: string;
  campaignKind: string;
  customerName: string;
  address: string | null;
  plate: string | null;
  dueOn: string;
  templateId: string | null;
}

export interface LetterDeps {
  handle: DbHandle;
  preferences: Preferences;
  dealer: (dealerId: string) => DealerProfile;
}

export function createLetters(deps: LetterDeps) {
  const { db } = deps.handle;

  async function due(dealerId: string, campaigns: readonly LoadedCampaign[], today: string, campaignId?: string) {
    const byId = new Map(campaigns.map((c) => [c.id, c]));
    let q = dueTasksQuery(db, dealerId, 'letter', today);
    if (campaignId) q = q.where('t.campaign_id', '=', campaignId);
    const rows = await q.orderBy('t.due_on').orderBy('t.id').execute();
    return rows.map((r) => ({ row: r, campaign: byId.get(r.campaign_id) }));
  }

  return {
    /** Letters to print today; tasks whose customer refuses letters (or has no address) are skipped and moved on. */
    async batch(dealerId: string, campaigns: readonly LoadedCampaign[], today: string, campaignId?: string): Promise<{ items: LetterItem[]; skipped: Record<string, number> }> {
      const items: LetterItem[] = [];
      const skipped: Record<string, number> = {};
      const at = nowIso();
      for (const { row, campaign } of await due(dealerId, campaigns, today, campaignId)) {
        if (!campaign) continue;
        const reason = !row.address?.trim() ? 'no_address' : !deps.preferences.allows(row.customer_id, row.vehicle_id, campaign.purpose, 'letter') ? 'letter_opt_out' : null;
        if (reason) {
          skipped[reason] = (skipped[reason] ?? 0) + 1;
          await db.transaction().execute(async (tx) => {
            await addTouch(tx, { dealerId, taskId: row.id, stepSeq: row.step_seq, channel: 'letter', today, staffId: null, skippedReason: reason });
            const after = row.fallback === 1 ? { status: 'closed' as const, close_reason: 'unreachable', step_channel: null, step_on: null } : nextStep(campaign, row.step_seq, row.due_on);
            await tx.updateTable('campaign_task').set({ ...after, updated_at: at }).where('id', '=', row.id).execute();
          });
          continue;
        }
        items.push({
          taskId: row.id,
          campaignId: campaign.id,
          campaignKind: campaign.kind,
          customerName: row.customer_name,
          address: row.address,
          plate: row.plate,
          dueOn: row.due_on,
          templateId: campaign.steps[row.step_seq]?.templateId ?? null,
        });
      }
      return { items, skipped };
    },

    /** One printable document for these tasks (all must share a template; the default letter otherwise), with its paper size. */
    async render(dealerId: string, taskIds: readonly string[], today: string): Promise<RenderedDocument & { page: PageSize }> {
      if (taskIds.length === 0) return { ...renderDocument({ body: '', page: 'A4', title: '', recipients: [] }), page: 'A4' };
      const rows = await db
        .selectFrom('campaign_task as t')
        .innerJoin('customer as c', 'c.id', 't.customer_id')
        .innerJoin('campaign as cp', 'cp.id', 't.campaign_id')
        .leftJoin('vehicle as v', 'v.id', 't.vehicle_id')
        .leftJoin('campaign_step as s', (j) => j.onRef('s.campaign_id', '=', 't.campaign_id').onRef('s.seq', '=', 't.step_seq'))
        .select(['t.id', 't.due_on', 't.gift', 'c.name as customer_name', 'c.gender', 'c.address', 'c.member_tier', 'v.plate', 'v.model', 'v.vin', 'v.mileage_km', 'cp.name_zh as campaign_name', 's.template_id'])
        .where('t.dealer_id', '=', dealerId)
        .where('t.id', 'in', [...taskIds])
        .execute();
      const order = new Map(taskIds.map((id, i) => [id, i]));
      rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
      const templateId = rows.find((r) => r.template_id)?.template_id ?? null;
      const template = await db
        .selectFrom('message_template')
        .select(['body', 'page', 'name'])
        .where('dealer_id', '=', dealerId)
        .where((eb) => (templateId ? eb('id', '=', templateId) : eb('code', '=', 'letter.reminder')))
        .executeTakeFirstOrThrow();
      const dealer = deps.dealer(dealerId);
      const page = template.page ?? 'A4';
      return { ...renderDocument({ body: template.body, page, title: template.name, recipients: rows.map((r) => mergeValues(r, dealer, today)) }), page };
    },

    /** Marks letters printed: a touch and a timeline 'letter' event per task, and the task moves on. */
    async markPrinted(dealerId: string, campaigns: readonly LoadedCampaign[], taskIds: readonly string[], staffId: string | null, today: string): Promise<number> {
      const byId = new Map(campaigns.map((c) => [c.id, c]));
      let n = 0;
      await db.transaction().execute(async (tx) => {
        const rows = await tx
          .selectFrom('campaign_task')
          .select(['id', 'campaign_id', 'customer_id', 'vehicle_id', 'step_seq', 'due_on', 'fallback'])
          .where('dealer_id', '=', dealerId)
          .where('id', 'in', taskIds.length ? [...taskIds] : [''])
          .where('status', '=', 'open')
          .where('step_channel', '=', 'letter')
          .execute();
        const at = nowIso();
        for (const r of rows) {
          const c = byId.get(r.campaign_id);
          if (!c) continue;
          await addTouch(tx, { dealerId, taskId: r.id, stepSeq: r.step_seq, channel: 'letter', today, staffId });
          await tx
            .insertInto('contact_event')
            .values({ id: newId(), dealer_id: dealerId, customer_id: r.customer_id, vehicle_id: r.vehicle_id, kind: 'letter', occurred_at: at, staff_id: staffId, summary: `${c.nameZh}：信件已寄出`, detail: JSON.stringify({ taskId: r.id, step: r.step_seq }), created_at: at })
            .execute();
          const after = r.fallback === 1 ? { status: 'closed' as const, close_reason: 'unreachable', step_channel: null, step_on: null } : nextStep(c, r.step_seq, r.due_on);
          await tx.updateTable('campaign_task').set({ ...after, last_touch_on: today, last_touch_channel: 'letter', last_touch_staff_id: staffId, updated_at: at }).where('id', '=', r.id).execute();
          n += 1;
        }
      });
      return n;
    },
  };
}
