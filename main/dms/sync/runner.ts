/**
 * Main-thread side of a sync run: starts the worker, relays its messages, cancels it, and turns a
 * worker that died into a clear failure. The worker URL is injectable because the built app loads a
 * bundled .js entry, while tests and `tsx` load worker.ts through the tsx loader.
 */
import { startWorkerThread } from '../../../db/worker-thread';
import type { NewRepairOrder } from './apply';
import type { RunSummary, SyncProgress } from './engine';
import type { SyncJob } from './job';

export type WorkerMessage =
  | { type: 'progress'; progress: SyncProgress }
  | { type: 'repairOrders'; events: NewRepairOrder[] }
  | { type: 'done'; summary: RunSummary }
  | { type: 'failed'; message: string };

export interface SyncWorkerHandlers {
  onProgress?: (p: SyncProgress) => void;
  onNewRepairOrders?: (events: NewRepairOrder[]) => void;
}

export interface RunningSync {
  done: Promise<RunSummary>;
  /** Asks the worker to stop after the page in hand (the run ends as 'cancelled'). */
  cancel(): void;
  /** Kills the thread at once, as a crash would; the next run resumes from the last committed page. */
  terminate(): Promise<void>;
}

/**
 * The worker's source entry, for tests and `tsx` runs. A function, not a constant: in the CommonJS bundle
 * import.meta.url is empty, and the built app passes the bundled dms-sync-worker.mjs instead.
 */
export function defaultWorkerUrl(): URL {
  return new URL('./worker.ts', import.meta.url);
}

export function startSyncWorker(job: SyncJob, handlers: SyncWorkerHandlers = {}, workerUrl: URL = defaultWorkerUrl()): RunningSync {
  const worker = startWorkerThread(workerUrl, job);
  let settled = false;
  const done = new Promise<RunSummary>((resolve, reject) => {
    worker.on('message', (m: WorkerMessage) => {
      switch (m.type) {
        case 'progress':
          handlers.onProgress?.(m.progress);
          break;
        case 'repairOrders':
          handlers.onNewRepairOrders?.(m.events);
          break;
        case 'done':
          settled = true;
          resolve(m.summary);
          break;
        case 'failed':
          settled = true;
          reject(new Error(m.message));
          break;
      }
    });
    worker.on('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`sync worker stopped (exit code ${code}) before finishing`));
    });
  });
  return {
    done,
    cancel: () => worker.postMessage({ type: 'cancel' }),
    terminate: async () => {
      await worker.terminate();
    },
  };
}
