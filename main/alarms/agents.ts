/**
 * The health agents IT points the workstation at (alarm_agent), and the monitors running for them.
 * Adding, changing or removing an agent restarts its monitor at once.
 */
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { AlarmAgentTable } from '../../db/tables/alarms';
import { healthSchema, SECRET_HEADER, type HealthReport } from '../../tools/health-agent/protocol';
import type { EngineContext } from './context';
import { createAgentMonitor, type AgentMonitor, type AgentMonitorOptions, type MonitorSink } from './monitors/agent-monitor';
import { AlarmError } from './types';

export const agentInputSchema = z
  .object({
    name: z.string().trim().min(1).max(64),
    url: z.url().refine((u) => /^https?:\/\//.test(u), 'http(s) only'),
    secret: z.string().min(8).max(256).nullable().default(null),
    periodMs: z.number().int().min(1_000).max(3_600_000).default(10_000),
    timeoutMs: z.number().int().min(200).max(60_000).default(5_000),
    channel: z.string().max(32).nullable().default(null),
    enabled: z.boolean().default(true),
  })
  .strict()
  .refine((a) => a.timeoutMs <= a.periodMs, { message: 'the timeout must fit in the period', path: ['timeoutMs'] });
export type AgentInput = z.input<typeof agentInputSchema>;

export interface AgentView {
  id: string;
  name: string;
  url: string;
  hasSecret: boolean;
  periodMs: number;
  timeoutMs: number;
  channel: string | null;
  enabled: boolean;
  streaming: boolean;
}

type AgentRow = Selectable<AlarmAgentTable>;

export function createAgents(ctx: EngineContext, sink: MonitorSink, monitorOptions: AgentMonitorOptions = {}) {
  const { db, sdb } = ctx;
  const running = new Map<string, AgentMonitor>();
  let started = false;

  function rows(): AgentRow[] {
    return sdb.all(
      db.selectFrom('alarm_agent').selectAll().where('dealer_id', '=', ctx.dealerId).where('deleted_at', 'is', null).orderBy('name'),
    );
  }

  function row(id: string): AgentRow {
    const found = sdb.first(
      db.selectFrom('alarm_agent').selectAll().where('id', '=', id).where('dealer_id', '=', ctx.dealerId).where('deleted_at', 'is', null),
    );
    if (!found) throw new AlarmError('NOT_FOUND', 'No such agent');
    return found;
  }

  function view(r: AgentRow): AgentView {
    return {
      id: r.id,
      name: r.name,
      url: r.url,
      hasSecret: r.secret !== null,
      periodMs: r.period_ms,
      timeoutMs: r.timeout_ms,
      channel: r.channel,
      enabled: r.enabled === 1,
      streaming: running.get(r.id)?.streaming ?? false,
    };
  }

  function launch(r: AgentRow): void {
    const monitor = createAgentMonitor(
      sink,
      { name: r.name, url: r.url, secret: r.secret, periodMs: r.period_ms, timeoutMs: r.timeout_ms, channel: r.channel },
      monitorOptions,
    );
    running.set(r.id, monitor);
    monitor.start();
  }

  async function halt(id: string, forget: boolean): Promise<void> {
    const monitor = running.get(id);
    running.delete(id);
    await monitor?.stop({ forget });
  }

  function assertNameFree(name: string, exceptId: string | null): void {
    if (rows().some((r) => r.name.toLowerCase() === name.toLowerCase() && r.id !== exceptId)) {
      throw new AlarmError('CONFLICT', `An agent named ${name} exists`);
    }
  }

  return {
    list: (): AgentView[] => rows().map(view),

    async add(input: AgentInput): Promise<AgentView> {
      const a = agentInputSchema.parse(input);
      assertNameFree(a.name, null);
      const at = ctx.iso();
      const r: AgentRow = {
        id: ctx.id(),
        dealer_id: ctx.dealerId,
        name: a.name,
        url: a.url,
        secret: a.secret,
        period_ms: a.periodMs,
        timeout_ms: a.timeoutMs,
        channel: a.channel,
        enabled: a.enabled ? 1 : 0,
        created_at: at,
        updated_at: at,
        deleted_at: null,
      };
      sdb.run(db.insertInto('alarm_agent').values(r));
      if (started && a.enabled) launch(r);
      return view(r);
    },

    async update(id: string, input: AgentInput): Promise<AgentView> {
      const before = row(id);
      const a = agentInputSchema.parse(input);
      assertNameFree(a.name, id);
      const patch = {
        name: a.name,
        url: a.url,
        secret: a.secret,
        period_ms: a.periodMs,
        timeout_ms: a.timeoutMs,
        channel: a.channel,
        enabled: a.enabled ? 1 : 0,
        updated_at: ctx.iso(),
      };
      sdb.run(db.updateTable('alarm_agent').set(patch).where('id', '=', id));
      await halt(id, before.name !== a.name || !a.enabled);
      const after = { ...before, ...patch };
      if (started && a.enabled) launch(after);
      return view(after);
    },

    async remove(id: string): Promise<void> {
      row(id);
      sdb.run(db.updateTable('alarm_agent').set({ deleted_at: ctx.iso(), updated_at: ctx.iso() }).where('id', '=', id));
      await halt(id, true);
    },

    /** Asks an agent for its report once, before IT saves it ("test connection"). */
    async probe(url: string, secret: string | null, timeoutMs = 5_000): Promise<HealthReport> {
      const response = await fetch(`${url.replace(/\/+$/, '')}/health`, {
        headers: secret ? { [SECRET_HEADER]: secret } : {},
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new AlarmError('VALIDATION', `The agent answered HTTP ${response.status}`);
      }
      const parsed = healthSchema.safeParse(await response.json());
      if (!parsed.success) throw new AlarmError('VALIDATION', 'The answer is not a health report');
      return parsed.data;
    },

    /** Polls every running agent now (tests and "refresh" in the console). */
    async pollAll(): Promise<void> {
      await Promise.all([...running.values()].map((m) => m.pollOnce()));
    },

    monitor: (id: string): AgentMonitor | undefined => running.get(id),

    start(): void {
      if (started) return;
      started = true;
      for (const r of rows()) if (r.enabled === 1) launch(r);
    },

    async stop(): Promise<void> {
      started = false;
      await Promise.all([...running.keys()].map((id) => halt(id, false)));
    },
  };
}

export type Agents = ReturnType<typeof createAgents>;
