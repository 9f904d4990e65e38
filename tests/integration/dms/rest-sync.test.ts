import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSync } from '../../../main/dms/sync/engine';
import type { DmsServer } from '../../../tools/dms-server/server';
import { tempDir } from '../../support/db';
import { dataChecksum, fastConnector, referenceServer, stopServer, workstation } from './support';

describe('incremental sync against the reference DMS over HTTP', () => {
  const tmp = tempDir('dms-rest-');
  let server: DmsServer;
  beforeAll(async () => {
    server = await referenceServer(tmp.dir, 60);
  });
  afterAll(async () => {
    await stopServer(server);
    tmp.cleanup();
  });

  it('imports everything, then a second run changes nothing', async () => {
    const ws = await workstation(tmp.dir, 'a.sqlite');
    try {
      const first = await runSync(ws.handle, ws.dealerId, fastConnector(server), { sourceId: ws.sourceId, mode: 'incremental', trigger: 'manual', pageSize: 7 });
      expect(first.status).toBe('succeeded');
      const sum = dataChecksum(ws.handle);
      expect(sum.customers).toBe(server.store.count('customer'));
      expect(sum.vehicles).toBe(server.store.count('vehicle'));
      expect(sum.orders).toBe(server.store.count('repair_order'));
      expect(first.counts.inserted).toBe(sum.customers + sum.vehicles + sum.orders);
      expect(first.counts.quarantined).toBe(0);

      const second = await runSync(ws.handle, ws.dealerId, fastConnector(server), { sourceId: ws.sourceId, mode: 'incremental', trigger: 'manual', pageSize: 7 });
      expect(second.status).toBe('succeeded');
      expect(second.counts.inserted + second.counts.updated + second.counts.deleted).toBe(0);
      expect(dataChecksum(ws.handle).digest).toBe(sum.digest);
    } finally {
      ws.handle.close();
    }
  });
});
