import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../preload/contract';
import type { Services } from '../../../main/services';
import type { CallContext } from '../../../main/rpc';
import type { DmsServer } from '../../../tools/dms-server/server';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { call, signIn, startServices } from '../../support/services';
import { API_KEY, referenceServer, stopServer } from './support';

describe('DMS channels: roles, validation with field paths, sync now with events, diff import, file import and review', () => {
  const tmp = tempDir('dms-handlers-');
  let server: DmsServer;
  let store: TestStore;
  let services: Services;
  let admin: CallContext;
  let supervisor: CallContext;
  let agent: CallContext;
  let sourceId = '';
  const finished: EventPayload<'dms.runFinished'>[] = [];
  const progress: EventPayload<'dms.progress'>[] = [];

  function nextFinished(): Promise<EventPayload<'dms.runFinished'>> {
    const seen = finished.length;
    return new Promise((resolve) => {
      const off = services.onEvent((name) => {
        if (name === 'dms.runFinished' && finished.length > seen) {
          off();
          const last = finished[finished.length - 1];
          if (last) resolve(last);
        }
      });
    });
  }

  beforeAll(async () => {
    server = await referenceServer(tmp.dir, 10);
    store = await createTestStore(tmp.dir);
    services = await startServices(store);
    services.onEvent((name, payload) => {
      if (name === 'dms.runFinished') finished.push(payload as EventPayload<'dms.runFinished'>);
      if (name === 'dms.progress') progress.push(payload as EventPayload<'dms.progress'>);
    });
    admin = await signIn(services, store.staff.admin);
    supervisor = await signIn(services, store.staff.supervisor);
    agent = await signIn(services, store.staff.agent);
  });
  afterAll(async () => {
    await services.close();
    await stopServer(server);
    tmp.cleanup();
  });

  it('agents may not open DMS sync; supervisors may not edit sources', async () => {
    expect(await call(services, agent, 'dms.sources.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call(services, agent, 'dms.runs', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const save = await call(services, supervisor, 'dms.sources.save', { name: 'x', kind: 'rest', baseUrl: server.url, apiKey: API_KEY });
    expect(save).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('source validation names the field: address, key, schedule', async () => {
    const badUrl = await call(services, admin, 'dms.sources.save', { name: '厂家 DMS', kind: 'rest', baseUrl: 'not a url', apiKey: API_KEY });
    expect(badUrl).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path: 'baseUrl' }] } });
    const noKey = await call(services, admin, 'dms.sources.save', { name: '厂家 DMS', kind: 'rest', baseUrl: server.url });
    expect(noKey).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path: 'apiKey' }] } });
    const badCron = await call(services, admin, 'dms.sources.save', { name: '厂家 DMS', kind: 'rest', baseUrl: server.url, apiKey: API_KEY, schedule: 'every hour' });
    expect(badCron).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path: 'schedule' }] } });
  });

  it('test connection reports a wrong key and a working one; saving never returns the key', async () => {
    const wrong = await call(services, admin, 'dms.sources.test', { baseUrl: server.url, apiKey: 'wrong-key' });
    expect(wrong).toMatchObject({ ok: true, data: { ok: false } });
    const right = await call(services, admin, 'dms.sources.test', { baseUrl: server.url, apiKey: API_KEY });
    expect(right).toMatchObject({ ok: true, data: { ok: true } });

    const saved = await call(services, admin, 'dms.sources.save', { name: '厂家 DMS', kind: 'rest', baseUrl: server.url, apiKey: API_KEY, schedule: '0 2 * * *' });
    if (!saved.ok) throw new Error(saved.error.message.en);
    sourceId = saved.data.id;
    expect(saved.data).toMatchObject({ hasApiKey: true, schedule: '0 2 * * *', running: false });
    expect(saved.data.nextRun).not.toBeNull();
    expect(JSON.stringify(saved.data)).not.toContain(API_KEY);

    // An edit without a key keeps the stored one.
    const renamed = await call(services, admin, 'dms.sources.save', { id: sourceId, name: '厂家 DMS 主库', kind: 'rest', baseUrl: server.url });
    expect(renamed).toMatchObject({ ok: true, data: { name: '厂家 DMS 主库', hasApiKey: true } });
    const list = await call(services, supervisor, 'dms.sources.list', {});
    expect(list).toMatchObject({ ok: true, data: [{ id: sourceId, hasApiKey: true }] });
    expect(JSON.stringify(list)).not.toContain(API_KEY);
    const storedTest = await call(services, admin, 'dms.sources.test', { id: sourceId, baseUrl: server.url });
    expect(storedTest).toMatchObject({ ok: true, data: { ok: true } });
  });

  it('sync now answers with the run id, progress and the finish arrive as events, history has the counts', async () => {
    const done = nextFinished();
    const started = await call(services, supervisor, 'dms.syncNow', { sourceId });
    if (!started.ok) throw new Error(started.error.message.en);
    const summary = await done;
    expect(summary).toMatchObject({ sourceId, status: 'succeeded', error: null });
    if (started.data.runId !== null) expect(started.data.runId).toBe(summary.runId);
    expect(progress.some((p) => p.runId === summary.runId)).toBe(true);
    const total = server.store.count('customer') + server.store.count('vehicle') + server.store.count('repair_order');
    expect(summary.counts.inserted).toBe(total);
    const runs = await call(services, supervisor, 'dms.runs', { sourceId });
    expect(runs).toMatchObject({ ok: true, data: [{ id: summary.runId, status: 'succeeded', mode: 'incremental', counts: { inserted: total } }] });
  });

  it('a second sync now while one runs is CONFLICT; cancel stops the run, which ends as cancelled', async () => {
    server.store.upsert('customer', { dms_id: 'C0000004', city: '惠州' });
    server.setFaults({ mode: 'slow', count: -1, delayMs: 60_000, match: '/customers' });
    try {
      const done = nextFinished();
      const started = await call(services, supervisor, 'dms.syncNow', { sourceId });
      expect(started.ok).toBe(true);
      const again = await call(services, supervisor, 'dms.syncNow', { sourceId });
      expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect(await call(services, supervisor, 'dms.sources.list', {})).toMatchObject({ ok: true, data: [{ id: sourceId, running: true }] });
      expect(await call(services, agent, 'dms.cancel', { sourceId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await call(services, supervisor, 'dms.cancel', { sourceId })).toMatchObject({ ok: true, data: { cancelled: true } });
      const summary = await done;
      expect(summary.status).toBe('cancelled');
      expect(await call(services, supervisor, 'dms.runs', { sourceId, limit: 1 })).toMatchObject({ ok: true, data: [{ id: summary.runId, status: 'cancelled' }] });
      expect(await call(services, supervisor, 'dms.cancel', { sourceId })).toMatchObject({ ok: true, data: { cancelled: false } });
    } finally {
      server.setFaults({ mode: 'none' });
    }
    // The next run picks up what the cancelled one did not get to.
    const done = nextFinished();
    await call(services, supervisor, 'dms.syncNow', { sourceId });
    expect(await done).toMatchObject({ status: 'succeeded', counts: { updated: 1 } });
  });

  it('sync now of an unknown source is NOT_FOUND at sourceId', async () => {
    const r = await call(services, supervisor, 'dms.syncNow', { sourceId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', issues: [{ path: 'sourceId' }] } });
  });

  it('diff: a record changed in the DMS is listed as DMS-newer with the field; importing it clears the bucket', async () => {
    server.store.upsert('customer', { dms_id: 'C0000003', city: '韶关' });
    const diff = await call(services, supervisor, 'dms.diff', { sourceId, refresh: true, bucket: 'dms_newer' });
    if (!diff.ok) throw new Error(diff.error.message.en);
    expect(diff.data.counts.dms_newer).toBe(1);
    expect(diff.data.items).toHaveLength(1);
    expect(diff.data.items[0]).toMatchObject({ entity: 'customer', dmsId: 'C0000003', fields: [{ field: 'city', dms: '韶关', label: { zh: '城市' } }] });
    const searched = await call(services, supervisor, 'dms.diff', { sourceId, bucket: 'dms_newer', q: '不存在的' });
    expect(searched).toMatchObject({ ok: true, data: { total: 0, items: [] } });

    const excel = await call(services, supervisor, 'dms.diff.export', { sourceId, bucket: 'dms_newer' });
    if (!excel.ok) throw new Error(excel.error.message.en);
    expect(excel.data.rows).toBe(1);
    expect(excel.data.fileName).toMatch(/^DMS差异_DMS较新_\d{8}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Uint8Array.from(Buffer.from(excel.data.base64, 'base64')).buffer);
    expect(workbook.worksheets[0]?.getRow(2).values).toEqual([undefined, '客户', expect.any(String), 'C0000003', '城市', expect.any(String), '韶关', expect.any(String)]);

    const none = await call(services, supervisor, 'dms.diff.import', { sourceId });
    expect(none).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path: 'items' }] } });
    const imported = await call(services, supervisor, 'dms.diff.import', { sourceId, items: [{ entity: 'customer', dmsId: 'C0000003' }] });
    expect(imported).toMatchObject({ ok: true, data: { status: 'succeeded', counts: { updated: 1 } } });
    const after = await call(services, supervisor, 'dms.diff', { sourceId, refresh: true, bucket: 'dms_newer' });
    expect(after).toMatchObject({ ok: true, data: { counts: { dms_newer: 0 } } });
  });

  it('an unreachable DMS makes the diff UNAVAILABLE with a readable reason', async () => {
    const saved = await call(services, admin, 'dms.sources.save', { name: '停用的 DMS', kind: 'rest', baseUrl: 'http://127.0.0.1:9', apiKey: 'k', attempts: 1, timeoutMs: 500 });
    if (!saved.ok) throw new Error(saved.error.message.en);
    const r = await call(services, supervisor, 'dms.diff', { sourceId: saved.data.id, refresh: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it('file wizard: an unreadable file is a field error; a GBK CSV previews, imports, and its bad row is quarantined with a reason', async () => {
    const saved = await call(services, admin, 'dms.sources.save', { name: '月度导出', kind: 'file' });
    if (!saved.ok) throw new Error(saved.error.message.en);
    const fileSource = saved.data.id;
    const empty = await call(services, supervisor, 'dms.file.preview', { sourceId: fileSource, fileName: 'x.csv', base64: Buffer.from(' ').toString('base64') });
    expect(empty).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path: 'base64' }] } });

    const text = ['客户姓名,手机,VIN,车型,维修日期,维修类别,金额', '周杰,13911112222,LHGCM56707A000077,雅阁,2024/3/1,保养,300', '吴磊,1391111,LHGCM56707A000078,飞度,2024/3/2,保养,300'].join('\n');
    const base64 = iconv.encode(text, 'gbk').toString('base64');
    const preview = await call(services, supervisor, 'dms.file.preview', { sourceId: fileSource, fileName: '导出.csv', base64 });
    if (!preview.ok) throw new Error(preview.error.message.en);
    expect(preview.data).toMatchObject({ format: 'csv', encoding: 'gb18030', rows: 2, proposal: { missing: [] } });
    expect(preview.data.problems).toHaveLength(1);

    const incomplete = await call(services, supervisor, 'dms.file.import', { sourceId: fileSource, base64, mapping: { mobile: '手机' } });
    expect(incomplete).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path: 'mapping' }] } });

    const done = nextFinished();
    const started = await call(services, supervisor, 'dms.file.import', { sourceId: fileSource, base64, mapping: preview.data.proposal.mapping });
    expect(started.ok).toBe(true);
    const run = await done;
    expect(run).toMatchObject({ sourceId: fileSource, status: 'succeeded', counts: { quarantined: 1 } });

    const quarantined = await call(services, supervisor, 'dms.quarantine.list', { runId: run.runId });
    if (!quarantined.ok) throw new Error(quarantined.error.message.en);
    expect(quarantined.data).toHaveLength(1);
    expect(quarantined.data[0]?.reason.zh).toContain('手机');
    expect(quarantined.data[0]?.raw).toContain('1391111');
    expect(await call(services, agent, 'dms.quarantine.dismiss', { ids: [quarantined.data[0]?.id] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call(services, supervisor, 'dms.quarantine.dismiss', { ids: quarantined.data.map((q) => q.id) })).toMatchObject({ ok: true, data: { dismissed: 1 } });
    expect(await call(services, supervisor, 'dms.quarantine.list', { runId: run.runId })).toMatchObject({ ok: true, data: [] });
  });

  it('conflicts: a workstation edit the DMS also changed is listed with both values and resolved by taking the DMS value', async () => {
    const handle = services.handle;
    await handle.db.updateTable('customer').set({ mobile: '13500000005' }).where('dms_id', '=', 'C0000005').execute();
    server.store.upsert('customer', { dms_id: 'C0000005', mobile: '13600000005' });
    const done = nextFinished();
    await call(services, supervisor, 'dms.syncNow', { sourceId });
    expect(await done).toMatchObject({ status: 'succeeded', counts: { conflicts: 1 } });
    const list = await call(services, supervisor, 'dms.conflicts.list', {});
    if (!list.ok) throw new Error(list.error.message.en);
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({ field: 'mobile', localValue: '13500000005', dmsValue: '13600000005', fieldLabel: { zh: '手机' } });
    expect(list.data[0]?.label).toContain('13500000005');
    const id = list.data[0]?.id ?? '';
    const resolved = await call(services, supervisor, 'dms.conflicts.resolve', { id, choice: 'took_dms' });
    expect(resolved.ok ? null : resolved.error).toBeNull();
    expect(await call(services, supervisor, 'dms.conflicts.resolve', { id, choice: 'took_dms' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const c = await handle.db.selectFrom('customer').select('mobile').where('dms_id', '=', 'C0000005').executeTakeFirstOrThrow();
    expect(c.mobile).toBe('13600000005');
  });
});
