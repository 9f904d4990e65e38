/**
 * The DMS connection from the seat file: when the `dms` section of seat-config.json names a REST base
 * URL and API key, ONE source named "座席配置 DMS" is created or updated from it (on start and on every
 * change). Its id is kept in a small state file beside the seat file (its origin; the reserved name
 * finds it again after a restore); sources an admin created in the DMS screen are never touched. When the seat file no longer names a REST DMS the
 * seat-managed source is disabled (its run history stays).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic, type SeatConfig, type SeatConfigService } from '../config';
import type { Dms } from './index';
import type { DmsSource, SourceInput } from './sources';

export const SEAT_SOURCE_NAME = '座席配置 DMS';

const stateSchema = z.object({ sourceId: z.string().nullable() });

export interface SeatDmsSourceDeps {
  /** The DMS capability of the seat's dealer. */
  dms: () => Pick<Dms, 'sources' | 'startScheduler'>;
  seatConfig: Pick<SeatConfigService, 'get' | 'onChange'>;
  /** Where the seat-managed source's id is kept (e.g. <dataDir>/seat-dms.json). */
  stateFile: string;
  log?: (message: string) => void;
}

export type SeatDmsOutcome = 'created' | 'updated' | 'unchanged' | 'disabled' | 'none';

function readSourceId(file: string): string | null {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data.sourceId : null;
  } catch {
    return null;
  }
}

/** The source the seat's `dms` section describes, or null when it names no usable REST DMS. */
export function seatSourceInput(dms: SeatConfig['dms'], existing: DmsSource | null): SourceInput | null {
  if (dms.kind !== 'rest' || !dms.baseUrl || dms.apiKey === '') return null;
  return {
    name: existing?.name ?? SEAT_SOURCE_NAME,
    kind: 'rest',
    rest: {
      baseUrl: dms.baseUrl,
      apiKey: dms.apiKey,
      timeoutMs: dms.timeoutSeconds * 1000,
      // Retries and the nightly comparison are the admin's to tune in the DMS screen; keep them.
      ...(existing?.rest?.attempts ? { attempts: existing.rest.attempts } : {}),
      ...(existing?.rest?.reconcileSchedule ? { reconcileSchedule: existing.rest.reconcileSchedule } : {}),
    },
    schedule: dms.schedule,
    enabled: true,
  };
}

function same(source: DmsSource, input: SourceInput): boolean {
  const rest = (r: SourceInput['rest'] | null) =>
    r ? [r.baseUrl, r.apiKey, r.attempts ?? null, r.timeoutMs ?? null, r.reconcileSchedule ?? null] : null;
  return JSON.stringify([source.name, source.kind, rest(source.rest), source.schedule, source.enabled]) ===
    JSON.stringify([input.name, input.kind, rest(input.rest ?? null), input.schedule ?? null, input.enabled !== false]);
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function createSeatDmsSource(deps: SeatDmsSourceDeps) {
  let chain: Promise<unknown> = Promise.resolve();
  let unsubscribe: (() => void) | null = null;

  async function apply(config: SeatConfig): Promise<{ outcome: SeatDmsOutcome; source: DmsSource | null }> {
    const dms = deps.dms();
    const storedId = readSourceId(deps.stateFile);
    // After a restore (or a lost state file) the id may be unknown: the seat's reserved name finds it again.
    const existing = (storedId ? await dms.sources.get(storedId) : null) ?? (await dms.sources.list()).find((s) => s.name === SEAT_SOURCE_NAME) ?? null;
    const input = seatSourceInput(config.dms, existing);
    if (config.dms.kind === 'rest' && !input) deps.log?.('seat DMS: the dms section names no base URL or API key; no source applied');
    let outcome: SeatDmsOutcome;
    let source: DmsSource | null = existing;
    if (input) {
      if (existing && same(existing, input)) outcome = 'unchanged';
      else {
        source = await dms.sources.save(input, existing?.id);
        outcome = existing ? 'updated' : 'created';
      }
    } else if (existing?.enabled) {
      source = await dms.sources.save({ name: existing.name, kind: existing.kind, ...(existing.rest ? { rest: existing.rest } : {}), schedule: existing.schedule, enabled: false }, existing.id);
      outcome = 'disabled';
    } else outcome = 'none';
    if (source?.id !== storedId) writeFileAtomic(deps.stateFile, `${JSON.stringify({ sourceId: source?.id ?? null })}\n`);
    if (outcome === 'created' || outcome === 'updated' || outcome === 'disabled') await dms.startScheduler();
    return { outcome, source };
  }

  /** Applies the seat file's `dms` section; calls run one after another. */
  function reconcile(config: SeatConfig = deps.seatConfig.get()) {
    const run = chain.then(() => apply(config));
    chain = run.catch(() => undefined);
    return run;
  }

  return {
    reconcile,
    /** The seat-managed source's id (null until the seat file named a REST DMS). */
    sourceId: () => readSourceId(deps.stateFile),
    async start(): Promise<void> {
      unsubscribe ??= deps.seatConfig.onChange((next) => {
        reconcile(next).catch((error: unknown) => deps.log?.(`seat DMS source: ${message(error)}`));
      });
      try {
        await reconcile();
      } catch (error) {
        deps.log?.(`seat DMS source: ${message(error)}`);
      }
    },
    async stop(): Promise<void> {
      unsubscribe?.();
      unsubscribe = null;
      await chain;
    },
  };
}

export type SeatDmsSource = ReturnType<typeof createSeatDmsSource>;
