/**
 * Scheduled runs with croner: one job per enabled source with a schedule (China time), never two runs of
 * one source at once (a tick that finds a run in progress is skipped, not queued).
 */
import { Cron } from 'croner';

export type ScheduledKind = 'sync' | 'reconcile';

export interface ScheduledSource {
  id: string;
  /** 'sync' = incremental run; 'reconcile' = the full key/hash comparison that catches hard deletes. */
  kind: ScheduledKind;
  schedule: string;
}

export interface DmsScheduler {
  /** Replaces all jobs with the given sources' schedules. */
  load(sources: readonly ScheduledSource[]): void;
  nextRuns(): { sourceId: string; kind: ScheduledKind; next: Date | null }[];
  /** Runs a source's job now as the scheduler would (tests; "run the schedule now" in the UI). */
  trigger(sourceId: string, kind?: ScheduledKind): Promise<void>;
  stop(): void;
}

export function createDmsScheduler(run: (sourceId: string, kind: ScheduledKind) => Promise<unknown>, timezone = 'Asia/Shanghai'): DmsScheduler {
  let jobs = new Map<string, { sourceId: string; kind: ScheduledKind; cron: Cron }>();
  const stop = () => {
    for (const job of jobs.values()) job.cron.stop();
    jobs = new Map();
  };
  return {
    load(sources) {
      stop();
      for (const s of sources) {
        const cron = new Cron(s.schedule, { timezone, protect: true, name: `dms-${s.kind}-${s.id}`, catch: true }, async () => {
          await run(s.id, s.kind);
        });
        jobs.set(`${s.kind}:${s.id}`, { sourceId: s.id, kind: s.kind, cron });
      }
    },
    nextRuns() {
      return [...jobs.values()].map((j) => ({ sourceId: j.sourceId, kind: j.kind, next: j.cron.nextRun() }));
    },
    async trigger(sourceId, kind = 'sync') {
      await jobs.get(`${kind}:${sourceId}`)?.cron.trigger();
    },
    stop,
  };
}
