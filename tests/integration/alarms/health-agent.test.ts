import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSse, type SseEvent } from '../../../main/alarms/monitors/sse';
import { createHealthAgent, type HealthAgent } from '../../../tools/health-agent/agent';
import { parseTasklist } from '../../../tools/health-agent/probes';
import { agentConfigSchema, healthSchema, type AgentConfigInput } from '../../../tools/health-agent/protocol';
import { tempDir } from '../../support/db';
import { backupFolder, httpService, tcpService, waitFor } from './support';

let scratch: { dir: string; cleanup: () => void };
const cleanups: (() => Promise<void> | void)[] = [];
beforeEach(() => {
  scratch = tempDir('agent-');
});
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  scratch.cleanup();
});

/** The bundle, copied alone into the scratch folder the way IT copies it to a server. */
function bundledAgent(): string {
  const built = path.resolve(import.meta.dirname, '..', '..', '..', 'out', 'health-agent', 'health-agent.cjs');
  expect(existsSync(built), 'run `npm run build` (npm test does) before this test').toBe(true);
  const copy = path.join(scratch.dir, 'health-agent.cjs');
  copyFileSync(built, copy);
  return copy;
}

async function startAgent(config: AgentConfigInput, options = {}): Promise<{ agent: HealthAgent; url: string }> {
  const agent = createHealthAgent({ port: 0, intervalMs: 60_000, ...config }, { reuseMs: 0, ...options });
  const { url } = await agent.start();
  cleanups.push(() => agent.stop());
  return { agent, url };
}

