/**
 * The compiled history conditions are answered from the repair-order indexes alone (migration 0014):
 * "visited last year but not this year" probes (customer_id, opened_on, deleted_at) without reading
 * any order's row, and the vehicle-level "该车" counts do the same by vehicle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { selectMatching } from '../../../main/query/compile';
import { exerciseB, exerciseC } from '../../../main/query/examples';
import { checkTree } from '../../../main/query/tree';
import { createTestStore, tempDir, type TestStore } from '../../support/db';

describe('query plans of the exercises', () => {
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

  const plan = (tree: unknown) => {
    const q = selectMatching(handle.db, checkTree(tree), { dealerId: store.dealerId, today: '2026-03-15' }).select('c.id').compile();
    return handle.sqlite
      .prepare<unknown[], { detail: string }>(`explain query plan ${q.sql}`)
      .all(...q.parameters)
      .map((r) => r.detail);
  };

  it('keeps the history indexes covering for live orders by customer or vehicle and date', () => {
    const columns = (index: string) => handle.sqlite.prepare<[string], { name: string }>('select name from pragma_index_info(?) order by seqno').all(index).map((c) => c.name);
    expect(columns('repair_order_customer')).toEqual(['customer_id', 'opened_on', 'deleted_at']);
    expect(columns('repair_order_vehicle')).toEqual(['vehicle_id', 'opened_on', 'deleted_at']);
  });

  it('answers (b) with two index-only probes per customer', () => {
    const steps = plan(exerciseB).filter((d) => d.includes(' r '));
    expect(steps).toHaveLength(2);
    for (const s of steps) expect(s).toMatch(/USING COVERING INDEX repair_order_customer \(customer_id=\? AND opened_on>\? AND opened_on<\?\)/);
  });

  it('answers (c) by vehicle from the covering vehicle index', () => {
    expect(plan(exerciseC('2025-04-01', '2025-04-15')).some((d) => /USING COVERING INDEX repair_order_vehicle \(vehicle_id=\?/.test(d))).toBe(true);
  });
});
