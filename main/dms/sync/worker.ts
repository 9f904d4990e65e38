/**
 * Worker-thread entry of a sync run: opens its own connection to the store (the one writer while it
 * runs), runs the engine and reports progress, new repair orders and the summary to the parent.
 * Loaded from source with `--import tsx` in development and tests; the built app bundles it as its own
 * entry (out/main/dms-sync-worker.js) and passes that URL to startSyncWorker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../../db/connection';
import { createConnector } from '../connectors';
import { runSync } from './engine';
import { syncJobSchema } from './job';
import type { WorkerMessage } from './runner';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const post = (m: WorkerMessage) => port.postMessage(m);

const job = syncJobSchema.parse(workerData);
const controller = new AbortController();
port.on('message', (m: unknown) => {
  if (typeof m === 'object' && m !== null && 'type' in m && m.type === 'cancel') controller.abort();
});

const handle = openDatabase(job.dbFile);
try {
  const connector = await createConnector(job.connector, handle, job.dealerId, job.sourceId);
  const summary = await runSync(handle, job.dealerId, connector, {
    sourceId: job.sourceId,
    mode: job.connector.kind === 'rest' ? 'incremental' : 'file',
    trigger: job.trigger,
    signal: controller.signal,
    ...(job.pageSize ? { pageSize: job.pageSize } : {}),
    ...(job.overlapMs !== undefined ? { overlapMs: job.overlapMs } : {}),
    onProgress: (progress) => post({ type: 'progress', progress }),
    onNewRepairOrders: (events) => post({ type: 'repairOrders', events }),
  });
  post({ type: 'done', summary });
} catch (e) {
  post({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
} finally {
  handle.close();
  port.close();
}
