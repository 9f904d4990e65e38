/**
 * Property: for random small databases and random query trees over the whole catalog, the compiled SQL
 * selects exactly the customers the in-memory oracle selects. Values are drawn from small pools around
 * the boundaries (today, year ends, "3 years ago") so matches and near-misses are both common.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { newId } from '../../../db/ids';
import { CONTACT_EVENT_KINDS, MEMBER_TIERS, REPAIR_CATEGORIES } from '../../../db/schema';
import { FIELDS, type FieldDef } from '../../../main/query/catalog';
import { selectMatching } from '../../../main/query/compile';
import { checkTree, queryGroupSchema } from '../../../main/query/tree';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { insertFixture, type FxCustomer } from './fixture';
import { Oracle } from './oracle';

const TODAY = '2026-03-15';
const DATES = ['2023-03-14', '2023-03-15', '2023-03-16', '2024-02-29', '2025-01-01', '2025-04-10', '2025-12-31', '2026-01-01', '2026-02-28', '2026-03-15', '2026-03-16'];
const TEXTS = ['Accord', 'accord', 'Fit', 'ACC', '粤A', '粤a', 'A_', '1%', '广州', '张', '138'];
const MODELS = ['Accord', 'Fit', 'CR-V'];
const PLATES = [null, '', '粤A12345', '粤a1_345', '湘B10%00'];
const CITIES = [null, '', '广州', '佛山', '广州市'];
const NAMES = ['张三', '李四', 'accord 王', 'A_b'];
const MOBILES = [null, '', '13800000001', '13912345678'];

const date = fc.constantFrom(...DATES);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 3 });
const subset = <T>(xs: readonly T[]) => fc.subarray([...xs], { minLength: 1, maxLength: 3 });

function customers(staffIds: string[]): fc.Arbitrary<FxCustomer[]> {
  const repair = fc.record({
    on: date,
    category: fc.constantFrom('maintenance', 'repair', 'bodywork' as const),
    fen: fc.constantFrom(0, 50_000, 100_050),
    deleted: fc.constantFrom(false, false, false, true),
  });
  const vehicle = fc.record({
    model: fc.constantFrom(...MODELS),
    here: fc.boolean(),
    bought: maybe(date),
    mileage: maybe(fc.constantFrom(0, 10_000, 20_000, 95_000)),
    plate: fc.constantFrom(...PLATES),
    year: maybe(fc.constantFrom(2015, 2020)),
    deleted: fc.constantFrom(false, false, false, true),
    ros: fc.array(repair, { maxLength: 4 }),
  });
  const contact = fc.record({
    kind: fc.constantFrom('call_out', 'sms_out', 'call_in', 'letter' as const),
    // Around local midnight (UTC+8) of the pool dates, to pin the time-zone handling.
    at: fc.tuple(date, fc.constantFrom('T15:59:59.000Z', 'T16:00:00.000Z', 'T02:00:00.000Z')).map(([d, t]) => `${d}${t}`),
  });
  const customer = fc.record({
    name: fc.constantFrom(...NAMES),
    gender: maybe(fc.constantFrom('M', 'F' as const)),
    mobile: fc.constantFrom(...MOBILES),
    birthday: maybe(fc.constantFrom('1980-01-31', '1990-03-15', '1975-12-01')),
    city: fc.constantFrom(...CITIES),
    tier: maybe(fc.constantFrom(...MEMBER_TIERS)),
    memberSince: maybe(date),
    staffId: maybe(fc.constantFrom(...staffIds)),
    deleted: fc.constantFrom(false, false, false, false, true),
    vehicles: fc.array(vehicle, { maxLength: 3 }),
    contacts: fc.array(contact, { maxLength: 3 }),
  });
  return fc.array(customer, { maxLength: 7 }).map((list) => list.map((c, i) => ({ ...c, key: `k${i}` })));
}

const windowArb = fc.oneof(
  fc.constant({ kind: 'all' }),
  fc.record({ kind: fc.constant('year'), year: fc.constantFrom(2024, 2025, 2026) }),
  fc.record({ kind: fc.constant('relYear'), offset: fc.constantFrom(0, -1, -2) }),
  fc.record({ kind: fc.constant('last'), amount: fc.constantFrom(1, 3, 13), unit: fc.constantFrom('day', 'month', 'year') }),
  fc.tuple(date, date).map(([a, b]) => ({ kind: 'between', from: a < b ? a : b, to: a < b ? b : a })),
);

function valueArb(field: FieldDef, op: string, staffIds: string[]): fc.Arbitrary<unknown> {
  if (op === 'null' || op === 'notNull') return fc.constantFrom(undefined, '', null);
  const tags = field.source.kind === 'contact' ? CONTACT_EVENT_KINDS : REPAIR_CATEGORIES;
  const tagKey = field.source.kind === 'contact' ? 'kinds' : 'categories';
  if (field.type === 'categories') return fc.record({ window: windowArb, categories: subset(REPAIR_CATEGORIES.slice(1, 5)) });
  if (field.type === 'count' || field.type === 'money') {
    const filter = fc.option(subset(tags.slice(0, 5)), { nil: undefined });
    const amount = field.type === 'money' ? fc.record({ yuan: fc.constantFrom(0, 500, 1000.5) }) : fc.record({ count: fc.constantFrom(0, 1, 2, 3) });
    return fc
      .tuple(windowArb, amount, filter)
      .map(([window, a, tagged]) => ({ window, ...a, ...(tagged ? { [tagKey]: tagged } : {}) }));
  }
  if (field.type === 'boolean') return fc.boolean();
  if (op === 'olderThan' || op === 'withinLast') return fc.record({ amount: fc.constantFrom(0, 1, 3), unit: fc.constantFrom('day', 'month', 'year') });
  if (op === 'inYear') return fc.constantFrom(2023, 2025, 2026);
  if (op === 'inRelYear') return fc.constantFrom(0, -1, -3);
  const scalar: fc.Arbitrary<string | number> =
    field.type === 'date'
      ? date
      : field.type === 'staff'
        ? fc.constantFrom(...staffIds)
        : field.type === 'enum'
          ? fc.constantFrom(...(field.options ?? []).map((o) => o.value))
          : field.id === 'customer.birthMonth'
            ? fc.constantFrom(1, 3, 12)
            : field.id === 'vehicle.modelYear'
              ? fc.constantFrom(2015, 2020, 2021)
              : field.type === 'number'
                ? fc.constantFrom(0, 10_000, 20_000, 95_000)
              : fc.constantFrom(...TEXTS, ...MODELS, ...NAMES);
  if (op === 'in' || op === 'notIn') return fc.uniqueArray(scalar, { minLength: 1, maxLength: 3 });
  if (op === 'between' || op === 'notBetween') return fc.tuple(scalar, scalar).map(([a, b]) => (a <= b ? [a, b] : [b, a]));
  return scalar;
}

function treeArb(staffIds: string[]) {
  const rule = fc
    .constantFrom(...FIELDS)
    .chain((field) => fc.constantFrom(...field.operators).chain((op) => valueArb(field, op, staffIds).map((value) => ({ field: field.id, operator: op, value }))));
  const { group } = fc.letrec<{ group: unknown; node: unknown }>((tie) => ({
    group: fc.record(
      { combinator: fc.constantFrom('and', 'or'), not: fc.boolean(), rules: fc.array(tie('node'), { maxLength: 4 }) },
      { requiredKeys: ['combinator', 'rules'] },
    ),
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, rule, rule, tie('group')),
  }));
  return group;
}

describe('compiled queries agree with the in-memory oracle', () => {
  const tmp = tempDir();
  let store: TestStore;
  let handle: DbHandle;

  beforeAll(async () => {
    store = await createTestStore(tmp.dir);
    handle = openDatabase(store.file);
  });
  afterAll(() => {
    handle.close();
    tmp.cleanup();
  });

  it('on random databases and random trees', async () => {
    const staffIds = [store.staff.agent.id, store.staff.supervisor.id];
    const oracle = new Oracle(TODAY);
    let dealers = 0;
    const outcomes = { queries: 0, someButNotAll: 0 };
    await fc.assert(
      fc.asyncProperty(customers(staffIds), fc.array(treeArb(staffIds), { minLength: 1, maxLength: 6 }), async (fixture, trees) => {
        // Each run is its own dealer: runs stay independent and dealer scoping is exercised on every query.
        const dealerId = newId();
        handle.sqlite
          .prepare(`insert into dealer (id, code, name, brand, created_at, updated_at) values (?, ?, 'p', 'Honda', ?, ?)`)
          .run(dealerId, `P${++dealers}`, TODAY, TODAY);
        const ids = insertFixture(handle, dealerId, fixture);
        const keyOf = new Map([...ids].map(([k, id]) => [id, k]));
        for (const tree of trees) {
          const rows = await selectMatching(handle.db, checkTree(tree), { dealerId, today: TODAY }).select('c.id').execute();
          const got = rows.map((r) => keyOf.get(r.id) ?? '?').sort();
          const want = oracle.select(fixture, queryGroupSchema.parse(tree)).sort();
          expect(got, JSON.stringify(tree)).toEqual(want);
          outcomes.queries++;
          const live = fixture.filter((c) => !c.deleted).length;
          if (want.length > 0 && want.length < live) outcomes.someButNotAll++;
        }
      }),
      { numRuns: 200 },
    );
    // Guard against a generator that only ever produces trivially empty or full answers.
    expect(outcomes.someButNotAll / outcomes.queries).toBeGreaterThan(0.08);
  });
});
