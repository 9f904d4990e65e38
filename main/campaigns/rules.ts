/**
 * The due-date rule of each campaign kind, as one SELECT over the facts table (or customers / repair
 * orders). Every select yields the same columns: subject_id, vehicle_id, customer_id, cycle_key,
 * due_on, window_from, expire_on (null = due + expireAfterDays) and gift. The caller keeps the rows
 * whose due date puts today inside the campaign's window.
 */
import { sql, type RawBuilder } from 'kysely';
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

/** Due by months or by km (whichever comes first), never earlier than a month after the base visit. */
function dueByTimeOrKm(base: string, months: number, baseKm: string, km: number): string {
  const byTime = sqlAddMonths(base, int(months));
  const byKm = `date(julianday(ref_on) + (${baseKm} + ${int(km)} - ref_km) / km_per_day)`;
  return `(case when km_per_day > 0 and ${baseKm} is not null and ref_on is not null
      then min(${byTime}, max(${byKm}, date(${base}, '+30 days'))) else ${byTime} end)`;
}

function maintenance(p: CampaignParams<'maintenance'>): string {
  return `select vehicle_id as subject_id, vehicle_id, customer_id, last_service_on as cycle_key,
      ${dueByTimeOrKm('last_service_on', p.intervalMonths, 'last_service_km', p.intervalKm)} as due_on,
      date(last_service_on, '+1 day') as window_from, null as expire_on, null as gift
    from cg_fact where last_service_on is not null`;
}

function firstService(p: CampaignParams<'first_service'>): string {
  const byTime = sqlAddMonths('purchase_date', int(p.dueMonths));
  const byKm = `date(julianday(purchase_date) + ${int(p.dueKm)} / km_per_day)`;
  return `select vehicle_id as subject_id, vehicle_id, customer_id, purchase_date as cycle_key,
      (case when km_per_day > 0 then min(${byTime}, max(${byKm}, date(purchase_date, '+30 days'))) else ${byTime} end) as due_on,
      purchase_date as window_from, ${sqlAddMonths('purchase_date', int(p.lastMonths))} as expire_on, null as gift
    from cg_fact
    where purchase_date is not null and (last_service_on is null or last_service_on < purchase_date)
      ${p.purchasedHereOnly ? 'and purchased_here = 1' : ''}`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * The rule's SELECT. It is assembled from validated constants (an ISO date, a ULID, integers, enum
 * values, escaped gift texts): nothing a user typed reaches the SQL unchecked.
 */
export function candidateSelect(c: LoadedCampaign, ctx: RuleContext): RawBuilder<unknown> {
  if (!ISO_DATE.test(ctx.today) || !ULID.test(ctx.dealerId)) throw new RangeError('bad generation context');
  return sql.raw(ruleSql(c, ctx).replaceAll(':today', `'${ctx.today}'`));
}

