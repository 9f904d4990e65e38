import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';
import { migrateToLatest } from '../../db/migrate';
import { hashPassword } from '../../main/auth';
import type { Role } from '../../preload/contract';

/** A scratch folder removed by the returned cleanup. */
export function tempDir(prefix = 'dealercs-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// Cheap scrypt parameters: the stored hash carries them, so verification stays exact but fast in tests.
const FAST = { N: 1024, r: 8, p: 1 };

export interface SeededStaff {
  id: string;
  username: string;
  password: string;
  role: Role;
}

export interface TestStore {
  file: string;
  dealerId: string;
  staff: Record<Role, SeededStaff>;
}

/** A migrated store file with one dealer and one staff member per role. */
export async function createTestStore(dir: string, name = 'store.sqlite'): Promise<TestStore> {
  const file = path.join(dir, name);
  const handle: DbHandle = openDatabase(file);
  await migrateToLatest(handle.db);
  const dealerId = newId();
  const at = nowIso();
  await handle.db
    .insertInto('dealer')
    .values({ id: dealerId, code: 'T001', name: '测试本田 4S 店', brand: 'Honda', city: '广州', created_at: at, updated_at: at })
    .execute();
  const staff = {} as Record<Role, SeededStaff>;
  for (const role of ['agent', 'supervisor', 'admin'] as const) {
    const member: SeededStaff = { id: newId(), username: `${role}1`, password: `${role}-secret`, role };
    await handle.db
      .insertInto('staff')
      .values({
        id: member.id,
        dealer_id: dealerId,
        username: member.username,
        display_name: `测试${role}`,
        role,
        password_hash: await hashPassword(member.password, FAST),
        created_at: at,
        updated_at: at,
      })
      .execute();
    staff[role] = member;
  }
  handle.close();
  return { file, dealerId, staff };
}
