import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileConnector, readFileImport } from '../../../main/dms/file/adapter';
import { proposeMapping } from '../../../main/dms/file/mapping';
import { readTable } from '../../../main/dms/file/table';
import { runSync } from '../../../main/dms/sync/engine';
import { tempDir } from '../../support/db';
import { workstation } from './support';

const HEADER = ['客户编号', '客户姓名', '性别', '手机', '车牌号', 'VIN', '车型', '购车日期', '工单号', '维修日期', '维修类别', '金额（元）', '服务顾问'];
const ROWS = [
  ['K001', '王建国', '男', '138 0013 8000', '粤A12345', 'LHGCM56707A000001', '雅阁', '2019-03-08', 'RO1001', '2024-01-05', '保养', '1,280.50', '陈顾问'],
  ['K001', '王建国', '男', '138 0013 8000', '粤A12345', 'LHGCM56707A000001', '雅阁', '2019-03-08', 'RO1002', '2024/6/7', '维修', '￥3200', '陈顾问'],
  ['K002', '李丽', '女', '13912345678', '粤B54321', 'LHGGK5874K8000002', '飞度', '2021年4月1日', 'RO1003', '2024年2月29日', '首保', '0', '李顾问'],
  ['K003', '张伟', '男', '12345', '粤A00001', 'LHGGK5874K8000003', '缤智', '2020-01-01', 'RO1004', '2024-03-01', '保养', '500', '李顾问'],
  ['K004', '赵敏', '女', '13711112222', '粤A00002', 'LHGGK5874K8000004', '思域', '2020-01-01', 'RO1005', '2024-13-01', '保养', '500', '李顾问'],
  ['K005', '孙强', '男', '13611112222', '粤A00003', 'LHGGK5874K8000005', 'CR-V', '2020-01-01', 'RO1006', '2024-03-02', '洗车', '50', '李顾问'],
];

function csv(rows: string[][]): string {
  return rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n');
}

