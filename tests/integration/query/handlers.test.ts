import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { nowIso } from '../../../db/ids';
import type { Services } from '../../../main/services';
import type { CallContext } from '../../../main/rpc';
import type { Result } from '../../../preload/contract';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { call, signIn, startServices } from '../../support/services';
import { insertFixture } from './fixture';

const gold = { combinator: 'and', rules: [{ field: 'member.tier', operator: '=', value: 'gold' }] };

function data<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`call failed: ${r.error.code} ${JSON.stringify(r.error.issues ?? [])}`);
  return r.data;
}
function failure<T>(r: Result<T>) {
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

describe('query channels through the dispatcher', () => {
  const tmp = tempDir();
  let store: TestStore;
  let services: Services;
  let handle: DbHandle;
  let ids: Map<string, string>;
  let agent: CallContext;
  let supervisor: CallContext;
  let admin: CallContext;

  beforeAll(async () => {
    store = await createTestStore(tmp.dir);
    handle = openDatabase(store.file);
    ids = insertFixture(handle, store.dealerId, [
      { key: 'ok1', name: '张伟', gender: 'M', mobile: '13800138001', tier: 'gold', vehicles: [{ model: 'Accord', plate: '粤A12345' }] },
      { key: 'sameMobile', name: '张伟太太', mobile: '13800138001', tier: 'gold' },
      { key: 'noMobile', name: '王强', mobile: null, phone2: '020-87654321', tier: 'gold' },
      { key: 'optedOut', name: '孙丽', mobile: '13700137000', tier: 'gold' },
      { key: 'ok2', name: '李娜', gender: 'F', mobile: '13912345678', tier: 'gold', vehicles: [{ model: 'Fit', plate: '粤B54321' }] },
      { key: 'silver', name: '周杰', mobile: '13600136000', tier: 'silver' },
    ]);
    const at = nowIso();
    handle.sqlite
      .prepare('insert into contact_preference (customer_id, dealer_id, sms_opt_out, opt_out_at, opt_out_source, created_at, updated_at) values (?, ?, 1, ?, ?, ?, ?)')
      .run(ids.get('optedOut'), store.dealerId, at, 'TD', at, at);
    services = await startServices(store);
    agent = await signIn(services, store.staff.agent);
    supervisor = await signIn(services, store.staff.supervisor);
    admin = await signIn(services, store.staff.admin);
  });

  afterAll(async () => {
    await services?.close();
    handle.close();
    tmp.cleanup();
  });

  it('gives everyone the catalog with models in Chinese and the three starter exercises', async () => {
    const catalog = data(await call(services, agent, 'query.catalog', {}));
    expect(catalog.fields.map((f) => f.id)).toContain('repair.visits');
    expect(catalog.models).toContainEqual({ value: 'Accord', zh: '雅阁' });
    expect(catalog.examples.map((e) => e.key)).toEqual(['a', 'b', 'c']);
    expect(catalog.today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('previews a sentence in both languages with the live count', async () => {
    const preview = data(await call(services, agent, 'query.preview', { tree: gold }));
    expect(preview.count).toBe(5);
    expect(preview.sentence.zh).toContain('金卡');
    expect(preview.sentence.en.toLowerCase()).toContain('gold');
    const accord = data(await call(services, agent, 'query.preview', { tree: { combinator: 'and', rules: [{ field: 'vehicle.model', operator: '=', value: 'Accord' }] } }));
    expect(accord.sentence.zh).toContain('雅阁');
    expect(accord.count).toBe(1);
  });

  it('reports bad rules at their path under tree', async () => {
    const bad = { combinator: 'and', rules: [{ field: 'member.tier', operator: '=', value: 'gold' }, { field: 'nope', operator: '=', value: 1 }] };
    const error = failure(await call(services, agent, 'query.preview', { tree: bad }));
    expect(error.code).toBe('VALIDATION');
    expect(error.issues?.map((i) => i.path)).toEqual(['tree.rules.1.field']);
    const badValue = { combinator: 'and', rules: [{ field: 'repair.visits', operator: '>=', value: { window: { kind: 'all' }, count: -1 } }] };
    const error2 = failure(await call(services, agent, 'query.run', { tree: badValue }));
    expect(error2.issues?.[0]?.path).toBe('tree.rules.0.value.count');
  });

  it('pages results', async () => {
    const page = data(await call(services, agent, 'query.run', { tree: gold, offset: 1, limit: 2 }));
    expect(page.total).toBe(5);
    expect(page.rows).toHaveLength(2);
  });

  it('lets only supervisors and admins export, save and make campaigns', async () => {
    expect(failure(await call(services, agent, 'query.export', { tree: gold, lang: 'zh' })).code).toBe('FORBIDDEN');
    expect(failure(await call(services, agent, 'query.saved.create', { name: 'x', tree: gold })).code).toBe('FORBIDDEN');
    expect(failure(await call(services, agent, 'query.campaign.prepare', { tree: gold, channel: 'sms' })).code).toBe('FORBIDDEN');
    expect(failure(await call(services, agent, 'query.campaign.create', { tree: gold, channel: 'sms', body: '您好', requestId: 'agent-request-1' })).code).toBe('FORBIDDEN');
    const file = data(await call(services, supervisor, 'query.export', { tree: gold, lang: 'zh', title: '金卡客户' }));
    expect(file.rows).toBe(5);
    expect(file.fileName).toMatch(/\.xlsx$/);
    expect(Buffer.from(file.base64, 'base64').subarray(0, 2).toString()).toBe('PK');
  });

  it('saves, shares, runs and guards saved queries', async () => {
    const empty = failure(await call(services, supervisor, 'query.saved.create', { name: ' ', tree: gold }));
    expect(empty.issues?.map((i) => i.path)).toEqual(['name']);
    const badTree = failure(await call(services, supervisor, 'query.saved.create', { name: '坏的', tree: { combinator: 'and', rules: [{ field: 'x', operator: '=' }] } }));
    expect(badTree.issues?.map((i) => i.path)).toEqual(['tree.rules.0.field']);

    const saved = data(await call(services, supervisor, 'query.saved.create', { name: '金卡客户', shared: true, tree: gold }));
    expect(saved.canEdit).toBe(true);
    const dup = failure(await call(services, supervisor, 'query.saved.create', { name: '金卡客户', tree: gold }));
    expect(dup.code).toBe('DUPLICATE');
    expect(dup.issues?.[0]?.path).toBe('name');
    const priv = data(await call(services, supervisor, 'query.saved.create', { name: '私人', tree: gold }));

    const seenByAgent = data(await call(services, agent, 'query.saved.list', {}));
    expect(seenByAgent.map((q) => q.name)).toEqual(['金卡客户']);
    expect(seenByAgent[0]?.canEdit).toBe(false);
    expect(failure(await call(services, agent, 'query.saved.get', { id: priv.id })).code).toBe('NOT_FOUND');

    const run = data(await call(services, agent, 'query.saved.run', { id: saved.id }));
    expect(run.total).toBe(5);
    expect(run.sentence.zh).toContain('金卡');
    expect(data(await call(services, supervisor, 'query.saved.get', { id: saved.id })).lastCount).toBe(5);

    const badPatch = failure(await call(services, supervisor, 'query.saved.update', { id: saved.id, patch: { tree: { combinator: 'xor', rules: [] } } }));
    expect(badPatch.code).toBe('VALIDATION');
    const renamed = data(await call(services, admin, 'query.saved.update', { id: saved.id, patch: { name: '金卡客户（全部）' } }));
    expect(renamed.name).toBe('金卡客户（全部）');
    expect(data(await call(services, admin, 'query.saved.delete', { id: saved.id }))).toEqual({ ok: true });
    expect(failure(await call(services, supervisor, 'query.saved.get', { id: saved.id })).code).toBe('NOT_FOUND');
  });

  it('needs exactly one source for a campaign and a valid SMS template', async () => {
    const both = failure(await call(services, supervisor, 'query.campaign.prepare', { tree: gold, savedId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', channel: 'sms' }));
    expect(both.code).toBe('VALIDATION');
    const unknownField = failure(await call(services, supervisor, 'query.campaign.create', { tree: gold, channel: 'sms', body: '{{不存在}}您好', requestId: 'bad-field-1' }));
    expect(unknownField.issues?.map((i) => i.path)).toEqual(['body']);
    const missing = failure(await call(services, supervisor, 'query.campaign.prepare', { savedId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', channel: 'sms' }));
    expect(missing.code).toBe('NOT_FOUND');
    const draft = data(await call(services, supervisor, 'query.campaign.previewSms', { body: '{{客户姓名}}您好{{未知}}' }));
    expect(draft.problems.map((p) => p.zh)).toEqual(['未知的合并字段：{{未知}}']);
    const unknownChannel = failure(await call(services, supervisor, 'query.campaign.create', { tree: gold, channel: 'fax', requestId: 'fax-request-1' }));
    expect(unknownChannel.issues?.map((i) => i.path)).toEqual(['channel']);
  });

  it('prepares letters and phone calls by address and any valid number', async () => {
    const letters = data(await call(services, supervisor, 'query.campaign.prepare', { tree: gold, channel: 'letter' }));
    expect(letters).toMatchObject({ matched: 5, recipientCount: 0 });
    expect(letters.dropped).toEqual([{ code: 'noAddress', label: { zh: '没有地址', en: 'No postal address' }, count: 5 }]);
    const calls = data(await call(services, supervisor, 'query.campaign.prepare', { tree: gold, channel: 'phone' }));
    // The SMS opt-out ("TD") does not stop a call; the landline-only customer can be called.
    expect(calls.recipientCount).toBe(4);
    expect(Object.fromEntries(calls.dropped.map((d) => [d.code, d.count]))).toEqual({ duplicateContact: 1 });
  });

  it('prepares and queues an SMS campaign: deduped, invalid and opted-out contacts dropped with reasons', async () => {
    const prep = data(await call(services, supervisor, 'query.campaign.prepare', { tree: gold, channel: 'sms' }));
    expect(prep.matched).toBe(5);
    expect(prep.recipientCount).toBe(2);
    const reasons = Object.fromEntries(prep.dropped.map((d) => [d.code, d.count]));
    expect(reasons).toEqual({ duplicateContact: 1, noMobile: 1, optedOut: 1 });

    const preview = data(await call(services, supervisor, 'query.campaign.previewSms', { body: '{{称呼}}您好，{{车型}}该保养了' }));
    expect(preview.text).toBe('张先生您好，雅阁该保养了');
    expect(preview.segments).toMatchObject({ encoding: 'ucs2', parts: 1 });

    const saved = data(await call(services, supervisor, 'query.saved.create', { name: '招揽名单', tree: gold }));
    const made = data(await call(services, supervisor, 'query.campaign.create', { savedId: saved.id, channel: 'sms', body: '{{称呼}}您好，您的{{车型}}该保养了', requestId: 'sms-request-1' }));
    expect(made).toMatchObject({ name: '招揽名单', matched: 5, tasks: 2, queued: 2, alreadyQueued: 0, segments: 1, repeated: false });
    const rows = handle.sqlite
      .prepare<[string], { customer_id: string; mobile: string; text: string; purpose: string; status: string }>(
        "select customer_id, mobile, text, purpose, status from campaign_sms where dealer_id = ? and dedupe_key like 'query:%' order by mobile",
      )
      .all(store.dealerId);
    expect(rows).toEqual([
      { customer_id: ids.get('ok1'), mobile: '13800138001', text: '张先生您好，您的雅阁该保养了', purpose: 'marketing', status: 'queued' },
      { customer_id: ids.get('ok2'), mobile: '13912345678', text: '李女士您好，您的飞度该保养了', purpose: 'marketing', status: 'queued' },
    ]);
  });
});
