import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../tools/dms-server/fixture';
import { runSync } from '../../../main/dms/sync/engine';
import { startSyncWorker } from '../../../main/dms/sync/runner';
import type { DmsServer } from '../../../tools/dms-server/server';
import { tempDir } from '../../support/db';
import { API_KEY, dataChecksum, fastConnector, referenceServer, stopServer, workstation } from './support';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

/** Starts the child sync and SIGKILLs it when it reports page number `killAt` (counting all entities). */
function runChildAndKill(job: object, killAt: number): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let pages = 0;
    let finished = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('done')) finished = true;
      if (line.startsWith('page') && ++pages === killAt) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve(signal === 'SIGKILL' && !finished ? 'killed' : 'finished'));
  });
}

describe('crash safety: a sync killed at random points resumes with nothing lost or doubled', () => {
  const tmp = tempDir('dms-crash-');
  let server: DmsServer;
  let reference: ReturnType<typeof dataChecksum>;
  beforeAll(async () => {
    server = await referenceServer(tmp.dir, 25);
    const clean = await workstation(tmp.dir, 'clean.sqlite');
    await runSync(clean.handle, clean.dealerId, fastConnector(server), { sourceId: clean.sourceId, mode: 'incremental', trigger: 'manual', pageSize: 6 });
    reference = dataChecksum(clean.handle);
    clean.handle.close();
  });
  afterAll(async () => {
    await stopServer(server);
    tmp.cleanup();
  });

  it('kill -9 of a sync process at random pages, five times, then a rerun equals an uninterrupted run', async () => {
    const ws = await workstation(tmp.dir, 'crashy.sqlite');
    ws.handle.close();
    const job = { dbFile: ws.file, dealerId: ws.dealerId, sourceId: ws.sourceId, baseUrl: server.url, apiKey: API_KEY };
    const rand = mulberry32(2026);
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) outcomes.push(await runChildAndKill(job, 1 + Math.floor(rand() * 12)));
    expect(outcomes).toContain('killed');
    const { openDatabase } = await import('../../../db/connection');
    const handle = openDatabase(ws.file);
    try {
      const interrupted = await handle.db.selectFrom('dms_run').select('status').where('status', '=', 'running').execute();
      expect(interrupted.length).toBeGreaterThan(0);
      const final = await runSync(handle, ws.dealerId, fastConnector(server), { sourceId: ws.sourceId, mode: 'incremental', trigger: 'manual', pageSize: 6 });
      expect(final.status).toBe('succeeded');
      expect(dataChecksum(handle)).toEqual(reference);
      const statuses = await handle.db.selectFrom('dms_run').select('status').where('status', '=', 'running').execute();
      expect(statuses).toEqual([]);
    } finally {
      handle.close();
    }
  });

  it('a worker thread terminated mid-run is resumed by the next run in a worker', async () => {
    const ws = await workstation(tmp.dir, 'worker.sqlite');
    ws.handle.close();
    const job = {
      dbFile: ws.file, dealerId: ws.dealerId, sourceId: ws.sourceId, trigger: 'manual' as const, pageSize: 6,
      connector: { kind: 'rest' as const, baseUrl: server.url, apiKey: API_KEY, attempts: 2, baseDelayMs: 0 },
    };
    let killedMidRun = false;
    const first = startSyncWorker(job, {
      onProgress: (p) => {
        if (p.entity === 'vehicle' && p.entityDone >= 12 && !killedMidRun) {
          killedMidRun = true;
          void first.terminate();
        }
      },
    });
    await expect(first.done).rejects.toThrow(/stopped/);
    expect(killedMidRun).toBe(true);

    const progress: number[] = [];
    let etaSeen = false;
    const second = startSyncWorker(job, {
      onProgress: (p) => {
        progress.push(p.done);
        if (p.etaSeconds !== null) etaSeen = true;
      },
    });
    const summary = await second.done;
    expect(summary.status).toBe('succeeded');
    expect(progress.length).toBeGreaterThan(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(etaSeen).toBe(true);
    const { openDatabase } = await import('../../../db/connection');
    const handle = openDatabase(ws.file);
    try {
      expect(dataChecksum(handle)).toEqual(reference);
    } finally {
      handle.close();
    }
  });
});
