/**
 * A plain in-memory evaluator of query trees over fixture customers — the oracle the compiled SQL is
 * checked against. Written independently of main/query (dayjs for dates, no shared helpers) from the
 * documented semantics, so a shared mistake would have to be made twice.
 */
import dayjs from 'dayjs';
import type { QueryGroup, QueryRule } from '../../../main/query/tree';
import type { FxCustomer, FxRepair, FxVehicle } from './fixture';

type Json = unknown;
type Rule = QueryRule;
type Group = QueryGroup;
type Node = Rule | Group;

const isGroup = (n: Node): n is Group => 'rules' in n;
const VEHICLE_FIELDS = new Set(['vehicle.model', 'vehicle.purchasedHere', 'vehicle.purchaseDate', 'vehicle.mileage', 'vehicle.plate', 'vehicle.modelYear', 'vehicle.visits', 'vehicle.lastVisit']);
const TEXT_FIELDS = new Set(['customer.name', 'customer.city', 'customer.mobile', 'vehicle.model', 'vehicle.plate']);
const OUTBOUND = new Set(['call_out', 'sms_out', 'letter']);

const ro = (r: string | FxRepair): FxRepair => (typeof r === 'string' ? { on: r } : r);
const fmt = (d: dayjs.Dayjs) => d.format('YYYY-MM-DD');
const asList = (v: Json): Array<string | number> => {
  const raw = typeof v === 'string' ? v.split(',').map((s) => s.trim()) : (v as Array<string | number>);
  return raw.map((x) => (typeof x === 'string' && x !== '' && !Number.isNaN(Number(x)) && !/^\d{4}-/.test(x) ? Number(x) : x));
};
const lowerAscii = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

interface Window {
  kind: string;
  year?: number;
  offset?: number;
  amount?: number;
  unit?: dayjs.ManipulateType;
  from?: string;
  to?: string;
}

export class Oracle {
  constructor(private readonly today: string) {}

  private windowBounds(w: Window): [string | null, string | null] {
    const t = dayjs(this.today);
    switch (w.kind) {
      case 'year':
        return [`${w.year}-01-01`, `${w.year}-12-31`];
      case 'relYear': {
        const y = t.year() + (w.offset ?? 0);
        return [`${y}-01-01`, `${y}-12-31`];
      }
      case 'last':
        return [fmt(t.subtract(w.amount ?? 0, w.unit ?? 'day')), this.today];
      case 'between':
        return [w.from ?? null, w.to ?? null];
      default:
        return [null, null];
    }
  }

  private inBounds(d: string, [from, to]: [string | null, string | null]) {
    return (from === null || d >= from) && (to === null || d <= to);
  }

  /** A date operator on a possibly missing date. */
  private dateOp(d: string | null | undefined, op: string, v: Json): boolean {
    if (op === 'null') return d == null;
    if (op === 'notNull') return d != null;
    if (d == null) return false;
    const t = dayjs(this.today);
    const rel = v as { amount: number; unit: dayjs.ManipulateType };
    switch (op) {
      case 'olderThan':
        return d < fmt(t.subtract(rel.amount, rel.unit));
      case 'withinLast':
        return d >= fmt(t.subtract(rel.amount, rel.unit)) && d <= this.today;
      case 'inYear':
        return d.slice(0, 4) === String(Number(v));
      case 'inRelYear':
        return Number(d.slice(0, 4)) === t.year() + Number(v);
      case 'between': {
        const [a, b] = asList(v).map(String);
        return d >= (a ?? '') && d <= (b ?? '');
      }
      case '<':
        return d < String(v);
      case '>':
        return d > String(v);
      case '=':
        return d === String(v);
    }
    throw new Error(`oracle: date op ${op}`);
  }

  /** A scalar operator; `x` null/undefined means missing. Negations are exact complements. */
  private scalarOp(x: string | number | null | undefined, op: string, v: Json, text: boolean): boolean {
    const neg: Record<string, string> = { '!=': '=', notIn: 'in', notBetween: 'between', doesNotContain: 'contains', doesNotBeginWith: 'beginsWith' };
    const positive = neg[op];
    if (positive) return !this.scalarOp(x, positive, v, text);
    const missing = x == null || (text && x === '');
    if (op === 'null') return missing;
    if (op === 'notNull') return !missing;
    if (x == null) return false;
    const val = typeof x === 'number' ? Number(v) : String(v);
    switch (op) {
      case '=':
        return x === val;
      case '<':
        return x < val;
      case '<=':
        return x <= val;
      case '>':
        return x > val;
      case '>=':
        return x >= val;
      case 'contains':
        return lowerAscii(String(x)).includes(lowerAscii(String(v)));
      case 'beginsWith':
        return lowerAscii(String(x)).startsWith(lowerAscii(String(v)));
      case 'in':
        return asList(v).some((item) => item === x);
      case 'between': {
        const [a, b] = asList(v);
        return a !== undefined && b !== undefined && x >= a && x <= b;
      }
    }
    throw new Error(`oracle: op ${op}`);
  }

  private compare(n: number, op: string, k: number): boolean {
    return { '>=': n >= k, '>': n > k, '=': n === k, '!=': n !== k, '<': n < k, '<=': n <= k }[op] ?? false;
  }

