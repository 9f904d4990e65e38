import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSync } from '../../../main/dms/sync/engine';
import type { DmsServer } from '../../../tools/dms-server/server';
import { tempDir } from '../../support/db';
import { fixtureFromDemo } from '../../../tools/dms-server/from-demo';
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

describe('the reference DMS seeded by the demo dealer generator', () => {
  it('syncs every generated customer, vehicle and repair order without a quarantined row', async () => {
    const tmp = tempDir('dms-demo-');
    const fixture = await fixtureFromDemo({ customers: 40, seed: 9, today: '2026-06-01' });
    const server = await referenceServer(tmp.dir, fixture);
    const ws = await workstation(tmp.dir, 'demo.sqlite');
    try {
      const run = await runSync(ws.handle, ws.dealerId, fastConnector(server), { sourceId: ws.sourceId, mode: 'incremental', trigger: 'manual', pageSize: 50 });
      expect(run.status).toBe('succeeded');
      const q = await ws.handle.db.selectFrom('dms_quarantine').select(['reason_en', 'raw']).limit(3).execute();
      expect(q).toEqual([]);
      const sum = dataChecksum(ws.handle);
      expect([sum.customers, sum.vehicles, sum.orders]).toEqual([fixture.customers.length, fixture.vehicles.length, fixture.repairOrders.length]);
      expect(sum.orders).toBeGreaterThan(40);
    } finally {
      ws.handle.close();
      await stopServer(server);
      tmp.cleanup();
    }
  });
});