function yearsAround(base: string, dueAlias = 'due_on'): string {
  // years since base for last year, this year and next year; the window filter keeps the one in range.
  const years = `(y.d + cast(strftime('%Y', :today) as integer) - cast(strftime('%Y', ${base}) as integer))`;
  return `${sqlAddMonths(base, `12 * ${years}`)} as ${dueAlias}, ${years} as years`;
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
  const around = `(select -1 as d union all select 0 union all select 1)`;
  switch (c.kind) {
    case 'maintenance':
      return maintenance(c.params as CampaignParams<'maintenance'>);
    case 'first_service':
      return firstService(c.params as CampaignParams<'first_service'>);
    case 'insurance_compulsory':
    case 'insurance_commercial': {
      const base = `coalesce(k.due_on, f.purchase_date)`;
      return `select subject_id, vehicle_id, customer_id, due_on as cycle_key, due_on, date(due_on, '-60 days') as window_from,
          null as expire_on, null as gift
        from (select f.vehicle_id as subject_id, f.vehicle_id, f.customer_id, k.due_on as known_on, ${yearsAround(base)}
              from cg_fact f
              left join vehicle_due_date k on k.vehicle_id = f.vehicle_id and k.kind = '${c.kind}'
              cross join ${around} y
              where ${base} is not null and ${monthDayWindow(base, ctx)})
        where years >= case when known_on is null then 1 else 0 end`;
    }
    case 'inspection': {
      const p = c.params as CampaignParams<'inspection'>;
      const ageNow = `((cast(strftime('%Y', :today) as integer) - cast(strftime('%Y', f.purchase_date) as integer)) * 12
        + cast(strftime('%m', :today) as integer) - cast(strftime('%m', f.purchase_date) as integer))`;
      const ahead = Math.ceil(ctx.leadDays / 28) + 1;
      const behind = Math.ceil(ctx.expireAfterDays / 28) + 1;
      const estimated = `select f.vehicle_id as subject_id, f.vehicle_id, f.customer_id,
            ${sqlAddMonths('f.purchase_date', 'a.age_months')} as due_on
          from cg_fact f
          join cg_inspection_age a on a.vehicle_class = '${p.vehicleClass.replaceAll("'", "''")}'
            and a.age_months between ${ageNow} - ${int(behind)} and ${ageNow} + ${int(ahead)}
          where f.purchase_date is not null
            and not exists (select 1 from vehicle_due_date k where k.vehicle_id = f.vehicle_id and k.kind = 'inspection')`;
      const known = `select f.vehicle_id, f.vehicle_id, f.customer_id, k.due_on
          from cg_fact f join vehicle_due_date k on k.vehicle_id = f.vehicle_id and k.kind = 'inspection'`;
      return `select subject_id, vehicle_id, customer_id, due_on as cycle_key, due_on, date(due_on, '-60 days') as window_from,
          null as expire_on, null as gift
        from (${estimated} union all ${known})`;
    }
    case 'birthday': {
      const p = c.params as CampaignParams<'birthday'>;
      const gift = (tier: string, text: string) => `when '${tier}' then '${text.replaceAll("'", "''")}'`;
      return `select id as subject_id, null as vehicle_id, id as customer_id, substr(due_on, 1, 4) as cycle_key, due_on,
          date(due_on, '-30 days') as window_from, null as expire_on,
          nullif(case member_tier ${gift('standard', p.gifts.standard)} ${gift('silver', p.gifts.silver)}
            ${gift('gold', p.gifts.gold)} ${gift('platinum', p.gifts.platinum)} else '${p.gifts.none.replaceAll("'", "''")}' end, '') as gift
        from (select c.id, c.member_tier, ${yearsAround('c.birthday')}
              from customer c cross join ${around} y
              where c.dealer_id = '${ctx.dealerId}' and c.deleted_at is null and c.birthday is not null
                and ${monthDayWindow('c.birthday', ctx)})
        where years >= 1`;
    }
    case 'purchase_thanks': {
      const p = c.params as CampaignParams<'purchase_thanks'>;
      return `select vehicle_id as subject_id, vehicle_id, customer_id, purchase_date as cycle_key,
          date(purchase_date, '+${int(p.afterDays)} days') as due_on, purchase_date as window_from, null as expire_on, null as gift
        from cg_fact where purchased_here = 1 and purchase_date is not null`;
    }
    case 'service_followup': {
      const p = c.params as CampaignParams<'service_followup'>;
      const cats = p.categories.map((x) => `'${x}'`).join(',');
      // Repair orders stay open a while: look back far enough that any RO closed inside the window is seen.
      const lookback = p.afterDays + p.expireAfterDays + 90;
      return `select ro.vehicle_id as subject_id, ro.vehicle_id, ro.customer_id, ro.id as cycle_key,
          date(ro.closed_on, '+${int(p.afterDays)} days') as due_on, ro.closed_on as window_from, null as expire_on, null as gift
        from repair_order ro
        join vehicle v on v.id = ro.vehicle_id and v.deleted_at is null
        join customer cu on cu.id = ro.customer_id and cu.deleted_at is null
        where ro.dealer_id = '${ctx.dealerId}' and ro.deleted_at is null and ro.closed_on is not null
          and ro.opened_on >= date(:today, '-${int(lookback)} days') and ro.category in (${cats})`;
    }
    case 'lapsed_first_service': {
      const p = c.params as CampaignParams<'lapsed_first_service'>;
      return `select vehicle_id as subject_id, vehicle_id, customer_id, purchase_date as cycle_key,
          ${sqlAddMonths('purchase_date', int(p.afterMonths))} as due_on, purchase_date as window_from, null as expire_on, null as gift
        from cg_fact
        where purchased_here = 1 and purchase_date is not null and (last_service_on is null or last_service_on < purchase_date)`;
    }
    case 'lapsed_basic':
    case 'lapsed_lost': {
      const p = c.params as CampaignParams<'lapsed_basic'> | CampaignParams<'lapsed_lost'>;
      const to = 'toMonths' in p ? sqlAddMonths('last_visit_on', int(p.toMonths)) : 'null';
      return `select vehicle_id as subject_id, vehicle_id, customer_id, last_visit_on as cycle_key,
          ${sqlAddMonths('last_visit_on', int(p.fromMonths))} as due_on, date(last_visit_on, '+1 day') as window_from,
          ${to} as expire_on, null as gift
        from cg_fact where last_visit_on is not null`;
    }
    case 'adhoc':
      // Made once from a query with all its tasks (main/query/make-campaign.ts); no rule adds to it later.
      return `select null as subject_id, null as vehicle_id, null as customer_id, null as cycle_key, null as due_on,
          null as window_from, null as expire_on, null as gift where 0`;
  }
}

export type { CampaignKind };
