import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRestConnector } from '../../../main/dms/rest/adapter';
import { runSync } from '../../../main/dms/sync/engine';
import type { DmsConnector } from '../../../main/dms/connector';
import type { DmsServer, FaultMode } from '../../../tools/dms-server/server';
import { tempDir } from '../../support/db';
import { API_KEY, dataChecksum, fastConnector, referenceServer, stopServer, workstation } from './support';

describe('DMS faults: retries with backoff, then a clear error and nothing half-applied', () => {
  const tmp = tempDir('dms-faults-');
  let server: DmsServer;
  let reference: string;
  beforeAll(async () => {
    server = await referenceServer(tmp.dir, 15);
    const clean = await workstation(tmp.dir, 'clean.sqlite');
    await runSync(clean.handle, clean.dealerId, fastConnector(server), { sourceId: clean.sourceId, mode: 'incremental', trigger: 'manual' });
    reference = dataChecksum(clean.handle).digest;
    clean.handle.close();
  });
  afterAll(async () => {
    await stopServer(server);
    tmp.cleanup();
  });

  const cases: [FaultMode, string, (c: DmsServer) => DmsConnector][] = [
    ['error500', 'DMS_UNAVAILABLE', (s) => fastConnector(s, 4)],
    ['malformed', 'DMS_BAD_RESPONSE', (s) => fastConnector(s, 4)],
    ['reset', 'DMS_UNAVAILABLE', (s) => fastConnector(s, 4)],
    // The server holds each answer 5 s; the client gives up on each attempt after 150 ms.
    ['slow', 'DMS_UNAVAILABLE', (s) => fastConnector(s, 4, 150)],
  ];

  it.each(cases)('%s on the repair-order pages: %s after 4 attempts, committed pages kept, rerun completes', async (mode, code, connect) => {
    const ws = await workstation(tmp.dir, `${mode}.sqlite`);
    try {
      server.setFaults({ mode, count: -1, match: '/repair_orders', after: 2, delayMs: 5000 });
      const before = server.requests;
      const failed = await runSync(ws.handle, ws.dealerId, connect(server), { sourceId: ws.sourceId, mode: 'incremental', trigger: 'manual', pageSize: 10 });
      expect(failed.status).toBe('failed');
      expect(failed.error?.code).toBe(code);
      expect(failed.error?.zh).toMatch(/4 次/);
      expect(failed.error?.en).toMatch(/4 times/);
      const customerPages = Math.ceil(server.store.count('customer') / 10) + (server.store.count('customer') % 10 === 0 ? 1 : 0);
      expect(server.requests - before).toBeGreaterThanOrEqual(customerPages + 2 + 4);
      // Exactly the two repair-order pages that were answered are in, each with its watermark.
      const orders = await ws.handle.db.selectFrom('repair_order').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(orders.n).toBe(20);
      const state = await ws.handle.db.selectFrom('dms_sync_state').selectAll().where('entity', '=', 'repair_order').executeTakeFirstOrThrow();
      expect(state.cursor).not.toBeNull();
      const run = await ws.handle.db.selectFrom('dms_run').selectAll().where('id', '=', failed.runId).executeTakeFirstOrThrow();
      expect(run).toMatchObject({ status: 'failed', error_en: failed.error?.en });

      server.setFaults({ mode: 'none' });
      const rerun = await runSync(ws.handle, ws.dealerId, connect(server), { sourceId: ws.sourceId, mode: 'incremental', trigger: 'manual', pageSize: 10 });
      expect(rerun.status).toBe('succeeded');
      expect(dataChecksum(ws.handle).digest).toBe(reference);
    } finally {
      server.setFaults({ mode: 'none' });
      ws.handle.close();
    }
  });

  it('a transient 500 is retried and the run succeeds', async () => {
    const ws = await workstation(tmp.dir, 'transient.sqlite');
    try {
      server.setFaults({ mode: 'error500', count: 2, match: '/vehicles' });
      const run = await runSync(ws.handle, ws.dealerId, fastConnector(server, 4), { sourceId: ws.sourceId, mode: 'incremental', trigger: 'manual' });
      expect(run.status).toBe('succeeded');
      expect(dataChecksum(ws.handle).digest).toBe(reference);
    } finally {
      ws.handle.close();
    }
  });

  it('a wrong API key fails at once with a clear message, without retrying', async () => {
    const ws = await workstation(tmp.dir, 'auth.sqlite');
    try {
      const before = server.requests;
      const bad = createRestConnector({ baseUrl: server.url, apiKey: `${API_KEY}-wrong`, retry: { attempts: 4, sleep: async () => {} } });
      const run = await runSync(ws.handle, ws.dealerId, bad, { sourceId: ws.sourceId, mode: 'incremental', trigger: 'manual' });
      expect(run.status).toBe('failed');
      expect(run.error?.code).toBe('DMS_AUTH');
      expect(run.error?.zh).toContain('API 密钥');
      expect(server.requests).toBe(before);
    } finally {
      ws.handle.close();
    }
  });

  it('cancelling stops between pages and records the run as cancelled', async () => {
    const ws = await workstation(tmp.dir, 'cancel.sqlite');
    try {
      const controller = new AbortController();
      const run = await runSync(ws.handle, ws.dealerId, fastConnector(server), {
        sourceId: ws.sourceId, mode: 'incremental', trigger: 'manual', pageSize: 5, signal: controller.signal,
        afterPage: (entity, n) => { if (entity === 'vehicle' && n === 2) controller.abort(); },
      });
      expect(run.status).toBe('cancelled');
      const vehicles = await ws.handle.db.selectFrom('vehicle').select('id').execute();
      expect(vehicles).toHaveLength(10);
    } finally {
      ws.handle.close();
    }
  });
});
