import { createHash } from 'node:crypto';
import path from 'node:path';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { newId, nowIso } from '../../../db/ids';
import { buildFixture, type Fixture } from '../../../tools/dms-server/fixture';
import { startDmsServer, type DmsServer } from '../../../tools/dms-server/server';
import { openDmsStore } from '../../../tools/dms-server/store';
import { createTestStore } from '../../support/db';
import { createRestConnector } from '../../../main/dms/rest/adapter';
import type { DmsConnector } from '../../../main/dms/connector';

export const API_KEY = 'test-key-123';

export interface Workstation {
  handle: DbHandle;
  file: string;
  dealerId: string;
  sourceId: string;
}

/** A migrated workstation store with one dealer and one DMS source row. */
export async function workstation(dir: string, name = 'ws.sqlite', kind: 'rest' | 'file' = 'rest'): Promise<Workstation> {
  const store = await createTestStore(dir, name);
  const handle = openDatabase(store.file);
  const sourceId = newId();
  const at = nowIso();
  await handle.db
    .insertInto('dms_source')
    .values({ id: sourceId, dealer_id: store.dealerId, name: `DMS ${name}`, kind, config: '{}', schedule: null, created_at: at, updated_at: at })
    .execute();
  return { handle, file: store.file, dealerId: store.dealerId, sourceId };
}

export async function referenceServer(dir: string, fixture: Fixture | number): Promise<DmsServer> {
  const store = openDmsStore(path.join(dir, `dms-${newId()}.sqlite`));
  store.seed(typeof fixture === 'number' ? buildFixture({ customers: fixture, seed: 7 }) : fixture);
  return startDmsServer({ store, apiKey: API_KEY });
}

export async function stopServer(server: DmsServer): Promise<void> {
  await server.close();
  server.store.close();
}

/** Retries without real waiting: the backoff delays are computed but not slept. */
export function fastConnector(server: DmsServer, attempts = 4, timeoutMs = 5000): DmsConnector {
  return createRestConnector({
    baseUrl: server.url,
    apiKey: API_KEY,
    retry: { attempts, timeoutMs, sleep: async () => {}, random: () => 0.5 },
  });
}

/**
 * A checksum of the imported data in DMS terms (local ULIDs differ between stores): every live and
 * deleted row by dms_id with its parent's dms_id, plus the provenance hashes.
 */
export function dataChecksum(handle: DbHandle): { customers: number; vehicles: number; orders: number; digest: string } {
  const rows = (q: string) => handle.sqlite.prepare(q).raw().all();
  const customers = rows(`select dms_id, name, gender, mobile, phone2, birthday, city, address, deleted_is_null from
    (select *, deleted_at is null deleted_is_null from customer) order by dms_id`);
  const vehicles = rows(`select v.dms_id, c.dms_id, vin, plate, model, model_year, color, purchase_date, purchased_here, mileage_km,
    v.deleted_at is null from vehicle v join customer c on c.id = v.customer_id order by v.dms_id`);
  const orders = rows(`select r.dms_id, v.dms_id, c.dms_id, ro_no, opened_on, closed_on, category, r.mileage_km, labor_fen, parts_fen,
    total_fen, advisor, r.deleted_at is null from repair_order r join vehicle v on v.id = r.vehicle_id join customer c on c.id = r.customer_id
    order by r.dms_id`);
  const records = rows('select entity, dms_id, content_hash from dms_record order by entity, dms_id');
  const digest = JSON.stringify([customers, vehicles, orders, records]);
  return {
    customers: customers.length,
    vehicles: vehicles.length,
    orders: orders.length,
    digest: createHash('sha256').update(digest).digest('hex'),
  };
}
