/**
 * Worker-thread entry of the checkpointer (db/checkpointer.ts): its own connection to the store copies
 * committed WAL pages into the database file every few hundred milliseconds. A PASSIVE checkpoint never
 * waits for or blocks the main connection's readers and writers; with nothing new in the WAL it returns at
 * once. The built app bundles this entry as db-checkpoint-worker.mjs; tests load it through tsx.
 */
import BetterSqlite3 from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { checkpointJobSchema, checkpointRequestSchema, walCheckpointRowSchema, type CheckpointMessage } from './checkpoint-messages';

const port = parentPort;
if (!port) throw new Error('checkpoint-worker.ts must run in a worker thread');
const post = (m: CheckpointMessage) => port.postMessage(m);

const job = checkpointJobSchema.parse(workerData);
let sqlite: BetterSqlite3.Database;
try {
  sqlite = new BetterSqlite3(job.dbFile, { fileMustExist: true });
  // The checkpoint syncs the WAL before and the database file after copying, as the main connection's would.
  sqlite.pragma('synchronous = NORMAL');
  if (sqlite.pragma('journal_mode', { simple: true }) !== 'wal') throw new Error('the store is not in WAL mode');
} catch (e) {
  post({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
  process.exit(1);
}

const checkpoint = sqlite.prepare('pragma wal_checkpoint(PASSIVE)');
const fail = (e: unknown) => {
  clearInterval(timer);
  post({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
  sqlite.close();
  port.close();
};
const run = () => {
  const started = performance.now();
  const row = walCheckpointRowSchema.parse(checkpoint.get());
  return { walFrames: row.log, copiedFrames: row.checkpointed, ms: performance.now() - started };
};
const timer = setInterval(() => {
  try {
    run();
  } catch (e) {
    fail(e);
  }
}, job.intervalMs);

port.on('message', (m: unknown) => {
  const request = checkpointRequestSchema.safeParse(m);
  if (!request.success) return;
  if (request.data.type === 'stop') {
    clearInterval(timer);
    sqlite.close();
    port.close();
    return;
  }
  try {
    post({ type: 'checkpointed', id: request.data.id, ...run() });
  } catch (e) {
    fail(e);
  }
});
post({ type: 'ready' });
