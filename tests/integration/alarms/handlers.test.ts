import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, type EventPayload } from '../../../preload/contract';
import type { Services } from '../../../main/services';
import type { CallContext } from '../../../main/rpc';
import { createHealthAgent, type HealthAgent } from '../../../tools/health-agent/agent';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { call, startServices, signIn } from '../../support/services';
import { tcpService, waitFor } from './support';

let scratch: { dir: string; cleanup: () => void };
let store: TestStore;
let services: Services;
let agentUrl: string;
let agent: HealthAgent;
let tcp: Awaited<ReturnType<typeof tcpService>>;
const as: Record<'agent' | 'supervisor' | 'admin', CallContext> = {} as Record<'agent' | 'supervisor' | 'admin', CallContext>;
const notifications: EventPayload<'alarms.notification'>[] = [];
const changes: EventPayload<'alarms.changed'>[] = [];

beforeAll(async () => {
  scratch = tempDir('alarm-handlers-');
  store = await createTestStore(scratch.dir);
  services = await startServices(store);
  services.onEvent((name, payload) => {
    if (name === 'alarms.notification') notifications.push(events['alarms.notification'].parse(payload));
    if (name === 'alarms.changed') changes.push(events['alarms.changed'].parse(payload));
  });
  await services.start();
  for (const role of ['agent', 'supervisor', 'admin'] as const) as[role] = await signIn(services, store.staff[role]);
  tcp = await tcpService();
  agent = createHealthAgent(
    { name: 'sms-01', port: 0, intervalMs: 60_000, services: [{ id: 'gateway', name: '短信网关', kind: 'tcp', port: tcp.port }] },
    { reuseMs: 0 },
  );
  agentUrl = (await agent.start()).url;
});

afterAll(async () => {
  await services.close();
  await agent.stop();
  await tcp.stop();
  scratch.cleanup();
});

