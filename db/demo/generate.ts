/**
 * The demo dealer: a Guangzhou Honda 4S store with staff, customers, vehicles, service histories and a
 * contact timeline, and the sales consultants and teams campaigns assign by, generated deterministically
 * from a seed into an already-migrated store. Rows are
 * written through prepared statements in batched transactions with the search and vehicle-facts
 * triggers suspended; the search index and the vehicle facts are rebuilt once at the end.
 */
import { hashPassword } from '../../main/auth/password';
import type { DbHandle } from '../connection';
import type { MemberTier } from '../schema';
import { contactHistory, type Visit } from './contacts';
import { DEMO_CREDENTIALS, DEMO_DEALER } from './credentials';
import { dayToIso, dayToMs, fromDay, toDay } from './dates';
import { DemoIds } from './ids';
import { address, birthday, CITIES, landline, personName, pickCity, uniqueMobile } from './people';
import { Random, Weighted } from './random';
import { consultantFor, DEMO_SALES_TEAMS } from './sales';
import { suspendSearchIndex } from './search-index';
import { RoNumbers, serviceHistory } from './service-history';
import { suspendVehicleFacts } from './vehicle-facts';
import { COLORS, pickModel, uniquePlate, VinIssuer } from './vehicles';
import { prepareInsert } from './writer';

export { DEMO_CREDENTIALS, DEMO_DEALER } from './credentials';

export interface DemoOptions {
  customers: number;
  seed?: number;
  /** The generation's "today" (YYYY-MM-DD); histories end there. Defaults to the current UTC date. */
  today?: string;
  onProgress?: (done: number, total: number) => void;
  /** scrypt parameters for the demo passwords; tests pass cheap ones. */
  passwordParams?: { N: number; r: number; p: number };
}

export interface DemoSummary {
  dealerId: string;
  seed: number;
  today: string;
  staff: number;
  customers: number;
  vehicles: number;
  repairOrders: number;
  contactEvents: number;
  members: number;
}

const BATCH = 1000;
const FIRST_PURCHASE = toDay('2010-01-01');
const VEHICLES_PER_CUSTOMER = new Weighted<number>([[1, 52], [2, 33], [3, 11], [4, 4]]);
const TIERS = new Weighted<MemberTier>([['standard', 45], ['silver', 30], ['gold', 18], ['platinum', 7]]);

