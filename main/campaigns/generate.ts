/**
 * Task generation for one `today`: set-based, idempotent, in one transaction. Candidates of every
 * enabled campaign land in a temp table, those already generated are dropped (the unique key
 * campaign × subject × cycle is the guarantee), turned-off or uncontactable ones are counted as
 * skipped with the reason, and the rest are inserted with their current step of the channel plan —
 * hidden while a call outcome hides the subject (the vehicle; the customer of a birthday) from that campaign.
 */
import { sql, type Kysely } from 'kysely';
import type { DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';
import type { Database } from '../../db/schema';
import type { CampaignKind } from '../../db/tables/campaigns';
import type { CampaignStep, LoadedCampaign } from './config';
import { candidateSelect } from './rules';

export type SkipReason = 'vehicle_sold' | 'turned_off' | 'vehicle_turned_off' | 'no_contact';

export interface CampaignGenerationStats {
  candidates: number;
  created: number;
  skipped: Partial<Record<SkipReason, number>>;
}

export interface GenerationResult {
  runId: string;
  today: string;
  created: number;
  ms: number;
  byCampaign: Partial<Record<CampaignKind, CampaignGenerationStats>>;
}

/** SQL CASE picking, per row, the latest step whose date has come (or the first step if none has). */
export function stepCase(steps: readonly CampaignStep[], today: string, pick: (s: CampaignStep) => string): string {
  const age = `(julianday('${today}') - julianday(due_on))`;
  const first = steps[0];
  if (!first) return 'null';
  const arms = [...steps].reverse().slice(0, -1).map((s) => `when ${age} >= ${s.offsetDays} then ${pick(s)}`);
  return arms.length ? `(case ${arms.join(' ')} else ${pick(first)} end)` : pick(first);
}

const leadDays = (c: LoadedCampaign) => Math.max(0, -(c.steps[0]?.offsetDays ?? 0));

async function buildInspectionAges(db: Kysely<Database>, dealerId: string): Promise<void> {
  await sql`drop table if exists temp.cg_inspection_age`.execute(db);
  await sql`create temp table cg_inspection_age (vehicle_class text not null, age_months integer not null, on_site integer not null)`.execute(db);
  const rules = await db.selectFrom('inspection_rule').selectAll().where('dealer_id', '=', dealerId).execute();
  const rows: Array<[string, number, number]> = [];
  for (const r of rules) for (let m = r.from_months; m <= r.to_months; m += r.every_months) rows.push([r.vehicle_class, m, r.on_site]);
  for (const [cls, m, onSite] of rows) {
    await sql`insert into cg_inspection_age values (${cls}, ${m}, ${onSite})`.execute(db);
  }
  await sql`create index temp.cg_inspection_age_ix on cg_inspection_age (vehicle_class, age_months)`.execute(db);
}

export async function generateTasks(handle: DbHandle, dealerId: string, today: string, campaigns: readonly LoadedCampaign[]): Promise<GenerationResult> {
  const started = performance.now();
  const startedAt = nowIso();
  const active = campaigns.filter((c) => c.enabled && c.steps.length > 0);
  const byCampaign: GenerationResult['byCampaign'] = {};
  let created = 0;

  await handle.db.transaction().execute(async (tx) => {
    await buildInspectionAges(tx, dealerId);
    await sql`drop table if exists temp.cg_cand`.execute(tx);
    await sql`create temp table cg_cand (
      campaign_id text not null, purpose text not null, subject_id text not null, vehicle_id text, customer_id text not null,
      cycle_key text not null, due_on text not null, window_from text not null, expire_on text, gift text, skip text)`.execute(tx);

    for (const c of active) {
      const lead = leadDays(c);
      const expire = c.params.expireAfterDays;
      // Rows whose window contains today: the first step has come and the task has not expired.
      await sql`insert into cg_cand (campaign_id, purpose, subject_id, vehicle_id, customer_id, cycle_key, due_on, window_from, expire_on, gift)
        select ${c.id}, ${c.purpose}, * from (${candidateSelect(c, { dealerId, today, leadDays: lead, expireAfterDays: expire })})`.execute(tx);
    }
    // Already generated (the idempotency key), or the owner is no longer a customer (vehicle facts do not track customers).
    await sql`delete from cg_cand where exists (select 1 from campaign_task t
        where t.campaign_id = cg_cand.campaign_id and t.subject_id = cg_cand.subject_id and t.cycle_key = cg_cand.cycle_key)
      or not exists (select 1 from customer c where c.id = cg_cand.customer_id and c.deleted_at is null)`.execute(tx);
    // A sold car is counted as sold first: that is the reason its reminders stop, whatever else is set.
    await sql`update cg_cand set skip = 'vehicle_sold' where vehicle_id is not null and exists (select 1 from contact_turnoff t
      where t.vehicle_id = cg_cand.vehicle_id and t.kind = 'sold')`.execute(tx);
    await sql`update cg_cand set skip = 'turned_off' where skip is null and exists (select 1 from contact_turnoff t
      where t.customer_id = cg_cand.customer_id and t.vehicle_id = '' and t.channel = 'any' and t.purpose in ('all', cg_cand.purpose))`.execute(tx);
    await sql`update cg_cand set skip = 'vehicle_turned_off' where skip is null and vehicle_id is not null and exists (select 1 from contact_turnoff t
      where t.customer_id = cg_cand.customer_id and t.vehicle_id = cg_cand.vehicle_id and t.channel = 'any' and t.purpose in ('all', cg_cand.purpose))`.execute(tx);
    await sql`update cg_cand set skip = 'no_contact' where skip is null and exists (select 1 from customer c
      where c.id = cg_cand.customer_id and c.mobile is null and c.phone2 is null and c.address is null)`.execute(tx);

    const at = nowIso();
    for (const c of active) {
      const steps = c.steps;
      const seq = stepCase(steps, today, (s) => String(s.seq));
      const channel = stepCase(steps, today, (s) => `'${s.channel}'`);
      const stepOn = stepCase(steps, today, (s) => `date(due_on, '${s.offsetDays >= 0 ? '+' : ''}${s.offsetDays} days')`);
      const r = await sql`insert into campaign_task (id, dealer_id, campaign_id, subject_id, vehicle_id, customer_id, cycle_key,
          due_on, window_from, settle_on, expire_on, status, step_seq, step_channel, step_on, fallback, gift, priority,
          unreachable_days, hidden_until, created_on, created_at, updated_at)
        select cg_new_id(), ${dealerId}, campaign_id, subject_id, vehicle_id, customer_id, cycle_key,
          due_on, window_from, date(due_on, ${`+${c.params.settleAfterDays} days`}), expire_on, 'open',
          ${sql.raw(seq)}, ${sql.raw(channel)}, ${sql.raw(stepOn)}, 0, gift, ${c.priority}, 0,
          (select h.hidden_until from campaign_hide h where h.campaign_id = cg_cand.campaign_id and h.subject_id = cg_cand.subject_id and h.hidden_until > ${today}),
          ${today}, ${at}, ${at}
        from cg_cand where campaign_id = ${c.id} and skip is null
        order by subject_id, cycle_key
        on conflict do nothing`.execute(tx);
      const n = Number(r.numAffectedRows ?? 0n);
      created += n;
      byCampaign[c.kind] = { candidates: 0, created: n, skipped: {} };
    }
    const counts = await sql<{ campaign_id: string; skip: SkipReason | null; n: number }>`
      select campaign_id, skip, count(*) as n from cg_cand group by campaign_id, skip`.execute(tx);
    for (const row of counts.rows) {
      const c = active.find((x) => x.id === row.campaign_id);
      const stats = c && byCampaign[c.kind];
      if (!stats) continue;
      stats.candidates += row.n;
      if (row.skip) stats.skipped[row.skip] = row.n;
    }
    await sql`drop table temp.cg_cand`.execute(tx);
  });

  const ms = Math.round(performance.now() - started);
  const runId = newId();
  await handle.db
    .insertInto('campaign_run')
    .values({ id: runId, dealer_id: dealerId, today, started_at: startedAt, finished_at: nowIso(), created, stats: JSON.stringify(byCampaign), ms })
    .execute();
  return { runId, today, created, ms, byCampaign };
}
