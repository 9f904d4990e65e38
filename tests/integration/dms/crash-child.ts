/**
 * Runs one sync in its own process and prints a line after each committed page, so the crash test can
 * SIGKILL it at a chosen page. Usage: node --import tsx crash-child.ts '<json job>'
 */
import { openDatabase } from '../../../db/connection';
import { createRestConnector } from '../../../main/dms/rest/adapter';
import { runSync } from '../../../main/dms/sync/engine';

const job = JSON.parse(process.argv[2] ?? '{}') as { dbFile: string; dealerId: string; sourceId: string; baseUrl: string; apiKey: string };
const handle = openDatabase(job.dbFile);
const connector = createRestConnector({ baseUrl: job.baseUrl, apiKey: job.apiKey, retry: { attempts: 2, sleep: async () => {} } });
const summary = await runSync(handle, job.dealerId, connector, {
  sourceId: job.sourceId, mode: 'incremental', trigger: 'manual', pageSize: 6,
  afterPage: (entity, n) => process.stdout.write(`page ${entity} ${n}\n`),
});
process.stdout.write(`done ${summary.status}\n`);
handle.close();