describe('file import: GBK CSV and XLSX exports with Chinese headers', () => {
  const tmp = tempDir('dms-file-');
  afterAll(() => tmp.cleanup());

  it('reads a GBK CSV, proposes the mapping from Chinese headers, imports good rows and quarantines bad ones per row', async () => {
    const bytes = new Uint8Array(iconv.encode(csv([HEADER, ...ROWS]), 'gbk'));
    const table = await readTable(bytes);
    expect(table.encoding).toBe('gb18030');
    expect(table.headers).toEqual(HEADER);
    const proposal = proposeMapping(table.headers);
    expect(proposal.mapping).toMatchObject({
      customer_dms_id: '客户编号', name: '客户姓名', gender: '性别', mobile: '手机', plate: '车牌号', vin: 'VIN', model: '车型',
      purchase_date: '购车日期', ro_no: '工单号', opened_on: '维修日期', category: '维修类别', total_yuan: '金额（元）', advisor: '服务顾问',
    });
    expect(proposal.missing).toEqual([]);

    const ws = await workstation(tmp.dir, 'gbk.sqlite', 'file');
    try {
      const file = await readFileImport(bytes, proposal.mapping);
      const run = await runSync(ws.handle, ws.dealerId, createFileConnector(file), { sourceId: ws.sourceId, mode: 'file', trigger: 'manual' });
      expect(run.status).toBe('succeeded');
      expect(run.counts.quarantined).toBe(3);
      const customers = await ws.handle.db.selectFrom('customer').select(['dms_id', 'name', 'mobile', 'gender']).orderBy('dms_id').execute();
      expect(customers).toEqual([
        { dms_id: 'K001', name: '王建国', mobile: '13800138000', gender: 'M' },
        { dms_id: 'K002', name: '李丽', mobile: '13912345678', gender: 'F' },
      ]);
      const orders = await ws.handle.db.selectFrom('repair_order').select(['ro_no', 'opened_on', 'category', 'total_fen']).orderBy('ro_no').execute();
      expect(orders).toEqual([
        { ro_no: 'RO1001', opened_on: '2024-01-05', category: 'maintenance', total_fen: 128050 },
        { ro_no: 'RO1002', opened_on: '2024-06-07', category: 'repair', total_fen: 320000 },
        { ro_no: 'RO1003', opened_on: '2024-02-29', category: 'first_service', total_fen: 0 },
      ]);
      const vehicle = await ws.handle.db.selectFrom('vehicle').select(['purchase_date', 'plate']).where('vin', '=', 'LHGGK5874K8000002').executeTakeFirstOrThrow();
      expect(vehicle).toEqual({ purchase_date: '2021-04-01', plate: '粤B54321' });
      const q = await ws.handle.db.selectFrom('dms_quarantine').select(['ref', 'reason_zh', 'reason_en', 'raw']).orderBy('ref').execute();
      expect(q.map((r) => [r.ref, r.reason_en])).toEqual([
        ['第 5 行 / row 5', 'mobile: mobile "12345" should have 11 digits starting with 1'],
        ['第 6 行 / row 6', 'repair date: is not a valid date'],
        ['第 7 行 / row 7', 'repair category: repair category "洗车" is not known'],
      ]);
      expect(q[0]?.reason_zh).toBe('手机：手机号“12345”应为 11 位，以 1 开头');
      expect(JSON.parse(q[0]?.raw ?? '{}')).toMatchObject({ 客户姓名: '张伟', 手机: '12345' });
      // Importing the same file again changes nothing.
      const again = await runSync(ws.handle, ws.dealerId, createFileConnector(file), { sourceId: ws.sourceId, mode: 'file', trigger: 'manual' });
      expect(again.counts.inserted + again.counts.updated).toBe(0);
      expect(await ws.handle.db.selectFrom('dms_quarantine').select('id').execute()).toHaveLength(3);
    } finally {
      ws.handle.close();
    }
  });

  it('reads UTF-8 with a BOM and tab separators, and GB18030-only characters', async () => {
    const text = `\uFEFF${[HEADER.join('\t'), ROWS[0]?.map((c, i) => (i === 1 ? '𠀀王' : c)).join('\t')].join('\n')}`;
    const utf8 = await readTable(new Uint8Array(Buffer.from(text, 'utf8')));
    expect(utf8.encoding).toBe('utf-8');
    expect(utf8.rows[0]?.cells[1]).toBe('𠀀王');
    const gb = await readTable(new Uint8Array(iconv.encode(text.replace(/^\uFEFF/, ''), 'gb18030')));
    expect(gb.encoding).toBe('gb18030');
    expect(gb.rows[0]?.cells[1]).toBe('𠀀王');
  });

  it('reads an XLSX made by exceljs with Date cells, Excel serial dates and numbers, with a title row above the header', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('维修记录');
    sheet.addRow(['某某本田 4S 店 维修记录导出']);
    sheet.addRow(['客户姓名', '手机号码', 'VIN码', '车型', '维修日期', '维修类型', '结算金额', '行驶里程']);
    sheet.addRow(['陈晓东', 13800001111, 'LHGCM56707A000009', '雅阁', new Date(Date.UTC(2024, 0, 5)), '定保', 880.5, 35000]);
    // Serial 45300 is 2024-01-09 (45292 = 2024-01-01).
    sheet.addRow(['陈晓东', '13800001111', 'LHGCM56707A000009', '雅阁', 45300, '钣喷', '1200', '36,000']);
    sheet.addRow(['', '13800002222', 'LHGCM56707A000010', '飞度', '2024-02-01', '保养', 100, 100]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const table = await readTable(bytes);
    expect(table.format).toBe('xlsx');
    const proposal = proposeMapping(table.headers);
    expect(proposal.mapping).toMatchObject({ name: '客户姓名', mobile: '手机号码', vin: 'VIN码', opened_on: '维修日期', category: '维修类型', total_yuan: '结算金额', mileage_km: '行驶里程' });
    const ws = await workstation(tmp.dir, 'xlsx.sqlite', 'file');
    try {
      const run = await runSync(ws.handle, ws.dealerId, createFileConnector(await readFileImport(bytes, proposal.mapping)), { sourceId: ws.sourceId, mode: 'file', trigger: 'manual' });
      expect(run.counts.quarantined).toBe(1);
      const orders = await ws.handle.db.selectFrom('repair_order').select(['opened_on', 'category', 'total_fen', 'mileage_km']).orderBy('opened_on').execute();
      expect(orders).toEqual([
        { opened_on: '2024-01-05', category: 'maintenance', total_fen: 88050, mileage_km: 35000 },
        { opened_on: '2024-01-09', category: 'bodywork', total_fen: 120000, mileage_km: 36000 },
      ]);
      const q = await ws.handle.db.selectFrom('dms_quarantine').select(['ref', 'reason_en']).execute();
      expect(q).toEqual([{ ref: '第 5 行 / row 5', reason_en: 'customer name: is missing' }]);
    } finally {
      ws.handle.close();
    }
  });

  it('refuses a mapping without the columns an import needs, with a bilingual reason', async () => {
    const bytes = new Uint8Array(Buffer.from('车牌号,维修日期\n粤A1,2024-01-01\n', 'utf8'));
    const table = await readTable(bytes);
    const proposal = proposeMapping(table.headers);
    expect(proposal.missing).toEqual(expect.arrayContaining(['name', 'mobile', 'vin']));
    await expect(readFileImport(bytes, proposal.mapping)).rejects.toMatchObject({ code: 'DMS_BAD_FILE', userMessage: { zh: expect.stringContaining('客户姓名') } });
  });
});
