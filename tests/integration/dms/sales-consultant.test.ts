/**
 * The vehicle's sales consultant (销售顾问) from the DMS: over REST (reference server → sync → vehicle row,
 * and a reconciliation that finds nothing to report, so both sides hash the field alike), from GBK CSV and
 * XLSX exports whose "销售顾问" column maps by itself, a change in the DMS reaching the workstation, and
 * the upgrade: hashes of vehicles without a consultant are what they were, and 0019 re-reads vehicles.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/connection';
import { newId, nowIso } from '../../../db/ids';
import { migrateToLatest } from '../../../db/migrate';
import { createFileConnector, readFileImport } from '../../../main/dms/file/adapter';
import { proposeMapping } from '../../../main/dms/file/mapping';
import { readTable } from '../../../main/dms/file/table';
import { hashContent } from '../../../main/dms/hash';
import { computeDiff } from '../../../main/dms/reconcile';
import { runSync } from '../../../main/dms/sync/engine';
import { buildFixture, SALES_CONSULTANTS } from '../../../tools/dms-server/fixture';
import { tempDir } from '../../support/db';
import { fastConnector, referenceServer, stopServer, workstation } from './support';

const HEADER = ['客户编号', '客户姓名', '手机', '车牌号', 'VIN', '车型', '购车日期', '销售顾问', '工单号', '维修日期', '维修类别', '金额', '服务顾问'];
const ROWS = [
  ['K001', '王建国', '13800138000', '粤A12345', 'LHGCM56707A000001', '雅阁', '2019-03-08', '何俊杰', 'RO1001', '2024-01-05', '保养', '500', '陈顾问'],
  ['K002', '李丽', '13912345678', '粤B54321', 'LHGGK5874K8000002', '飞度', '2021-04-01', '', 'RO1003', '2024-02-29', '首保', '0', '李顾问'],
];

describe('sales consultant from the DMS', () => {
  const tmp = tempDir('dms-consultant-');
  afterAll(() => tmp.cleanup());

  it('arrives over REST, and a reconciliation afterwards finds no difference', async () => {
    const fixture = buildFixture({ customers: 30, seed: 11 });
    const server = await referenceServer(tmp.dir, fixture);
    const ws = await workstation(tmp.dir, 'rest.sqlite');
    try {
      const run = await runSync(ws.handle, ws.dealerId, fastConnector(server), { sourceId: ws.sourceId, mode: 'incremental', trigger: 'manual' });
      expect(run.status).toBe('succeeded');
      const rows = ws.handle.sqlite.prepare<[], { dms_id: string; sales_consultant: string | null }>('select dms_id, sales_consultant from vehicle order by dms_id').all();
      expect(rows).toEqual(fixture.vehicles.map((v) => ({ dms_id: v.dms_id, sales_consultant: v.sales_consultant })).sort((a, b) => a.dms_id.localeCompare(b.dms_id)));
      expect(new Set(rows.map((r) => r.sales_consultant))).toEqual(new Set([...SALES_CONSULTANTS, null]));
      const diff = await computeDiff(ws.handle, ws.dealerId, fastConnector(server));
      expect(diff.counts).toEqual({ dms_newer: 0, ws_newer: 0, only_dms: 0, only_ws: 0 });

      // The DMS changes a car's consultant: the next sync brings it, and the diff showed the field before.
      const car = fixture.vehicles.find((v) => v.sales_consultant !== null);
      if (!car) throw new Error('no car with a consultant');
      server.store.upsert('vehicle', { dms_id: car.dms_id, sales_consultant: '新顾问' });
      const before = await computeDiff(ws.handle, ws.dealerId, fastConnector(server), { entities: ['vehicle'] });
      expect(before.items.map((i) => [i.bucket, i.dmsId, i.fields])).toEqual([['dms_newer', car.dms_id, [{ field: 'sales_consultant', dms: '新顾问', local: car.sales_consultant }]]]);
      const again = await runSync(ws.handle, ws.dealerId, fastConnector(server), { sourceId: ws.sourceId, mode: 'incremental', trigger: 'manual' });
      expect(again.counts.updated).toBe(1);
      expect(ws.handle.sqlite.prepare('select sales_consultant from vehicle where dms_id = ?').pluck().get(car.dms_id)).toBe('新顾问');
    } finally {
      ws.handle.close();
      await stopServer(server);
    }
  });

  it('maps a GBK CSV column 销售顾问 by itself and imports it (an empty cell is no consultant)', async () => {
    const csv = [HEADER, ...ROWS].map((r) => r.join(',')).join('\r\n');
    const bytes = new Uint8Array(iconv.encode(csv, 'gbk'));
    const proposal = proposeMapping((await readTable(bytes)).headers);
    expect(proposal.mapping).toMatchObject({ sales_consultant: '销售顾问', advisor: '服务顾问', purchase_date: '购车日期' });
    const ws = await workstation(tmp.dir, 'gbk.sqlite', 'file');
    try {
      const run = await runSync(ws.handle, ws.dealerId, createFileConnector(await readFileImport(bytes, proposal.mapping)), { sourceId: ws.sourceId, mode: 'file', trigger: 'manual' });
      expect(run.status).toBe('succeeded');
      expect(ws.handle.sqlite.prepare('select vin, sales_consultant from vehicle order by vin').raw().all()).toEqual([
        ['LHGCM56707A000001', '何俊杰'],
        ['LHGGK5874K8000002', null],
      ]);
      // The repair order keeps its own 服务顾问.
      expect(ws.handle.sqlite.prepare(`select advisor from repair_order where ro_no = 'RO1001'`).pluck().get()).toBe('陈顾问');
    } finally {
      ws.handle.close();
    }
  });

  it('maps and imports the column from an XLSX export too', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('车辆');
    sheet.addRow(['客户编号', '客户姓名', '手机', 'VIN', '车型', '销售顾问（姓名）']);
    sheet.addRow(['K009', '周敏', '13711112222', 'LHGGK5874K8000009', '思域', '郑婉婷']);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const proposal = proposeMapping((await readTable(bytes)).headers);
    expect(proposal.mapping.sales_consultant).toBe('销售顾问（姓名）');
    const ws = await workstation(tmp.dir, 'xlsx.sqlite', 'file');
    try {
      await runSync(ws.handle, ws.dealerId, createFileConnector(await readFileImport(bytes, proposal.mapping)), { sourceId: ws.sourceId, mode: 'file', trigger: 'manual' });
      expect(ws.handle.sqlite.prepare('select sales_consultant from vehicle').pluck().all()).toEqual(['郑婉婷']);
    } finally {
      ws.handle.close();
    }
  });

  it('leaves the hash of a vehicle without a consultant as it was before the field existed', () => {
    const vehicle = {
      customer_dms_id: 'C1', vin: 'LHGCM56707A000001', plate: '粤A12345', model: '雅阁', model_year: 2019, color: '白',
      purchase_date: '2019-03-08', purchased_here: true, mileage_km: 35000, mileage_date: '2024-01-05',
    };
    const before = createHash('sha1').update(JSON.stringify(Object.values(vehicle))).digest('hex');
    expect(hashContent('vehicle', { ...vehicle, sales_consultant: null })).toBe(before);
    expect(hashContent('vehicle', vehicle)).toBe(before);
    expect(hashContent('vehicle', { ...vehicle, sales_consultant: '何俊杰' })).not.toBe(before);
  });

  it('migration 0019 clears the vehicles’ watermarks only, so the next sync reads every vehicle once', async () => {
    const dealerId = newId();
    const file = path.join(tmp.dir, 'upgrade.sqlite');
    const old = openDatabase(file);
    try {
      await migrateToLatest(old.db, '0018-campaign-sms-touch');
      const at = nowIso();
      old.sqlite.prepare(`insert into dealer (id, code, name, brand, created_at, updated_at) values (?, 'D', '店', 'Honda', ?, ?)`).run(dealerId, at, at);
      old.sqlite.prepare(`insert into dms_source (id, dealer_id, name, kind, config, created_at, updated_at) values ('S', ?, 'DMS', 'rest', '{}', ?, ?)`).run(dealerId, at, at);
      for (const entity of ['customer', 'vehicle', 'repair_order']) {
        old.sqlite.prepare(`insert into dms_sync_state (dealer_id, source_id, entity, watermark, since, cursor, run_id, updated_at) values (?, 'S', ?, ?, null, 'c', null, ?)`).run(dealerId, entity, at, at);
      }
      await migrateToLatest(old.db);
      expect(old.sqlite.prepare('select entity, watermark, cursor from dms_sync_state order by entity').raw().all()).toEqual([
        ['customer', at, 'c'],
        ['repair_order', at, 'c'],
        ['vehicle', null, null],
      ]);
    } finally {
      old.close();
    }
  });
});