async function health(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/health`, { headers });
  expect(res.status).toBe(200);
  const report = healthSchema.parse(await res.json());
  return Object.fromEntries(report.checks.map((c) => [c.id, c]));
}

describe('health agent', () => {
  it('reports process, TCP, HTTP, folder and disk checks and sees each one fail', async () => {
    const tcp = await tcpService();
    const web = await httpService();
    cleanups.push(() => web.stop());
    const folder = backupFolder(scratch.dir, 2);
    const { agent, url } = await startAgent({
      name: 'backup-01',
      services: [
        { id: 'node', kind: 'process', process: path.basename(process.execPath) },
        { id: 'ghost', kind: 'process', process: 'no-such-daemon-xyz' },
        { id: 'db', kind: 'tcp', port: tcp.port },
        { id: 'web', kind: 'http', url: web.url },
        { id: 'nightly', kind: 'folder', path: folder.path, maxAgeHours: 26 },
      ],
      disks: [{ id: 'data', path: scratch.dir, maxUsedPercent: 100 }],
    });
    let checks = await health(url);
    expect(Object.fromEntries(Object.entries(checks).map(([id, c]) => [id, c.status]))).toEqual({
      'svc:node': 'ok',
      'svc:ghost': 'fail',
      'svc:db': 'ok',
      'svc:web': 'ok',
      'svc:nightly': 'ok',
      'disk:data': 'ok',
    });
    expect(checks['disk:data']?.value).toBeGreaterThan(0);
    expect(checks['svc:nightly']?.value).toBeCloseTo(2, 0);

    await tcp.stop();
    web.status = 503;
    folder.age(30);
    agent.reload({
      name: 'backup-01',
      port: 0,
      services: [
        { id: 'db', kind: 'tcp', port: tcp.port },
        { id: 'web', kind: 'http', url: web.url },
        { id: 'nightly', kind: 'folder', path: folder.path, maxAgeHours: 26 },
      ],
      // A threshold below current usage: the disk alarm trips.
      disks: [{ id: 'data', path: scratch.dir, maxUsedPercent: 0 }],
    });
    checks = await health(url);
    expect(checks['svc:db']).toMatchObject({ status: 'fail', detail: expect.stringMatching(/ECONNREFUSED/) });
    expect(checks['svc:web']).toMatchObject({ status: 'fail', detail: 'HTTP 503' });
    expect(checks['svc:nightly']).toMatchObject({ status: 'fail', detail: expect.stringContaining('limit 26 h') });
    expect(checks['disk:data']?.status).toBe('fail');
    expect(checks['svc:node']).toBeUndefined();
  });

  it('keeps a full disk failed until it drops below the clear level', async () => {
    let used = 0.91;
    const statfs = async () => ({ blocks: 1000, bavail: Math.round((1 - used) * 1000), bsize: 4096 });
    const { url } = await startAgent({ name: 'srv', disks: [{ id: 'd', path: '/', maxUsedPercent: 90, clearUsedPercent: 85 }] }, { env: { statfs } });
    expect((await health(url))['disk:d']?.status).toBe('fail');
    used = 0.88;
    expect((await health(url))['disk:d']?.status).toBe('fail');
    used = 0.84;
    expect((await health(url))['disk:d']?.status).toBe('ok');
    used = 0.89;
    expect((await health(url))['disk:d']?.status).toBe('ok');
  });

  it('pushes check changes and the server programs\' own alarms to subscribers', async () => {
    const tcp = await tcpService();
    const { agent, url } = await startAgent({ name: 'sms-01', services: [{ id: 'gateway', kind: 'tcp', port: tcp.port }] });
    await agent.check();
    const events: SseEvent[] = [];
    const abort = new AbortController();
    const reading = readSse(`${url}/events`, { signal: abort.signal, onEvent: (e) => events.push(e) }).catch(() => {});
    cleanups.push(async () => {
      abort.abort();
      await reading;
    });
    await waitFor(() => agent.subscribers === 1, 'subscription');

    await tcp.stop();
    await agent.check();
    const pushed = await waitFor(() => events.find((e) => e.event === 'check'), 'pushed check');
    expect(JSON.parse(pushed.data)).toMatchObject({ id: 'svc:gateway', status: 'fail' });

    const post = await fetch(`${url}/alarms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'line-1', name: '线路故障', status: 'firing', detail: 'no dial tone' }),
    });
    expect(post.status).toBe(202);
    const remote = await waitFor(() => events.find((e) => e.data.includes('remote:line-1')), 'remote alarm');
    expect(JSON.parse(remote.data)).toMatchObject({ kind: 'remote', status: 'fail', name: '线路故障' });
    expect((await health(url))['remote:line-1']?.status).toBe('fail');

    const bad = await fetch(`${url}/alarms`, { method: 'POST', body: JSON.stringify({ key: 'x y', status: 'maybe' }) });
    expect(bad.status).toBe(400);
  });

  it('refuses callers without the shared secret', async () => {
    const { url } = await startAgent({ name: 'srv', secret: 'it-secret-123' });
    expect((await fetch(`${url}/health`)).status).toBe(401);
    expect((await fetch(`${url}/health`, { headers: { 'x-health-secret': 'wrong-secret-1' } })).status).toBe(401);
    expect(await health(url, { 'x-health-secret': 'it-secret-123' })).toEqual({});
  });

  it('validates its configuration', () => {
    expect(agentConfigSchema.safeParse({ name: 'a', services: [{ id: 'x', kind: 'tcp', port: 70000 }] }).success).toBe(false);
    expect(agentConfigSchema.safeParse({ name: 'a', services: [{ id: 'x', kind: 'ftp' }] }).success).toBe(false);
    const dup = agentConfigSchema.safeParse({
      name: 'a',
      services: [
        { id: 'x', kind: 'tcp', port: 1 },
        { id: 'x', kind: 'process', process: 'p' },
      ],
    });
    expect(dup.success).toBe(false);
    expect(agentConfigSchema.parse({ name: 'a', services: [{ id: 'b', kind: 'folder', path: '/b' }] }).services[0]).toMatchObject({ maxAgeHours: 26 });
  });

  it('reads Windows tasklist output', () => {
    const out = '"System Idle Process","0","Services","0","8 K"\r\n"mysqld.exe","4242","Services","0","120,004 K"\r\n';
    expect(parseTasklist(out)).toEqual(['System Idle Process', 'mysqld.exe']);
  });

  // From the sources, and as the one-file bundle IT copies to a server (`npm run build` makes it): plain
  // node, run from a folder with no node_modules, so a dependency left out of the bundle shows here.
  const commands: Array<[string, () => string[]]> = [
    ['the sources (tsx)', () => ['--import', 'tsx', 'tools/health-agent/cli.ts']],
    ['out/health-agent/health-agent.cjs', () => [bundledAgent()]],
  ];
  it.each(commands)('runs from the command line (%s) with a JSON config file and stops on SIGTERM', async (_name, command) => {
    const file = path.join(scratch.dir, 'agent.json');
    writeFileSync(file, JSON.stringify({ name: 'cli-srv', port: 0, services: [{ id: 'gone', kind: 'process', process: 'no-such-daemon-xyz' }] }));
    const args = command();
    const child = spawn(process.execPath, [...args, '--config', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: args[0] === '--import' ? process.cwd() : scratch.dir,
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const url = await waitFor(() => /listening on (http:\/\/\S+)/.exec(out)?.[1], 'cli start', 30_000);
    expect((await health(url))['svc:gone']?.status).toBe('fail');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
