import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { DEMO_CREDENTIALS, DEMO_DEALER, generateDemoDealer, type DemoSummary } from '../../../db/demo/generate';
import { isValidVin } from '../../../db/demo/vin';
import { migrateToLatest } from '../../../db/migrate';
import { verifyPassword } from '../../../main/auth/password';
import { mobileSchema, phoneSchema } from '../../../preload/contract';
import { tempDir } from '../../support/db';

const FAST = { N: 1024, r: 8, p: 1 };
const TODAY = '2026-03-01';
const CUSTOMERS = 600;

let scratch: ReturnType<typeof tempDir>;
let handle: DbHandle;
let summary: DemoSummary;
const progress: [number, number][] = [];

async function generate(file: string, seed: number): Promise<{ handle: DbHandle; summary: DemoSummary }> {
  const h = openDatabase(file);
  await migrateToLatest(h.db);
  const s = await generateDemoDealer(h, { customers: CUSTOMERS, seed, today: TODAY, passwordParams: FAST, onProgress: (d, t) => progress.push([d, t]) });
  return { handle: h, summary: s };
}

const all = <T>(sql: string) => handle.sqlite.prepare<[], T>(sql).all();
const one = <T>(sql: string) => handle.sqlite.prepare<[], T>(sql).get() as T;

/** Every table's rows in a stable order, password hashes aside (salted, so random by design). */
function dump(h: DbHandle): string {
  const tables = ['dealer', 'staff', 'customer', 'vehicle', 'repair_order', 'contact_event', 'sales_team', 'sales_team_agent', 'sales_team_consultant'];
  const parts = tables.map((t) => {
    const rows = h.sqlite.prepare(`select * from ${t} order by 1, 2, 3`).all();
    return JSON.stringify(rows, (key, value: unknown) => (key === 'password_hash' ? undefined : value));
  });
  parts.push(JSON.stringify(h.sqlite.prepare('select rowid, body from customer_search order by rowid').all()));
  return parts.join('\n');
}

beforeAll(async () => {
  scratch = tempDir();
  ({ handle, summary } = await generate(path.join(scratch.dir, 'a.sqlite'), 7));
});
afterAll(() => {
  handle.close();
  scratch.cleanup();
});

