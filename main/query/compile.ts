/**
 * Query tree → kysely. The result selects from `customer as c`, one row per customer, so lists are
 * distinct customers by construction; every condition on other tables is a subquery keyed on the
 * customer (or the vehicle), which SQLite answers from the 0001 indexes:
 *   vehicle conditions      → EXISTS over vehicle_customer (customer_id)
 *   repair history          → repair_order_customer (customer_id, opened_on, deleted_at) or
 *                             repair_order_vehicle (vehicle_id, opened_on, deleted_at) for "this vehicle's"
 *                             fields: covering for visit tests, so "no visit in a window" never reads a row
 *   contact history         → contact_event_customer (customer_id, occurred_at)
 * Every value is a bound parameter; identifiers come only from the catalog (never from the tree).
 *
 * Semantics (documented for users in the sentence renderer too):
 * - Vehicle rules directly inside one AND group describe the SAME vehicle: "车型 = 雅阁 且 在本店购买 且
 *   购车日期 早于 3 年前" means one Accord bought here over 3 years ago, not an Accord plus some other car
 *   bought here. Inside an OR group (or in different groups) each vehicle rule is about any vehicle.
 *   "Has no Accord" is NOT (车型 = 雅阁): negate a group.
 * - Repair fields in the repair group count the customer's repair orders over all vehicles; the
 *   vehicle group's "该车…" fields count that vehicle's orders and join the same-vehicle clause.
 * - A visit is a day with at least one repair order: two orders opened the same day are one visit.
 * - Negative operators (不等于, 不包含, 不属于, …) are exact complements: they also match missing values.
 * - Deleted customers, vehicles and repair orders are invisible.
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../db/schema';
import { OUTBOUND_KINDS, type FieldDef } from './catalog';
import { shift } from './dates';
import { NEGATIONS, type OperatorId } from './operators';
import { localDayStartUtc, resolveDateTest, resolveWindow, type DateBounds, type DateTest } from './resolve';
import type { RuleValue } from './rule-values';
import type { CheckedGroup, CheckedRule } from './tree';

export interface CompileOptions {
  dealerId: string;
  /** The calendar date relative dates count from ('YYYY-MM-DD', dealer's local date). */
  today: string;
  /** Dealer's offset from UTC for contact-event timestamps; China has no DST, so +480 all year. */
  utcOffsetMinutes?: number;
}

type Bool = Expression<SqlBool>;
type Ref = Expression<unknown>;

const TRUE: Bool = sql<SqlBool>`1`;

function and(list: Bool[]): Bool {
  if (list.length === 0) return TRUE;
  if (list.length === 1 && list[0]) return list[0];
  return sql<SqlBool>`(${sql.join(list, sql` and `)})`;
}
function or(list: Bool[]): Bool {
  if (list.length === 1 && list[0]) return list[0];
  return sql<SqlBool>`(${sql.join(list, sql` or `)})`;
}
function not(e: Bool): Bool {
  return sql<SqlBool>`not (${e})`;
}
/** The complement that treats NULL (unknown) as "does not match the positive". */
function complement(e: Bool): Bool {
  return sql<SqlBool>`not coalesce(${e}, 0)`;
}

const COMPARE = { '=': sql`=`, '<': sql`<`, '<=': sql`<=`, '>': sql`>`, '>=': sql`>=` } as const;
type Comparison = keyof typeof COMPARE;
function isComparison(op: OperatorId): op is Comparison {
  return Object.hasOwn(COMPARE, op);
}

function likePattern(text: string, prefixOnly: boolean): string {
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  return prefixOnly ? `${escaped}%` : `%${escaped}%`;
}

function dateTest(ref: Ref, test: DateTest): Bool {
  if ('before' in test) return sql<SqlBool>`${ref} < ${test.before}`;
  if ('after' in test) return sql<SqlBool>`${ref} > ${test.after}`;
  return boundsTest(ref, test.bounds);
}
function boundsTest(ref: Ref, b: DateBounds): Bool {
  const parts: Bool[] = [];
  if (b.from !== null) parts.push(sql<SqlBool>`${ref} >= ${b.from}`);
  if (b.to !== null) parts.push(sql<SqlBool>`${ref} <= ${b.to}`);
  return parts.length > 0 ? and(parts) : sql<SqlBool>`${ref} is not null`;
}

