import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { createQuery, QueryError, type QueryService, type Viewer } from '../../../main/query';
import type { ContactPolicy } from '../../../main/query/campaign';
import { ServiceError } from '../../../main/rpc';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { exerciseA, exerciseB, TODAY } from './exercises';
import { insertFixture } from './fixture';

const everyone = { combinator: 'and', rules: [] };

async function rejection(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ServiceError) return e;
    throw e;
  }
  throw new Error('expected a ServiceError');
}

describe('query service: saved queries, pages, export and campaign preparation', () => {
  const tmp = tempDir();
  let store: TestStore;
  let handle: DbHandle;
  let query: QueryService;
  let ids: Map<string, string>;
  let agent: Viewer;
  let supervisor: Viewer;
  let admin: Viewer;
  let clockMs = Date.parse(`${TODAY}T01:00:00Z`);

  beforeAll(async () => {
    store = await createTestStore(tmp.dir);
    handle = openDatabase(store.file);
    agent = { staffId: store.staff.agent.id, dealerId: store.dealerId, role: 'agent' };
    supervisor = { staffId: store.staff.supervisor.id, dealerId: store.dealerId, role: 'supervisor' };
    admin = { staffId: store.staff.admin.id, dealerId: store.dealerId, role: 'admin' };
    ids = insertFixture(handle, store.dealerId, [
      { key: 'ok1', name: '张伟', mobile: '138 0013 8000', address: '广州市天河区体育西路 1 号', tier: 'gold', vehicles: [{ model: 'Accord', plate: '粤A12345', ros: ['2025-05-01'] }] },
      { key: 'plus86', name: '李娜', mobile: '+8613912345678', address: '广州市天河区体育西路1号', tier: 'gold' },
      { key: 'sameMobile', name: '张伟太太', mobile: '13800138000', address: '佛山市禅城区', tier: 'gold' },
      { key: 'landlineOnly', name: '王强', mobile: null, phone2: '020-87654321', address: null, tier: 'gold' },
      { key: 'placeholder', name: '赵敏', mobile: '13800000000', address: '   ', tier: 'gold' },
      { key: 'garbage', name: '钱多', mobile: '12345', tier: 'gold' },
      { key: 'optedOut', name: '孙丽', mobile: '13700137000', address: '广州市越秀区', tier: 'gold' },
      { key: 'secondMobile', name: '周杰', mobile: '0', phone2: '13600136000', address: '广州市海珠区', tier: 'gold' },
    ]);
    const optedOut = ids.get('optedOut') ?? '';
    const policy: ContactPolicy = {
      exclusions: ({ channel, customerIds }) =>
        new Map(
          customerIds
            .filter((id) => id === optedOut && channel === 'sms')
            .map((id) => [id, { code: 'smsOptOut', label: { zh: '已回复 TD 退订短信', en: 'Replied TD to stop SMS' } }]),
        ),
    };
    query = createQuery({ handle, clock: () => new Date(clockMs), contactPolicy: policy, modelNamesZh: { Accord: '雅阁' } });
  });
  afterAll(() => {
    handle.close();
    tmp.cleanup();
  });

  it('saves, lists, shares, renames and deletes queries with owner rules', async () => {
    const mine = await query.saved.create(agent, { name: '迎新年老车主', tree: exerciseA });
    expect(mine).toMatchObject({ name: '迎新年老车主', shared: false, ownerName: expect.any(String), canEdit: true, lastCount: null });
    expect(mine.tree).toEqual(exerciseA);
    expect((await rejection(query.saved.create(agent, { name: '迎新年老车主', tree: exerciseB }))).code).toBe('DUPLICATE');
    // Private: invisible to others until shared.
    expect(await query.saved.list(supervisor)).toEqual([]);
    expect((await rejection(query.saved.get(supervisor, mine.id))).code).toBe('NOT_FOUND');
    clockMs += 60_000;
    const shared = await query.saved.update(agent, mine.id, { shared: true, name: '老车主回馈' });
    expect(shared.updatedAt > mine.updatedAt).toBe(true);
    const seen = await query.saved.list(supervisor);
    expect(seen.map((q) => [q.name, q.canEdit])).toEqual([['老车主回馈', false]]);
    expect((await rejection(query.saved.update(supervisor, mine.id, { name: 'x' }))).code).toBe('FORBIDDEN');
    expect((await rejection(query.saved.remove(supervisor, mine.id))).code).toBe('FORBIDDEN');
    await query.saved.recordRun(supervisor, mine.id, 42);
    expect(await query.saved.get(agent, mine.id)).toMatchObject({ lastCount: 42, lastRunAt: expect.any(String) });
    await query.saved.remove(admin, mine.id);
    expect(await query.saved.list(agent)).toEqual([]);
    // The name is free again once the old one is deleted.
    await query.saved.create(agent, { name: '老车主回馈', tree: exerciseB, shared: true });
  });

  it('refuses to save a malformed tree or a bad name, with paths', async () => {
    const bad = await rejection(
      query.saved.create(agent, { name: '坏查询', tree: { combinator: 'and', rules: [{ field: 'customer.name', operator: 'olderThan', value: 1 }] } }),
    );
    expect(bad).toBeInstanceOf(QueryError);
    expect(bad.issues?.[0]?.path).toBe('rules.0.operator');
    const unnamed = await rejection(query.saved.create(agent, { name: '  ', tree: everyone }));
    expect(unnamed.code).toBe('VALIDATION');
    expect(unnamed.issues?.[0]).toMatchObject({ path: 'name', message: { zh: '此项必填' } });
  });

  it('pages results in a stable order with the total', async () => {
    const all = await query.page(everyone, { dealerId: store.dealerId, limit: 3 });
    expect(all.total).toBe(8);
    expect(all.rows.map((r) => r.name)).toEqual(['张伟', '李娜', '张伟太太']);
    expect(all.rows[0]).toMatchObject({ vehicles: [{ model: 'Accord', plate: '粤A12345' }], lastVisit: '2025-05-01', memberTier: 'gold' });
    const next = await query.page(everyone, { dealerId: store.dealerId, offset: 6, limit: 3 });
    expect(next.rows.map((r) => r.name)).toEqual(['孙丽', '周杰']);
  });

  it('exports an Excel list headed by the sentence', async () => {
    const tree = { combinator: 'and', rules: [{ field: 'vehicle.model', operator: '=', value: 'Accord' }] };
    const file = await query.exportXlsx(tree, { dealerId: store.dealerId, lang: 'zh', title: '雅阁车主' });
    expect(file).toMatchObject({ fileName: '雅阁车主.xlsx', rows: 1 });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Uint8Array.from(file.data).buffer);
    const sheet = book.getWorksheet('客户名单');
    expect(sheet?.getRow(2).getCell(1).value).toBe('车型为 雅阁');
    expect(sheet?.getRow(4).values).toEqual([undefined, '姓名', '性别', '手机', '城市', '会员等级', '车型', '车牌', '最近进厂']);
    expect(sheet?.getRow(5).values).toEqual([undefined, '张伟', '', '138 0013 8000', '', '金卡', '雅阁', '粤A12345', '2025-05-01']);
  });

  it('prepares an SMS campaign: normalizes, dedupes by phone, drops invalid and opted-out with counts', async () => {
    const prep = await query.prepareCampaign(everyone, { dealerId: store.dealerId, channel: 'sms' });
    const key = new Map([...ids].map(([k, id]) => [id, k]));
    expect(prep.matched).toBe(8);
    expect(prep.recipients.map((r) => [key.get(r.customerId), r.contact])).toEqual([
      ['ok1', '13800138000'],
      ['plus86', '13912345678'],
      ['secondMobile', '13600136000'],
    ]);
    const reasons = Object.fromEntries(prep.dropped.map((d) => [d.code, d.customerIds.map((id) => key.get(id))]));
    expect(reasons).toEqual({
      duplicateContact: ['sameMobile'],
      noMobile: ['landlineOnly'],
      invalidMobile: ['placeholder', 'garbage'],
      smsOptOut: ['optedOut'],
    });
    expect(prep.dropped.find((d) => d.code === 'smsOptOut')).toMatchObject({ count: 1, label: { zh: '已回复 TD 退订短信' } });
  });

  it('prepares letters by address (one per household) and phone calls accepting landlines', async () => {
    const key = new Map([...ids].map(([k, id]) => [id, k]));
    const letters = await query.prepareCampaign(everyone, { dealerId: store.dealerId, channel: 'letter' });
    expect(letters.recipients.map((r) => key.get(r.customerId))).toEqual(['ok1', 'sameMobile', 'optedOut', 'secondMobile']);
    expect(Object.fromEntries(letters.dropped.map((d) => [d.code, d.count]))).toEqual({ duplicateContact: 1, noAddress: 3 });
    const calls = await query.prepareCampaign(everyone, { dealerId: store.dealerId, channel: 'phone' });
    expect(calls.recipients.map((r) => r.contact)).toContain('02087654321');
    expect(Object.fromEntries(calls.dropped.map((d) => [d.code, d.count]))).toEqual({ duplicateContact: 1, invalidPhone: 2 });
  });

  it('describes the catalog for the UI, with an editor per operator', () => {
    const catalog = query.catalog();
    const visits = catalog.find((f) => f.id === 'repair.visits');
    expect(visits).toMatchObject({ label: { zh: '进厂次数' }, groupLabel: { zh: '维修记录' }, tagKey: 'categories' });
    expect(visits?.operators.map((o) => o.editor)).toEqual(Array(6).fill('windowCount'));
    const date = catalog.find((f) => f.id === 'vehicle.purchaseDate');
    expect(date?.operators.map((o) => [o.id, o.editor])).toContainEqual(['olderThan', 'relative']);
    expect(new Set(catalog.map((f) => f.id)).size).toBe(catalog.length);
  });
});
