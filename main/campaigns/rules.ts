/**
 * The due-date rule of each campaign kind, as one SELECT over the per-vehicle facts table (or customers
 * / repair orders). Every rule yields the same columns: subject_id, vehicle_id, customer_id, cycle_key,
 * due_on, window_from, expire_on (null = due + expireAfterDays) and gift; `candidateRows` says which
 * rows' due date puts today inside the campaign's window.
 *
 * Speed: a rule runs over ~150k vehicles. Each first narrows rows with a plain range test on a stored
 * date (a superset of the window, derived from bounds on month lengths: m months is 28m–31m days) so
 * the month arithmetic runs only on rows that can be due, and the window test reads due_on once.
 */
import type { CampaignKind } from '../../db/tables/campaigns';
import type { LoadedCampaign } from './config';
import { addDays, daysBetween, sqlAddMonths } from './dates';
import type { CampaignParams } from './params';

export interface RuleContext {
  dealerId: string;
  today: string;
  /** Days before the due date the first step happens (≥ 0): how early a task must exist. */
  leadDays: number;
  expireAfterDays: number;
}

const int = (n: number) => {
  if (!Number.isInteger(n)) throw new RangeError(`not an integer: ${n}`);
  return String(n);
};

/** Rules whose rows carry their own expiry date; every other rule expires expireAfterDays after due_on. */
const OWN_EXPIRY: ReadonlySet<CampaignKind> = new Set<CampaignKind>(['first_service', 'lapsed_first_service', 'lapsed_basic', 'lapsed_lost']);

/** `col` between two dates computed from today (inclusive): the cheap pre-filter of a rule. */
function dateRange(col: string, ctx: RuleContext, fromDays: number, toDays: number): string {
  return `${col} between '${addDays(ctx.today, Math.floor(fromDays))}' and '${addDays(ctx.today, Math.ceil(toDays))}'`;
}

/** Live vehicles of the dealer with their facts (kept by triggers, migration 0012). */
const facts = (ctx: RuleContext, alias = 'f') => `vehicle_fact ${alias} where ${alias}.dealer_id = '${ctx.dealerId}'`;

/**
 * Due by months or by km (whichever comes first), never earlier than a month after the base visit.
 * byTime appears once: when the km estimate does not apply, a far-future stand-in lets min() pick byTime.
 */
function dueByTimeOrKm(base: string, months: number, baseKm: string, km: number): string {
  const byTime = sqlAddMonths(base, int(months));
  const byKm = `date(julianday(ref_on) + (${baseKm} + ${int(km)} - ref_km) / km_per_day)`;
  return `min(${byTime}, case when km_per_day > 0 and ${baseKm} is not null and ref_on is not null
      then max(${byKm}, date(${base}, '+30 days')) else '9999-12-31' end)`;
}

function maintenance(p: CampaignParams<'maintenance'>, ctx: RuleContext): string {
  // due lies between base + 28 days and base + intervalMonths.
  return `select vehicle_id as subject_id, vehicle_id, customer_id, last_service_on as cycle_key,
      ${dueByTimeOrKm('last_service_on', p.intervalMonths, 'last_service_km', p.intervalKm)} as due_on,
      date(last_service_on, '+1 day') as window_from, null as expire_on, null as gift
    from ${facts(ctx)} and ${dateRange('last_service_on', ctx, -ctx.expireAfterDays - 31 * p.intervalMonths, ctx.leadDays - 28)}`;
}

function firstService(p: CampaignParams<'first_service'>, ctx: RuleContext): string {
  const byTime = sqlAddMonths('purchase_date', int(p.dueMonths));
  const byKm = `date(julianday(purchase_date) + ${int(p.dueKm)} / km_per_day)`;
  return `select vehicle_id as subject_id, vehicle_id, customer_id, purchase_date as cycle_key,
      min(${byTime}, case when km_per_day > 0 then max(${byKm}, date(purchase_date, '+30 days')) else '9999-12-31' end) as due_on,
      purchase_date as window_from, ${sqlAddMonths('purchase_date', int(p.lastMonths))} as expire_on, null as gift
    from ${facts(ctx)} and ${dateRange('purchase_date', ctx, -31 * p.lastMonths, ctx.leadDays - 28)}
      and (last_service_on is null or last_service_on < purchase_date)
      ${p.purchasedHereOnly ? 'and purchased_here = 1' : ''}`;
}

/**
 * A lapsing pool's task is due the day the vehicle enters the pool. A vehicle already in it when the
 * campaign was set up is due on the day its task is generated (today's work, not years overdue). The
 * set-up day is capped just past the window so a campaign made after `today` (a backdated run) cannot
 * pull in vehicles that have not entered yet. `entry` is the SQL date of entering the pool.
 */
