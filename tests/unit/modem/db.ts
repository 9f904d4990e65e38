import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { newId, nowIso } from '../../../db/ids';
import { migrateToLatest } from '../../../db/migrate';

export interface TestDb {
  handle: DbHandle;
  dir: string;
  file: string;
  dealerId: string;
  staffId: string;
  cleanup(): void;
}

/** A real SQLite file in a temp dir, migrated through the modem migration, with one dealer and one agent. */
export async function createTestDb(): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), 'modem-'));
  const file = join(dir, 'dealer.sqlite');
  const handle = openDatabase(file);
  // Every migration: the outbox reads columns later ones added (0017: sms_message.expires_at).
  await migrateToLatest(handle.db);
  const dealerId = newId();
  const staffId = newId();
  const at = nowIso();
  await handle.db.insertInto('dealer').values({ id: dealerId, code: 'GZ01', name: '广州本田测试店', brand: 'Honda', city: '广州', created_at: at, updated_at: at }).execute();
  await handle.db
    .insertInto('staff')
    .values({ id: staffId, dealer_id: dealerId, username: 'agent1', display_name: '李客服', role: 'agent', password_hash: 'x', created_at: at, updated_at: at })
    .execute();
  return {
    handle,
    dir,
    file,
    dealerId,
    staffId,
    cleanup() {
      handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function addCustomer(t: TestDb, name: string, mobile: string | null, phone2: string | null = null): Promise<string> {
  const id = newId();
  const at = nowIso();
  await t.handle.db
    .insertInto('customer')
    .values({ id, dealer_id: t.dealerId, name, mobile, phone2, gender: null, dms_id: null, birthday: null, city: null, address: null, member_tier: null, member_no: null, member_since: null, responsible_staff_id: null, created_at: at, updated_at: at, deleted_at: null })
    .execute();
  return id;
}
