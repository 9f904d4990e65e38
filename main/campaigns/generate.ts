/**
 * Task generation for one `today`: set-based, idempotent, in one transaction. Each enabled campaign's
 * rule is one INSERT … SELECT straight into campaign_task: a candidate already generated (the unique
 * key campaign × subject × cycle is the guarantee) or whose owner is no longer a customer is dropped,
 * turned-off or uncontactable ones are counted as skipped with the reason, and the rest are inserted
 * with their current step of the channel plan, hidden while a call outcome hides the subject (the
 * vehicle, or the customer of a birthday) from that campaign.
 *
 * Speed (bench/campaigns.ts): a store's first generation writes its whole backlog (≈185k tasks on the
 * 100k-customer demo), so the write path counts as much as the rules; reruns write next to nothing.
 * - No staging table: a rule's rows go once, in the rule's own order (by subject), into the task table;
 *   a counting SQL function (cg_tally) tallies each row's outcome on the way.
 * - The rule runs as a co-routine of its own, so each row's due date is worked out once; rows generated
 *   before leave beside the window test, before the rest of their columns are worked out, and a
 *   campaign's first generation skips that lookup altogether (an INSERT that reads its own table makes
 *   SQLite stage every row in a temp table first).
 * - Ids come from one ULID sequence per run (db/ids idSequence), not a full ULID per row.
 * - Into an (almost) empty task table the plain secondary indexes are dropped and built again at the end.
 * - Foreign-key checks are off for the run: every key written comes from rows read in the same
 *   transaction (live vehicles from vehicle_fact, their owners — customer rows are referenced by
 *   vehicles and repair orders, so they exist — the campaign and the dealer), so the four parent lookups
 *   per row would only repeat what the SELECT ensured. The statements run synchronously while kysely's
 *   connection is held, so nothing else runs on the connection meanwhile; the property test checks
 *   foreign_key_check after every generation.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { DbHandle } from '../../db/connection';
import { idSequence, newId, nowIso } from '../../db/ids';
import type { CampaignKind } from '../../db/tables/campaigns';
import type { CampaignStep, LoadedCampaign } from './config';
import { addDays } from './dates';
import { candidateRows } from './rules';

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

/**
 * SQL CASE picking, per row, the latest step whose date has come (or the first step if none has). A step
 * has come when due_on + offset ≤ today, i.e. due_on ≤ today − offset: a plain comparison of date
 * strings against constants, so no date arithmetic runs per row and arm.
 */
export function stepCase(steps: readonly CampaignStep[], today: string, pick: (s: CampaignStep) => string): string {
  const first = steps[0];
  if (!first) return 'null';
  const arms = [...steps].reverse().slice(0, -1).map((s) => `when due_on <= '${addDays(today, -s.offsetDays)}' then ${pick(s)}`);
  return arms.length ? `(case ${arms.join(' ')} else ${pick(first)} end)` : pick(first);
}

const leadDays = (c: LoadedCampaign) => Math.max(0, -(c.steps[0]?.offsetDays ?? 0));

/** What became of one row of a rule: null = a task was written. */
type Outcome = SkipReason | 'gone' | null;
const OUTCOMES: ReadonlySet<unknown> = new Set<Outcome>(['vehicle_sold', 'turned_off', 'vehicle_turned_off', 'no_contact', 'gone']);
const isOutcome = (v: unknown): v is Exclude<Outcome, null> => OUTCOMES.has(v);

/** Receive the outcomes and make the ids of the statement that is running; set only inside the synchronous generation. */
let tallySink: ((outcome: Outcome) => void) | null = null;
let idSource: (() => string) | null = null;

/**
 * The SQL functions generation uses, registered once per connection: `cg_new_id()` makes a task's ULID
 * inside the INSERT … SELECT, `cg_tally(outcome)` counts a skipped row's reason and returns it, so one
 * statement both writes the tasks and says how many candidates were skipped and why.
 */
export function registerGenerationFunctions(sqlite: BetterSqlite3.Database): void {
  sqlite.function('cg_new_id', { deterministic: false }, () => (idSource ? idSource() : newId()));
  sqlite.function('cg_tally', { deterministic: false }, (outcome: unknown) => {
    const o: Outcome = isOutcome(outcome) ? outcome : null;
    tallySink?.(o);
    return o;
  });
}

/**
 * The few candidates whose outcome needs working out, listed once: customers who are deleted ('gone': not a
 * candidate at all), have no mobile, second number or address ('no_contact') or have any contact turned off
 * ('check'), and vehicles marked sold. Every other candidate — nearly all — goes to a task after two probes
 * of these small tables instead of four lookups in contact_turnoff. (Every candidate's customer exists:
 * vehicles and repair orders reference them.)
 */
function buildFlaggedSubjects(sqlite: BetterSqlite3.Database): void {
  sqlite.exec(`drop table if exists temp.cg_customer_state; drop table if exists temp.cg_sold_vehicle;
    create temp table cg_customer_state (customer_id text primary key, state text not null) without rowid;
    create temp table cg_sold_vehicle (vehicle_id text primary key) without rowid;
    insert into cg_customer_state select id, case when deleted_at is not null then 'gone' else 'no_contact' end from customer
      where deleted_at is not null or (mobile is null and phone2 is null and address is null);
    insert or ignore into cg_customer_state select customer_id, 'check' from contact_turnoff where channel = 'any';
    insert or ignore into cg_sold_vehicle select vehicle_id from contact_turnoff where kind = 'sold'`);
}