describe('demo dealer generator', () => {
  it('is deterministic for a seed and different for another', async () => {
    const again = await generate(path.join(scratch.dir, 'b.sqlite'), 7);
    const other = await generate(path.join(scratch.dir, 'c.sqlite'), 8);
    try {
      expect(again.summary).toEqual(summary);
      expect(dump(again.handle)).toEqual(dump(handle));
      expect(dump(other.handle)).not.toEqual(dump(handle));
    } finally {
      again.handle.close();
      other.handle.close();
    }
  });

  it('reports progress up to the total and counts that match the rows', () => {
    expect(progress.filter(([, t]) => t === CUSTOMERS).at(0)?.[0]).toBeGreaterThan(0);
    expect(progress).toContainEqual([CUSTOMERS, CUSTOMERS]);
    const counts = one<Record<string, number>>(`select
      (select count(*) from customer) customers, (select count(*) from vehicle) vehicles,
      (select count(*) from repair_order) repairOrders, (select count(*) from contact_event) contactEvents,
      (select count(*) from customer where member_tier is not null) members, (select count(*) from staff) staff`);
    expect(counts).toEqual({
      customers: summary.customers,
      vehicles: summary.vehicles,
      repairOrders: summary.repairOrders,
      contactEvents: summary.contactEvents,
      members: summary.members,
      staff: DEMO_CREDENTIALS.length,
    });
    expect(summary.customers).toBe(CUSTOMERS);
    expect(summary.vehicles / summary.customers).toBeGreaterThan(1.3);
    expect(summary.vehicles / summary.customers).toBeLessThan(1.8);
    expect(summary.repairOrders / summary.vehicles).toBeGreaterThan(5);
    expect(summary.repairOrders / summary.vehicles).toBeLessThan(8.5);
    expect(summary.members / summary.customers).toBeGreaterThan(0.12);
    expect(summary.members / summary.customers).toBeLessThan(0.28);
    expect(summary.contactEvents).toBeGreaterThan(CUSTOMERS / 5);
  });

  it('creates the Honda dealer and staff who can sign in with the published demo passwords', async () => {
    expect(one('select code, name, brand, city, phone, address, short_name from dealer')).toEqual({ ...DEMO_DEALER });
    const staff = all<{ username: string; role: string; display_name: string; password_hash: string }>(
      'select username, role, display_name, password_hash from staff order by username',
    );
    expect(staff.map((s) => [s.username, s.role])).toEqual(
      [...DEMO_CREDENTIALS].sort((a, b) => a.username.localeCompare(b.username)).map((a) => [a.username, a.role]),
    );
    for (const account of DEMO_CREDENTIALS) {
      const row = staff.find((s) => s.username === account.username);
      expect(await verifyPassword(account.password, row?.password_hash ?? '')).toBe(true);
      expect(await verifyPassword('wrong', row?.password_hash ?? '')).toBe(false);
    }
  });

  it('gives every vehicle a valid, unique VIN from GAC Honda or Dongfeng Honda and a unique Guangdong plate', () => {
    const vehicles = all<{ vin: string; plate: string; model: string; model_year: number; purchase_date: string }>(
      'select vin, plate, model, model_year, purchase_date from vehicle',
    );
    expect(vehicles.every((v) => isValidVin(v.vin))).toBe(true);
    expect(vehicles.every((v) => v.vin.startsWith('LHG') || v.vin.startsWith('LVH'))).toBe(true);
    expect(new Set(vehicles.map((v) => v.vin)).size).toBe(vehicles.length);
    expect(new Set(vehicles.map((v) => v.plate)).size).toBe(vehicles.length);
    const badPlates = vehicles.filter((v) => !/^粤[ABES]([A-HJ-NP-Z0-9]{5}|[DF]\d{5})$/.test(v.plate));
    expect(badPlates).toEqual([]);
    expect(new Set(vehicles.map((v) => v.model))).toContain('Accord');
    expect(vehicles.every((v) => v.purchase_date >= '2010-01-01' && v.purchase_date <= TODAY)).toBe(true);
    expect(vehicles.every((v) => v.model_year >= 2010 && v.model_year <= Number(v.purchase_date.slice(0, 4)))).toBe(true);
  });

  it('names the sales consultant of nearly every car sold here, in two teams served by agents and one in no team', () => {
    const byConsultant = all<{ consultant: string | null; here: number; n: number }>(
      'select sales_consultant consultant, purchased_here here, count(*) n from vehicle group by 1, 2 order by 1, 2',
    );
    expect(byConsultant.filter((r) => r.here === 0).map((r) => r.consultant)).toEqual([null]);
    const sold = byConsultant.filter((r) => r.here === 1);
    const consultants = sold.flatMap((r) => (r.consultant ? [r.consultant] : []));
    expect(consultants).toHaveLength(6);
    const soldHere = sold.reduce((s, r) => s + r.n, 0);
    expect((sold.find((r) => r.consultant === null)?.n ?? 0) / soldHere).toBeLessThan(0.1);
    const teams = all<{ name: string; consultants: string; agents: string }>(`select t.name,
        (select group_concat(consultant, ',') from (select consultant from sales_team_consultant where team_id = t.id order by consultant)) consultants,
        (select group_concat(username, ',') from (select s.username from sales_team_agent a join staff s on s.id = a.staff_id where a.team_id = t.id order by s.username)) agents
      from sales_team t order by t.name`);
    expect(teams.map((t) => [t.name, t.agents])).toEqual([['销售一组', 'agent1,agent2'], ['销售二组', 'agent3']]);
    const inTeams = teams.flatMap((t) => t.consultants.split(','));
    expect(inTeams.every((c) => consultants.includes(c))).toBe(true);
    expect(consultants.filter((c) => !inTeams.includes(c))).toHaveLength(1);
  });

  it('gives customers valid, unique mobiles, plausible birthdays and Pearl River Delta addresses', () => {
    const customers = all<{ name: string; gender: string; mobile: string | null; phone2: string | null; birthday: string | null; city: string }>(
      'select name, gender, mobile, phone2, birthday, city from customer',
    );
    const mobiles = customers.flatMap((c) => (c.mobile ? [c.mobile] : []));
    expect(mobiles.length).toBeGreaterThan(CUSTOMERS * 0.95);
    expect(mobiles.every((m) => mobileSchema.safeParse(m).data === m)).toBe(true);
    expect(new Set(mobiles).size).toBe(mobiles.length);
    expect(customers.every((c) => c.phone2 === null || phoneSchema.safeParse(c.phone2).data === c.phone2)).toBe(true);
    expect(customers.every((c) => /^\p{Script=Han}{2,4}$/u.test(c.name))).toBe(true);
    expect(customers.every((c) => c.birthday === null || (c.birthday >= '1950-01-01' && c.birthday <= '2004-12-31'))).toBe(true);
    const cities = new Map<string, number>();
    for (const c of customers) cities.set(c.city, (cities.get(c.city) ?? 0) + 1);
    expect([...cities.keys()].sort()).toEqual(['东莞', '佛山', '广州', '深圳']);
    expect((cities.get('广州') ?? 0) / customers.length).toBeGreaterThan(0.7);
    const surnames = new Map<string, number>();
    for (const c of customers) surnames.set(c.name.charAt(0), (surnames.get(c.name.charAt(0)) ?? 0) + 1);
    const top = [...surnames.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([s]) => s);
    expect(top.every((s) => '王李张刘陈'.includes(s))).toBe(true);
  });

  it('writes service histories whose dates and odometer readings only go up, with unique RO numbers', () => {
    const backwards = one<{ n: number }>(`select count(*) n from (
      select opened_on, mileage_km, lag(opened_on) over w prev_on, lag(mileage_km) over w prev_km
      from repair_order window w as (partition by vehicle_id order by opened_on, ro_no))
      where prev_on is not null and (opened_on <= prev_on or mileage_km <= prev_km)`);
    expect(backwards.n).toBe(0);
    const dup = one<{ n: number }>('select count(*) - count(distinct ro_no) n from repair_order');
    expect(dup.n).toBe(0);
    const ros = all<{ ro_no: string; opened_on: string; closed_on: string | null; total_fen: number; labor_fen: number; parts_fen: number }>(
      'select ro_no, opened_on, closed_on, total_fen, labor_fen, parts_fen from repair_order',
    );
    expect(ros.every((r) => r.ro_no.startsWith(`RO${r.opened_on.replaceAll('-', '')}`) && /^RO\d{12}$/.test(r.ro_no))).toBe(true);
    expect(ros.every((r) => r.total_fen === r.labor_fen + r.parts_fen && r.total_fen > 0 && r.opened_on <= TODAY)).toBe(true);
    expect(ros.every((r) => r.closed_on === null || r.closed_on >= r.opened_on)).toBe(true);
    const categories = all<{ category: string }>('select distinct category from repair_order order by 1').map((r) => r.category);
    expect(categories).toEqual(['accessory', 'bodywork', 'first_service', 'maintenance', 'repair', 'warranty']);
    // The first service of a car bought here comes 3–12 months after the sale.
    const late = one<{ n: number }>(`select count(*) n from repair_order r join vehicle v on v.id = r.vehicle_id
      where r.category = 'first_service' and (julianday(r.opened_on) - julianday(v.purchase_date) not between 90 and 365)`);
    expect(late.n).toBe(0);
    // The vehicle's recorded mileage is its latest reading.
    const stale = one<{ n: number }>(`select count(*) n from vehicle v where exists (select 1 from repair_order r
      where r.vehicle_id = v.id and r.mileage_km > v.mileage_km)`);
    expect(stale.n).toBe(0);
  });

  it('includes active, lapsed (12–24 months) and long-lapsed customers', () => {
    const buckets = one<{ active: number; lapsed: number; gone: number }>(`select
      sum(last >= '2025-03-01') active, sum(last < '2025-03-01' and last >= '2024-03-01') lapsed, sum(last < '2024-03-01') gone
      from (select max(opened_on) last from repair_order group by customer_id)`);
    expect(buckets.active).toBeGreaterThan(CUSTOMERS * 0.4);
    expect(buckets.lapsed).toBeGreaterThan(0);
    expect(buckets.gone).toBeGreaterThan(CUSTOMERS * 0.05);
  });

  it('leaves the search triggers exactly as the migrations made them and the index complete', async () => {
    const fresh = openDatabase(path.join(scratch.dir, 'fresh.sqlite'));
    await migrateToLatest(fresh.db);
    const triggers = (h: DbHandle) => h.sqlite.prepare(`select name, sql from sqlite_master where type = 'trigger' order by name`).all();
    expect(triggers(handle)).toEqual(triggers(fresh));
    fresh.close();

    const before = all<{ rowid: number; body: string }>('select rowid, body from customer_search order by rowid');
    expect(before).toHaveLength(CUSTOMERS);
    // Let the triggers themselves refresh every row: the bulk rebuild must have produced the same bodies.
    handle.sqlite.exec('update customer set name = name');
    expect(all('select rowid, body from customer_search order by rowid')).toEqual(before);
  });
});
