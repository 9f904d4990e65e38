import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../db/ids';
import { tempDir } from '../../support/db';
import { createFixture, customersApi, errorOf, ok, staffContext, VINS, type Fixture } from './fixture';

let scratch: ReturnType<typeof tempDir>;
let fx: Fixture;
let api: ReturnType<typeof customersApi>;

beforeAll(async () => {
  scratch = tempDir();
  fx = await createFixture(scratch.dir);
  api = customersApi(fx.handle);
});
afterAll(() => {
  fx.handle.close();
  scratch.cleanup();
});

async function search(q: string, limit?: number) {
  return ok(await api.call(staffContext(fx.store), 'customers.search', limit === undefined ? { q } : { q, limit }));
}
const names = (items: { name: string }[]) => items.map((i) => i.name);

describe('customers.search', () => {
  it('puts the exact name first, then longer names with that prefix; never deleted or other dealers’ customers', async () => {
    const { items, more } = await search('张伟');
    expect(items.map((i) => [i.id, i.matchedOn])).toEqual([
      [fx.ids.zhangWei, 'name'],
      [fx.ids.zhangWeiMing, 'name'],
    ]);
    expect(more).toBe(false);
    expect(items[0]).toMatchObject({ mobile: '13812345678', memberTier: 'gold', plates: ['粤A12345'], models: ['Accord'] });
  });

  it('finds by the first character of a name, ordered by name', async () => {
    expect(names((await search('张')).items)).toEqual(['张伟', '张伟明']);
  });

  it('finds by a part of a name from three characters on', async () => {
    const { items } = await search('阳晓明');
    expect(items.map((i) => [i.id, i.matchedOn])).toEqual([[fx.ids.ouyang, 'name']]);
  });

  it('finds a full mobile exactly however it is written', async () => {
    for (const q of ['13812345678', '138 1234 5678', '+86 138-1234-5678']) {
      const { items } = await search(q);
      expect(items.map((i) => [i.id, i.matchedOn]), q).toEqual([[fx.ids.zhangWei, 'phone']]);
    }
  });

  it('finds by the second phone (a landline) exactly', async () => {
    const { items } = await search('020-8765 4321');
    expect(items.map((i) => [i.id, i.matchedOn])).toEqual([[fx.ids.zhangWeiMing, 'phone']]);
  });

  it('finds by the start of a mobile, in number order', async () => {
    const { items } = await search('1381234');
    expect(items.map((i) => [i.name, i.mobile, i.matchedOn])).toEqual([
      ['张伟', '13812345678', 'phone'],
      ['张伟明', '13812349999', 'phone'],
    ]);
  });

  it('finds by the last four digits of a mobile, and says when those digits were on a plate instead', async () => {
    const { items } = await search('5678');
    expect(items.map((i) => [i.name, i.matchedOn])).toEqual([
      ['张伟', 'phone'],
      ['李娜', 'phone'],
      ['王小明', 'plate'],
    ]);
  });

  it('finds by a full plate, a plate prefix with its province, and a plate without its province in any case', async () => {
    expect((await search('粤A12345')).items.map((i) => [i.id, i.matchedOn])).toEqual([[fx.ids.zhangWei, 'plate']]);
    expect(names((await search('粤A')).items)).toEqual(['张伟', '王小明']);
    expect((await search('粤AD')).items.map((i) => [i.name, i.plates])).toEqual([['王小明', ['粤E5678A', '粤AD12345']]]);
    for (const q of ['A12345', 'a12345']) {
      expect((await search(q)).items.map((i) => [i.id, i.matchedOn]), q).toEqual([[fx.ids.zhangWei, 'plate']]);
    }
  });

  it('finds by a full VIN and by its last six characters', async () => {
    expect((await search(VINS.zhangWeiMing)).items.map((i) => [i.id, i.matchedOn])).toEqual([[fx.ids.zhangWeiMing, 'vin']]);
    expect((await search(VINS.wangXiaoMing2.slice(-6))).items.map((i) => [i.id, i.matchedOn])).toEqual([
      [fx.ids.wangXiaoMing, 'vin'],
    ]);
    expect((await search(VINS.otherDealer)).items).toEqual([]);
  });

  it('reports a match across fields as text', async () => {
    expect((await search('张伟明 1381')).items.map((i) => [i.id, i.matchedOn])).toEqual([[fx.ids.zhangWeiMing, 'text']]);
  });

  it('treats quotes and FTS operators in the query as plain text', async () => {
    for (const q of ['"张伟', 'AND OR NOT', 'a*b', '(x)', "O'Brien"]) {
      expect((await search(q)).items, q).toEqual([]);
    }
  });

  it('returns at most `limit` hits and says when there are more', async () => {
    const at = '2025-01-01T00:00:00.000Z';
    const rows = Array.from({ length: 30 }, (_, i) => ({
      id: newId(),
      dealer_id: fx.store.dealerId,
      name: `测试客户${String(i).padStart(2, '0')}`,
      created_at: at,
      updated_at: at,
    }));
    await fx.handle.db.insertInto('customer').values(rows).execute();
    const first = await search('测试', 10);
    expect(names(first.items)).toEqual(rows.slice(0, 10).map((r) => r.name));
    expect(first.more).toBe(true);
    const all = await search('测试客户', 30);
    expect(all.items).toHaveLength(30);
    expect(all.more).toBe(false);
    const again = await search('测试', 10);
    expect(again).toEqual(first);
  });

  it('searches only the signed-in staff member’s dealer', async () => {
    const other = staffContext(fx.store, 'agent', fx.otherDealerId);
    const { items } = ok(await api.call(other, 'customers.search', { q: '张伟' }));
    expect(items.map((i) => [i.id, i.plates])).toEqual([[fx.ids.otherDealer, ['粤B12345']]]);
  });

  it('rejects an empty or overlong query at the field, and a limit out of range', async () => {
    expect(errorOf(await api.call(staffContext(fx.store), 'customers.search', { q: '   ' })).issues?.map((i) => i.path)).toEqual(['q']);
    expect(errorOf(await api.call(staffContext(fx.store), 'customers.search', { q: 'x'.repeat(65) })).code).toBe('VALIDATION');
    const bad = errorOf(await api.call(staffContext(fx.store), 'customers.search', { q: '张', limit: 0 }));
    expect(bad.issues?.map((i) => i.path)).toEqual(['limit']);
  });
});
