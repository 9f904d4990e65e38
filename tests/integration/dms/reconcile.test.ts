import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, nowIso } from '../../../db/ids';
import { computeDiff, importFromDms, softDeleteMissing } from '../../../main/dms/reconcile';
import { runSync } from '../../../main/dms/sync/engine';
import type { DmsServer } from '../../../tools/dms-server/server';
import { tempDir } from '../../support/db';
import { fastConnector, referenceServer, stopServer, workstation, type Workstation } from './support';

describe('reconciliation diff: four buckets with field-level differences, and importing the DMS side', () => {
  const tmp = tempDir('dms-recon-');
  let server: DmsServer;
  let ws: Workstation;
  let localOnlyId: string;

  beforeAll(async () => {
    server = await referenceServer(tmp.dir, 15);
    ws = await workstation(tmp.dir);
    await runSync(ws.handle, ws.dealerId, fastConnector(server), { sourceId: ws.sourceId, mode: 'incremental', trigger: 'manual' });
    // DMS side: an edit, a new customer, a hard delete the watermark never reports, and a re-stamp without change.
    server.store.upsert('customer', { dms_id: 'C0000002', address: '广州市白云区 8 号' });
    server.store.upsert('customer', { dms_id: 'CNEW', name: '新客户', mobile: '13600000001' });
    server.store.remove('repair_order', 'R00000005', { hard: true });
    server.store.upsert('customer', { dms_id: 'C0000009' });
    // Workstation side: a corrected mobile, and a walk-in customer the DMS never had.
    await ws.handle.db.updateTable('customer').set({ mobile: '13500000003' }).where('dms_id', '=', 'C0000003').execute();
    localOnlyId = newId();
    await ws.handle.db.insertInto('customer').values({ id: localOnlyId, dealer_id: ws.dealerId, dms_id: null, name: '到店客户', mobile: '13500009999', created_at: nowIso(), updated_at: nowIso() }).execute();
  });
  afterAll(async () => {
    ws.handle.close();
    await stopServer(server);
    tmp.cleanup();
  });

  it('sorts every difference into its bucket', async () => {
    const report = await computeDiff(ws.handle, ws.dealerId, fastConnector(server), { pageSize: 7 });
    const simple = report.items.map((i) => [i.bucket, i.entity, i.dmsId, i.fields.map((f) => f.field).join(',')]);
    expect(simple).toEqual(expect.arrayContaining([
      ['dms_newer', 'customer', 'C0000002', 'address'],
      ['ws_newer', 'customer', 'C0000003', 'mobile'],
      ['only_dms', 'customer', 'CNEW', 'name,gender,mobile,phone2,birthday,city,address'],
      ['only_ws', 'customer', null, ''],
      ['only_ws', 'repair_order', 'R00000005', ''],
    ]));
    expect(report.counts).toEqual({ dms_newer: 1, ws_newer: 1, only_dms: 1, only_ws: 2 });
    const edited = report.items.find((i) => i.dmsId === 'C0000002');
    expect(edited?.fields[0]).toMatchObject({ field: 'address', dms: '广州市白云区 8 号' });
    const corrected = report.items.find((i) => i.dmsId === 'C0000003');
    expect(corrected?.fields[0]).toMatchObject({ local: '13500000003' });
    expect(report.items.find((i) => i.bucket === 'only_ws' && i.entity === 'customer')?.localId).toBe(localOnlyId);
  });

  it('imports all DMS-newer and only-in-DMS records in one go, then those buckets are empty', async () => {
    const before = await computeDiff(ws.handle, ws.dealerId, fastConnector(server));
    const pick = (bucket: string) => before.items.filter((i) => i.bucket === bucket && i.entity === 'customer').map((i) => i.dmsId ?? '');
    const run = await importFromDms(ws.handle, ws.dealerId, fastConnector(server), { sourceId: ws.sourceId, ids: { customer: [...pick('dms_newer'), ...pick('only_dms')] } });
    expect(run.status).toBe('succeeded');
    expect(run.counts).toMatchObject({ inserted: 1, updated: 1 });
    const removed = await softDeleteMissing(ws.handle, ws.dealerId, 'repair_order', ['R00000005']);
    expect(removed).toBe(1);
    const after = await computeDiff(ws.handle, ws.dealerId, fastConnector(server));
    expect(after.counts).toEqual({ dms_newer: 0, ws_newer: 1, only_dms: 0, only_ws: 1 });
    const history = await ws.handle.db.selectFrom('dms_run').select(['mode', 'status']).where('id', '=', run.runId).executeTakeFirstOrThrow();
    expect(history).toEqual({ mode: 'reconcile', status: 'succeeded' });
  });

  it('choosing the DMS side for a workstation-newer record overwrites the correction and settles its conflict', async () => {
    const run = await importFromDms(ws.handle, ws.dealerId, fastConnector(server), { sourceId: ws.sourceId, ids: { customer: ['C0000003'] } });
    expect(run.counts.updated).toBe(1);
    const after = await computeDiff(ws.handle, ws.dealerId, fastConnector(server));
    expect(after.counts.ws_newer).toBe(0);
    const c = await ws.handle.db.selectFrom('customer').select('mobile').where('dms_id', '=', 'C0000003').executeTakeFirstOrThrow();
    expect(c.mobile).toBe(server.store.get('customer', 'C0000003')?.['mobile']);
  });
});
