/**
 * Running a checked tree: the count, one page of result rows (for a virtualized list), or every id
 * (for export and campaigns). Pages are ordered by customer.seq, the stable insertion order, so a
 * list does not reshuffle while the user scrolls.
 */
import { sql, type Kysely } from 'kysely';
import type { DbHandle } from '../../db/connection';
import type { Database, MemberTier } from '../../db/schema';
import { selectMatching, type CompileOptions } from './compile';
import type { CheckedGroup } from './tree';

export interface ResultRow {
  id: string;
  name: string;
  gender: 'M' | 'F' | null;
  mobile: string | null;
  city: string | null;
  memberTier: MemberTier | null;
  vehicles: Array<{ model: string; plate: string | null }>;
  lastVisit: string | null;
}

export interface PageOptions {
  offset?: number;
  limit?: number;
}

export async function countMatching(db: Kysely<Database>, tree: CheckedGroup, options: CompileOptions): Promise<number> {
  const row = await selectMatching(db, tree, options)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Every matching id, for export and campaigns (up to the whole customer base). Compiled by kysely and
 * run as a plucked better-sqlite3 statement: 100k ids as plain strings, not 100k row objects.
 */
export function matchingIds(handle: DbHandle, tree: CheckedGroup, options: CompileOptions): string[] {
  const compiled = selectMatching(handle.db, tree, options).select('c.id').orderBy('c.seq').compile();
  const ids: unknown[] = handle.sqlite.prepare(compiled.sql).pluck().all(...compiled.parameters);
  return ids.filter((id): id is string => typeof id === 'string');
}

/** Details for a list of customers (vehicles and last visit), in the order given. */
export async function describeCustomers(db: Kysely<Database>, ids: readonly string[]): Promise<ResultRow[]> {
  if (ids.length === 0) return [];
  const customers = await db
    .selectFrom('customer as c')
    .select(['c.id', 'c.name', 'c.gender', 'c.mobile', 'c.city', 'c.member_tier'])
    .select(sql<string | null>`(select max(r.opened_on) from repair_order r where r.customer_id = c.id and r.deleted_at is null)`.as('last_visit'))
    .where('c.id', 'in', ids)
    .execute();
  const vehicles = await db
    .selectFrom('vehicle')
    .select(['customer_id', 'model', 'plate'])
    .where('customer_id', 'in', ids)
    .where('deleted_at', 'is', null)
    .orderBy('customer_id')
    .orderBy('purchase_date')
    .execute();
  const byCustomer = new Map<string, ResultRow['vehicles']>();
  for (const v of vehicles) {
    const list = byCustomer.get(v.customer_id) ?? [];
    list.push({ model: v.model, plate: v.plate });
    byCustomer.set(v.customer_id, list);
  }
  const byId = new Map(customers.map((c) => [c.id, c]));
  return ids.flatMap((id) => {
    const c = byId.get(id);
    if (!c) return [];
    return [
      {
        id: c.id,
        name: c.name,
        gender: c.gender,
        mobile: c.mobile,
        city: c.city,
        memberTier: c.member_tier,
        vehicles: byCustomer.get(id) ?? [],
        lastVisit: c.last_visit,
      },
    ];
  });
}

export async function pageMatching(
  db: Kysely<Database>,
  tree: CheckedGroup,
  options: CompileOptions & PageOptions,
): Promise<{ total: number; rows: ResultRow[] }> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  const offset = Math.max(options.offset ?? 0, 0);
  const total = await countMatching(db, tree, options);
  const page = await selectMatching(db, tree, options).select('c.id').orderBy('c.seq').limit(limit).offset(offset).execute();
  return { total, rows: await describeCustomers(db, page.map((r) => r.id)) };
}
