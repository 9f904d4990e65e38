import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/db';
import { createFixture, customersApi, errorOf, ok, staffContext, type Fixture } from './fixture';

let scratch: ReturnType<typeof tempDir>;
let fx: Fixture;
let api: ReturnType<typeof customersApi>;

beforeEach(async () => {
  scratch = tempDir();
  fx = await createFixture(scratch.dir);
  api = customersApi(fx.handle);
});
afterEach(() => {
  fx.handle.close();
  scratch.cleanup();
});

const agent = () => staffContext(fx.store, 'agent');
const events = (customerId: string) =>
  fx.handle.db.selectFrom('contact_event').selectAll().where('customer_id', '=', customerId).orderBy('occurred_at').execute();

describe('customers.get', () => {
  it('returns the customer with vehicles, repair orders newest first with plate and model, and totals', async () => {
    const page = ok(await api.call(agent(), 'customers.get', { id: fx.ids.wangXiaoMing }));
    expect(page.customer).toMatchObject({ name: '王小明', city: '佛山', version: 0, responsibleStaff: null });
    expect(page.vehicles.map((v) => [v.plate, v.model, v.purchasedHere])).toEqual([
      ['粤AD12345', 'e:NP1', true],
      ['粤E5678A', 'Fit', true],
    ]);
    expect(page.repairOrders.map((r) => [r.roNo, r.plate, r.model])).toEqual([
      ['RO202405200003', '粤AD12345', 'e:NP1'],
      ['RO202311020002', '粤E5678A', 'Fit'],
      ['RO202001150001', '粤E5678A', 'Fit'],
    ]);
    expect(page.stats).toEqual({ visits: 3, totalFen: 550000, lastVisit: '2024-05-20' });
  });

  it('names the responsible staff member', async () => {
    const page = ok(await api.call(agent(), 'customers.get', { id: fx.ids.zhangWei }));
    expect(page.customer.responsibleStaff).toBe('测试agent');
    expect(page.stats).toEqual({ visits: 0, totalFen: 0, lastVisit: null });
  });

  it('answers NOT_FOUND for deleted, unknown and other dealers’ customers, VALIDATION for a malformed id', async () => {
    for (const id of [fx.ids.deleted, fx.ids.otherDealer, '01ARZ3NDEKTSV4RRFFQ69G5FAV']) {
      expect(errorOf(await api.call(agent(), 'customers.get', { id })).code).toBe('NOT_FOUND');
    }
    const bad = errorOf(await api.call(agent(), 'customers.get', { id: 'nope' }));
    expect([bad.code, bad.issues?.map((i) => i.path)]).toEqual(['VALIDATION', ['id']]);
  });

  it('refuses a caller without a signed-in staff member, in the dispatcher and in the handler itself', async () => {
    const anonymous = { connectionId: 'anon', host: 'browser' as const, staff: null };
    expect(errorOf(await api.call(anonymous, 'customers.get', { id: fx.ids.zhangWei })).code).toBe('UNAUTHENTICATED');
    const handler = api.handlers['customers.get'];
    if (!handler) throw new Error('customers.get has no handler');
    await expect(Promise.resolve().then(() => handler({ id: fx.ids.zhangWei }, anonymous))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });
});

describe('customers.update', () => {
  it('saves normalized values, bumps the version and writes one profile_change entry naming the fields', async () => {
    const saved = ok(
      await api.call(agent(), 'customers.update', {
        id: fx.ids.liNa,
        version: 0,
        patch: { mobile: '+86 139-0000-2222', city: ' 深圳 ', address: '' },
      }),
    );
    expect(saved).toMatchObject({ mobile: '13900002222', city: '深圳', address: null, version: 1 });
    expect(saved.updatedAt).not.toBe('2025-01-01T00:00:00.000Z');
    const stored = await fx.handle.db.selectFrom('customer').selectAll().where('id', '=', fx.ids.liNa).executeTakeFirstOrThrow();
    expect([stored.mobile, stored.city, stored.version]).toEqual(['13900002222', '深圳', 1]);
    const log = await events(fx.ids.liNa);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ kind: 'profile_change', staff_id: fx.store.staff.agent.id, summary: '修改了 手机、城市' });
    expect(JSON.parse(log[0]?.detail ?? 'null')).toEqual({
      mobile: { from: '15012345678', to: '13900002222' },
      city: { from: '广州', to: '深圳' },
    });
    expect(api.emitted).toEqual([{ name: 'customer.changed', payload: { customerId: fx.ids.liNa, by: fx.store.staff.agent.id } }]);
    // The search index follows the edit.
    const hits = ok(await api.call(agent(), 'customers.search', { q: '13900002222' }));
    expect(hits.items.map((h) => h.id)).toEqual([fx.ids.liNa]);
  });

  it('refuses a stale version with CONFLICT and changes nothing', async () => {
    ok(await api.call(agent(), 'customers.update', { id: fx.ids.liNa, version: 0, patch: { city: '东莞' } }));
    const stale = errorOf(await api.call(agent(), 'customers.update', { id: fx.ids.liNa, version: 0, patch: { city: '深圳' } }));
    expect(stale.code).toBe('CONFLICT');
    expect(stale.message.zh).toContain('已被他人修改');
    const stored = await fx.handle.db.selectFrom('customer').select(['city', 'version']).where('id', '=', fx.ids.liNa).executeTakeFirstOrThrow();
    expect(stored).toEqual({ city: '东莞', version: 1 });
    expect(await events(fx.ids.liNa)).toHaveLength(1);
    expect(api.emitted).toHaveLength(1);
  });

  it('treats a patch with the values already stored as a no-op: same version, no entry, no event', async () => {
    const same = ok(
      await api.call(agent(), 'customers.update', { id: fx.ids.liNa, version: 0, patch: { name: ' 李娜 ', mobile: '150 1234 5678' } }),
    );
    expect(same.version).toBe(0);
    expect(same.updatedAt).toBe('2025-01-01T00:00:00.000Z');
    expect(await events(fx.ids.liNa)).toEqual([]);
    expect(api.emitted).toEqual([]);
  });

  it('reports a bad mobile at patch.mobile, bad birthday at patch.birthday, and changes nothing', async () => {
    const bad = errorOf(
      await api.call(agent(), 'customers.update', {
        id: fx.ids.liNa,
        version: 0,
        patch: { mobile: '1234', birthday: '2999-01-01', gender: 'X' },
      }),
    );
    expect(bad.code).toBe('VALIDATION');
    expect(bad.issues?.map((i) => i.path).sort()).toEqual(['patch.birthday', 'patch.gender', 'patch.mobile']);
    expect(bad.issues?.find((i) => i.path === 'patch.mobile')?.message.zh).toContain('11 位');
    const empty = errorOf(await api.call(agent(), 'customers.update', { id: fx.ids.liNa, version: 0, patch: {} }));
    expect(empty.issues?.map((i) => [i.path, i.message.en])).toEqual([['patch', 'There is nothing to save']]);
    const stored = await fx.handle.db.selectFrom('customer').select(['mobile', 'version']).where('id', '=', fx.ids.liNa).executeTakeFirstOrThrow();
    expect(stored).toEqual({ mobile: '15012345678', version: 0 });
    expect(await events(fx.ids.liNa)).toEqual([]);
  });

  it('allows a mobile another customer already has (families share phones)', async () => {
    const saved = ok(await api.call(agent(), 'customers.update', { id: fx.ids.liNa, version: 0, patch: { mobile: '13812345678' } }));
    expect(saved.mobile).toBe('13812345678');
    const hits = ok(await api.call(agent(), 'customers.search', { q: '13812345678' }));
    expect(hits.items.map((h) => h.name)).toEqual(['张伟', '李娜']);
  });

  it('answers NOT_FOUND for another dealer’s or a deleted customer', async () => {
    for (const id of [fx.ids.otherDealer, fx.ids.deleted]) {
      expect(errorOf(await api.call(agent(), 'customers.update', { id, version: 0, patch: { city: '深圳' } })).code).toBe('NOT_FOUND');
    }
  });
});

