/**
 * Moves WAL checkpoints off the main thread. SQLite's automatic checkpoint runs inside the commit that
 * takes the WAL past 1000 pages, on the connection that committed: the main process then copies every
 * page written since into the database file and syncs it before it answers anything else (≈0.3 s after a
 * store's first campaign generation here, longer on a slow disk; a few milliseconds every 4 MB of writes
 * otherwise). SQLite's WAL notes suggest exactly this for latency-sensitive programs: turn the automatic
 * checkpoint off and run checkpoints from another thread. While the worker runs, the main connection never
 * checkpoints; if the worker cannot start or dies, the automatic checkpoint comes back on, so the WAL
 * never grows without bound.
 */
import { type Worker } from 'node:worker_threads';
import type { DbHandle } from './connection';
import type { CheckpointJob, CheckpointMessage, CheckpointRequest } from './checkpoint-messages';
import { startWorkerThread } from './worker-thread';

/** SQLite's default: the main connection checkpoints itself when the WAL passes this many pages. */
const AUTO_CHECKPOINT_PAGES = 1000;

export interface CheckpointReport {
  /** Frames (pages) in the WAL and how many of them the worker had copied into the database file. */
  walFrames: number;
  copiedFrames: number;
  ms: number;
}

export interface Checkpointer {
  /** Resolves once the worker has its connection and the main connection stopped checkpointing. */
  ready: Promise<void>;
  /** Has the worker check point now, between its regular rounds; resolves with what that copied. */
  checkpointNow(): Promise<CheckpointReport>;
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  /** How often the worker looks for new pages; a look that finds none costs next to nothing. */
  intervalMs?: number;
  /** The bundled worker entry in the built app; defaults to the .ts source (loaded through tsx). */
  workerUrl?: URL;
  log?: (text: string) => void;
}

/** A function, not a constant: in the CommonJS bundle import.meta.url is empty (the app passes workerUrl). */
export function defaultCheckpointWorkerUrl(): URL {
  return new URL('./checkpoint-worker.ts', import.meta.url);
}

export function startCheckpointer(handle: DbHandle, dbFile: string, options: CheckpointerOptions = {}): Checkpointer {
  const job: CheckpointJob = { dbFile, intervalMs: options.intervalMs ?? 500 };
  const worker: Worker = startWorkerThread(options.workerUrl ?? defaultCheckpointWorkerUrl(), job);
  const waiting = new Map<number, { resolve: (r: CheckpointReport) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let stopping = false;
  let gone: Error | null = null;

  const autoCheckpoint = (pages: number) => {
    if (handle.sqlite.open) handle.sqlite.pragma(`wal_autocheckpoint = ${pages}`);
  };
  const fail = (error: Error) => {
    if (gone) return;
    gone = error;
    autoCheckpoint(AUTO_CHECKPOINT_PAGES);
    if (!stopping) options.log?.(`checkpoint worker stopped; the main connection checkpoints again: ${error.message}`);
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };

  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: CheckpointMessage) => {
      switch (m.type) {
        case 'ready':
          if (gone) return;
          autoCheckpoint(0);
          resolve();
          break;
        case 'checkpointed':
          waiting.get(m.id)?.resolve({ walFrames: m.walFrames, copiedFrames: m.copiedFrames, ms: m.ms });
          waiting.delete(m.id);
          break;
        case 'failed':
          fail(new Error(m.message));
          reject(gone);
          break;
      }
    });
    worker.on('error', (e) => {
      fail(e);
      reject(e);
    });
    worker.on('exit', (code) => {
      const error = new Error(stopping ? 'checkpointer stopped' : `checkpoint worker exited (code ${code})`);
      fail(error);
      reject(error);
    });
  });
  // A failed start is reported through log and fail(); callers that do not wait on `ready` must not see
  // an unhandled rejection.
  ready.catch(() => undefined);

  return {
    ready,
    checkpointNow() {
      if (gone) return Promise.reject(gone);
      const request: CheckpointRequest = { type: 'checkpoint', id: nextId++ };
      const report = new Promise<CheckpointReport>((resolve, reject) => void waiting.set(request.id, { resolve, reject }));
      worker.postMessage(request);
      return report;
    },
    async stop() {
      if (gone) return;
      stopping = true;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      const request: CheckpointRequest = { type: 'stop' };
      worker.postMessage(request);
      await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 2000).unref())]);
      if (!gone) await worker.terminate();
      await exited;
    },
  };
}
