/**
 * Watches one health agent: polls GET /health every period (an answer that does not come within the
 * timeout is itself a failure of the server target), reports every service the agent lists without
 * per-service configuration, and follows GET /events so pushed changes are seen at once.
 */
import { checkResultSchema, healthSchema, SECRET_HEADER, type CheckResult } from '../../../tools/health-agent/protocol';
import type { CheckReport } from '../types';
import { readSse } from './sse';

export interface AgentTarget {
  /** Server name shown to people; also the prefix of every fingerprint from this agent. */
  name: string;
  url: string;
  secret?: string | null;
  periodMs: number;
  timeoutMs: number;
  /** Notification channel the server carries ('sms' for the SMS server), so escalation avoids it. */
  channel?: string | null;
}

/** What a monitor needs from the engine (the engine itself satisfies it). */
export interface MonitorSink {
  reportCheck(report: CheckReport): unknown;
  registerSource(source: string, periodMs: number): void;
  unregisterSource(source: string): void;
  heard(source: string): void;
}

export interface AgentMonitorOptions {
  /** First and longest wait between SSE reconnect attempts. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Log hook for connection trouble (the engine records the alarms themselves). */
  log?: (message: string) => void;
}

export const agentFingerprint = (name: string): string => `agent:${name}`;
export const serviceFingerprint = (name: string, checkId: string): string => `${name}/${checkId}`;

function errorText(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'no answer within the timeout';
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

export function createAgentMonitor(sink: MonitorSink, agent: AgentTarget, options: AgentMonitorOptions = {}) {
  const source = agentFingerprint(agent.name);
  const base = agent.url.replace(/\/+$/, '');
  const headers: Record<string, string> = agent.secret ? { [SECRET_HEADER]: agent.secret } : {};
  const reconnectMin = options.reconnectMinMs ?? 1_000;
  const reconnectMax = options.reconnectMaxMs ?? 30_000;
  let timer: NodeJS.Timeout | null = null;
  let abort: AbortController | null = null;
  let streamLoop: Promise<void> | null = null;
  let inFlight: Promise<boolean> | null = null;
  let streaming = false;
  /** Status of each check as the last poll saw it, to tell a pushed change from one already counted. */
  const polled = new Map<string, CheckResult['status']>();

  function reportAgent(ok: boolean, detail: string): void {
    sink.reportCheck({
      target: source,
      ok,
      detail,
      name: `服务器 ${agent.name} / Server ${agent.name}`,
      server: agent.name,
      kind: 'agent',
      severity: 'critical',
      channel: agent.channel ?? null,
      source,
    });
  }

  function reportService(check: CheckResult, pushed = false): void {
    const remote = check.kind === 'remote';
    sink.reportCheck({
      target: serviceFingerprint(agent.name, check.id),
      ok: check.status === 'ok',
      detail: check.detail,
      name: check.name,
      server: agent.name,
      kind: check.kind,
      severity: check.severity,
      parent: source,
      channel: agent.channel ?? null,
      // A server program's own alarm is already its verdict: no extra debouncing on our side.
      ...(remote ? { failThreshold: 1, clearThreshold: 1 } : {}),
      // The agent's own report already marked this poll as heard; a push is a sign of life by itself.
      ...(pushed ? { source } : {}),
    });
  }

  async function poll(): Promise<boolean> {
    let body: unknown;
    try {
      const response = await fetch(`${base}/health`, { headers, signal: AbortSignal.timeout(agent.timeoutMs) });
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`HTTP ${response.status}`);
      }
      body = await response.json();
    } catch (error) {
      reportAgent(false, errorText(error));
      return false;
    }
    const parsed = healthSchema.safeParse(body);
    if (!parsed.success) {
      reportAgent(false, 'answer is not a health report');
      return false;
    }
    reportAgent(true, `${parsed.data.checks.length} checks, agent ${parsed.data.agent.version}`);
    for (const check of parsed.data.checks) {
      polled.set(check.id, check.status);
      reportService(check);
    }
    return true;
  }

  /** One poll now; joins a poll already under way instead of stacking requests on a slow agent. */
  function pollOnce(): Promise<boolean> {
    inFlight ??= poll().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  /** A poll nobody awaits: a failure to record it (the store, not the agent) is logged, never thrown. */
  function background(): void {
    pollOnce().catch((error: unknown) => options.log?.(`poll of ${agent.name} not recorded: ${errorText(error)}`));
  }

  async function follow(signal: AbortSignal): Promise<void> {
    let wait = reconnectMin;
    while (!signal.aborted) {
      try {
        await readSse(`${base}/events`, {
          headers,
          signal,
          onOpen: () => {
            streaming = true;
            wait = reconnectMin;
          },
          onEvent: (event) => {
            if (event.event === 'hello') {
              sink.heard(source);
              return;
            }
            if (event.event !== 'check') return;
            let data: unknown;
            try {
              data = JSON.parse(event.data);
            } catch {
              return;
            }
            const check = checkResultSchema.safeParse(data);
            if (!check.success) return;
            // Pushed alarms of the server's programs count at once; a pushed change of a probe
            // triggers a poll so every check keeps one sample per round (hysteresis stays honest).
            // (An agent round run for our own poll pushes what that poll already counted: skip those.)
            if (check.data.kind === 'remote') reportService(check.data, true);
            else if (polled.get(check.data.id) !== check.data.status) background();
          },
        });
      } catch (error) {
        if (signal.aborted) break;
        options.log?.(`events from ${agent.name}: ${errorText(error)}`);
      }
      streaming = false;
      if (signal.aborted) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        signal.addEventListener('abort', () => {
          clearTimeout(t);
          resolve();
        });
      });
      wait = Math.min(wait * 2, reconnectMax);
    }
  }

  return {
    name: agent.name,
    source,
    pollOnce,
    /** Whether the pushed-event stream is connected right now. */
    get streaming() {
      return streaming;
    },
    start(): void {
      if (timer) return;
      sink.registerSource(source, agent.periodMs);
      // Regular polls start at a random point of the period, so many agents are not all asked at once.
      const offset = Math.floor(Math.random() * agent.periodMs);
      timer = setTimeout(() => {
        background();
        timer = setInterval(background, agent.periodMs);
      }, offset);
      abort = new AbortController();
      streamLoop = follow(abort.signal);
      background();
    },
    async stop(options: { forget?: boolean } = {}): Promise<void> {
      if (timer) clearTimeout(timer); // also clears an interval: Node uses one timer type for both
      timer = null;
      abort?.abort();
      abort = null;
      await streamLoop;
      streamLoop = null;
      await inFlight;
      if (options.forget) sink.unregisterSource(source);
    },
  };
}

export type AgentMonitor = ReturnType<typeof createAgentMonitor>;