describe('customers.addNote', () => {
  it('appends a note by the signed-in agent, optionally about one of the customer’s vehicles', async () => {
    const note = ok(
      await api.call(agent(), 'customers.addNote', {
        customerId: fx.ids.wangXiaoMing,
        vehicleId: fx.vehicles.wangXiaoMing2,
        text: '  客户希望周六上午保养  ',
      }),
    );
    expect(note).toMatchObject({ kind: 'note', summary: '客户希望周六上午保养', staffName: '测试agent', vehicleId: fx.vehicles.wangXiaoMing2, detail: null });
    const stored = await events(fx.ids.wangXiaoMing);
    expect(stored.map((e) => [e.id, e.staff_id, e.summary])).toEqual([[note.id, fx.store.staff.agent.id, '客户希望周六上午保养']]);
    expect(api.emitted.map((e) => e.payload)).toEqual([{ customerId: fx.ids.wangXiaoMing, by: fx.store.staff.agent.id }]);
    const first = ok(await api.call(agent(), 'customers.timeline', { customerId: fx.ids.wangXiaoMing }));
    expect(first.items[0]).toEqual(note);
  });

  it('rejects a vehicle of another customer at vehicleId and writes nothing', async () => {
    const bad = errorOf(
      await api.call(agent(), 'customers.addNote', { customerId: fx.ids.wangXiaoMing, vehicleId: fx.vehicles.zhangWei, text: '备注' }),
    );
    expect([bad.code, bad.issues?.map((i) => i.path)]).toEqual(['VALIDATION', ['vehicleId']]);
    expect(bad.issues?.[0]?.message.zh).toContain('不属于');
    expect(await events(fx.ids.wangXiaoMing)).toEqual([]);
    expect(api.emitted).toEqual([]);
  });

  it('rejects blank text at the field and unknown customers with NOT_FOUND', async () => {
    const blank = errorOf(await api.call(agent(), 'customers.addNote', { customerId: fx.ids.liNa, text: '   ' }));
    expect(blank.issues?.map((i) => i.path)).toEqual(['text']);
    const gone = errorOf(await api.call(agent(), 'customers.addNote', { customerId: fx.ids.deleted, text: '备注' }));
    expect(gone.code).toBe('NOT_FOUND');
  });
});