/** A positive operator applied to a column-like expression (scalar fields and the "last date" aggregates). */
function valueTest(ref: Ref, field: FieldDef, op: OperatorId, value: RuleValue, today: string): Bool {
  const negated = NEGATIONS[op];
  if (negated) return complement(valueTest(ref, field, negated, value, today));
  if (op === 'null') return field.type === 'text' ? sql<SqlBool>`(${ref} is null or ${ref} = '')` : sql<SqlBool>`${ref} is null`;
  if (op === 'notNull') return not(valueTest(ref, field, 'null', value, today));
  if (field.type === 'date') return dateTest(ref, resolveDateTest(op, value, today));
  if (value.kind === 'bool') return sql<SqlBool>`${ref} = ${value.v ? 1 : 0}`;
  if (value.kind === 'list') return sql<SqlBool>`${ref} in (${sql.join(value.v.map((v) => sql`${v}`))})`;
  if (value.kind === 'range') return sql<SqlBool>`${ref} between ${value.v[0]} and ${value.v[1]}`;
  if (value.kind !== 'scalar') throw new Error(`operator ${op} with a ${value.kind} value passed validation`);
  if (op === 'contains' || op === 'beginsWith') {
    return sql<SqlBool>`${ref} like ${likePattern(String(value.v), op === 'beginsWith')} escape '\\'`;
  }
  if (isComparison(op)) return sql<SqlBool>`${ref} ${COMPARE[op]} ${value.v}`;
  throw new Error(`operator ${op} has no SQL form for ${field.id}`);
}

// ---------- aggregates over history tables ----------

type Level = 'customer' | 'vehicle';

/**
 * The history tables, pinned to the index that answers a correlated lookup. Without ANALYZE statistics
 * SQLite may otherwise probe e.g. vehicle_model once per customer (scanning every Accord for each of
 * 100k customers); pinned, the cost is one index probe per candidate whatever the statistics say.
 */
const FROM = {
  repair: { customer: sql`repair_order r indexed by repair_order_customer`, vehicle: sql`repair_order r indexed by repair_order_vehicle` },
  vehicle: sql`vehicle v indexed by vehicle_customer`,
  contact: sql`contact_event e indexed by contact_event_customer`,
};

function repairWhere(level: Level, bounds: DateBounds, tags: string[] | null): Bool {
  const parts: Bool[] = [
    level === 'customer' ? sql<SqlBool>`r.customer_id = c.id` : sql<SqlBool>`r.vehicle_id = v.id`,
    sql<SqlBool>`r.deleted_at is null`,
  ];
  if (bounds.from !== null) parts.push(sql<SqlBool>`r.opened_on >= ${bounds.from}`);
  if (bounds.to !== null) parts.push(sql<SqlBool>`r.opened_on <= ${bounds.to}`);
  if (tags) parts.push(sql<SqlBool>`r.category in (${sql.join(tags.map((t) => sql`${t}`))})`);
  return and(parts);
}

function contactWhere(bounds: DateBounds, tags: readonly string[] | null, offset: number): Bool {
  const parts: Bool[] = [sql<SqlBool>`e.customer_id = c.id`];
  if (bounds.from !== null) parts.push(sql<SqlBool>`e.occurred_at >= ${localDayStartUtc(bounds.from, offset)}`);
  if (bounds.to !== null) parts.push(sql<SqlBool>`e.occurred_at < ${localDayStartUtc(shift(bounds.to, 1, 'day'), offset)}`);
  if (tags) parts.push(sql<SqlBool>`e.kind in (${sql.join(tags.map((t) => sql`${t}`))})`);
  return and(parts);
}

/**
 * A count condition, written so the common cases stop at the first matching row:
 * "≥ 1" is EXISTS, "= 0" is NOT EXISTS, and "<", "≤", "≠" are complements of "≥"/"=".
 */
function countTest(op: OperatorId, n: number, exists: Bool, count: Ref): Bool {
  const atLeast = (k: number): Bool => (k <= 0 ? TRUE : k === 1 ? exists : sql<SqlBool>`${count} >= ${k}`);
  const exactly = (k: number): Bool => (k === 0 ? not(exists) : sql<SqlBool>`${count} = ${k}`);
  switch (op) {
    case '>=':
      return atLeast(n);
    case '>':
      return atLeast(n + 1);
    case '<':
      return not(atLeast(n));
    case '<=':
      return not(atLeast(n + 1));
    case '=':
      return exactly(n);
    case '!=':
      return not(exactly(n));
    default:
      throw new Error(`count operator ${op} passed validation`);
  }
}

