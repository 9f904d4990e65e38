import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../../db/ids';
import type { ContactEventKind } from '../../../db/schema';
import type { RequestOutput } from '../../../preload/contract';
import { tempDir } from '../../support/db';
import { createFixture, customersApi, errorOf, fakeClock, ok, staffContext, type Fixture } from './fixture';

let scratch: ReturnType<typeof tempDir>;
let fx: Fixture;
let api: ReturnType<typeof customersApi>;

beforeEach(async () => {
  scratch = tempDir();
  fx = await createFixture(scratch.dir);
  api = customersApi(fx.handle, fakeClock('2026-03-01T17:30:00.000Z'));
});
afterEach(() => {
  fx.handle.close();
  scratch.cleanup();
});

const agent = () => staffContext(fx.store, 'agent');

async function seedEvents(customerId: string) {
  // Several entries share a timestamp: paging must still neither repeat nor skip one.
  const times = ['2025-01-01T01:00:00.000Z', '2025-02-01T01:00:00.000Z', '2025-02-01T01:00:00.000Z', '2025-02-01T01:00:00.000Z', '2025-03-01T01:00:00.000Z', '2025-03-01T01:00:00.000Z', '2025-04-01T01:00:00.000Z'];
  const details = ['{"score":5}', 'not json', '[1,2]', null, '{"result":"已预约到店"}', '42', null];
  const kinds: ContactEventKind[] = ['survey', 'call_out', 'sms_out', 'note', 'call_out', 'call_in', 'note'];
  const rows = times.map((at, i) => ({
    id: newId(),
    dealer_id: fx.store.dealerId,
    customer_id: customerId,
    vehicle_id: null,
    kind: kinds[i] ?? 'note',
    occurred_at: at,
    staff_id: i % 2 === 0 ? fx.store.staff.supervisor.id : null,
    summary: `第${i + 1}条`,
    detail: details[i] ?? null,
    created_at: at,
  }));
  // Insert in shuffled order so the ids do not already sort like the timeline.
  for (const row of [rows[3], rows[0], rows[6], rows[2], rows[5], rows[1], rows[4]]) {
    if (row) await fx.handle.db.insertInto('contact_event').values(row).execute();
  }
  return rows;
}

describe('customers.timeline', () => {
  it('pages newest first by (occurred_at, id) without repeats or gaps, with staff names and parsed detail', async () => {
    const rows = await seedEvents(fx.ids.zhangWei);
    const expected = [...rows].sort((a, b) => (a.occurred_at === b.occurred_at ? (a.id < b.id ? 1 : -1) : a.occurred_at < b.occurred_at ? 1 : -1));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: RequestOutput<'customers.timeline'> = ok(
        await api.call(agent(), 'customers.timeline', { customerId: fx.ids.zhangWei, cursor, limit: 3 }),
      );
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(expected.map((r) => r.id));

    const all = ok(await api.call(agent(), 'customers.timeline', { customerId: fx.ids.zhangWei, limit: 50 }));
    const bySummary = Object.fromEntries(all.items.map((e) => [e.summary, e]));
    expect(bySummary['第1条']).toMatchObject({ kind: 'survey', staffName: '测试supervisor', detail: { score: 5 } });
    expect(bySummary['第2条']).toMatchObject({ staffName: null, detail: null });
    expect(bySummary['第3条']?.detail).toBeNull();
    expect(bySummary['第5条']?.detail).toEqual({ result: '已预约到店' });
    expect(bySummary['第6条']?.detail).toBeNull();
    expect(all.nextCursor).toBeNull();
  });

  it('rejects a forged cursor at the field, and an unknown customer with NOT_FOUND', async () => {
    const forged = ['2025-01-01T00:00:00.000Z', '|01ARZ3NDEKTSV4RRFFQ69G5FAV', '2025-01-01|not-an-id'].map((t) => Buffer.from(t).toString('base64url'));
    for (const cursor of ['garbage', '', ...forged]) {
      const bad = errorOf(await api.call(agent(), 'customers.timeline', { customerId: fx.ids.zhangWei, cursor }));
      expect([bad.code, bad.issues?.map((i) => i.path)], cursor).toEqual(['VALIDATION', ['cursor']]);
    }
    expect(errorOf(await api.call(agent(), 'customers.timeline', { customerId: fx.ids.otherDealer })).code).toBe('NOT_FOUND');
  });

  it('shows an edit as a profile_change entry at the top', async () => {
    ok(await api.call(agent(), 'customers.update', { id: fx.ids.zhangWei, version: 0, patch: { address: '天河区天河路385号' } }));
    const page = ok(await api.call(agent(), 'customers.timeline', { customerId: fx.ids.zhangWei }));
    expect(page.items[0]).toMatchObject({
      kind: 'profile_change',
      summary: '修改了 地址',
      staffName: '测试agent',
      detail: { address: { from: null, to: '天河区天河路385号' } },
    });
  });
});

describe('customers.exportSearch', () => {
  it('returns an .xlsx of the search with Chinese headers that reads back with exceljs', async () => {
    const file = ok(await api.call(agent(), 'customers.exportSearch', { q: '张' }));
    // 17:30 UTC on 1 March is already 2 March in China.
    expect(file.fileName).toBe('客户查询_20260302.xlsx');
    expect(file.rows).toBe(2);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Uint8Array.from(Buffer.from(file.base64, 'base64')).buffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(['姓名', '手机', '会员等级', '车牌', '车型']);
    expect(values(2)).toEqual(['张伟', '13812345678', '金卡会员', '粤A12345', 'Accord']);
    expect(values(3)).toEqual(['张伟明', '13812349999', '', '粤B88888', 'CR-V']);
    expect(sheet.rowCount).toBe(3);
  });

  it('exports an empty sheet with headers when nothing matches, and validates the query', async () => {
    const file = ok(await api.call(agent(), 'customers.exportSearch', { q: '无此人' }));
    expect(file.rows).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Uint8Array.from(Buffer.from(file.base64, 'base64')).buffer);
    expect(workbook.worksheets[0]?.rowCount).toBe(1);
    expect(errorOf(await api.call(agent(), 'customers.exportSearch', { q: '' })).issues?.map((i) => i.path)).toEqual(['q']);
  });
});
