/**
 * Main-thread side of a sync run: starts the worker, relays its messages, cancels it, and turns a
 * worker that died into a clear failure. The worker URL is injectable because the built app loads a
 * bundled .js entry, while tests and `tsx` load worker.ts through the tsx loader.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
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
 * `--import tsx` in a worker's execArgv does not reach the worker's own entry on Node 20, so a .ts entry
 * is started by a one-line bootstrap that loads it through tsx's tsImport API.
 */
function tsxBootstrap(entry: URL): string {
  // The ESM build of the API (the `import` condition); the CommonJS one cannot load tsx's ESM half.
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  const api = pathToFileURL(pkg.replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
  return `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))
    .catch((e) => { console.error(e); process.exit(1); });`;
}

/**
 * The worker's source entry, for tests and `tsx` runs. A function, not a constant: in the CommonJS bundle
 * import.meta.url is empty, and the built app passes the bundled dms-sync-worker.mjs instead.
 */
export function defaultWorkerUrl(): URL {
  return new URL('./worker.ts', import.meta.url);
}

export function startSyncWorker(job: SyncJob, handlers: SyncWorkerHandlers = {}, workerUrl: URL = defaultWorkerUrl()): RunningSync {
  const worker = workerUrl.pathname.endsWith('.ts')
    ? new Worker(tsxBootstrap(workerUrl), { eval: true, workerData: job })
    : new Worker(workerUrl, { workerData: job });
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
