/**
 * The health agent IT runs on each server (data import, SMS, backup): GET /health lists every watched
 * service and volume; GET /events streams changes as server-sent events; POST /alarms lets the
 * server's own programs raise or clear alarms that reach the workstation at once.
 */
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import {
  AGENT_PROTOCOL_VERSION,
  agentConfigSchema,
  remoteAlarmSchema,
  SECRET_HEADER,
  type AgentConfig,
  type AgentConfigInput,
  type CheckResult,
  type HealthReport,
} from './protocol';
import { probeDisk, probeService, systemProbeEnv, type ProbeEnv } from './probes';

export const AGENT_VERSION = '1.0.0';
const MAX_REMOTE = 500;
const MAX_BODY = 16 * 1024;

export interface HealthAgentOptions {
  env?: Partial<ProbeEnv>;
  /** Results younger than this are served from the last round instead of probing again. */
  reuseMs?: number;
  /** Interval between SSE keep-alive comments. */
  keepAliveMs?: number;
}

export interface HealthAgent {
  start(): Promise<{ port: number; url: string }>;
  stop(): Promise<void>;
  /** Runs every probe now (coalesced with a round already running) and pushes changes. */
  check(): Promise<CheckResult[]>;
  /** Replaces the configuration (e.g. the file changed); probes with the new one on the next round. */
  reload(config: AgentConfigInput): void;
  readonly subscribers: number;
}