describe('alarm channels', () => {
  it('keeps each channel to its roles', async () => {
    const open = await call(services, as.agent, 'alarms.open', {});
    expect(open.ok).toBe(true);
    for (const [name, input] of [
      ['alarms.tree', {}],
      ['alarms.history', {}],
      ['alarms.acknowledge', { id: '01J0000000000000000000000A', comment: 'x' }],
      ['alarms.silences.list', {}],
    ] as const) {
      const r = await call(services, as.agent, name, input);
      expect(r.ok ? 'ok' : r.error.code).toBe('FORBIDDEN');
    }
    const agents = await call(services, as.supervisor, 'alarms.agents.list', {});
    expect(agents.ok ? 'ok' : agents.error.code).toBe('FORBIDDEN');
    const anon = await call(services, { connectionId: 'x', host: 'browser', staff: null }, 'alarms.open', {});
    expect(anon.ok ? 'ok' : anon.error.code).toBe('UNAUTHENTICATED');
  });

  it('puts validation problems at their fields', async () => {
    const bad = await call(services, as.admin, 'alarms.agents.add', { name: '', url: 'ftp://x', periodMs: 1000, timeoutMs: 2000 });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.code).toBe('VALIDATION');
    expect(bad.error.issues?.map((i) => i.path).sort()).toEqual(['name', 'timeoutMs', 'url']);

    const ack = await call(services, as.supervisor, 'alarms.acknowledge', { id: '01J0000000000000000000000A', comment: '  ' });
    expect(ack.ok ? [] : ack.error.issues?.map((i) => i.path)).toEqual(['comment']);

    const past = await call(services, as.supervisor, 'alarms.silences.create', {
      kind: 'silence',
      pattern: 'sms-01/*',
      reason: '换网线',
      endsAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(past.ok ? null : [past.error.code, past.error.issues?.[0]?.path]).toEqual(['VALIDATION', 'endsAt']);

    const missing = await call(services, as.supervisor, 'alarms.acknowledge', { id: '01J0000000000000000000000A', comment: '已处理' });
    expect(missing.ok ? 'ok' : missing.error.code).toBe('NOT_FOUND');
  });

  it('tests an agent before saving and reports an unreachable one at the address', async () => {
    const good = await call(services, as.admin, 'alarms.agents.test', { url: agentUrl });
    expect(good.ok && good.data.agent.name).toBe('sms-01');
    expect(good.ok && good.data.checks.map((c) => [c.id, c.status])).toEqual([['svc:gateway', 'ok']]);

    const closed = await tcpService();
    await closed.stop();
    const bad = await call(services, as.admin, 'alarms.agents.test', { url: `http://127.0.0.1:${closed.port}`, timeoutMs: 1000 });
    expect(bad.ok ? null : [bad.error.code, bad.error.issues?.[0]?.path]).toEqual(['UNAVAILABLE', 'url']);
  });

  it('runs the lifecycle: service stops → popup batch → acknowledge → service back → resolved in history', async () => {
    const added = await call(services, as.admin, 'alarms.agents.add', { name: 'sms-01', url: agentUrl, periodMs: 1000, timeoutMs: 500 });
    expect(added.ok).toBe(true);
    if (!added.ok) return;
    const dup = await call(services, as.admin, 'alarms.agents.add', { name: 'SMS-01', url: agentUrl });
    expect(dup.ok ? null : [dup.error.code, dup.error.issues?.[0]?.path]).toEqual(['DUPLICATE', 'name']);

    await waitFor(async () => {
      const tree = await call(services, as.supervisor, 'alarms.tree', {});
      return tree.ok && tree.data.some((s) => s.server === 'sms-01' && s.services.some((t) => t.target === 'sms-01/svc:gateway' && t.health === 'ok'));
    }, 'the service tree to show the gateway', 20_000);

    const port = tcp.port;
    await tcp.stop();
    const batch = await waitFor(
      () => notifications.find((n) => n.items.some((i) => i.fingerprint === 'sms-01/svc:gateway' && i.change === 'firing')),
      'a notification batch',
      30_000,
    );
    expect(batch.level).toBe('critical');
    expect(batch.title.zh).toContain('严重告警');
    expect(batch.text.zh).toContain('短信网关');

    const open = await call(services, as.agent, 'alarms.open', {});
    const alarm = open.ok ? open.data.find((a) => a.fingerprint === 'sms-01/svc:gateway') : undefined;
    expect(alarm?.state).toBe('firing');
    if (!alarm) return;

    const acked = await call(services, as.supervisor, 'alarms.acknowledge', { id: alarm.id, comment: '已通知 IT 重启网关' });
    expect(acked.ok && acked.data.ack?.comment).toBe('已通知 IT 重启网关');
    const again = await call(services, as.supervisor, 'alarms.acknowledge', { id: alarm.id, comment: '再次' });
    expect(again.ok ? 'ok' : again.error.code).toBe('CONFLICT');
    expect(changes.some((c) => c.alarm.id === alarm.id && c.alarm.state === 'acknowledged')).toBe(true);

    tcp = await tcpService(port);
    await waitFor(async () => {
      const got = await call(services, as.supervisor, 'alarms.get', { id: alarm.id });
      return got.ok && got.data.alarm.state === 'resolved';
    }, 'the alarm to resolve', 30_000);

    const history = await call(services, as.supervisor, 'alarms.history', { filters: { server: 'sms-01', state: 'resolved' } });
    expect(history.ok && history.data.items.map((a) => a.id)).toContain(alarm.id);
    const detail = await call(services, as.supervisor, 'alarms.get', { id: alarm.id });
    expect(detail.ok && detail.data.events.map((e) => e.type)).toEqual(expect.arrayContaining(['firing', 'acknowledged', 'resolved']));
    const xlsx = await call(services, as.supervisor, 'alarms.exportHistory', { filters: { server: 'sms-01' } });
    expect(xlsx.ok && xlsx.data.rows).toBeGreaterThanOrEqual(1);
    expect(xlsx.ok && Buffer.from(xlsx.data.base64, 'base64').subarray(0, 2).toString()).toBe('PK');

    const removed = await call(services, as.admin, 'alarms.agents.remove', { id: added.data.id });
    expect(removed.ok).toBe(true);
    const list = await call(services, as.admin, 'alarms.agents.list', {});
    expect(list.ok && list.data).toEqual([]);
  }, 90_000);

  it('creates, lists and ends a maintenance window with who did it', async () => {
    const created = await call(services, as.supervisor, 'alarms.silences.create', {
      kind: 'maintenance',
      pattern: 'backup-01/*',
      reason: '周日凌晨换硬盘',
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(created.ok && [created.data.active, created.data.createdByName]).toEqual([true, '测试supervisor']);
    if (!created.ok) return;
    const ended = await call(services, as.supervisor, 'alarms.silences.end', { id: created.data.id });
    expect(ended.ok && ended.data.endedAt).toBeTruthy();
    const twice = await call(services, as.supervisor, 'alarms.silences.end', { id: created.data.id });
    expect(twice.ok ? 'ok' : twice.error.code).toBe('CONFLICT');
    const all = await call(services, as.supervisor, 'alarms.silences.list', { includeOver: true });
    expect(all.ok && all.data.map((s) => s.id)).toContain(created.data.id);
  });
});