/** Below this many tasks in the store, generation rebuilds the secondary indexes instead of maintaining them. */
const BULK_BELOW = 1000;

/**
 * A store's first generation writes its whole backlog into an (almost) empty task table. Maintaining the
 * plain secondary indexes row by row costs a random B-tree insert each; dropping them and building them
 * again afterwards sorts each key once and writes packed pages. Unique indexes stay: they carry the
 * idempotency key. Returns the statements that restore the dropped indexes (none when the table is not small).
 */
function suspendTaskIndexes(sqlite: BetterSqlite3.Database): string[] {
  const n = sqlite.prepare<[number], number>('select count(*) from (select 1 from campaign_task limit ?)').pluck().get(BULK_BELOW) ?? 0;
  if (n >= BULK_BELOW) return [];
  const indexes = sqlite
    .prepare<[], { name: string; sql: string }>(
      `select m.name, m.sql from sqlite_master m join pragma_index_list('campaign_task') l on l.name = m.name
       where m.type = 'index' and m.sql is not null and l."unique" = 0`,
    )
    .all();
  for (const ix of indexes) sqlite.exec(`drop index "${ix.name.replaceAll('"', '""')}"`);
  return indexes.map((ix) => ix.sql);
}

function buildInspectionAges(sqlite: BetterSqlite3.Database, dealerId: string): void {
  sqlite.exec(`drop table if exists temp.cg_inspection_age;
    create temp table cg_inspection_age (vehicle_class text not null, age_months integer not null, on_site integer not null)`);
  const rules = sqlite
    .prepare<[string], { vehicle_class: string; from_months: number; to_months: number; every_months: number; on_site: number }>(
      'select vehicle_class, from_months, to_months, every_months, on_site from inspection_rule where dealer_id = ?',
    )
    .all(dealerId);
  const insert = sqlite.prepare<[string, number, number]>('insert into cg_inspection_age values (?, ?, ?)');
  for (const r of rules) for (let m = r.from_months; m <= r.to_months; m += r.every_months) insert.run(r.vehicle_class, m, r.on_site);
  sqlite.exec('create index temp.cg_inspection_age_ix on cg_inspection_age (vehicle_class, age_months)');
}

/**
 * The outcome of candidate row `x` (one not generated yet): owner gone (not a candidate), else the skip
 * reason, in the order they are reported (a sold car is counted as sold whatever else is set), else null.
 */
function outcomeSql(): string {
  const turnedOff = `case
      when x.vehicle_id is not null and exists (select 1 from contact_turnoff t where t.vehicle_id = x.vehicle_id and t.kind = 'sold') then 'vehicle_sold'
      when exists (select 1 from contact_turnoff t where t.customer_id = x.customer_id and t.vehicle_id = '' and t.channel = 'any' and t.purpose in ('all', @purpose)) then 'turned_off'
      when x.vehicle_id is not null and exists (select 1 from contact_turnoff t where t.customer_id = x.customer_id and t.vehicle_id = x.vehicle_id
        and t.channel = 'any' and t.purpose in ('all', @purpose)) then 'vehicle_turned_off' end`;
  // Only a flagged customer or a sold vehicle (buildFlaggedSubjects) can have an outcome; the simple CASE
  // evaluates the state lookup once.
  return `(case when x.customer_id in (select customer_id from cg_customer_state) or x.vehicle_id in (select vehicle_id from cg_sold_vehicle)
    then case (select k.state from cg_customer_state k where k.customer_id = x.customer_id)
      when 'gone' then 'gone' when 'no_contact' then coalesce(${turnedOff}, 'no_contact') else ${turnedOff} end end)`;
}