function aggregateTest(rule: CheckedRule, level: Level, opts: Required<CompileOptions>): Bool {
  const { field, operator: op, value } = rule;
  const source = field.source;
  if (source.kind === 'repair') {
    if (source.measure === 'last') {
      const last = sql`(select max(r.opened_on) from ${FROM.repair[level]} where ${repairWhere(level, { from: null, to: null }, null)})`;
      return valueTest(last, field, op, value, opts.today);
    }
    if (value.kind === 'tags') {
      const exists = sql<SqlBool>`exists (select 1 from ${FROM.repair[level]} where ${repairWhere(level, resolveWindow(value.window, opts.today), value.tags)})`;
      return op === 'notIn' ? not(exists) : exists;
    }
    if (value.kind !== 'agg') throw new Error(`${field.id} got a ${value.kind} value`);
    const where = repairWhere(level, resolveWindow(value.window, opts.today), value.tags);
    if (source.measure === 'spend') {
      const total = sql`coalesce((select sum(r.total_fen) from ${FROM.repair[level]} where ${where}), 0)`;
      if (op === '!=') return sql<SqlBool>`${total} <> ${value.n}`;
      if (isComparison(op)) return sql<SqlBool>`${total} ${COMPARE[op]} ${value.n}`;
      throw new Error(`money operator ${op} passed validation`);
    }
    const exists = sql<SqlBool>`exists (select 1 from ${FROM.repair[level]} where ${where})`;
    return countTest(op, value.n, exists, sql`(select count(distinct r.opened_on) from ${FROM.repair[level]} where ${where})`);
  }
  if (source.kind === 'contact') {
    if (source.measure === 'lastOutbound') {
      const modifier = `${opts.utcOffsetMinutes >= 0 ? '+' : ''}${opts.utcOffsetMinutes} minutes`;
      const kinds = sql.join(OUTBOUND_KINDS.map((k) => sql`${k}`));
      const last = sql`(select date(max(e.occurred_at), ${modifier}) from ${FROM.contact} where e.customer_id = c.id and e.kind in (${kinds}))`;
      return valueTest(last, field, op, value, opts.today);
    }
    if (value.kind !== 'agg') throw new Error(`${field.id} got a ${value.kind} value`);
    const where = contactWhere(resolveWindow(value.window, opts.today), value.tags, opts.utcOffsetMinutes);
    const exists = sql<SqlBool>`exists (select 1 from ${FROM.contact} where ${where})`;
    return countTest(op, value.n, exists, sql`(select count(*) from ${FROM.contact} where ${where})`);
  }
  throw new Error(`${field.id} is not an aggregate`);
}

// ---------- rules and groups ----------

function ruleTest(rule: CheckedRule, opts: Required<CompileOptions>): Bool {
  const { field, operator: op, value } = rule;
  const source = field.source;
  switch (source.kind) {
    case 'customerColumn':
      return valueTest(sql.ref(`c.${source.column}`), field, op, value, opts.today);
    case 'vehicleColumn':
      return valueTest(sql.ref(`v.${source.column}`), field, op, value, opts.today);
    case 'birthMonth':
      return valueTest(sql`cast(substr(c.birthday, 6, 2) as integer)`, field, op, value, opts.today);
    case 'isMember':
      return value.kind === 'bool' && value.v ? sql<SqlBool>`c.member_tier is not null` : sql<SqlBool>`c.member_tier is null`;
    case 'repair':
    case 'contact':
      return aggregateTest(rule, field.scope === 'vehicle' ? 'vehicle' : 'customer', opts);
  }
}

function hasVehicle(conditions: Bool[]): Bool {
  return sql<SqlBool>`exists (select 1 from ${FROM.vehicle} where v.customer_id = c.id and v.deleted_at is null and ${and(conditions)})`;
}

/**
 * Relative cost of a condition, so each group tests the customer row first, then one vehicle probe,
 * then history aggregates: AND stops at the first false, OR at the first true, so cheap tests first
 * spare most subqueries.
 */
function cost(child: CheckedRule | CheckedGroup): number {
  if (child.kind === 'group') return 3;
  const kind = child.field.source.kind;
  if (child.field.scope === 'vehicle') return kind === 'repair' ? 2 : 1;
  return kind === 'repair' || kind === 'contact' ? 2 : 0;
}

function groupTest(group: CheckedGroup, opts: Required<CompileOptions>): Bool {
  const parts: Array<{ cost: number; test: Bool }> = [];
  const sameVehicle: Array<{ cost: number; test: Bool }> = [];
  for (const child of group.children) {
    const part = { cost: cost(child), test: child.kind === 'group' ? groupTest(child, opts) : ruleTest(child, opts) };
    if (child.kind === 'rule' && child.field.scope === 'vehicle') {
      if (group.combinator === 'and') sameVehicle.push(part);
      else parts.push({ cost: part.cost, test: hasVehicle([part.test]) });
    } else {
      parts.push(part);
    }
  }
  const byCost = (list: Array<{ cost: number; test: Bool }>) => [...list].sort((a, b) => a.cost - b.cost).map((p) => p.test);
  if (sameVehicle.length > 0) parts.push({ cost: Math.max(...sameVehicle.map((p) => p.cost)), test: hasVehicle(byCost(sameVehicle)) });
  const tests = byCost(parts);
  const combined = tests.length === 0 ? TRUE : group.combinator === 'and' ? and(tests) : or(tests);
  return group.not ? complement(combined) : combined;
}

/** The WHERE condition of a checked tree, over `customer as c`. */
export function compileCondition(tree: CheckedGroup, options: CompileOptions): Bool {
  return groupTest(tree, { utcOffsetMinutes: 480, ...options });
}

/** Customers of the dealer (not deleted) matching the tree: select what you need from `c`. */
export function selectMatching(db: Kysely<Database>, tree: CheckedGroup, options: CompileOptions) {
  return db
    .selectFrom('customer as c')
    .where('c.dealer_id', '=', options.dealerId)
    .where('c.deleted_at', 'is', null)
    .where(compileCondition(tree, options));
}
