/**
 * Server health monitoring and alarms: the public face. `createAlarms` wires the engine (state,
 * lifecycle, outbox, escalation, silences, history), the agent monitors IT configured, the local hooks
 * other capabilities feed, and the periodic tick. Plain Node: popup, sound, SMS and e-mail are the
 * injected notifier's business.
 */
import type { DbHandle } from '../../db/connection';
import { createAgents, type AgentInput } from './agents';
import { createAlarmEngine } from './engine';
import type { AgentMonitorOptions } from './monitors/agent-monitor';
import { createLocalHook, createSelfChecks, modemChecks, type SelfCheckConfig } from './monitors/local';
import type { Actor, AlarmEmit, AlarmNotifier, Clock, EngineOptions } from './types';
import { createSyncDb } from './sync-db';
import { buildServerTree } from './tree';

export interface AlarmsDeps {
  handle: DbHandle;
  emit: AlarmEmit;
  notifier: AlarmNotifier;
  clock?: Clock;
  /** Defaults to the store's only dealer. */
  dealerId?: string;
  options?: Partial<EngineOptions>;
  /** How often the engine ticks (group flush, escalation, watchdog); 0 = never (tests tick by hand). */
  tickMs?: number;
  /** Probes of the workstation itself (disk, DB size, backup); off when omitted. */
  selfChecks?: SelfCheckConfig;
  log?: (message: string) => void;
  /** SSE reconnect pacing of the agent monitors. */
  monitor?: Pick<AgentMonitorOptions, 'reconnectMinMs' | 'reconnectMaxMs'>;
}

function defaultDealer(handle: DbHandle): string {
  const row = createSyncDb(handle).first(handle.db.selectFrom('dealer').select('id').orderBy('created_at').limit(1));
  if (!row) throw new Error('Alarms need a dealer in the store');
  return row.id;
}

export function createAlarms(deps: AlarmsDeps) {
  const engine = createAlarmEngine({
    handle: deps.handle,
    dealerId: deps.dealerId ?? defaultDealer(deps.handle),
    notifier: deps.notifier,
    emit: deps.emit,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.options ? { options: deps.options } : {}),
  });
  const agents = createAgents(engine.context, engine, { ...deps.monitor, ...(deps.log ? { log: deps.log } : {}) });
  const self = deps.selfChecks ? createSelfChecks(engine, deps.selfChecks) : null;
  let ticker: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;

  function tick(): Promise<void> {
    ticking ??= engine.tick().finally(() => {
      ticking = null;
    });
    return ticking;
  }

  return {
    engine,
    agents,
    /** Generic hook: any capability reports a check result (modem, DMS link ...). */
    reportCheck: engine.reportCheck,
    localHook: (source: string, periodMs: number) => createLocalHook(engine, source, periodMs),
    /** Typed hook for the modem bridge: line, SMS link (behind the line) and signal. */
    modemHook: (periodMs: number) => modemChecks(createLocalHook(engine, 'modem', periodMs)),
    acknowledge: (alarmId: string, actor: Actor, comment: string) => engine.acknowledge(alarmId, actor, comment),
    openAlarms: () => engine.openAlarms(),
    get: (alarmId: string) => engine.get(alarmId),
    serverTree: () => buildServerTree(engine.targets(), engine.openAlarms()),
    silences: engine.silences,
    history: engine.history,
    addAgent: (input: AgentInput) => agents.add(input),
    tick,

    /** Starts the monitors of every enabled agent, the self checks and the periodic tick. */
    start(): void {
      agents.start();
      self?.start();
      const every = deps.tickMs ?? 1_000;
      if (every > 0 && !ticker) {
        ticker = setInterval(() => {
          tick().catch((error: unknown) => deps.log?.(`alarm tick failed: ${error instanceof Error ? error.message : String(error)}`));
        }, every);
      }
    },

    async stop(): Promise<void> {
      if (ticker) clearInterval(ticker);
      ticker = null;
      self?.stop();
      await agents.stop();
      await ticking;
    },
  };
}

export type Alarms = ReturnType<typeof createAlarms>;
export type { AgentInput, AgentView } from './agents';
export type { HistoryFilter, AlarmEventView } from './history';
export type { NewSilence, SilenceView } from './silences';
export type { ServerNode, TargetNode } from './tree';
export { LOCAL_TARGETS } from './monitors/local';
export * from './types';
