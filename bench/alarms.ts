/**
 * Alarm monitoring benchmark: N health agents × S services polled every P seconds by the workstation.
 *
 *   npx tsx bench/alarms.ts [--agents 20] [--services 20] [--period 2] [--periods 3] [--failures 5]
 *   npx tsx bench/alarms.ts --agents 200 --period 10          (the target load)
 *
 * The agents run in a child process (so their probing does not count against the workstation); each
 * lists S services: TCP checks against a listener in the child, two folder-freshness checks and one
 * "victim" process check the child can make fail on command. The parent runs createAlarms exactly as
 * the workstation does (real clock, SSE subscriptions, 1 s tick) against a scratch store in bench/.data/.
 * It measures the parent's CPU share over --periods quiet periods, then fails --failures victims at
 * random moments and reports detection latency — failure to first failed check (pending) and to the
 * raised alarm (firing, after the fail threshold) — against the configured period.
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openDatabase } from '../db/connection';
import { newId, nowIso } from '../db/ids';
import { migrateToLatest } from '../db/migrate';
import { createAlarms, type AlarmView } from '../main/alarms';
import { createHealthAgent, type HealthAgent } from '../tools/health-agent/agent';
import type { ServiceConfig } from '../tools/health-agent/protocol';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '20' },
    services: { type: 'string', default: '20' },
    period: { type: 'string', default: '2' },
    periods: { type: 'string', default: '3' },
    failures: { type: 'string', default: '5' },
    'fail-threshold': { type: 'string', default: '3' },
    child: { type: 'boolean', default: false },
  },
});
const agentCount = Number(values.agents);
const serviceCount = Number(values.services);
const periodMs = Number(values.period) * 1000;
const FAIL_THRESHOLD = Number(values['fail-threshold']);

const toChild = z.discriminatedUnion('cmd', [z.object({ cmd: z.literal('fail'), agent: z.number().int() }), z.object({ cmd: z.literal('stop') })]);
const fromChild = z.object({ ready: z.array(z.string()) });

// ---------------------------------------------------------------- child: the agents
async function runAgents(): Promise<void> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'alarm-bench-agents-'));
  for (const name of ['nightly', 'hourly']) {
    mkdirSync(path.join(scratch, name));
    writeFileSync(path.join(scratch, name, 'latest.bak'), 'x');
  }
  const listener = net.createServer((s) => {
    s.on('error', () => {}); // probes hang up at once: resets are expected
    s.end();
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  const address = listener.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const killed = new Set<number>();
  const agents: HealthAgent[] = [];
  const urls: string[] = [];
  for (let i = 0; i < agentCount; i++) {
    const services: ServiceConfig[] = [
      { id: 'victim', kind: 'process', process: `victim-${i}`, severity: 'critical' },
      { id: 'nightly', kind: 'folder', path: path.join(scratch, 'nightly'), maxAgeHours: 26, severity: 'critical' },
      { id: 'hourly', kind: 'folder', path: path.join(scratch, 'hourly'), maxAgeHours: 2, severity: 'warning' },
    ];
    for (let k = services.length; k < serviceCount; k++) {
      services.push({ id: `tcp-${k}`, kind: 'tcp', host: '127.0.0.1', port: address.port, severity: 'critical' });
    }
    // The agents' own rounds are rare: latency measured here is the workstation's polling, not pushes.
    const agent = createHealthAgent(
      { name: `srv-${i}`, port: 0, intervalMs: 3_600_000, services },
      { env: { listProcesses: async () => (killed.has(i) ? [] : [`victim-${i}`]) }, reuseMs: 200 },
    );
    const { url } = await agent.start();
    agents.push(agent);
    urls.push(url);
  }
  process.on('message', (raw) => {
    const msg = toChild.parse(raw);
    if (msg.cmd === 'fail') killed.add(msg.agent);
    else
      void Promise.all(agents.map((a) => a.stop())).then(() => {
        listener.close();
        rmSync(scratch, { recursive: true, force: true });
        process.exit(0);
      });
  });
  process.send?.({ ready: urls });
}

// ---------------------------------------------------------------- parent: the workstation
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runWorkstation(): Promise<void> {
  if (![agentCount, serviceCount, periodMs].every((n) => Number.isFinite(n) && n > 0) || serviceCount < 4) {
    throw new Error('usage: npx tsx bench/alarms.ts [--agents N] [--services N>=4] [--period S] [--periods N] [--failures N]');
  }
  const child = fork(import.meta.filename, ['--child', '--agents', String(agentCount), '--services', String(serviceCount)], {
    execArgv: ['--import', 'tsx'],
  });
  const urls = await new Promise<string[]>((resolve, reject) => {
    child.once('message', (m) => resolve(fromChild.parse(m).ready));
    child.once('exit', (code) => reject(new Error(`agents exited with ${code}`)));
  });

  const dir = path.join(import.meta.dirname, '.data');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `alarms-bench-${process.pid}.sqlite`);
  const handle = openDatabase(file);
  await migrateToLatest(handle.db);
  const at = nowIso();
  await handle.db.insertInto('dealer').values({ id: newId(), code: 'BENCH', name: '基准测试店', brand: 'Honda', city: null, created_at: at, updated_at: at }).execute();

  const seen = new Map<string, { pending?: number; firing?: number }>();
  const notified: number[] = [];
  const alarms = createAlarms({
    handle,
    notifier: { notify: (b) => void notified.push(b.items.length), escalate: () => {} },
    emit: (name, payload) => {
      if (name !== 'alarms.changed' || !('alarm' in payload)) return;
      const alarm: AlarmView = payload.alarm;
      const entry = seen.get(alarm.fingerprint) ?? {};
      if (alarm.state === 'pending' && entry.pending === undefined) entry.pending = performance.now();
      if (alarm.state === 'firing' && entry.firing === undefined) entry.firing = performance.now();
      seen.set(alarm.fingerprint, entry);
    },
    options: { failThreshold: FAIL_THRESHOLD, clearThreshold: 2, groupWaitMs: 2_000 },
    tickMs: 1_000,
  });
  for (const [i, url] of urls.entries()) {
    await alarms.addAgent({ name: `srv-${i}`, url, periodMs, timeoutMs: Math.min(5_000, periodMs) });
  }
  alarms.start();
  console.log(`${agentCount} agents × ${serviceCount} services, period ${periodMs / 1000} s, fail threshold ${FAIL_THRESHOLD}`);

  await sleep(2 * periodMs); // warm-up: first polls, targets created
  const targets = alarms.engine.targets().length;
  const quietPeriods = Number(values.periods);
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  await sleep(quietPeriods * periodMs);
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - wall0;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const checksPerSecond = (agentCount * (serviceCount + 1)) / (periodMs / 1000);
  const falseAlarms = alarms.openAlarms().length;

  const failures = Math.min(Number(values.failures), agentCount);
  const failedAt = new Map<string, number>();
  for (let f = 0; f < failures; f++) {
    await sleep(Math.random() * (periodMs / failures));
    child.send({ cmd: 'fail', agent: f });
    failedAt.set(`srv-${f}/svc:victim`, performance.now());
  }
  const deadline = performance.now() + (FAIL_THRESHOLD + 3) * periodMs;
  while (performance.now() < deadline && [...failedAt.keys()].some((k) => seen.get(k)?.firing === undefined)) await sleep(100);

  await sleep(3_000); // group wait + a tick, so the burst's notification goes out
  const toPending: number[] = [];
  const toFiring: number[] = [];
  for (const [fingerprint, t0] of failedAt) {
    const entry = seen.get(fingerprint);
    if (entry?.pending !== undefined) toPending.push(entry.pending - t0);
    if (entry?.firing !== undefined) toFiring.push(entry.firing - t0);
  }
  toPending.sort((a, b) => a - b);
  toFiring.sort((a, b) => a - b);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s (${(ms / periodMs).toFixed(2)} P)`;

  console.log(`targets discovered: ${targets} (expected ${agentCount * (serviceCount + 1)}), false alarms while quiet: ${falseAlarms}`);
  console.log(`checks processed: ${checksPerSecond.toFixed(0)}/s`);
  console.log(
    `workstation CPU over ${(wallMs / 1000).toFixed(1)} s: ${((cpuMs / wallMs) * 100).toFixed(1)}% of one core, ` +
      `${((cpuMs / wallMs / os.cpus().length) * 100).toFixed(1)}% of ${os.cpus().length} cores; ` +
      `${((cpuMs * 1000) / (checksPerSecond * (wallMs / 1000))).toFixed(0)} µs per check`,
  );
  console.log(`detected ${toFiring.length}/${failures} failures`);
  console.log(`failure → first failed check (pending): p50 ${s(percentile(toPending, 50))}, max ${s(toPending.at(-1) ?? NaN)}  [bound: 1 P]`);
  console.log(
    `failure → raised alarm (firing):       p50 ${s(percentile(toFiring, 50))}, max ${s(toFiring.at(-1) ?? NaN)}  [bound: ${FAIL_THRESHOLD} P]`,
  );
  console.log(`notifications sent: ${notified.length} batch(es) carrying ${notified.reduce((a, b) => a + b, 0)} item(s)`);

  await alarms.stop();
  handle.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  child.send({ cmd: 'stop' });
  await new Promise((r) => child.once('exit', r));
  if (toFiring.length < failures) process.exitCode = 1;
}

if (values.child) await runAgents();
else await runWorkstation();
