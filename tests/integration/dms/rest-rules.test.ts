import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSync, type RunOptions } from '../../../main/dms/sync/engine';
import type { NewRepairOrder } from '../../../main/dms/sync/apply';
import type { DmsServer } from '../../../tools/dms-server/server';
import { tempDir } from '../../support/db';
import { fastConnector, referenceServer, stopServer, workstation, type Workstation } from './support';

describe('sync rules: changes, deletions, local corrections, late commits, bad rows', () => {
  const tmp = tempDir('dms-rules-');
  let server: DmsServer;
  let ws: Workstation;
  const sync = (extra: Partial<RunOptions> = {}) =>
    runSync(ws.handle, ws.dealerId, fastConnector(server), { sourceId: ws.sourceId, mode: 'incremental', trigger: 'manual', pageSize: 10, ...extra });

  beforeAll(async () => {
    server = await referenceServer(tmp.dir, 20);
    ws = await workstation(tmp.dir);
    expect((await sync()).status).toBe('succeeded');
  });
  afterAll(async () => {
    ws.handle.close();
    await stopServer(server);
    tmp.cleanup();
  });

  const customer = (dmsId: string) =>
    ws.handle.db.selectFrom('customer').selectAll().where('dms_id', '=', dmsId).executeTakeFirstOrThrow();

  it('applies DMS edits and new repair orders, raising one domain event per new order', async () => {
    server.store.upsert('customer', { dms_id: 'C0000003', address: '广州市海珠区新港路 1 号' });
    server.store.upsert('repair_order', {
      dms_id: 'RNEW1', vehicle_dms_id: 'V0000001', ro_no: 'RO-NEW-1', opened_on: '2026/3/5', category: '保养',
      labor_fen: 10000, parts_fen: 5000, total_fen: 15000,
    });
    const events: NewRepairOrder[] = [];
    const run = await sync({ onNewRepairOrders: (e) => events.push(...e) });
    expect(run.status).toBe('succeeded');
    expect(run.counts.inserted).toBe(1);
    expect((await customer('C0000003')).address).toBe('广州市海珠区新港路 1 号');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ dmsId: 'RNEW1', openedOn: '2026-03-05', category: 'maintenance', totalFen: 15000 });
    // The overlap window re-delivers recent rows; their hashes match, so nothing is applied or announced again.
    const again = await sync({ onNewRepairOrders: (e) => events.push(...e) });
    expect(again.counts.inserted + again.counts.updated).toBe(0);
    expect(again.counts.unchanged).toBeGreaterThan(0);
    expect(events).toHaveLength(1);
  });

  it('keeps a phone number corrected in the workstation and records a conflict instead', async () => {
    const before = await customer('C0000005');
    await ws.handle.db.updateTable('customer').set({ mobile: '13900000005', version: before.version + 1 }).where('id', '=', before.id).execute();
    server.store.upsert('customer', { dms_id: 'C0000005', mobile: '13711112222', city: '深圳' });
    const run = await sync();
    expect(run.counts.conflicts).toBe(1);
    const after = await customer('C0000005');
    expect(after.mobile).toBe('13900000005');
    expect(after.city).toBe('深圳');
    const conflicts = await ws.handle.db.selectFrom('dms_conflict').selectAll().where('dms_id', '=', 'C0000005').execute();
    expect(conflicts).toMatchObject([{ field: 'mobile', local_value: '13900000005', dms_value: '13711112222', status: 'open' }]);
    // The DMS changing the same field again refreshes that one open conflict instead of adding another.
    server.store.upsert('customer', { dms_id: 'C0000005', mobile: '13733334444' });
    await sync();
    const open = await ws.handle.db.selectFrom('dms_conflict').selectAll().where('dms_id', '=', 'C0000005').where('status', '=', 'open').execute();
    expect(open).toMatchObject([{ field: 'mobile', dms_value: '13733334444' }]);
    // Once the DMS agrees with the correction, the conflict settles by itself.
    server.store.upsert('customer', { dms_id: 'C0000005', mobile: '13900000005' });
    await sync();
    expect(await ws.handle.db.selectFrom('dms_conflict').select('id').where('dms_id', '=', 'C0000005').where('status', '=', 'open').execute()).toEqual([]);
  });

  it('turns DMS deletions into soft deletes', async () => {
    server.store.remove('repair_order', 'R00000002');
    const run = await sync();
    expect(run.counts.deleted).toBe(1);
    const ro = await ws.handle.db.selectFrom('repair_order').select(['deleted_at']).where('dms_id', '=', 'R00000002').executeTakeFirstOrThrow();
    expect(ro.deleted_at).not.toBeNull();
  });

  it('catches a late commit stamped inside the overlap window, and misses none at page boundaries', async () => {
    const state = await ws.handle.db.selectFrom('dms_sync_state').selectAll().where('entity', '=', 'customer').executeTakeFirstOrThrow();
    const late = new Date(Date.parse(state.watermark ?? '') - 60_000).toISOString();
    server.store.upsert('customer', { dms_id: 'C0000007', city: '佛山' }, { updatedAt: late });
    await sync();
    expect((await customer('C0000007')).city).toBe('佛山');
  });

  it('quarantines bad rows with a bilingual reason while good rows of the same page land', async () => {
    server.store.upsert('customer', { dms_id: 'CBAD1', name: '坏数据', mobile: '12345' });
    server.store.upsert('customer', { dms_id: 'CGOOD1', name: '好数据', mobile: '+86 138-0013-8000' });
    server.store.upsert('vehicle', { dms_id: 'VORPHAN', customer_dms_id: 'CNOPE', vin: 'LHGCM56707A000001', model: '雅阁' });
    const run = await sync();
    expect(run.status).toBe('succeeded');
    expect(run.counts.quarantined).toBe(2);
    expect((await customer('CGOOD1')).mobile).toBe('13800138000');
    const q = await ws.handle.db.selectFrom('dms_quarantine').selectAll().where('run_id', '=', run.runId).orderBy('reason_en').execute();
    expect(q.map((r) => r.reason_en)).toEqual([
      'customer CNOPE is not in the DMS data',
      'mobile: mobile "12345" should have 11 digits starting with 1',
    ]);
    expect(q[1]?.reason_zh).toContain('手机');
    expect(JSON.parse(q[1]?.raw ?? '{}')).toMatchObject({ dms_id: 'CBAD1', mobile: '12345' });
    // Seen again on the next run: the same entry is refreshed, not duplicated.
    await sync();
    expect(await ws.handle.db.selectFrom('dms_quarantine').select('id').execute()).toHaveLength(2);
  });

  it('keeps a history of runs with their counts', async () => {
    const runs = await ws.handle.db.selectFrom('dms_run').selectAll().orderBy('started_at').execute();
    expect(runs.length).toBeGreaterThanOrEqual(8);
    expect(runs.every((r) => r.status === 'succeeded' && r.finished_at !== null)).toBe(true);
    expect(runs[0]?.inserted).toBeGreaterThan(20);
  });
});
