import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { createAlarms, type Alarms } from '../../../main/alarms';
import { createHealthAgent, type HealthAgent } from '../../../tools/health-agent/agent';
import type { AgentConfigInput } from '../../../tools/health-agent/protocol';
import { createTestStore, tempDir } from '../../support/db';
import { FakeClock, RecordingNotifier } from '../../unit/alarms/harness';
import { tcpService, waitFor } from './support';

const PERIOD = 60_000;
let scratch: { dir: string; cleanup: () => void };
let file: string;
let clock: FakeClock;
let notifier: RecordingNotifier;
let handle: DbHandle;
let alarms: Alarms;
const stops: (() => Promise<void> | void)[] = [];

function open(): void {
  handle = openDatabase(file);
  alarms = createAlarms({
    handle,
    emit: () => {},
    notifier,
    clock,
    tickMs: 0,
    options: { failThreshold: 3, clearThreshold: 2, groupWaitMs: 5_000 },
  });
  alarms.start();
}

async function close(): Promise<void> {
  await alarms.stop();
  handle.close();
}

beforeEach(async () => {
  scratch = tempDir('alarms-int-');
  file = (await createTestStore(scratch.dir)).file;
  clock = new FakeClock();
  notifier = new RecordingNotifier();
  open();
});
afterEach(async () => {
  await close();
  for (const stop of stops.splice(0).reverse()) await stop();
  scratch.cleanup();
});

async function agent(config: AgentConfigInput): Promise<{ agent: HealthAgent; url: string; port: number }> {
  const a = createHealthAgent({ port: 0, intervalMs: 3_600_000, ...config }, { reuseMs: 0 });
  const started = await a.start();
  stops.push(() => a.stop());
  return { agent: a, ...started };
}

/** n poll rounds, each one period later on the engine's clock. */
async function rounds(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    clock.advance(PERIOD);
    await alarms.agents.pollAll();
  }
}

async function deliver(): Promise<void> {
  clock.advance(5_000);
  await alarms.tick();
}

const openFor = (fingerprint: string) => alarms.openAlarms().find((a) => a.fingerprint === fingerprint);

