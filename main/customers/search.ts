/**
 * Search-as-you-type over a dealer's customers. Every step is an index lookup bounded by the page size,
 * so the cost does not grow with the number of customers:
 *   1. exact: name, mobile or second phone, plate or VIN equal to the query;
 *   2. prefixes: name (customer_name index), phone number (3–10 digits), plate ('粤A1…');
 *   3. substrings (3+ characters): the trigram FTS index customer_search — the last 4 digits of a
 *      mobile, a plate without its province, the tail of a VIN, the middle of a name.
 * Hits keep that order (exact first), each step ordered by name or by the matched number/plate. The
 * substring step reads at most `window` index entries, in rowid order, and sorts those by name; when the
 * window fills up the answer says `more` and the agent types on. 11 digits or a full VIN stop after step 1
 * when it found someone.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, MemberTier } from '../../db/schema';
import { normalizePhone, type CustomerHit } from '../../preload/contract';

type MatchedOn = CustomerHit['matchedOn'];

export interface SearchLimits {
  limit: number;
  /** How many substring (FTS) matches to consider at most. */
  window: number;
}

export interface SearchResult {
  items: CustomerHit[];
  more: boolean;
}

interface HitRow {
  seq: number;
  id: string;
  name: string;
  mobile: string | null;
  phone2: string | null;
  member_tier: MemberTier | null;
}

interface ParsedQuery {
  /** What the agent typed, trimmed; for a phone number the bare digits (spaces, dashes, +86 removed). */
  text: string;
  digits: string | null;
  upper: string;
  chars: number;
}

const TOP = '\u{10FFFF}';
const VIN_PATTERN = /^[A-HJ-NPR-Z0-9]{17}$/;
const HIT_COLUMNS = ['c.seq', 'c.id', 'c.name', 'c.mobile', 'c.phone2', 'c.member_tier'] as const;

export function parseQuery(raw: string): ParsedQuery {
  const trimmed = raw.trim();
  const compact = trimmed.replace(/[\s\-()]/g, '');
  const digits = /^\+?\d+$/.test(compact) ? normalizePhone(compact).replace(/^\+/, '') : null;
  const text = digits ?? trimmed;
  return { text, digits, upper: text.toUpperCase(), chars: [...text].length };
}

/** Collects hits in step order, first match of a customer wins, up to `want` of them. */
class Hits {
  readonly found = new Map<number, { row: HitRow; matchedOn: MatchedOn | null }>();
  constructor(readonly want: number) {}

  get full(): boolean {
    return this.found.size >= this.want;
  }

  add(rows: readonly HitRow[], matchedOn: MatchedOn | null): void {
    for (const row of rows) {
      if (this.full) return;
      if (!this.found.has(row.seq)) this.found.set(row.seq, { row, matchedOn });
    }
  }
}

const byNameThenSeq = (a: HitRow, b: HitRow) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.seq - b.seq);

