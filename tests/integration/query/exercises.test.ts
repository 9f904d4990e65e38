import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { createQuery, type QueryService } from '../../../main/query';
import { compileCondition } from '../../../main/query/compile';
import { checkTree } from '../../../main/query/tree';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { EXPECTED, exerciseA, exerciseB, exerciseC, FIXTURE, TODAY } from './exercises';
import { insertFixture } from './fixture';

describe('the seed exercises on a hand-built fixture', () => {
  const tmp = tempDir();
  let store: TestStore;
  let handle: DbHandle;
  let query: QueryService;
  let keyOf: Map<string, string>;

  beforeAll(async () => {
    store = await createTestStore(tmp.dir);
    handle = openDatabase(store.file);
    const ids = insertFixture(handle, store.dealerId, FIXTURE);
    keyOf = new Map([...ids].map(([k, id]) => [id, k]));
    // Another dealer's customer matching everything must never show up.
    const otherDealer = '01K00000000000000000000OTH';
    handle.sqlite
      .prepare(`insert into dealer (id, code, name, brand, created_at, updated_at) values (?, 'OTH', '别家', 'Honda', ?, ?)`)
      .run(otherDealer, TODAY, TODAY);
    insertFixture(handle, otherDealer, [{ key: 'X', tier: 'gold', vehicles: [{ model: 'Accord', here: true, bought: '2019-01-01', ros: ['2025-02-01', '2025-06-01'] }] }]);
    query = createQuery({ handle, clock: () => new Date(`${TODAY}T09:00:00+08:00`) });
  });
  afterAll(() => {
    handle.close();
    tmp.cleanup();
  });

  const keys = async (tree: unknown) => (await query.ids(tree, { dealerId: store.dealerId })).map((id) => keyOf.get(id)).sort();
  const sorted = (a: string[]) => [...a].sort();

  it('(a) Accord bought here over 3 years ago, 2+ visits last year, member — one and the same Accord', async () => {
    expect(await keys(exerciseA)).toEqual(sorted(EXPECTED.a));
    expect(await query.count(exerciseA, { dealerId: store.dealerId })).toBe(EXPECTED.a.length);
  });

  it('(b) visited last year but not this year', async () => {
    expect(await keys(exerciseB)).toEqual(sorted(EXPECTED.b));
  });

  it('(c) Fit owners whose Fit was repaired 1–15 April (inclusive)', async () => {
    expect(await keys(exerciseC('2025-04-01', '2025-04-15'))).toEqual(sorted(EXPECTED.c));
  });

  it('(c) with a customer-level visit instead counts any of the customer’s cars (documented difference)', async () => {
    const anyCar = {
      combinator: 'and',
      rules: [
        { field: 'vehicle.model', operator: '=', value: 'Fit' },
        { field: 'repair.visits', operator: '>=', value: { window: { kind: 'between', from: '2025-04-01', to: '2025-04-15' }, count: 1 } },
      ],
    };
    // C2's Accord came in on 5 April; C5's Fit is deleted but its order still counts for the customer, and she has no live Fit.
    expect(await keys(anyCar)).toEqual(['C1', 'C2', 'C3']);
  });

  it('same-vehicle rules apply per AND group; an OR group or separate groups mean any vehicle', async () => {
    const separate = {
      combinator: 'and',
      rules: [
        { combinator: 'and', rules: [{ field: 'vehicle.model', operator: '=', value: 'Accord' }] },
        { combinator: 'and', rules: [{ field: 'vehicle.purchasedHere', operator: '=', value: true }] },
        { field: 'member.isMember', operator: '=', value: true },
        { field: 'customer.name', operator: '=', value: 'A4' },
      ],
    };
    expect(await keys(separate)).toEqual(['A4']);
    const same = { ...separate, rules: [...exerciseA.rules.slice(0, 2), ...separate.rules.slice(2)] };
    expect(await keys(same)).toEqual([]);
  });

  it('"today" moves relative windows: run as of 2027, last year is 2026', async () => {
    const asOf2027 = await query.ids(exerciseB, { dealerId: store.dealerId, today: '2027-01-10' });
    expect(asOf2027.map((id) => keyOf.get(id)).sort()).toEqual(['A2', 'B2']);
  });

  it('reads the exercises back as sentences', async () => {
    const zh = await query.sentence(exerciseA, 'zh', { dealerId: store.dealerId });
    expect(zh).toBe('车型为 Accord 且 在本店购买 且 购车日期 早于 3 年前 且 去年进厂次数 ≥ 2 且 是会员');
    const withNames = createQuery({ handle, modelNamesZh: { Accord: '雅阁', Fit: '飞度' } });
    expect(await withNames.sentence(exerciseA, 'zh', { dealerId: store.dealerId })).toContain('车型为 雅阁');
    expect(await query.sentence(exerciseA, 'en', { dealerId: store.dealerId })).toBe(
      'model is Accord and bought here and purchase date more than 3 years ago and visits last year ≥ 2 and is a member',
    );
    expect(await query.sentence(exerciseB, 'zh', { dealerId: store.dealerId })).toBe('去年进厂次数 ≥ 1 且 今年进厂次数 = 0');
    expect(await withNames.sentence(exerciseC('2025-04-01', '2025-04-15'), 'zh', { dealerId: store.dealerId })).toBe(
      '车型为 飞度 且 2025-04-01 至 2025-04-15 该车进厂次数 ≥ 1',
    );
  });

  it('uses the 0001 indexes for every subquery (EXPLAIN QUERY PLAN)', () => {
    for (const tree of [exerciseA, exerciseB, exerciseC('2025-04-01', '2025-04-15')]) {
      const compiled = handle.db
        .selectFrom('customer as c')
        .select('c.id')
        .where('c.dealer_id', '=', store.dealerId)
        .where(compileCondition(checkTree(tree), { dealerId: store.dealerId, today: TODAY }))
        .compile();
      const plan = handle.sqlite
        .prepare(`explain query plan ${compiled.sql}`)
        .all(...compiled.parameters)
        .map((row) => String((row as { detail: unknown }).detail));
      const text = plan.join('\n');
      // Only the outer customer list is scanned; history tables are always searched by index.
      expect(plan.filter((d) => /^SCAN /.test(d) && !/^SCAN c\b/.test(d))).toEqual([]);
      expect(text).toMatch(/SEARCH r (EXISTS )?USING (COVERING )?INDEX repair_order_(customer|vehicle) \((customer|vehicle)_id=\? AND opened_on>\? AND opened_on<\?\)/);
      // Pinned whatever the statistics say: this store has none, where SQLite would otherwise pick vehicle_model.
      if (tree !== exerciseB) expect(text).toMatch(/SEARCH v (EXISTS )?USING INDEX vehicle_customer \(customer_id=\?\)/);
    }
  });
});
