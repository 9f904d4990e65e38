import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDms, DmsBusyError, type Dms, type NewRepairOrder } from '../../../main/dms';
import type { DmsServer } from '../../../tools/dms-server/server';
import { tempDir } from '../../support/db';
import { API_KEY, referenceServer, stopServer, workstation, type Workstation } from './support';

describe('createDms: sync now in a worker with events, schedule, file preview/import, conflict and quarantine review', () => {
  const tmp = tempDir('dms-service-');
  let server: DmsServer;
  let ws: Workstation;
  let dms: Dms;
  let sourceId: string;

  beforeAll(async () => {
    server = await referenceServer(tmp.dir, 12);
    ws = await workstation(tmp.dir);
    dms = createDms({ handle: ws.handle, dbFile: ws.file, dealerId: ws.dealerId });
    const source = await dms.sources.save({ name: '厂家 DMS', kind: 'rest', rest: { baseUrl: server.url, apiKey: API_KEY, attempts: 2 }, schedule: '*/10 * * * *' });
    sourceId = source.id;
  });
  afterAll(async () => {
    await dms.close();
    ws.handle.close();
    await stopServer(server);
    tmp.cleanup();
  });

  it('sync now: progress, a domain event per new repair order, the finished run in history; a second start while running is refused', async () => {
    const created: NewRepairOrder[] = [];
    const progress: number[] = [];
    dms.events.on('repairOrderCreated', (e) => created.push(e));
    dms.events.on('progress', (p) => progress.push(p.done));
    const finished = new Promise((resolve) => dms.events.once('runFinished', resolve));
    const first = dms.syncNow(sourceId);
    await expect(dms.syncNow(sourceId)).rejects.toBeInstanceOf(DmsBusyError);
    expect(dms.activeRuns()).toEqual([sourceId]);
    const summary = await first;
    await finished;
    expect(summary.status).toBe('succeeded');
    expect(created).toHaveLength(server.store.count('repair_order'));
    expect(progress.length).toBeGreaterThan(0);
    const runs = await dms.runs(sourceId);
    expect(runs[0]).toMatchObject({ id: summary.runId, status: 'succeeded', trigger: 'manual', mode: 'incremental' });
  });

  it('the schedule is loaded from the source and a tick runs a scheduled sync', async () => {
    await dms.startScheduler();
    const next = dms.scheduler.nextRuns();
    expect(next).toHaveLength(1);
    expect(next[0]?.next).toBeInstanceOf(Date);
    server.store.upsert('customer', { dms_id: 'C0000001', city: '珠海' });
    await dms.scheduler.trigger(sourceId);
    const runs = await dms.runs(sourceId);
    expect(runs[0]).toMatchObject({ trigger: 'schedule', status: 'succeeded', updated: 1 });
  });

  it('conflicts can be resolved by taking the DMS value', async () => {
    await ws.handle.db.updateTable('customer').set({ mobile: '13500000002' }).where('dms_id', '=', 'C0000002').execute();
    server.store.upsert('customer', { dms_id: 'C0000002', mobile: '13600000002' });
    await dms.syncNow(sourceId);
    const [conflict] = await dms.review.conflicts();
    expect(conflict).toMatchObject({ field: 'mobile', local_value: '13500000002', dms_value: '13600000002' });
    expect(await dms.review.resolveConflict(conflict?.id ?? '', 'took_dms', null)).toBe(true);
    const c = await ws.handle.db.selectFrom('customer').select('mobile').where('dms_id', '=', 'C0000002').executeTakeFirstOrThrow();
    expect(c.mobile).toBe('13600000002');
    expect(await dms.review.conflicts()).toEqual([]);
  });

  it('cancel reaches the worker while it waits on a slow DMS page; the run is recorded as cancelled', async () => {
    for (let i = 0; i < 3; i++) server.store.upsert('customer', { dms_id: `CSLOW${i}`, name: `慢${i}` });
    server.setFaults({ mode: 'slow', count: -1, delayMs: 60_000, match: '/customers' });
    try {
      const started = new Promise<void>((resolve) => dms.events.once('runStarted', () => resolve()));
      const run = dms.syncNow(sourceId);
      await started;
      // Cancel is a message to the worker; it may arrive before or during the hanging fetch, both must stop the run.
      expect(dms.cancel(sourceId)).toBe(true);
      const summary = await run;
      expect(summary.status).toBe('cancelled');
      expect((await dms.runs(sourceId))[0]).toMatchObject({ id: summary.runId, status: 'cancelled' });
    } finally {
      server.setFaults({ mode: 'none' });
    }
  });

  it('file preview proposes the mapping and shows row problems; the import saves the mapping and quarantines bad rows', async () => {
    const fileSource = await dms.sources.save({ name: '月度导出', kind: 'file' });
    const text = ['客户姓名,手机,VIN,车型,维修日期,维修类别,金额', '周杰,13911112222,LHGCM56707A000077,雅阁,2024/3/1,保养,300', '吴磊,1391111,LHGCM56707A000078,飞度,2024/3/2,保养,300'].join('\n');
    const bytes = new Uint8Array(iconv.encode(text, 'gbk'));
    const preview = await dms.previewFile(fileSource.id, bytes);
    expect(preview).toMatchObject({ format: 'csv', encoding: 'gb18030', rows: 2, proposal: { missing: [] } });
    expect(preview.problems).toEqual([{ ref: '第 3 行 / row 3', zh: '手机：手机号“1391111”应为 11 位，以 1 开头', en: 'mobile: mobile "1391111" should have 11 digits starting with 1' }]);
    const run = await dms.importFile(fileSource.id, bytes, preview.proposal.mapping);
    expect(run).toMatchObject({ status: 'succeeded', counts: { inserted: 3, quarantined: 1 } });
    expect(await dms.sources.loadMapping(fileSource.id)).toEqual(preview.proposal.mapping);
    const open = await dms.review.quarantine({ runId: run.runId });
    expect(open).toHaveLength(1);
    expect(await dms.review.dismissQuarantined(open.map((q) => q.id))).toBe(1);
    expect(await dms.review.quarantine({ status: 'open' })).toEqual([]);
  });

  it('the scheduled full comparison soft-deletes what the DMS hard-deleted, and leaves other sources\' records alone', async () => {
    await dms.sources.save({ name: '厂家 DMS', kind: 'rest', rest: { baseUrl: server.url, apiKey: API_KEY, attempts: 2, reconcileSchedule: '0 2 * * *' }, schedule: '*/10 * * * *' }, sourceId);
    await dms.startScheduler();
    expect(dms.scheduler.nextRuns().map((r) => r.kind).sort()).toEqual(['reconcile', 'sync']);
    server.store.remove('repair_order', 'R00000003', { hard: true });
    await dms.scheduler.trigger(sourceId, 'reconcile');
    const ro = await ws.handle.db.selectFrom('repair_order').select('deleted_at').where('dms_id', '=', 'R00000003').executeTakeFirstOrThrow();
    expect(ro.deleted_at).not.toBeNull();
    const fromFile = await ws.handle.db.selectFrom('customer').select('deleted_at').where('dms_id', '=', 'M:13911112222').executeTakeFirstOrThrow();
    expect(fromFile.deleted_at).toBeNull();
    expect((await dms.runs(sourceId))[0]).toMatchObject({ mode: 'reconcile', trigger: 'schedule', status: 'succeeded' });
  });
});