  private repairRule(orders: FxRepair[], rule: Rule): boolean {
    const live = orders.filter((r) => !r.deleted);
    if (rule.field.endsWith('lastVisit')) {
      const last = live.map((r) => r.on).sort().at(-1);
      return this.dateOp(last, rule.operator, rule.value);
    }
    const v = rule.value as { window: Window; count?: number; yuan?: number; categories?: string[] };
    const bounds = this.windowBounds(v.window);
    const inWindow = live.filter((r) => this.inBounds(r.on, bounds) && (!v.categories || v.categories.includes(r.category ?? 'maintenance')));
    if (rule.field === 'repair.category') return (inWindow.length > 0) === (rule.operator === 'in');
    if (rule.field === 'repair.spend') {
      const fen = inWindow.reduce((s, r) => s + (r.fen ?? 50_000), 0);
      return this.compare(fen, rule.operator, Math.round((v.yuan ?? 0) * 100));
    }
    return this.compare(new Set(inWindow.map((r) => r.on)).size, rule.operator, v.count ?? 0);
  }

  private vehicleRule(v: FxVehicle, rule: Rule): boolean {
    switch (rule.field) {
      case 'vehicle.model':
        return this.scalarOp(v.model, rule.operator, rule.value, true);
      case 'vehicle.plate':
        return this.scalarOp(v.plate, rule.operator, rule.value, true);
      case 'vehicle.purchasedHere':
        return (v.here ?? false) === rule.value;
      case 'vehicle.purchaseDate':
        return this.dateOp(v.bought, rule.operator, rule.value);
      case 'vehicle.mileage':
        return this.scalarOp(v.mileage, rule.operator, rule.value, false);
      case 'vehicle.modelYear':
        return this.scalarOp(v.year, rule.operator, rule.value, false);
      default:
        return this.repairRule((v.ros ?? []).map(ro), rule);
    }
  }

  private contactRule(c: FxCustomer, rule: Rule): boolean {
    const local = (at: string) => dayjs(at).add(8, 'hour').toISOString().slice(0, 10);
    const events = c.contacts ?? [];
    if (rule.field === 'contact.lastOutbound') {
      const last = events.filter((e) => OUTBOUND.has(e.kind)).map((e) => e.at).sort().at(-1);
      return this.dateOp(last === undefined ? null : local(last), rule.operator, rule.value);
    }
    const v = rule.value as { window: Window; count: number; kinds?: string[] };
    const bounds = this.windowBounds(v.window);
    const n = events.filter((e) => this.inBounds(local(e.at), bounds) && (!v.kinds || v.kinds.includes(e.kind))).length;
    return this.compare(n, rule.operator, v.count);
  }

  private customerRule(c: FxCustomer, rule: Rule): boolean {
    switch (rule.field) {
      case 'customer.name':
        return this.scalarOp(c.name ?? c.key, rule.operator, rule.value, true);
      case 'customer.gender':
        return this.scalarOp(c.gender, rule.operator, rule.value, false);
      case 'customer.birthMonth':
        return this.scalarOp(c.birthday ? Number(c.birthday.slice(5, 7)) : null, rule.operator, rule.value, false);
      case 'customer.city':
        return this.scalarOp(c.city, rule.operator, rule.value, true);
      case 'customer.mobile':
        return this.scalarOp(c.mobile, rule.operator, rule.value, true);
      case 'customer.staff':
        return this.scalarOp(c.staffId, rule.operator, rule.value, false);
      case 'member.isMember':
        return (c.tier != null) === rule.value;
      case 'member.tier':
        return this.scalarOp(c.tier, rule.operator, rule.value, false);
      case 'member.since':
        return this.dateOp(c.memberSince, rule.operator, rule.value);
      case 'contact.count':
      case 'contact.lastOutbound':
        return this.contactRule(c, rule);
      default:
        return this.repairRule((c.vehicles ?? []).flatMap((v) => (v.ros ?? []).map(ro)), rule);
    }
  }

  /** Children that survive: enabled rules and non-empty enabled groups (react-querybuilder's export rule). */
  private live(group: Group): Node[] {
    return group.rules.filter((n) => !n.disabled && !n.muted && (!isGroup(n) || this.live(n).length > 0));
  }

  private group(c: FxCustomer, g: Group): boolean {
    const children = this.live(g);
    const vehicles = (c.vehicles ?? []).filter((v) => !v.deleted);
    const results: boolean[] = [];
    const sameVehicle: Rule[] = [];
    for (const child of children) {
      if (isGroup(child)) results.push(this.group(c, child));
      else if (!VEHICLE_FIELDS.has(child.field)) results.push(this.customerRule(c, child));
      else if (g.combinator === 'and') sameVehicle.push(child);
      else results.push(vehicles.some((v) => this.vehicleRule(v, child)));
    }
    if (sameVehicle.length > 0) results.push(vehicles.some((v) => sameVehicle.every((r) => this.vehicleRule(v, r))));
    const combined = results.length === 0 ? true : g.combinator === 'and' ? results.every(Boolean) : results.some(Boolean);
    return g.not ? !combined : combined;
  }

  /** Keys of the (non-deleted) customers the tree selects. */
  select(customers: FxCustomer[], tree: Group): string[] {
    return customers.filter((c) => !c.deleted && this.group(c, tree)).map((c) => c.key);
  }
}

export const isTextField = (id: string) => TEXT_FIELDS.has(id);