export async function generateDemoDealer(handle: DbHandle, opts: DemoOptions): Promise<DemoSummary> {
  const seed = opts.seed ?? 42;
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const todayDay = toDay(today);
  const rng = new Random(seed);
  const ids = new DemoIds(dayToMs(todayDay), seed);
  const stamp = dayToIso(todayDay);

  const insert = {
    dealer: prepareInsert(handle, 'dealer', ['id', 'code', 'name', 'brand', 'city', 'phone', 'address', 'short_name', 'created_at', 'updated_at']),
    staff: prepareInsert(handle, 'staff', ['id', 'dealer_id', 'username', 'display_name', 'role', 'password_hash', 'active', 'created_at', 'updated_at']),
    customer: prepareInsert(handle, 'customer', [
      'id', 'dealer_id', 'dms_id', 'name', 'gender', 'mobile', 'phone2', 'birthday', 'city', 'address', 'member_tier',
      'member_no', 'member_since', 'responsible_staff_id', 'version', 'created_at', 'updated_at', 'deleted_at',
    ]),
    vehicle: prepareInsert(handle, 'vehicle', [
      'id', 'dealer_id', 'customer_id', 'dms_id', 'vin', 'plate', 'model', 'model_year', 'color', 'purchase_date',
      'purchased_here', 'mileage_km', 'mileage_date', 'sales_consultant', 'created_at', 'updated_at', 'deleted_at',
    ]),
    repairOrder: prepareInsert(handle, 'repair_order', [
      'id', 'dealer_id', 'vehicle_id', 'customer_id', 'dms_id', 'ro_no', 'opened_on', 'closed_on', 'category',
      'mileage_km', 'labor_fen', 'parts_fen', 'total_fen', 'advisor', 'created_at', 'updated_at', 'deleted_at',
    ]),
    contact: prepareInsert(handle, 'contact_event', [
      'id', 'dealer_id', 'customer_id', 'vehicle_id', 'kind', 'occurred_at', 'staff_id', 'summary', 'detail', 'created_at',
    ]),
    salesTeam: prepareInsert(handle, 'sales_team', ['id', 'dealer_id', 'name', 'created_at', 'updated_at']),
    teamAgent: prepareInsert(handle, 'sales_team_agent', ['team_id', 'staff_id', 'dealer_id', 'created_at']),
    teamConsultant: prepareInsert(handle, 'sales_team_consultant', ['dealer_id', 'consultant', 'team_id', 'created_at', 'updated_at']),
  };

  // scrypt is deliberately slow: hash each distinct password once and reuse it.
  const hashes = new Map<string, string>();
  for (const { password } of DEMO_CREDENTIALS) {
    if (!hashes.has(password)) hashes.set(password, await hashPassword(password, opts.passwordParams));
  }

  const dealerId = ids.next();
  const agentIds: string[] = [];
  const staffIds = new Map<string, string>();
  // Consultants draw from a generator of their own, so adding them left every other generated row as it was.
  const salesRng = new Random(seed ^ 0x5a1e5);
  handle.sqlite.transaction(() => {
    insert.dealer({ id: dealerId, ...DEMO_DEALER, created_at: stamp, updated_at: stamp });
    for (const account of DEMO_CREDENTIALS) {
      const id = ids.next();
      if (account.role === 'agent') agentIds.push(id);
      staffIds.set(account.username, id);
      insert.staff({
        id, dealer_id: dealerId, username: account.username, display_name: account.displayName, role: account.role,
        password_hash: hashes.get(account.password) ?? '', active: 1, created_at: stamp, updated_at: stamp,
      });
    }
  })();

  const counts = { customers: 0, vehicles: 0, repairOrders: 0, contactEvents: 0, members: 0 };
  const mobiles = new Set<string>();
  const plates = new Set<string>();
  const vins = new VinIssuer();
  const roNumbers = new RoNumbers();

  function customer(): void {
    const gender = rng.chance(0.64) ? 'M' : 'F';
    const name = personName(rng, gender);
    const city = pickCity(rng);
    const customerId = ids.next();
    const agentId = rng.pick(agentIds);
    const mobile = rng.chance(0.98) ? uniqueMobile(rng, mobiles) : null;
    const phone2 = rng.chance(0.12) ? uniqueMobile(rng, mobiles) : rng.chance(0.09) ? landline(rng, city) : null;
    const visits: Visit[] = [];
    const vehicleRows: Parameters<typeof insert.vehicle>[0][] = [];
    const roRows: Parameters<typeof insert.repairOrder>[0][] = [];

    // The store sells more each year than the year before: first purchases lean towards recent years.
    const firstDay = FIRST_PURCHASE + Math.floor(Math.sqrt(rng.next()) * (todayDay - 30 - FIRST_PURCHASE));
    let purchaseDay = firstDay;
    let lastActivity = firstDay;
    const vehicleCount = VEHICLES_PER_CUSTOMER.pick(rng);
    for (let v = 0; v < vehicleCount && purchaseDay < todayDay; v++) {
      const year = Number(fromDay(purchaseDay).slice(0, 4));
      const model = pickModel(rng, year);
      const modelYear = Math.max(2010, Math.min(model.to, rng.chance(0.15) ? year - 1 : year));
      const vehicleId = ids.next();
      const purchasedHere = rng.chance(0.8);
      const prefix = rng.chance(0.9) ? city.platePrefix : rng.pick(CITIES).platePrefix;
      const plate = uniquePlate(rng, prefix, model.electric, plates);
      const history = serviceHistory(rng, { purchaseDay, purchasedHere, todayDay, dailyKm: rng.int(8000, 20_000) / 365 });
      for (const ro of history) {
        const openedOn = fromDay(ro.openedDay);
        const roNo = roNumbers.next(ro.openedDay, openedOn);
        const at = dayToIso(ro.openedDay, 3600 + rng.int(0, 30_000));
        roRows.push({
          id: ids.next(), dealer_id: dealerId, vehicle_id: vehicleId, customer_id: customerId, dms_id: null, ro_no: roNo,
          opened_on: openedOn, closed_on: ro.closedDay === null ? null : fromDay(ro.closedDay), category: ro.category,
          mileage_km: ro.mileageKm, labor_fen: ro.laborFen, parts_fen: ro.partsFen, total_fen: ro.laborFen + ro.partsFen,
          advisor: ro.advisor, created_at: at, updated_at: at, deleted_at: null,
        });
        visits.push({ openedDay: ro.openedDay, closedDay: ro.closedDay, roNo, plate, vehicleId });
        lastActivity = Math.max(lastActivity, ro.openedDay);
      }
      const last = history.at(-1);
      vehicleRows.push({
        id: vehicleId, dealer_id: dealerId, customer_id: customerId, dms_id: null, vin: vins.next(rng, model, modelYear),
        plate, model: model.model, model_year: modelYear, color: COLORS.pick(rng), purchase_date: fromDay(purchaseDay),
        purchased_here: purchasedHere ? 1 : 0,
        mileage_km: last ? last.mileageKm : purchasedHere ? rng.int(5, 60) : null,
        mileage_date: last ? fromDay(last.openedDay) : purchasedHere ? fromDay(purchaseDay) : null,
        sales_consultant: consultantFor(salesRng, purchasedHere),
        created_at: dayToIso(purchaseDay, 7200), updated_at: dayToIso(last?.openedDay ?? purchaseDay, 7200), deleted_at: null,
      });
      purchaseDay += rng.int(60, 1100);
    }

    const member = rng.chance(0.2);
    const memberSince = member ? rng.int(firstDay, todayDay) : null;
    if (member) counts.members++;
    insert.customer({
      id: customerId, dealer_id: dealerId, dms_id: null, name, gender, mobile, phone2,
      birthday: rng.chance(0.85) ? birthday(rng) : null,
      city: city.city, address: rng.chance(0.75) ? address(rng, city) : null,
      member_tier: member ? TIERS.pick(rng) : null,
      member_no: member ? `HC${String(counts.members).padStart(8, '0')}` : null,
      member_since: memberSince === null ? null : fromDay(memberSince),
      responsible_staff_id: agentId, version: 0,
      created_at: dayToIso(firstDay, 7200), updated_at: dayToIso(lastActivity, 7200), deleted_at: null,
    });
    for (const row of vehicleRows) insert.vehicle(row);
    for (const row of roRows) insert.repairOrder(row);
    const honorific = `${name.slice(0, 1)}${gender === 'M' ? '先生' : '女士'}`;
    for (const c of contactHistory(rng, visits, honorific, todayDay)) {
      const at = dayToIso(c.day, c.secondsIntoDay);
      insert.contact({
        id: ids.next(), dealer_id: dealerId, customer_id: customerId, vehicle_id: c.vehicleId, kind: c.kind, occurred_at: at,
        staff_id: c.byAgent ? agentId : null, summary: c.summary, detail: c.detail ? JSON.stringify(c.detail) : null,
        created_at: at,
      });
      counts.contactEvents++;
    }
    counts.customers++;
    counts.vehicles += vehicleRows.length;
    counts.repairOrders += roRows.length;
  }

  // A million repair orders update five B-trees; a bigger page cache keeps their hot pages in memory.
  const cacheSize = handle.sqlite.pragma('cache_size', { simple: true });
  handle.sqlite.pragma('cache_size = -131072');
  const search = suspendSearchIndex(handle.sqlite);
  const facts = suspendVehicleFacts(handle.sqlite);
  try {
    for (let done = 0; done < opts.customers; ) {
      const size = Math.min(BATCH, opts.customers - done);
      handle.sqlite.transaction(() => {
        for (let i = 0; i < size; i++) customer();
      })();
      done += size;
      opts.onProgress?.(done, opts.customers);
      // Let timers and I/O (progress output, a host's heartbeat) run between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    facts.restore();
    search.restore();
    handle.sqlite.pragma(`cache_size = ${Number(cacheSize)}`);
  }
  // After the customers, so their ids stay what they were before teams existed.
  handle.sqlite.transaction(() => {
    for (const team of DEMO_SALES_TEAMS) {
      const teamId = ids.next();
      insert.salesTeam({ id: teamId, dealer_id: dealerId, name: team.name, created_at: stamp, updated_at: stamp });
      for (const username of team.agents) {
        const staffId = staffIds.get(username);
        if (staffId) insert.teamAgent({ team_id: teamId, staff_id: staffId, dealer_id: dealerId, created_at: stamp });
      }
      for (const consultant of team.consultants) {
        insert.teamConsultant({ dealer_id: dealerId, consultant, team_id: teamId, created_at: stamp, updated_at: stamp });
      }
    }
  })();
  handle.sqlite.pragma('optimize');

  return { dealerId, seed, today, staff: DEMO_CREDENTIALS.length, ...counts };
}
