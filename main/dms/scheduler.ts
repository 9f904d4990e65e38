/**
 * Scheduled runs with croner: one job per enabled source with a schedule (China time), never two runs of
 * one source at once (a tick that finds a run in progress is skipped, not queued).
 */
import { Cron } from 'croner';

export interface ScheduledSource {
  id: string;
  schedule: string;
}

export interface DmsScheduler {
  /** Replaces all jobs with the given sources' schedules. */
  load(sources: readonly ScheduledSource[]): void;
  nextRuns(): { sourceId: string; next: Date | null }[];
  /** Runs a source's job now as the scheduler would (tests; "run the schedule now" in the UI). */
  trigger(sourceId: string): Promise<void>;
  stop(): void;
}

export function createDmsScheduler(run: (sourceId: string) => Promise<unknown>, timezone = 'Asia/Shanghai'): DmsScheduler {
  let jobs = new Map<string, Cron>();
  const stop = () => {
    for (const job of jobs.values()) job.stop();
    jobs = new Map();
  };
  return {
    load(sources) {
      stop();
      for (const s of sources) {
        const job = new Cron(s.schedule, { timezone, protect: true, name: `dms-${s.id}`, catch: true }, async () => {
          await run(s.id);
        });
        jobs.set(s.id, job);
      }
    },
    nextRuns() {
      return [...jobs].map(([sourceId, job]) => ({ sourceId, next: job.nextRun() }));
    },
    async trigger(sourceId) {
      await jobs.get(sourceId)?.trigger();
    },
    stop,
  };
}
