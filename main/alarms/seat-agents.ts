/**
 * Health agents from the seat file: the `healthAgents` entries of seat-config.json are reconciled into
 * the alarms agent registry on start and on every change of the seat configuration, keyed by name.
 * Agents created from the seat file are remembered (their origin) in a small state file beside it, so
 * an entry removed from the seat file removes its agent, while agents an admin added in the UI are
 * never touched (an admin agent with the same name as a seat entry wins and the entry is skipped).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic, type SeatConfig, type SeatConfigService } from '../config';
import type { AgentInput, Agents } from './agents';

/** What the seat file said about an agent when it was last applied. */
const stateSchema = z.record(z.string(), z.object({ id: z.string(), fingerprint: z.string() }));
type SeatAgentState = z.infer<typeof stateSchema>;

export interface SeatAgentsDeps {
  agents: Pick<Agents, 'list' | 'add' | 'update' | 'remove'>;
  seatConfig: Pick<SeatConfigService, 'get' | 'onChange'>;
  /** Where the origin of seat-managed agents is kept (e.g. <dataDir>/seat-agents.json). */
  stateFile: string;
  log?: (message: string) => void;
}

export interface SeatAgentsResult {
  added: string[];
  updated: string[];
  removed: string[];
  /** Seat entries not applied: an admin agent holds the name, or the entry is not a valid agent. */
  skipped: { name: string; reason: string }[];
}

type SeatAgent = SeatConfig['healthAgents'][number];

/** A seat entry as a registry agent: the seat's api key is the agent's shared secret. */
export function seatAgentInput(entry: SeatAgent): AgentInput {
  const periodMs = entry.intervalSeconds * 1000;
  return {
    name: entry.name,
    url: entry.url,
    secret: entry.apiKey === '' ? null : entry.apiKey,
    periodMs,
    timeoutMs: Math.min(5_000, periodMs),
    channel: null,
    enabled: true,
  };
}

function fingerprint(input: AgentInput): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
}

function readState(file: string): SeatAgentState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = stateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function createSeatAgents(deps: SeatAgentsDeps) {
  let chain: Promise<unknown> = Promise.resolve();
  let unsubscribe: (() => void) | null = null;

  async function reconcileNow(config: SeatConfig): Promise<SeatAgentsResult> {
    const result: SeatAgentsResult = { added: [], updated: [], removed: [], skipped: [] };
    const state = readState(deps.stateFile);
    const next: SeatAgentState = {};
    const existing = deps.agents.list();
    const byName = new Map(existing.map((a) => [a.name.toLowerCase(), a]));
    const byId = new Map(existing.map((a) => [a.id, a]));
    const wanted = new Set<string>();

    for (const entry of config.healthAgents) {
      const key = entry.name.toLowerCase();
      if (wanted.has(key)) {
        result.skipped.push({ name: entry.name, reason: 'duplicate name in the seat file' });
        continue;
      }
      wanted.add(key);
      const input = seatAgentInput(entry);
      const print = fingerprint(input);
      const managed = Object.entries(state).find(([name]) => name.toLowerCase() === key)?.[1];
      const current = byName.get(key);
      try {
        if (current && managed?.id !== current.id) {
          result.skipped.push({ name: entry.name, reason: 'an agent added in the console has this name' });
        } else if (current && managed) {
          if (managed.fingerprint !== print) {
            await deps.agents.update(current.id, input);
            result.updated.push(entry.name);
          }
          next[entry.name] = { id: current.id, fingerprint: print };
        } else {
          const added = await deps.agents.add(input);
          result.added.push(entry.name);
          next[entry.name] = { id: added.id, fingerprint: print };
        }
      } catch (error) {
        result.skipped.push({ name: entry.name, reason: message(error) });
        if (managed && current?.id === managed.id) next[entry.name] = managed;
      }
    }

    for (const [name, managed] of Object.entries(state)) {
      if (wanted.has(name.toLowerCase())) continue;
      if (byId.has(managed.id)) {
        try {
          await deps.agents.remove(managed.id);
          result.removed.push(name);
        } catch (error) {
          deps.log?.(`seat agent ${name} could not be removed: ${message(error)}`);
          next[name] = managed;
        }
      }
    }

    writeFileAtomic(deps.stateFile, `${JSON.stringify(next, null, 2)}\n`);
    for (const s of result.skipped) deps.log?.(`seat agent ${s.name} not applied: ${s.reason}`);
    return result;
  }

  /** Reconciles the registry with the seat file; calls run one after another. */
  function reconcile(config: SeatConfig = deps.seatConfig.get()): Promise<SeatAgentsResult> {
    const run = chain.then(() => reconcileNow(config));
    chain = run.catch(() => undefined);
    return run;
  }

  return {
    reconcile,
    /** Applies the seat file now and again whenever the seat configuration changes. */
    async start(): Promise<void> {
      unsubscribe ??= deps.seatConfig.onChange((next) => {
        reconcile(next).catch((error: unknown) => deps.log?.(`seat agents: ${message(error)}`));
      });
      await reconcile();
    },
    async stop(): Promise<void> {
      unsubscribe?.();
      unsubscribe = null;
      await chain;
    },
  };
}

export type SeatAgents = ReturnType<typeof createSeatAgents>;
