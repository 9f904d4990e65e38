/**
 * The agent's probes. Each returns ok/fail with a human detail and a latency; the system-facing parts
 * (process list, statfs, clock) are injectable so tests can make services fail on purpose.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { DiskConfig, ServiceConfig } from './protocol';

export interface ProbeOutcome {
  ok: boolean;
  detail: string;
  latencyMs: number;
  value?: number;
}

export interface StatfsResult {
  blocks: number;
  bavail: number;
  bsize: number;
}

export interface ProbeEnv {
  /** Names of running processes (executable names, any case). */
  listProcesses(): Promise<string[]>;
  statfs(target: string): Promise<StatfsResult>;
  now(): number;
}

function normalizeName(name: string): string {
  return path.basename(name.trim()).toLowerCase().replace(/\.exe$/, '');
}

/** Windows: `tasklist /FO CSV /NH` lines look like "mysqld.exe","1234","Services","0","12,345 K". */
export function parseTasklist(output: string): string[] {
  const names: string[] = [];
  for (const line of output.split(/\r?\n/)) {
    const match = /^"([^"]+)"/.exec(line.trim());
    if (match?.[1]) names.push(match[1]);
  }
  return names;
}

async function linuxProcesses(): Promise<string[]> {
  const names: string[] = [];
  const entries = await fs.readdir('/proc');
  await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e))
      .map(async (pid) => {
        // comm is truncated to 15 characters; argv[0] gives the full executable name.
        const [comm, cmdline] = await Promise.all([
          fs.readFile(`/proc/${pid}/comm`, 'utf8').catch(() => ''),
          fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''),
        ]);
        if (comm) names.push(comm.trim());
        const argv0 = cmdline.split('\0')[0];
        if (argv0) names.push(argv0);
      }),
  );
  return names;
}

function windowsProcesses(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile('tasklist', ['/FO', 'CSV', '/NH'], { windowsHide: true, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(parseTasklist(stdout));
    });
  });
}

export const systemProbeEnv: ProbeEnv = {
  listProcesses: () => (process.platform === 'win32' ? windowsProcesses() : linuxProcesses()),
  statfs: (target) => fs.statfs(target),
  now: () => Date.now(),
};

function tcp(host: string, port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(`${host}:${port} open`);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

async function http(url: string, expectStatus: number | undefined, timeoutMs: number): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
  await response.body?.cancel();
  const ok = expectStatus ? response.status === expectStatus : response.status < 400;
  if (!ok) throw new Error(`HTTP ${response.status}`);
  return `HTTP ${response.status}`;
}

async function newestFileAge(folder: string, now: number): Promise<{ ageHours: number; file: string } | null> {
  const entries = await fs.readdir(folder, { withFileTypes: true });
  let newest: { mtime: number; file: string } | null = null;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const stat = await fs.stat(path.join(folder, entry.name)).catch(() => null);
    if (stat && (!newest || stat.mtimeMs > newest.mtime)) newest = { mtime: stat.mtimeMs, file: entry.name };
  }
  return newest ? { ageHours: (now - newest.mtime) / 3_600_000, file: newest.file } : null;
}

function message(error: unknown): string {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? `${error.code} ` : '';
    return `${code}${error.message}`.slice(0, 300);
  }
  return String(error);
}

export async function probeService(
  service: ServiceConfig,
  env: ProbeEnv,
  timeoutMs: number,
  processes: () => Promise<string[]>,
): Promise<ProbeOutcome> {
  const started = performance.now();
  const done = (ok: boolean, detail: string, value?: number): ProbeOutcome => ({
    ok,
    detail,
    latencyMs: Math.round((performance.now() - started) * 10) / 10,
    ...(value !== undefined ? { value } : {}),
  });
  try {
    switch (service.kind) {
      case 'process': {
        const wanted = normalizeName(service.process);
        const running = (await processes()).some((name) => normalizeName(name) === wanted);
        return done(running, running ? `${service.process} running` : `${service.process} not running`);
      }
      case 'tcp':
        return done(true, await tcp(service.host, service.port, timeoutMs));
      case 'http':
        return done(true, await http(service.url, service.expectStatus, timeoutMs));
      case 'folder': {
        const newest = await newestFileAge(service.path, env.now());
        if (!newest) return done(false, `no files in ${service.path}`);
        const hours = Math.round(newest.ageHours * 10) / 10;
        const fresh = newest.ageHours < service.maxAgeHours;
        return done(fresh, `newest ${newest.file} is ${hours} h old (limit ${service.maxAgeHours} h)`, hours);
      }
    }
  } catch (error) {
    return done(false, message(error));
  }
}

/**
 * Disk usage with hysteresis: a volume that crossed its alarm level stays failed until it drops below
 * the clear level, so a disk hovering at the threshold does not flap.
 */
export async function probeDisk(disk: DiskConfig, env: ProbeEnv, wasFailing: boolean): Promise<ProbeOutcome> {
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    const stat = await env.statfs(disk.path);
    const usedPercent = stat.blocks > 0 ? Math.round((1 - stat.bavail / stat.blocks) * 1000) / 10 : 0;
    const freeGb = Math.round(((stat.bavail * stat.bsize) / 1024 ** 3) * 10) / 10;
    const clearAt = disk.clearUsedPercent ?? Math.max(0, disk.maxUsedPercent - 5);
    const failing = wasFailing ? usedPercent >= clearAt : usedPercent >= disk.maxUsedPercent;
    return {
      ok: !failing,
      detail: `${usedPercent}% used, ${freeGb} GB free (alarm at ${disk.maxUsedPercent}%)`,
      latencyMs: latency(),
      value: usedPercent,
    };
  } catch (error) {
    return { ok: false, detail: message(error), latencyMs: latency() };
  }
}