describe('monitoring real health agents', () => {
  it('discovers services, raises and clears an alarm when a service goes down and comes back', async () => {
    const db = await tcpService();
    const { url } = await agent({ name: 'import-01', services: [{ id: 'db', kind: 'tcp', port: db.port, name: '导入数据库' }] });
    await alarms.addAgent({ name: 'import-01', url, periodMs: PERIOD, timeoutMs: 2_000 });
    await rounds(1);
    expect(alarms.serverTree()).toEqual([
      expect.objectContaining({
        server: 'import-01',
        agent: expect.objectContaining({ health: 'ok' }),
        services: [expect.objectContaining({ target: 'import-01/svc:db', name: '导入数据库', health: 'ok' })],
      }),
    ]);

    await db.stop();
    await rounds(2);
    expect(openFor('import-01/svc:db')?.state).toBe('pending');
    await rounds(1);
    expect(openFor('import-01/svc:db')?.state).toBe('firing');
    await deliver();
    expect(notifier.items()).toEqual([expect.objectContaining({ fingerprint: 'import-01/svc:db', change: 'firing', server: 'import-01' })]);

    const back = await tcpService(db.port);
    stops.push(() => back.stop());
    await rounds(2);
    expect(openFor('import-01/svc:db')).toBeUndefined();
    await deliver();
    expect(notifier.items().map((i) => i.change)).toEqual(['firing', 'resolved']);
  });

  it('raises "server not answering" when the agent is gone, without alarms for the services behind it', async () => {
    const svc = await tcpService();
    stops.push(() => svc.stop());
    const first = await agent({ name: 'backup-01', services: [{ id: 'db', kind: 'tcp', port: svc.port }] });
    await alarms.addAgent({ name: 'backup-01', url: first.url, periodMs: PERIOD, timeoutMs: 2_000 });
    await rounds(1);
    await first.agent.stop();
    await rounds(3);
    expect(alarms.openAlarms().map((a) => [a.fingerprint, a.state])).toEqual([['agent:backup-01', 'firing']]);
    expect(openFor('agent:backup-01')?.detail).toMatch(/fetch failed|ECONNREFUSED/);
    await deliver();
    expect(notifier.items().map((i) => i.fingerprint)).toEqual(['agent:backup-01']);

    await agent({ name: 'backup-01', port: first.port, services: [{ id: 'db', kind: 'tcp', port: svc.port }] });
    await rounds(2);
    expect(alarms.openAlarms()).toEqual([]);
  });

  it('treats an agent that accepts but never answers within the timeout as not answering', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    stops.push(() => new Promise<void>((r) => { for (const s of sockets) s.destroy(); silent.close(() => r()); }));
    const address = silent.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    await alarms.addAgent({ name: 'sms-01', url: `http://127.0.0.1:${address.port}`, periodMs: PERIOD, timeoutMs: 300, channel: 'sms' });
    await rounds(3);
    expect(openFor('agent:sms-01')).toMatchObject({ state: 'firing', detail: 'no answer within the timeout' });
  });

  it('raises a disk alarm when usage crosses the configured threshold and clears it when it is raised', async () => {
    const { agent: a, url } = await agent({ name: 'file-01', disks: [{ id: 'data', path: scratch.dir, maxUsedPercent: 0 }] });
    await alarms.addAgent({ name: 'file-01', url, periodMs: PERIOD, timeoutMs: 2_000 });
    await rounds(3);
    expect(openFor('file-01/disk:data')).toMatchObject({ state: 'firing', detail: expect.stringContaining('% used') });
    a.reload({ name: 'file-01', disks: [{ id: 'data', path: scratch.dir, maxUsedPercent: 100 }] });
    await rounds(2);
    expect(openFor('file-01/disk:data')).toBeUndefined();
  });

  it('captures alarms the servers push in real time, and polls at once when the agent pushes a change', async () => {
    const gw = await tcpService();
    const { agent: a, url } = await agent({ name: 'sms-01', services: [{ id: 'gw', kind: 'tcp', port: gw.port }] });
    await alarms.addAgent({ name: 'sms-01', url, periodMs: PERIOD, timeoutMs: 2_000, channel: 'sms' });
    await waitFor(() => alarms.agents.list()[0]?.streaming, 'event stream');

    const push = (status: 'firing' | 'resolved') =>
      fetch(`${url}/alarms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: 'line-1', name: '线路故障', status, detail: '1号线无拨号音' }),
      });
    expect((await push('firing')).status).toBe(202);
    const raised = await waitFor(() => openFor('sms-01/remote:line-1'), 'pushed alarm');
    expect(raised).toMatchObject({ state: 'firing', name: '线路故障', server: 'sms-01' });
    await deliver();
    expect(notifier.items().map((i) => i.fingerprint)).toEqual(['sms-01/remote:line-1']);
    await push('resolved');
    await waitFor(() => !openFor('sms-01/remote:line-1'), 'pushed recovery');

    // The agent's own round sees the gateway down and pushes it; the monitor polls without waiting.
    await gw.stop();
    await a.check();
    await waitFor(() => alarms.engine.targets().find((t) => t.target === 'sms-01/svc:gw' && t.consecutive_fail === 1), 'poll on push');
  });

  it('loses nothing across a workstation restart and keeps monitoring the same agents', async () => {
    const db = await tcpService();
    const { url } = await agent({ name: 'import-01', services: [{ id: 'db', kind: 'tcp', port: db.port }] });
    await alarms.addAgent({ name: 'import-01', url, periodMs: PERIOD, timeoutMs: 2_000 });
    await rounds(1);
    await db.stop();
    await rounds(3);
    const before = openFor('import-01/svc:db');
    expect(before?.state).toBe('firing');

    await close();
    open();

    expect(alarms.agents.list().map((a) => a.name)).toEqual(['import-01']);
    expect(openFor('import-01/svc:db')?.id).toBe(before?.id);
    await deliver(); // the notice queued before the restart goes out now
    expect(notifier.items().map((i) => i.fingerprint)).toEqual(['import-01/svc:db']);
    alarms.acknowledge(before!.id, { id: 's1', name: '王主管' }, 'IT 正在处理');
    await rounds(1);
    expect(openFor('import-01/svc:db')?.occurrences).toBe(4);

    const back = await tcpService(db.port);
    stops.push(() => back.stop());
    await rounds(2);
    expect(alarms.get(before!.id)).toMatchObject({ state: 'resolved', ack: expect.objectContaining({ comment: 'IT 正在处理' }) });
  });

  it('raises "monitoring offline" when a monitor falls silent for twice its period', async () => {
    const { url } = await agent({ name: 'backup-01' });
    await alarms.addAgent({ name: 'backup-01', url, periodMs: PERIOD, timeoutMs: 2_000 });
    await rounds(1);
    await alarms.agents.stop(); // the monitor dies; the engine still ticks
    clock.advance(2 * PERIOD + 1_000);
    await alarms.tick();
    expect(openFor('watchdog:agent:backup-01')?.state).toBe('firing');
    alarms.agents.start();
    await rounds(0);
    await waitFor(() => !openFor('watchdog:agent:backup-01'), 'monitor heard again');
  });
});
