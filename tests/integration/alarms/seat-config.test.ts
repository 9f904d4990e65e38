/**
 * The seat file drives the workstation: its health agents and its REST DMS reach the alarms registry
 * and the DMS sources on start and when the seat configuration is saved; finished DMS runs report the
 * link to the alarms (dms:<source name>). Through createServices and the dispatcher, like a host.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEAT_SOURCE_NAME } from '../../../main/dms/seat-source';
import { createServices, type Services } from '../../../main/services';
import { startDmsServer, type DmsServer } from '../../../tools/dms-server/server';
import type { CallContext } from '../../../main/rpc';
import type { Result } from '../../../preload/contract';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { call, signIn } from '../../support/services';
import { API_KEY, referenceServer, stopServer } from '../dms/support';
import { waitFor } from './support';

let scratch: { dir: string; cleanup: () => void };
let store: TestStore;
let services: Services;
let server: DmsServer;
let admin: CallContext;
let agent: CallContext;

const seat = (over: Record<string, unknown>) => ({
  healthAgents: [
    { name: 'erp-server', url: 'http://127.0.0.1:9/', intervalSeconds: 30 },
    { name: 'pbx', url: 'http://127.0.0.1:9/pbx', apiKey: 'pbx-secret-123', intervalSeconds: 60 },
    { name: 'console-agent', url: 'http://127.0.0.1:9/seat-copy', intervalSeconds: 60 },
  ],
  dms: { kind: 'rest', baseUrl: server.url, apiKey: API_KEY, schedule: '0 3 * * *', timeoutSeconds: 10 },
  ...over,
});

async function ok<T>(result: Promise<Result<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(`call failed: ${r.error.code} ${JSON.stringify(r.error.issues ?? [])}`);
  return r.data;
}

const agents = async () => ok(call(services, admin, 'alarms.agents.list', {}));
const sources = async () => ok(call(services, admin, 'dms.sources.list', {}));
const dmsAlarm = async () => (await ok(call(services, admin, 'alarms.open', {}))).find((a) => a.fingerprint === `dms:${SEAT_SOURCE_NAME}`);

async function runToEnd(sourceId: string): Promise<string> {
  const before = (await ok(call(services, admin, 'dms.runs', { sourceId, limit: 1 })))[0]?.id ?? null;
  await ok(call(services, admin, 'dms.syncNow', { sourceId }));
  const run = await waitFor(async () => {
    const [latest] = await ok(call(services, admin, 'dms.runs', { sourceId, limit: 1 }));
    return latest && latest.id !== before && latest.status !== 'running' ? latest : undefined;
  }, 'the DMS run to finish', 40_000);
  return run.status;
}

beforeAll(async () => {
  scratch = tempDir('seat-config-');
  store = await createTestStore(scratch.dir);
  server = await referenceServer(scratch.dir, 5);
  writeFileSync(path.join(scratch.dir, 'seat-config.json'), JSON.stringify(seat({ healthAgents: [seat({}).healthAgents[0], seat({}).healthAgents[1]] })));
  services = await createServices({ dbFile: store.file, dataDir: scratch.dir, host: 'browser', version: '0.0.0-test', validateOutput: true });
  await services.start();
  admin = await signIn(services, store.staff.admin);
  agent = await signIn(services, store.staff.agent);
});

afterAll(async () => {
  await services.close();
  await stopServer(server);
  scratch.cleanup();
});

describe('seat file → alarm agents and DMS source', () => {
  it('creates the seat agents and the seat DMS source on start', async () => {
    const list = await agents();
    expect(list.map((a) => a.name).sort()).toEqual(['erp-server', 'pbx']);
    expect(list.find((a) => a.name === 'pbx')).toMatchObject({ hasSecret: true, periodMs: 60_000, enabled: true });
    const dms = (await sources()).filter((s) => s.name === SEAT_SOURCE_NAME);
    expect(dms).toHaveLength(1);
    expect(dms[0]).toMatchObject({ kind: 'rest', baseUrl: server.url, hasApiKey: true, schedule: '0 3 * * *', enabled: true, timeoutMs: 10_000 });
  });

  it('applies a saved seat configuration: changed, added and removed agents; console agents left alone', async () => {
    await ok(call(services, admin, 'alarms.agents.add', { name: 'console-agent', url: 'http://127.0.0.1:9/console', periodMs: 20_000, timeoutMs: 2_000 }));
    const next = seat({
      healthAgents: [
        { name: 'erp-server', url: 'http://127.0.0.1:9/v2', intervalSeconds: 120 },
        { name: 'console-agent', url: 'http://127.0.0.1:9/seat-copy', intervalSeconds: 60 },
        { name: 'backup-nas', url: 'http://127.0.0.1:9/nas', intervalSeconds: 300 },
      ],
      dms: { kind: 'rest', baseUrl: server.url, apiKey: API_KEY, schedule: '15 */4 * * *', timeoutSeconds: 20 },
    });
    await ok(call(services, admin, 'config.save', { config: next }));
    const list = await waitFor(async () => {
      const now = await agents();
      return now.some((a) => a.name === 'backup-nas') && !now.some((a) => a.name === 'pbx') ? now : undefined;
    }, 'the seat agents to be reconciled');
    expect(list.map((a) => a.name).sort()).toEqual(['backup-nas', 'console-agent', 'erp-server']);
    expect(list.find((a) => a.name === 'erp-server')).toMatchObject({ url: 'http://127.0.0.1:9/v2', periodMs: 120_000 });
    // The admin's agent of the same name keeps its own settings.
    expect(list.find((a) => a.name === 'console-agent')).toMatchObject({ url: 'http://127.0.0.1:9/console', periodMs: 20_000 });
    const dms = await waitFor(async () => (await sources()).find((s) => s.name === SEAT_SOURCE_NAME && s.schedule === '15 */4 * * *'), 'the seat DMS source to be updated');
    expect(dms).toMatchObject({ timeoutMs: 20_000, enabled: true });
    expect((await sources()).filter((s) => s.name === SEAT_SOURCE_NAME)).toHaveLength(1);
  });

  it('leaves a DMS source the admin created alone and disables only the seat source when the seat drops its DMS', async () => {
    const mine = await ok(call(services, admin, 'dms.sources.save', {
      name: '总部 DMS', kind: 'rest', baseUrl: 'http://127.0.0.1:9/hq', apiKey: 'hq-key-1234', attempts: null, timeoutMs: null,
      schedule: null, reconcileSchedule: null, enabled: true,
    }));
    const current = await ok(call(services, admin, 'config.get', {}));
    await ok(call(services, admin, 'config.save', { config: { ...current.config, dms: { kind: 'none' } } }));
    await waitFor(async () => (await sources()).find((s) => s.name === SEAT_SOURCE_NAME && !s.enabled), 'the seat DMS source to be disabled');
    expect((await sources()).find((s) => s.id === mine.id)).toMatchObject({ baseUrl: 'http://127.0.0.1:9/hq', enabled: true });
    // Back on: the same source is enabled again, not a second one.
    // (The masked view hides the API key, and the 'none' save dropped it: IT enters it again.)
    await ok(call(services, admin, 'config.save', { config: { ...current.config, dms: { ...current.config.dms, apiKey: API_KEY } } }));
    await waitFor(async () => (await sources()).find((s) => s.name === SEAT_SOURCE_NAME && s.enabled), 'the seat DMS source to be enabled');
    expect((await sources()).filter((s) => s.name === SEAT_SOURCE_NAME)).toHaveLength(1);
  });

  it('refuses the agent registry to staff who are not admins', async () => {
    const r = await call(services, agent, 'alarms.agents.list', {});
    expect(r.ok ? 'ok' : r.error.code).toBe('FORBIDDEN');
  });
});

describe('DMS link monitor', () => {
  it('a good run keeps the link healthy, a run against a stopped DMS raises the alarm, the next good run clears it', async () => {
    const source = (await sources()).find((s) => s.name === SEAT_SOURCE_NAME);
    if (!source) throw new Error('no seat source');
    expect(await runToEnd(source.id)).toBe('succeeded');
    expect(await dmsAlarm()).toBeUndefined();

    const port = Number(new URL(server.url).port);
    const dmsStore = server.store;
    await server.close();
    expect(await runToEnd(source.id)).toBe('failed');
    const raised = await waitFor(dmsAlarm, 'the DMS link alarm');
    expect(raised.detail).toContain('无法连接 DMS');
    expect(raised.detail).toContain('Cannot reach the DMS');

    server = await startDmsServer({ store: dmsStore, apiKey: API_KEY, port, host: '127.0.0.1' });
    expect(await runToEnd(source.id)).toBe('succeeded');
    await waitFor(async () => !(await dmsAlarm()), 'the DMS link alarm to clear');
  }, 90_000);
});
