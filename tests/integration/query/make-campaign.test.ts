/**
 * "Make campaign" from a query on every channel, through the dispatcher: the ad-hoc campaign record,
 * one task per reachable customer, dropped customers counted by reason, idempotency by request id,
 * phone tasks in the agents' work queue, letter tasks in the letter batch, SMS counted by the report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { newId, nowIso } from '../../../db/ids';
import { createCampaigns, createSmsHandoff } from '../../../main/campaigns';
import { createModem } from '../../../main/modem';
import { createTemplates } from '../../../main/templates';
import type { CallContext } from '../../../main/rpc';
import type { Services } from '../../../main/services';
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
const reasons = (dropped: Array<{ code: string; count: number }>) => Object.fromEntries(dropped.map((d) => [d.code, d.count]));
let serial = 0;
const requestId = () => `test-request-${String(++serial).padStart(4, '0')}`;

describe('campaigns made from a query (phone, letter, SMS)', () => {
  const tmp = tempDir();
  let store: TestStore;
  let services: Services;
  let handle: DbHandle;
  let ids: Map<string, string>;
  let agent: CallContext;
  let supervisor: CallContext;
  let savedId: string;

  beforeAll(async () => {
    store = await createTestStore(tmp.dir);
    handle = openDatabase(store.file);
    const agentId = store.staff.agent.id;
    ids = insertFixture(handle, store.dealerId, [
      { key: 'zhang', name: '张伟', gender: 'M', mobile: '13800138001', tier: 'gold', staffId: agentId, address: '广州市天河区体育西路 1 号', vehicles: [{ model: 'Accord', plate: '粤A12345', bought: '2020-05-01' }] },
      { key: 'zhangWife', name: '张伟太太', gender: 'F', mobile: '13800138001', tier: 'gold', address: '广州市天河区体育西路 1 号' },
      { key: 'landline', name: '王强', gender: 'M', mobile: null, phone2: '020-87654321', tier: 'gold', address: '广州市越秀区中山五路 2 号' },
      { key: 'noPhone', name: '赵敏', mobile: null, tier: 'gold', address: '广州市海珠区江南大道 3 号' },
      { key: 'badPhone', name: '钱多', mobile: '12345', tier: 'gold' },
      { key: 'noCalls', name: '孙丽', gender: 'F', mobile: '13700137000', tier: 'gold', address: '广州市荔湾区 4 号' },
      { key: 'smsOptOut', name: '李娜', gender: 'F', mobile: '13912345678', tier: 'gold', vehicles: [{ model: 'Fit', plate: '粤B54321', bought: '2019-01-01' }, { model: 'CR-V', plate: '粤B00001', bought: '2024-01-01' }] },
      { key: 'silver', name: '周杰', mobile: '13600136000', tier: 'silver' },
    ]);
    const at = nowIso();
    // 孙丽 asked not to be called for marketing; 李娜 replied 退订 to an SMS; 李娜's newer car was sold.
    handle.sqlite
      .prepare(`insert into contact_turnoff (id, dealer_id, customer_id, vehicle_id, purpose, channel, reason, set_by, created_at, updated_at) values (?, ?, ?, '', 'marketing', 'phone', '客户要求不要来电推销', ?, ?, ?)`)
      .run(newId(), store.dealerId, ids.get('noCalls'), store.staff.supervisor.id, at, at);
    handle.sqlite
      .prepare('insert into contact_preference (customer_id, dealer_id, sms_opt_out, opt_out_at, opt_out_source, created_at, updated_at) values (?, ?, 1, ?, ?, ?, ?)')
      .run(ids.get('smsOptOut'), store.dealerId, at, 'TD', at, at);
    const crv = handle.sqlite.prepare<[string], string>("select id from vehicle where plate = '粤B00001' and customer_id = ?").pluck().get(ids.get('smsOptOut') ?? '');
    handle.sqlite
      .prepare(`insert into contact_turnoff (id, dealer_id, customer_id, vehicle_id, purpose, channel, reason, set_by, kind, created_at, updated_at) values (?, ?, ?, ?, 'all', 'any', '车辆已售出', null, 'sold', ?, ?)`)
      .run(newId(), store.dealerId, ids.get('smsOptOut'), crv, at, at);

    // What the services write on start: every dealer's starting templates (the reminder letter among them).
    await createTemplates({ handle }).ensureDefaults(store.dealerId);
    services = await startServices(store);
    agent = await signIn(services, store.staff.agent);
    supervisor = await signIn(services, store.staff.supervisor);
    await call(services, supervisor, 'campaigns.config.list', {});
    savedId = data(await call(services, supervisor, 'query.saved.create', { name: '服务双周金卡客户', tree: gold })).id;
  });

  afterAll(async () => {
    await services?.close();
    handle.close();
    tmp.cleanup();
  });

  const tasksOf = (campaignId: string) =>
    handle.sqlite
      .prepare<[string], { customer_id: string; vehicle_id: string | null; status: string; step_seq: number; step_channel: string | null; step_on: string | null; assigned_staff_id: string | null; last_touch_channel: string | null; due_on: string }>(
        'select customer_id, vehicle_id, status, step_seq, step_channel, step_on, assigned_staff_id, last_touch_channel, due_on from campaign_task where campaign_id = ? order by customer_id',
      )
      .all(campaignId);

  it('makes phone tasks from a saved query: one per number, dropped customers counted by reason, in the agents\' queue', async () => {
    const prep = data(await call(services, supervisor, 'query.campaign.prepare', { savedId, channel: 'phone' }));
    expect(prep).toMatchObject({ matched: 7, recipientCount: 3, defaultName: '服务双周金卡客户', templates: [] });
    expect(reasons(prep.dropped)).toEqual({ duplicateContact: 1, noPhone: 1, invalidPhone: 1, optedOut: 1 });

    const made = data(await call(services, supervisor, 'query.campaign.create', { savedId, channel: 'phone', requestId: requestId(), assign: 'responsible' }));
    expect(made).toMatchObject({ name: '服务双周金卡客户', channel: 'phone', matched: 7, tasks: 3, queued: 0, repeated: false });
    expect(reasons(made.dropped)).toEqual(reasons(prep.dropped));

    const campaign = handle.sqlite.prepare('select kind, name_zh, purpose, enabled from campaign where id = ?').get(made.campaignId);
    expect(campaign).toEqual({ kind: 'adhoc', name_zh: '服务双周金卡客户', purpose: 'marketing', enabled: 1 });
    const tasks = tasksOf(made.campaignId);
    // The SMS opt-out (TD) does not stop a call; a landline can be called.
    expect(new Set(tasks.map((t) => t.customer_id))).toEqual(new Set(['zhang', 'landline', 'smsOptOut'].map((k) => ids.get(k))));
    for (const t of tasks) expect(t).toMatchObject({ status: 'open', step_seq: 0, step_channel: 'phone', step_on: t.due_on });
    // 张伟's responsible agent gets his task; the others have none and stay for whoever takes them.
    expect(tasks.find((t) => t.customer_id === ids.get('zhang'))?.assigned_staff_id).toBe(store.staff.agent.id);
    expect(tasks.filter((t) => t.assigned_staff_id === null)).toHaveLength(2);
    // The task is about the customer's car they still own: 李娜's sold CR-V is not it.
    const lina = tasks.find((t) => t.customer_id === ids.get('smsOptOut'));
    expect(handle.sqlite.prepare('select plate from vehicle where id = ?').get(lina?.vehicle_id)).toEqual({ plate: '粤B54321' });

    const queue = data(await call(services, agent, 'campaigns.queue', {}));
    const mine = queue.items.filter((i) => i.campaignNameZh === '服务双周金卡客户');
    expect(mine).toHaveLength(3);
    expect(mine.every((i) => i.campaignKind === 'adhoc' && i.stepChannel === 'phone')).toBe(true);
  });

  it('makes nothing twice for the same request id, and refuses the id for another channel', async () => {
    const id = requestId();
    const first = data(await call(services, supervisor, 'query.campaign.create', { tree: gold, channel: 'phone', requestId: id, name: '双击测试' }));
    const again = data(await call(services, supervisor, 'query.campaign.create', { tree: gold, channel: 'phone', requestId: id, name: '双击测试' }));
    expect(again).toEqual({ ...first, repeated: true });
    // Both clicks at once: one campaign.
    const twin = requestId();
    const [a, b] = await Promise.all([
      call(services, supervisor, 'query.campaign.create', { tree: gold, channel: 'phone', requestId: twin, name: '并发测试' }),
      call(services, supervisor, 'query.campaign.create', { tree: gold, channel: 'phone', requestId: twin, name: '并发测试' }),
    ]);
    expect(data(a).campaignId).toBe(data(b).campaignId);
    const count = (name: string) => handle.sqlite.prepare<[string], number>("select count(*) from campaign where kind = 'adhoc' and name_zh = ?").pluck().get(name);
    expect(count('双击测试')).toBe(1);
    expect(count('并发测试')).toBe(1);
    expect(tasksOf(first.campaignId)).toHaveLength(3);

    const other = failure(await call(services, supervisor, 'query.campaign.create', { tree: gold, channel: 'letter', requestId: id }));
    expect(other.code).toBe('CONFLICT');
  });

  it('makes letter tasks on a letter step that the letter batch picks up, with the chosen layout', async () => {
    const prep = data(await call(services, supervisor, 'query.campaign.prepare', { tree: gold, channel: 'letter' }));
    // 张伟 and his wife share an address (one letter per household); 钱多 and 李娜 have none.
    expect(prep.recipientCount).toBe(4);
    expect(reasons(prep.dropped)).toEqual({ duplicateContact: 1, noAddress: 2 });
    expect(prep.templates.length).toBeGreaterThan(0);
    expect(prep.templates.every((t) => t.kind === 'letter' || t.kind === 'card')).toBe(true);
    const layout = prep.templates.find((t) => t.code === 'letter.reminder') ?? prep.templates[0];

    const unknown = failure(await call(services, supervisor, 'query.campaign.create', { tree: gold, channel: 'letter', requestId: requestId(), templateId: newId() }));
    expect(unknown.issues?.map((i) => i.path)).toEqual(['templateId']);

    const made = data(await call(services, supervisor, 'query.campaign.create', { tree: gold, channel: 'letter', requestId: requestId(), name: '服务双周信件', templateId: layout?.id }));
    expect(made).toMatchObject({ channel: 'letter', tasks: 4, queued: 0 });
    const step = handle.sqlite.prepare('select channel, template_id from campaign_step where campaign_id = ?').get(made.campaignId);
    expect(step).toEqual({ channel: 'letter', template_id: layout?.id });
    for (const t of tasksOf(made.campaignId)) expect(t).toMatchObject({ status: 'open', step_channel: 'letter', step_seq: 0 });

    // The campaigns capability's letter batch for today lists them (noCalls refused calls, not letters).
    const today = tasksOf(made.campaignId)[0]?.due_on ?? '';
    const batch = await createCampaigns({ handle }).letters.batch(store.dealerId, today, made.campaignId);
    expect(batch.items).toHaveLength(4);
    expect(batch.items.every((i) => i.campaignKind === 'adhoc' && i.templateId === layout?.id)).toBe(true);
  });

  it('queues SMS under a campaign record the report counts, each once even when retried', async () => {
    const id = requestId();
    const input = { tree: gold, channel: 'sms', requestId: id, name: '服务双周短信', body: '{{称呼}}您好，服务双周期间保养工时 8 折，欢迎预约。' };
    const made = data(await call(services, supervisor, 'query.campaign.create', input));
    // 张伟太太 shares 张伟's mobile; 王强 (landline) and 赵敏 have no mobile; 钱多's is invalid; 李娜 opted out (TD).
    expect(made).toMatchObject({ channel: 'sms', matched: 7, tasks: 2, queued: 2, alreadyQueued: 0, segments: 1 });
    expect(reasons(made.dropped)).toEqual({ duplicateContact: 1, noMobile: 2, invalidMobile: 1, optedOut: 1 });
    const sms = handle.sqlite
      .prepare<[string], { mobile: string; text: string }>('select mobile, text from campaign_sms where dedupe_key like ? order by mobile')
      .all(`query:${id}:%`);
    // 孙丽 refused calls, not SMS.
    expect(sms.map((s) => s.mobile)).toEqual(['13700137000', '13800138001']);
    expect(sms.find((s) => s.mobile === '13800138001')?.text).toBe('张先生您好，服务双周期间保养工时 8 折，欢迎预约。');

    const tasks = tasksOf(made.campaignId);
    for (const t of tasks) expect(t).toMatchObject({ status: 'open', step_seq: 1, step_channel: null, last_touch_channel: 'sms' });
    const touches = handle.sqlite.prepare<[string], number>("select count(*) from campaign_touch tc join campaign_task t on t.id = tc.task_id where t.campaign_id = ? and tc.channel = 'sms' and tc.skipped_reason is null").pluck().get(made.campaignId);
    expect(touches).toBe(2);
    const events = handle.sqlite.prepare<[string], number>("select count(*) from contact_event where kind = 'sms_out' and summary like ?").pluck().get('服务双周短信：%');
    expect(events).toBe(2);

    // A retry (the answer was lost) returns the first result; nothing more is queued or recorded.
    const retry = data(await call(services, supervisor, 'query.campaign.create', input));
    expect(retry).toEqual({ ...made, repeated: true });
    expect(handle.sqlite.prepare<[string], number>('select count(*) from campaign_sms where dedupe_key like ?').pluck().get(`query:${id}:%`)).toBe(2);

    const day = tasks[0]?.due_on ?? '';
    const report = data(await call(services, supervisor, 'campaigns.report', { from: day.slice(0, 7), to: day.slice(0, 7) }));
    const row = report.campaigns.find((c) => c.campaignId === made.campaignId && c.month === null);
    expect(row).toMatchObject({ kind: 'adhoc', nameZh: '服务双周短信', target: 2, reminded: 2, remindRate: 100 });
    // Ad-hoc campaigns have nothing to configure.
    const settings = data(await call(services, supervisor, 'campaigns.config.list', {}));
    expect(settings.some((c) => c.kind === 'adhoc')).toBe(false);
  });

  it('does not count as reminded an SMS the hand-off dropped (the customer opted out between queueing and sending)', async () => {
    const id = requestId();
    const made = data(await call(services, supervisor, 'query.campaign.create', { tree: gold, channel: 'sms', requestId: id, name: '会员日短信', body: '{{称呼}}您好，会员日到店有礼。' }));
    expect(made).toMatchObject({ tasks: 2, queued: 2 });
    // 孙丽 replies 退订 to some earlier SMS before this one reaches the modem.
    const sunLi = ids.get('noCalls') ?? '';
    const at = nowIso();
    handle.sqlite
      .prepare('insert into contact_preference (customer_id, dealer_id, sms_opt_out, opt_out_at, opt_out_source, created_at, updated_at) values (?, ?, 1, ?, ?, ?, ?)')
      .run(sunLi, store.dealerId, at, 'TD', at, at);
    const modem = createModem({ handle, emit: () => undefined, dealerId: store.dealerId, config: { port: '' } });
    try {
      const handoff = createSmsHandoff({ handle, dealerId: () => store.dealerId, outbox: () => modem });
      // This campaign's two and the previous test's two: 张伟's go out, 孙丽's are dropped.
      expect(await handoff.run()).toEqual({ handedOff: 2, deferred: 0, dropped: { opted_out: 2 } });
    } finally {
      await modem.stop();
    }
    const tasks = handle.sqlite
      .prepare<[string], { customer_id: string; last_touch_on: string | null; touches: number }>(
        `select t.customer_id, t.last_touch_on, (select count(*) from campaign_touch tc where tc.task_id = t.id and tc.skipped_reason is null) as touches
          from campaign_task t where t.campaign_id = ?`,
      )
      .all(made.campaignId);
    expect(tasks.find((t) => t.customer_id === sunLi)).toMatchObject({ last_touch_on: null, touches: 0 });
    expect(tasks.find((t) => t.customer_id !== sunLi)).toMatchObject({ last_touch_on: expect.any(String), touches: 1 });
    const day = tasks[0]?.last_touch_on ?? tasks[1]?.last_touch_on ?? '';
    const report = data(await call(services, supervisor, 'campaigns.report', { from: day.slice(0, 7), to: day.slice(0, 7) }));
    expect(report.campaigns.find((c) => c.campaignId === made.campaignId && c.month === null)).toMatchObject({ target: 2, reminded: 1, remindRate: 50 });
  });

  it('checks the request: SMS text required, a request id of its own shape, supervisors only', async () => {
    const noBody = failure(await call(services, supervisor, 'query.campaign.create', { tree: gold, channel: 'sms', requestId: requestId() }));
    expect(noBody.issues?.map((i) => i.path)).toEqual(['body']);
    const badId = failure(await call(services, supervisor, 'query.campaign.create', { tree: gold, channel: 'phone', requestId: 'x' }));
    expect(badId.issues?.map((i) => i.path)).toEqual(['requestId']);
    const emptyName = failure(await call(services, supervisor, 'query.campaign.create', { tree: gold, channel: 'phone', requestId: requestId(), name: ' ' }));
    expect(emptyName.issues?.map((i) => i.path)).toEqual(['name']);
    expect(failure(await call(services, agent, 'query.campaign.create', { tree: gold, channel: 'phone', requestId: requestId() })).code).toBe('FORBIDDEN');
  });
});