export async function searchCustomers(
  db: Kysely<Database>,
  dealerId: string,
  raw: string,
  limits: SearchLimits,
): Promise<SearchResult> {
  const q = parseQuery(raw);
  const hits = new Hits(limits.limit + 1);
  const customers = () =>
    db.selectFrom('customer as c').select(HIT_COLUMNS).where('c.dealer_id', '=', dealerId).where('c.deleted_at', 'is', null);
  const vehicles = () =>
    db
      .selectFrom('vehicle as v')
      .innerJoin('customer as c', 'c.id', 'v.customer_id')
      .select(HIT_COLUMNS)
      .select(['v.plate', 'v.vin'])
      .where('v.dealer_id', '=', dealerId)
      .where('v.deleted_at', 'is', null)
      .where('c.deleted_at', 'is', null);

  // 1. Exact matches.
  const exact: { row: HitRow; on: MatchedOn }[] = [];
  for (const row of await customers().where('c.name', '=', q.text).limit(hits.want).execute()) exact.push({ row, on: 'name' });
  if (q.digits) {
    const d = q.digits;
    const rows = await customers()
      .where((eb) => eb.or([eb('c.mobile', '=', d), eb('c.phone2', '=', d)]))
      .limit(hits.want)
      .execute();
    for (const row of rows) exact.push({ row, on: 'phone' });
  }
  const byVehicle = await vehicles()
    .where((eb) => eb.or([eb('v.plate', '=', q.upper), eb('v.vin', '=', q.upper)]))
    .limit(hits.want)
    .execute();
  for (const row of byVehicle) exact.push({ row, on: row.vin === q.upper ? 'vin' : 'plate' });
  exact.sort((a, b) => byNameThenSeq(a.row, b.row));
  for (const { row, on } of exact) hits.add([row], on);

  const complete = (q.digits?.length === 11 || VIN_PATTERN.test(q.upper)) && hits.found.size > 0;
  let windowFull = false;
  if (!complete) {
    // 2. Prefixes, each read in index order.
    if (!q.digits && !hits.full) {
      const rows = await customers()
        .where('c.name', '>=', q.text)
        .where('c.name', '<', q.text + TOP)
        .orderBy('c.name')
        .orderBy('c.seq')
        .limit(hits.want)
        .execute();
      hits.add(rows, 'name');
    }
    if (q.digits && q.digits.length >= 3 && !hits.full) {
      const [lo, hi] = [q.digits, `${q.digits}:`];
      const [byMobile, byPhone2] = await Promise.all([
        customers().where('c.mobile', '>=', lo).where('c.mobile', '<', hi).orderBy('c.mobile').orderBy('c.seq').limit(hits.want).execute(),
        customers().where('c.phone2', '>=', lo).where('c.phone2', '<', hi).orderBy('c.phone2').orderBy('c.seq').limit(hits.want).execute(),
      ]);
      const number = (r: HitRow) => (r.mobile?.startsWith(q.digits ?? '') ? r.mobile : r.phone2) ?? '';
      hits.add([...byMobile, ...byPhone2].sort((a, b) => (number(a) < number(b) ? -1 : number(a) > number(b) ? 1 : a.seq - b.seq)), 'phone');
    }
    // Plates start with the province character, so only a query that does can be a plate prefix.
    if (!q.digits && !/^[\x20-\x7e]/.test(q.upper) && !hits.full) {
      const rows = await vehicles()
        .where('v.plate', '>=', q.upper)
        .where('v.plate', '<', q.upper + TOP)
        .orderBy('v.plate')
        .limit(hits.want * 2)
        .execute();
      hits.add(rows, 'plate');
    }
    // 3. Substrings through the trigram index (it needs three characters to match anything).
    if (q.chars >= 3 && !hits.full) {
      const phrase = `"${q.text.replaceAll('"', '""')}"`;
      const rows = await db
        .selectFrom((eb) =>
          eb
            .selectFrom('customer_search')
            .select('rowid')
            .where(sql<boolean>`customer_search match ${phrase}`)
            .orderBy('rowid')
            .limit(limits.window)
            .as('s'),
        )
        .innerJoin('customer as c', 'c.seq', 's.rowid')
        .select(HIT_COLUMNS)
        .where('c.dealer_id', '=', dealerId)
        .where('c.deleted_at', 'is', null)
        .orderBy('c.name')
        .orderBy('c.seq')
        .execute();
      windowFull = rows.length >= limits.window;
      hits.add(rows, null);
    }
  }

  const page = [...hits.found.values()].slice(0, limits.limit);
  const fleet = await vehiclesOf(
    db,
    page.map((h) => h.row.id),
  );
  const items = page.map(({ row, matchedOn }): CustomerHit => {
    const owned = fleet.get(row.id) ?? [];
    return {
      id: row.id,
      name: row.name,
      mobile: row.mobile,
      memberTier: row.member_tier,
      plates: owned.flatMap((v) => (v.plate ? [v.plate] : [])),
      models: [...new Set(owned.map((v) => v.model))],
      matchedOn: matchedOn ?? substringField(q, row, owned),
    };
  });
  return { items, more: hits.found.size > limits.limit || windowFull };
}

interface OwnedVehicle {
  plate: string | null;
  model: string;
  vin: string;
}

/** Every listed customer's vehicles in one query (no query per hit). */
async function vehiclesOf(db: Kysely<Database>, customerIds: string[]): Promise<Map<string, OwnedVehicle[]>> {
  const byCustomer = new Map<string, OwnedVehicle[]>();
  if (customerIds.length === 0) return byCustomer;
  const rows = await db
    .selectFrom('vehicle')
    .select(['customer_id', 'plate', 'model', 'vin'])
    .where('customer_id', 'in', customerIds)
    .where('deleted_at', 'is', null)
    .orderBy('customer_id')
    .orderBy('purchase_date')
    .orderBy('id')
    .execute();
  for (const { customer_id, ...vehicle } of rows) {
    const list = byCustomer.get(customer_id);
    if (list) list.push(vehicle);
    else byCustomer.set(customer_id, [vehicle]);
  }
  return byCustomer;
}

function substringField(q: ParsedQuery, row: HitRow, owned: readonly OwnedVehicle[]): MatchedOn {
  if (row.name.includes(q.text)) return 'name';
  if (row.mobile?.includes(q.text) || row.phone2?.includes(q.text)) return 'phone';
  if (owned.some((v) => v.plate?.toUpperCase().includes(q.upper))) return 'plate';
  if (owned.some((v) => v.vin.toUpperCase().includes(q.upper))) return 'vin';
  return 'text';
}