/** One campaign's INSERT … SELECT: its rule's rows, each tallied, the new ones written as tasks. */
function campaignInsertSql(c: LoadedCampaign, dealerId: string, today: string, generatedBefore: boolean, hides: boolean): string {
  const cand = candidateRows(c, { dealerId, today, leadDays: leadDays(c), expireAfterDays: c.params.expireAfterDays });
  // Rows generated before leave beside the window test, before the rest of their columns are worked out.
  const keep = generatedBefore
    ? `${cand.inWindow} and not exists (select 1 from campaign_task t where t.campaign_id = @campaign and t.subject_id = x.subject_id and t.cycle_key = x.cycle_key)`
    : cand.inWindow;
  const seq = stepCase(c.steps, today, (s) => String(s.seq));
  const channel = stepCase(c.steps, today, (s) => `'${s.channel}'`);
  const stepOn = stepCase(c.steps, today, (s) => `date(due_on, '${s.offsetDays >= 0 ? '+' : ''}${s.offsetDays} days')`);
  // A subject hidden from this campaign by a call outcome stays hidden in the new cycle's task.
  const hiddenUntil = hides
    ? '(select h.hidden_until from campaign_hide h where h.campaign_id = @campaign and h.subject_id = x.subject_id and h.hidden_until > @today)'
    : 'null';
  // Most rows go to a task and never call into JS: only a skipped (or gone) row's outcome is worked out
  // again and tallied. SQLite may test the WHERE terms in any order, so the tally repeats `keep` itself:
  // a row outside the window, or generated before, is never counted as skipped.
  const outcome = outcomeSql();
  return `insert into campaign_task (id, dealer_id, campaign_id, subject_id, vehicle_id, customer_id, cycle_key,
      due_on, window_from, settle_on, expire_on, status, step_seq, step_channel, step_on, fallback, gift, priority,
      unreachable_days, hidden_until, created_on, created_at, updated_at)
    select cg_new_id(), @dealer, @campaign, x.subject_id, x.vehicle_id, x.customer_id, x.cycle_key,
      x.due_on, x.window_from, date(x.due_on, @settle), ${cand.expireOn}, 'open', ${seq}, ${channel}, ${stepOn}, 0, x.gift, @priority,
      0, ${hiddenUntil}, @today, @at, @at
    from ${cand.from}
    where ${keep} and (${outcome} is null or cg_tally(case when ${keep} then ${outcome} end) is null)
    on conflict do nothing`;
}

export async function generateTasks(handle: DbHandle, dealerId: string, today: string, campaigns: readonly LoadedCampaign[]): Promise<GenerationResult> {
  const started = performance.now();
  const startedAt = nowIso();
  // In id order: the rows then reach the unique key (campaign, subject, cycle) in its own order.
  const active = campaigns.filter((c) => c.enabled && c.steps.length > 0).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byCampaign: GenerationResult['byCampaign'] = {};
  let created = 0;

  const run = (sqlite: BetterSqlite3.Database) => {
    buildInspectionAges(sqlite, dealerId);
    buildFlaggedSubjects(sqlite);
    const restore = suspendTaskIndexes(sqlite);
    const hidden = new Set(
      sqlite.prepare<[string, string], string>('select distinct campaign_id from campaign_hide where dealer_id = ? and hidden_until > ?').pluck().all(dealerId, today),
    );
    const generatedBefore = sqlite.prepare<[string], number>('select exists (select 1 from campaign_task where campaign_id = ?)').pluck();
    const at = nowIso();
    idSource = idSequence();
    try {
      for (const c of active) {
        // A campaign's first generation has nothing to be idempotent against: without the lookup the INSERT
        // does not read its own table, so SQLite streams the rows instead of staging them in a temp table first.
        const insert = sqlite.prepare(campaignInsertSql(c, dealerId, today, generatedBefore.get(c.id) === 1, hidden.has(c.id)));
        const stats: CampaignGenerationStats = { candidates: 0, created: 0, skipped: {} };
        tallySink = (o) => {
          if (o && o !== 'gone') stats.skipped[o] = (stats.skipped[o] ?? 0) + 1;
        };
        stats.created = insert.run({ dealer: dealerId, campaign: c.id, purpose: c.purpose, settle: `+${c.params.settleAfterDays} days`, priority: c.priority, today, at }).changes;
        tallySink = null;
        stats.candidates = stats.created + Object.values(stats.skipped).reduce((a, b) => a + b, 0);
        created += stats.created;
        byCampaign[c.kind] = stats;
      }
    } finally {
      tallySink = null;
      idSource = null;
    }
    for (const create of restore) sqlite.exec(create);
    sqlite.exec('drop table temp.cg_inspection_age; drop table temp.cg_customer_state; drop table temp.cg_sold_vehicle');
  };

  // Holding kysely's connection keeps its transactions out; the work itself is synchronous, so nothing
  // else runs on the connection while foreign-key checks are off.
  await handle.db.connection().execute(async () => {
    const { sqlite } = handle;
    // The pragma is a no-op inside a transaction (someone else's, left open): then the checks simply stay on.
    const fkOff = sqlite.pragma('foreign_keys', { simple: true }) === 1 && !sqlite.inTransaction;
    if (fkOff) sqlite.pragma('foreign_keys = OFF');
    // A first generation dirties more pages (≈110 MB on the demo) than the 64 MiB cache holds; spilling them
    // to the WAL mid-transaction writes and re-reads pages the index rebuild and commit need again. The
    // cache grows past its size for this one transaction instead and shrinks back once it commits.
    const spill = sqlite.pragma('cache_spill', { simple: true });
    sqlite.pragma('cache_spill = false');
    try {
      sqlite.transaction(run).immediate(sqlite);
    } finally {
      sqlite.pragma(`cache_spill = ${Number(spill)}`);
      if (fkOff) sqlite.pragma('foreign_keys = ON');
    }
  });

  const ms = Math.round(performance.now() - started);
  const runId = newId();
  await handle.db
    .insertInto('campaign_run')
    .values({ id: runId, dealer_id: dealerId, today, started_at: startedAt, finished_at: nowIso(), created, stats: JSON.stringify(byCampaign), ms })
    .execute();
  return { runId, today, created, ms, byCampaign };
}