function poolDue(entry: string, c: LoadedCampaign, ctx: RuleContext): string {
  if (!ISO_DATE.test(c.createdOn)) throw new RangeError('bad campaign set-up date');
  const cap = addDays(ctx.today, ctx.leadDays + 1);
  const since = c.createdOn < cap ? c.createdOn : cap;
  return `(case when ${entry} >= '${since}' then ${entry} else '${ctx.today}' end)`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** A rule's rows as the generation's INSERT … SELECT reads them (see candidateRows). */
export interface CandidateRows {
  /** The rule as a FROM item, alias `x`. */
  from: string;
  /** True for the rows whose window contains today (the first step has come, the task has not expired). */
  inWindow: string;
  /** The row's expiry date. */
  expireOn: string;
}

/**
 * The rule's rows, the test that keeps those whose window contains today and their expiry date. It is
 * assembled from validated constants (an ISO date, a ULID, integers, enum values, escaped gift texts):
 * nothing a user typed reaches the SQL unchecked. LIMIT -1 keeps the rule a co-routine of its own, so
 * its due_on (several date functions) is worked out once per row, not again in the window test and in
 * every column the caller derives from it.
 */
export function candidateRows(c: LoadedCampaign, ctx: RuleContext): CandidateRows {
  if (!ISO_DATE.test(ctx.today) || !ULID.test(ctx.dealerId)) throw new RangeError('bad generation context');
  const rule = ruleSql(c, ctx).replaceAll(':today', `'${ctx.today}'`);
  const last = addDays(ctx.today, ctx.leadDays);
  const own = OWN_EXPIRY.has(c.kind);
  // Without an own expiry, "not expired" is due + expireAfterDays ≥ today, i.e. a lower bound on due_on.
  return {
    from: `(${rule} limit -1) x`,
    inWindow: own ? `x.due_on <= '${last}' and x.expire_on >= '${ctx.today}'` : `x.due_on between '${addDays(ctx.today, -ctx.expireAfterDays)}' and '${last}'`,
    expireOn: own ? 'x.expire_on' : `date(x.due_on, '+${int(ctx.expireAfterDays)} days')`,
  };
}

/**
 * Which anniversary of `base` can fall in the window, as `years` since base (the due date is then
 * base + 12·years months). A window shorter than a year holds at most one: the first anniversary on or
 * after its first day, found from the month-day alone. Longer windows (a dealer's very long expiry) try
 * last, this and next year.
 */
function anniversaryYears(base: string, ctx: RuleContext): { years: string; join: string } {
  const lo = addDays(ctx.today, -ctx.expireAfterDays);
  const hi = addDays(ctx.today, ctx.leadDays);
  const baseYear = `cast(substr(${base}, 1, 4) as integer)`;
  if (daysBetween(lo, hi) < 360) {
    const year = Number(lo.slice(0, 4));
    return { years: `(case when substr(${base}, 6, 5) >= '${lo.slice(5)}' then ${year} else ${year + 1} end - ${baseYear})`, join: '' };
  }
  return {
    years: `(y.d + ${Number(ctx.today.slice(0, 4))} - ${baseYear})`,
    join: 'cross join (select -1 as d union all select 0 union all select 1) y',
  };
}

/**
 * A cheap superset filter for yearly dates: keeps rows whose month-day falls in the window (with a day
 * of slack each side, which also covers Feb 29 → Feb 28), so the month arithmetic runs on ~1/12 of rows.
 */
function monthDayWindow(col: string, ctx: RuleContext): string {
  const lo = addDays(ctx.today, -ctx.expireAfterDays - 1);
  const hi = addDays(ctx.today, ctx.leadDays + 1);
  if (daysBetween(lo, hi) >= 360) return '1';
  const md = `substr(${col}, 6, 5)`;
  const a = lo.slice(5);
  const b = hi.slice(5);
  return a <= b ? `${md} between '${a}' and '${b}'` : `(${md} >= '${a}' or ${md} <= '${b}')`;
}

function ruleSql(c: LoadedCampaign, ctx: RuleContext): string {
  switch (c.kind) {
    case 'maintenance':
      return maintenance(c.params as CampaignParams<'maintenance'>, ctx);
    case 'first_service':
      return firstService(c.params as CampaignParams<'first_service'>, ctx);
    case 'insurance_compulsory':
    case 'insurance_commercial': {
      // Estimated from the purchase anniversary unless the policy's real expiry is known.
      // `late` conditions come after the cheap month-day test, so they run on the few rows it keeps.
      const yearly = (base: string, tables: string, where: string, late: string, minYears: number) => {
        const a = anniversaryYears(base, ctx);
        // Each level is its own co-routine (LIMIT -1), so `years`, then `due_on`, is worked out once per row.
        return `select subject_id, vehicle_id, customer_id, due_on as cycle_key, due_on, date(due_on, '-60 days') as window_from,
            null as expire_on, null as gift
          from (select subject_id, vehicle_id, customer_id, ${sqlAddMonths('base', '12 * years')} as due_on
                from (select f.vehicle_id as subject_id, f.vehicle_id, f.customer_id, ${base} as base, ${a.years} as years
                      from ${tables} ${a.join}
                      where ${where} and ${monthDayWindow(base, ctx)} and ${late} limit -1)
                where years >= ${minYears} limit -1)`;
      };
      const estimated = yearly('f.purchase_date', 'vehicle_fact f', `f.dealer_id = '${ctx.dealerId}' and f.purchase_date is not null`,
        `not exists (select 1 from vehicle_due_date k where k.vehicle_id = f.vehicle_id and k.kind = '${c.kind}')`, 1);
      // CROSS JOIN keeps this order: the few known dates drive, not every vehicle.
      const known = yearly('k.due_on', 'vehicle_due_date k cross join vehicle_fact f on f.vehicle_id = k.vehicle_id',
        `k.kind = '${c.kind}' and f.dealer_id = '${ctx.dealerId}'`, '1', 0);
      return `${estimated} union all ${known}`;
    }
    case 'inspection': {
      const p = c.params as CampaignParams<'inspection'>;
      // A car purchased in month P (counted as year·12 + month) is `age` months old this month when
      // P = thisMonth − age; an inspection at age a can fall in the window for P within
      // [thisMonth − a − behind, thisMonth − a + ahead]. Those (purchase month, age) pairs are listed once
      // (MATERIALIZED: not flattened into the loop over cars), so each car costs one lookup of its purchase
      // month instead of working out its age.
      const thisMonth = Number(ctx.today.slice(0, 4)) * 12 + Number(ctx.today.slice(5, 7));
      const ahead = Math.ceil(ctx.leadDays / 28) + 1;
      const behind = Math.ceil(ctx.expireAfterDays / 28) + 1;
      const month = `(${thisMonth} - a.age_months + o.n - 1)`;
      const purchaseMonths = `with recursive o(n) as (select ${-int(behind)} union all select n + 1 from o where n < ${int(ahead)}),
          m(month, age_months) as materialized (select printf('%04d-%02d', ${month} / 12, ${month} % 12 + 1), a.age_months
            from cg_inspection_age a cross join o where a.vehicle_class = '${p.vehicleClass.replaceAll("'", "''")}')`;
      // CROSS JOIN keeps the cars as the outer loop; SQLite indexes the short list of months for the lookups.
      const estimated = `select f.vehicle_id as subject_id, f.vehicle_id, f.customer_id,
            ${sqlAddMonths('f.purchase_date', 'm.age_months')} as due_on
          from vehicle_fact f cross join m on m.month = substr(f.purchase_date, 1, 7)
          where f.dealer_id = '${ctx.dealerId}' and f.purchase_date is not null
            and not exists (select 1 from vehicle_due_date k where k.vehicle_id = f.vehicle_id and k.kind = 'inspection')`;
      const known = `select f.vehicle_id, f.vehicle_id, f.customer_id, k.due_on
          from vehicle_due_date k cross join vehicle_fact f on f.vehicle_id = k.vehicle_id
          where k.kind = 'inspection' and f.dealer_id = '${ctx.dealerId}'`;
      return `${purchaseMonths} select subject_id, vehicle_id, customer_id, due_on as cycle_key, due_on, date(due_on, '-60 days') as window_from,
          null as expire_on, null as gift
        from (${estimated} union all ${known})`;
    }
    case 'birthday': {
      const p = c.params as CampaignParams<'birthday'>;
      const gift = (tier: string, text: string) => `when '${tier}' then '${text.replaceAll("'", "''")}'`;
      const birthday = anniversaryYears('c.birthday', ctx);
      return `select id as subject_id, null as vehicle_id, id as customer_id, substr(due_on, 1, 4) as cycle_key, due_on,
          date(due_on, '-30 days') as window_from, null as expire_on,
          nullif(case member_tier ${gift('standard', p.gifts.standard)} ${gift('silver', p.gifts.silver)}
            ${gift('gold', p.gifts.gold)} ${gift('platinum', p.gifts.platinum)} else '${p.gifts.none.replaceAll("'", "''")}' end, '') as gift
        from (select id, member_tier, ${sqlAddMonths('birthday', '12 * years')} as due_on
              from (select c.id, c.member_tier, c.birthday, ${birthday.years} as years
                    from customer c ${birthday.join}
                    where c.dealer_id = '${ctx.dealerId}' and c.deleted_at is null and c.birthday is not null
                      and ${monthDayWindow('c.birthday', ctx)} limit -1)
              where years >= 1 limit -1)`;
    }
    case 'purchase_thanks': {
      const p = c.params as CampaignParams<'purchase_thanks'>;
      return `select vehicle_id as subject_id, vehicle_id, customer_id, purchase_date as cycle_key,
          date(purchase_date, '+${int(p.afterDays)} days') as due_on, purchase_date as window_from, null as expire_on, null as gift
        from ${facts(ctx)} and ${dateRange('purchase_date', ctx, -ctx.expireAfterDays - p.afterDays, ctx.leadDays - p.afterDays)}
          and purchased_here = 1`;
    }
    case 'service_followup': {
      const p = c.params as CampaignParams<'service_followup'>;
      const cats = p.categories.map((x) => `'${x}'`).join(',');
      // Repair orders stay open a while: look back far enough that any RO closed inside the window is seen.
      const lookback = p.afterDays + p.expireAfterDays + 90;
      return `select ro.vehicle_id as subject_id, ro.vehicle_id, ro.customer_id, ro.id as cycle_key,
          date(ro.closed_on, '+${int(p.afterDays)} days') as due_on, ro.closed_on as window_from, null as expire_on, null as gift
        from repair_order ro indexed by repair_order_closed
        join vehicle v on v.id = ro.vehicle_id and v.deleted_at is null
        where ${dateRange('ro.closed_on', ctx, -ctx.expireAfterDays - p.afterDays, ctx.leadDays - p.afterDays)}
          and ro.closed_on is not null and ro.deleted_at is null and ro.dealer_id = '${ctx.dealerId}'
          and ro.opened_on >= date(:today, '-${int(lookback)} days') and ro.category in (${cats})`;
    }
    case 'lapsed_first_service': {
      const p = c.params as CampaignParams<'lapsed_first_service'>;
      // The day of entering the pool, worked out once per row (its own co-routine) and read three times.
      return `select vehicle_id as subject_id, vehicle_id, customer_id, purchase_date as cycle_key,
          ${poolDue('entry', c, ctx)} as due_on, purchase_date as window_from, date(entry, '+${int(ctx.expireAfterDays)} days') as expire_on, null as gift
        from (select vehicle_id, customer_id, purchase_date, ${sqlAddMonths('purchase_date', int(p.afterMonths))} as entry
              from ${facts(ctx)} and ${dateRange('purchase_date', ctx, -ctx.expireAfterDays - 31 * p.afterMonths, ctx.leadDays - 28 * p.afterMonths)}
                and purchased_here = 1 and (last_service_on is null or last_service_on < purchase_date) limit -1)`;
    }
    case 'lapsed_basic':
    case 'lapsed_lost': {
      const p = c.params as CampaignParams<'lapsed_basic'> | CampaignParams<'lapsed_lost'>;
      // Out of the pool at last visit + toMonths (基础流失 becomes 流失客户), else expireAfterDays after entering.
      const bounded = 'toMonths' in p;
      const expire = bounded ? sqlAddMonths('last_visit_on', int(p.toMonths)) : `date(entry, '+${int(ctx.expireAfterDays)} days')`;
      const oldest = bounded ? -31 * p.toMonths : -ctx.expireAfterDays - 31 * p.fromMonths;
      return `select vehicle_id as subject_id, vehicle_id, customer_id, last_visit_on as cycle_key,
          ${poolDue('entry', c, ctx)} as due_on, date(last_visit_on, '+1 day') as window_from, ${expire} as expire_on, null as gift
        from (select vehicle_id, customer_id, last_visit_on, ${sqlAddMonths('last_visit_on', int(p.fromMonths))} as entry
              from ${facts(ctx)} and ${dateRange('last_visit_on', ctx, oldest, ctx.leadDays - 28 * p.fromMonths)} limit -1)`;
    }
    case 'adhoc':
      // Made once from a query with all its tasks (main/query/make-campaign.ts); no rule adds to it later.
      return `select null as subject_id, null as vehicle_id, null as customer_id, null as cycle_key, null as due_on,
          null as window_from, null as expire_on, null as gift where 0`;
  }
}

export type { CampaignKind };
