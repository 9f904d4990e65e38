import { copyFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/connection';
import { DmsError, type DmsConnector } from '../../../main/dms/connector';
import { createFileConnector, readFileImport } from '../../../main/dms/file/adapter';
import { proposeMapping } from '../../../main/dms/file/mapping';
import { readTable } from '../../../main/dms/file/table';
import { runSync } from '../../../main/dms/sync/engine';
import { tempDir } from '../../support/db';
import { workstation, type Workstation } from './support';

const HEADER = ['客户编号', '客户姓名', '手机', 'VIN', '车型', '工单号', '维修日期', '维修类别', '金额', '服务顾问'];
const SAFE = [...'王李张伟芳 ,"\'\n;|ab1-（）😀'];
const text = (min: number, max: number) => fc.array(fc.constantFrom(...SAFE), { minLength: min, maxLength: max }).map((a) => a.join(''));

interface Cell { value: string; good: boolean }
const cell = (good: fc.Arbitrary<string>, bad: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 4, arbitrary: good.map((value) => ({ value, good: true })) }, { weight: 1, arbitrary: bad.map((value) => ({ value, good: false })) });

const rowArb = fc.record({
  name: cell(text(1, 20).filter((s) => s.trim() !== ''), fc.constantFrom('', '   ', 'x'.repeat(41))),
  mobile: cell(fc.integer({ min: 3, max: 9 }).chain((d) => fc.stringMatching(/^\d{9}$/).map((r) => `1${d}${r}`)), fc.constantFrom('12345', '2381234567', 'abc', '1380013800')),
  vin: cell(fc.stringMatching(/^[A-HJ-NPR-Z0-9]{11}$/), fc.constantFrom('LHGCM56707A00001', 'LHGCM56707A0000O1', '?')),
  date: cell(
    fc.date({ min: new Date('2000-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).chain((d) =>
      fc.constantFrom(d.toISOString().slice(0, 10), `${d.getUTCFullYear()}/${d.getUTCMonth() + 1}/${d.getUTCDate()}`, `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`),
    ),
    fc.constantFrom('2024-02-30', '2024-13-01', '明天', '32/1/2024'),
  ),
  category: cell(fc.constantFrom('保养', '首保', '维修', '钣喷', '保修', '精品', '其他'), fc.constantFrom('洗车', '???')),
  amount: cell(fc.integer({ min: 0, max: 10_000_000 }).map((fen) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`), fc.constantFrom('12.345', 'abc', '1e5')),
  advisor: cell(text(0, 10), fc.constant('\u0001坏')),
});

function toCsv(rows: string[][]): string {
  return rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n');
}

describe('fuzzed imports: never a crash, every bad row quarantined with a reason, every good row imported', () => {
  const tmp = tempDir('dms-prop-');
  let template: Workstation;
  let n = 0;
  beforeAll(async () => {
    template = await workstation(tmp.dir, 'template.sqlite', 'file');
    template.handle.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  });
  afterAll(() => {
    template.handle.close();
    tmp.cleanup();
  });
  const fresh = () => {
    const file = path.join(tmp.dir, `p${++n}.sqlite`);
    copyFileSync(template.file, file);
    return openDatabase(file);
  };

  it('CSV files (UTF-8 or GBK) of mixed good and bad rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 25 }), fc.boolean(), async (rows, gbk) => {
        // Good VINs: "LHG" + a 3-digit row index (unique per file) + 11 random valid characters = 17.
        const vin = (r: (typeof rows)[number], i: number) => (r.vin.good ? `LHG${String(i).padStart(3, '0')}${r.vin.value}` : r.vin.value);
        const lines = rows.map((r, i) => [`K${i}`, r.name.value, r.mobile.value, vin(r, i), '雅阁', `RO${i}`, r.date.value, r.category.value, r.amount.value, r.advisor.value]);
        const csvText = toCsv([HEADER, ...lines]);
        const bytes = new Uint8Array(gbk ? iconv.encode(csvText.replace(/😀/g, '好'), 'gbk') : Buffer.from(csvText, 'utf8'));
        const table = await readTable(bytes);
        const file = await readFileImport(bytes, proposeMapping(table.headers).mapping);
        const handle = fresh();
        try {
          const run = await runSync(handle, template.dealerId, createFileConnector(file), { sourceId: template.sourceId, mode: 'file', trigger: 'manual', pageSize: 7 });
          expect(run.status).toBe('succeeded');
          const goodRows = rows.map((r, i) => (Object.values(r).every((c: Cell) => c.good) ? i : -1)).filter((i) => i >= 0);
          const badRows = rows.map((_, i) => i).filter((i) => !goodRows.includes(i));
          const customers = handle.sqlite.prepare('select dms_id from customer order by dms_id').pluck().all();
          expect(customers).toEqual(goodRows.map((i) => `K${i}`).sort());
          const orders = handle.sqlite.prepare('select ro_no from repair_order order by ro_no').pluck().all();
          expect(orders).toEqual(goodRows.map((i) => `RO${i}`).sort());
          const q = handle.sqlite.prepare<[], { ref: string; reason_zh: string; reason_en: string }>('select ref, reason_zh, reason_en from dms_quarantine').all();
          expect(q.map((r) => r.ref).sort()).toEqual(badRows.map((i) => `第 ${i + 2} 行 / row ${i + 2}`).sort());
          for (const r of q) {
            expect(r.reason_zh.length).toBeGreaterThan(3);
            expect(r.reason_en.length).toBeGreaterThan(3);
          }
        } finally {
          handle.close();
        }
      }),
      { numRuns: 40, seed: 20261123 },
    );
  });

  it('arbitrary bytes as a file: a clear DMS_BAD_FILE or a clean import, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }),
          fc.uint8Array({ maxLength: 300 }).map((b) => new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...b])),
          fc.array(fc.array(fc.string({ maxLength: 12 }), { maxLength: 6 }), { maxLength: 8 }).map((rows) => new Uint8Array(Buffer.from([HEADER, ...rows].map((r) => r.join(',')).join('\n')))),
        ),
        async (bytes) => {
          try {
            const table = await readTable(bytes);
            const proposal = proposeMapping(table.headers);
            if (proposal.missing.length > 0) return;
            const file = await readFileImport(bytes, proposal.mapping);
            const handle = fresh();
            try {
              const run = await runSync(handle, template.dealerId, createFileConnector(file), { sourceId: template.sourceId, mode: 'file', trigger: 'manual' });
              expect(run.status).toBe('succeeded');
              expect(run.counts.inserted + run.counts.updated + run.counts.unchanged + run.counts.quarantined).toBeGreaterThanOrEqual(table.rows.length > 0 ? 1 : 0);
            } finally {
              handle.close();
            }
          } catch (e) {
            expect(e).toBeInstanceOf(DmsError);
            if (e instanceof DmsError) expect(e.code).toBe('DMS_BAD_FILE');
          }
        },
      ),
      { numRuns: 120, seed: 7 },
    );
  });

  it('arbitrary JSON items from a DMS page: each is imported or quarantined, the run never fails', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.anything(), fc.record({ dms_id: fc.string(), name: fc.anything(), mobile: fc.anything(), birthday: fc.anything(), deleted_at: fc.option(fc.string()) })), { maxLength: 20 }), async (items) => {
        const connector: DmsConnector = {
          kind: 'rest',
          pull: async ({ entity }) => ({ items: entity === 'customer' ? items.map((raw, i) => ({ ref: `item ${i}`, raw })) : [], rejects: [], nextCursor: null }),
          listKeys: async () => ({ keys: [], nextCursor: null }),
          fetchByIds: async () => [],
        };
        const handle = fresh();
        try {
          const run = await runSync(handle, template.dealerId, connector, { sourceId: template.sourceId, mode: 'incremental', trigger: 'manual' });
          expect(run.status).toBe('succeeded');
          const c = run.counts;
          expect(c.inserted + c.updated + c.unchanged + c.deleted + c.quarantined).toBe(items.length);
        } finally {
          handle.close();
        }
      }),
      { numRuns: 80, seed: 11 },
    );
  });
});