export function createHealthAgent(input: AgentConfigInput, options: HealthAgentOptions = {}): HealthAgent {
  let config: AgentConfig = agentConfigSchema.parse(input);
  const env: ProbeEnv = { ...systemProbeEnv, ...options.env };
  const reuseMs = options.reuseMs ?? 500;
  const startedAt = new Date(env.now()).toISOString();
  const last = new Map<string, CheckResult>();
  const remote = new Map<string, CheckResult>();
  const streams = new Set<http.ServerResponse>();
  let round: Promise<CheckResult[]> | null = null;
  let lastRoundAt = -Infinity;
  let timer: NodeJS.Timeout | null = null;
  let keepAlive: NodeJS.Timeout | null = null;
  let server: http.Server | null = null;

  function push(event: string, data: unknown): void {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of streams) res.write(frame);
  }

  function record(result: CheckResult): void {
    const before = last.get(result.id);
    last.set(result.id, result);
    // Only changes are pushed; a first result counts as a change only when it is a failure.
    if (before ? before.status !== result.status : result.status === 'fail') push('check', result);
  }

  async function runRound(): Promise<CheckResult[]> {
    const cfg = config;
    let listing: Promise<string[]> | null = null;
    // One process listing per round, shared by every process probe.
    const processes = () => (listing ??= env.listProcesses());
    const checkedAt = () => new Date(env.now()).toISOString();
    const services = cfg.services.map(async (service): Promise<CheckResult> => {
      const outcome = await probeService(service, env, cfg.probeTimeoutMs, processes);
      return {
        id: `svc:${service.id}`,
        kind: service.kind,
        name: service.name ?? service.id,
        status: outcome.ok ? 'ok' : 'fail',
        severity: service.severity,
        latencyMs: outcome.latencyMs,
        detail: outcome.detail,
        checkedAt: checkedAt(),
        ...(outcome.value !== undefined ? { value: outcome.value } : {}),
      };
    });
    const disks = cfg.disks.map(async (disk): Promise<CheckResult> => {
      const id = `disk:${disk.id}`;
      const outcome = await probeDisk(disk, env, last.get(id)?.status === 'fail');
      return {
        id,
        kind: 'disk',
        name: disk.name ?? `磁盘 ${disk.path}`,
        status: outcome.ok ? 'ok' : 'fail',
        severity: disk.severity,
        latencyMs: outcome.latencyMs,
        detail: outcome.detail,
        checkedAt: checkedAt(),
        ...(outcome.value !== undefined ? { value: outcome.value } : {}),
      };
    });
    const results = await Promise.all([...services, ...disks]);
    for (const id of [...last.keys()]) if (!results.some((r) => r.id === id)) last.delete(id);
    for (const result of results) record(result);
    lastRoundAt = env.now();
    return results;
  }

  function check(): Promise<CheckResult[]> {
    round ??= runRound().finally(() => {
      round = null;
    });
    return round;
  }

  async function report(): Promise<HealthReport> {
    const fresh = env.now() - lastRoundAt < reuseMs;
    const checks = fresh ? [...last.values()] : await check();
    return {
      protocol: AGENT_PROTOCOL_VERSION,
      agent: { name: config.name, version: AGENT_VERSION, hostname: os.hostname(), platform: process.platform, startedAt, intervalMs: config.intervalMs },
      at: new Date(env.now()).toISOString(),
      checks: [...checks, ...remote.values()],
    };
  }

  function authorized(req: http.IncomingMessage): boolean {
    if (!config.secret) return true;
    const given = Buffer.from(String(req.headers[SECRET_HEADER] ?? ''));
    const wanted = Buffer.from(config.secret);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  }

  function send(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  }

  async function readJson(req: http.IncomingMessage): Promise<unknown> {
    let size = 0;
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buf.length;
      if (size > MAX_BODY) throw new Error('body too large');
      chunks.push(buf);
    }
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  }

  async function receiveAlarm(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body: unknown;
    try {
      body = await readJson(req);
    } catch {
      send(res, 400, { error: 'invalid JSON' });
      return;
    }
    const parsed = remoteAlarmSchema.safeParse(body);
    if (!parsed.success) {
      send(res, 400, { error: 'invalid alarm', issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      return;
    }
    const alarm = parsed.data;
    const id = `remote:${alarm.key}`;
    if (!remote.has(id) && remote.size >= MAX_REMOTE) {
      send(res, 429, { error: 'too many distinct alarms' });
      return;
    }
    const result: CheckResult = {
      id,
      kind: 'remote',
      name: alarm.name,
      status: alarm.status === 'firing' ? 'fail' : 'ok',
      severity: alarm.severity,
      latencyMs: 0,
      detail: alarm.detail,
      checkedAt: new Date(env.now()).toISOString(),
    };
    // Kept (also once resolved) so a workstation that missed the push still converges on its next poll.
    remote.set(id, result);
    push('check', result);
    send(res, 202, { ok: true });
  }

  function subscribe(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(`event: hello\ndata: ${JSON.stringify({ name: config.name, version: AGENT_VERSION })}\n\n`);
    streams.add(res);
    req.on('close', () => streams.delete(res));
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://agent');
    if (!authorized(req)) return send(res, 401, { error: 'unauthorized' });
    if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, await report());
    if (req.method === 'GET' && url.pathname === '/events') return subscribe(req, res);
    if (req.method === 'POST' && url.pathname === '/alarms') return receiveAlarm(req, res);
    send(res, 404, { error: 'not found' });
  }

  function schedule(): void {
    if (timer) clearInterval(timer);
    timer = setInterval(() => void check().catch(() => {}), config.intervalMs);
    timer.unref();
  }

  return {
    async start() {
      server = http.createServer((req, res) => {
        handle(req, res).catch((error: unknown) => {
          if (!res.headersSent) send(res, 500, { error: error instanceof Error ? error.message : 'internal error' });
          else res.end();
        });
      });
      // Keep-alive connections from pollers must not hold stop() hostage.
      server.keepAliveTimeout = 5_000;
      const srv = server;
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(config.port, config.host, () => resolve());
      });
      schedule();
      keepAlive = setInterval(() => {
        for (const res of streams) res.write(': keep-alive\n\n');
      }, options.keepAliveMs ?? 15_000);
      keepAlive.unref();
      void check().catch(() => {});
      const address = srv.address();
      if (!address || typeof address === 'string') throw new Error('agent is not listening on TCP');
      const port = address.port;
      return { port, url: `http://${config.host}:${port}` };
    },
    async stop() {
      if (timer) clearInterval(timer);
      if (keepAlive) clearInterval(keepAlive);
      timer = keepAlive = null;
      for (const res of streams) res.end();
      streams.clear();
      const srv = server;
      server = null;
      if (!srv) return;
      await new Promise<void>((resolve) => {
        srv.close(() => resolve());
        srv.closeAllConnections();
      });
      await round?.catch(() => {});
    },
    check,
    reload(next) {
      const port = config.port;
      config = { ...agentConfigSchema.parse(next), port };
      lastRoundAt = -Infinity;
      if (timer) schedule();
    },
    get subscribers() {
      return streams.size;
    },
  };
}
