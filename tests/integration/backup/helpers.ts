import { join } from 'node:path';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { newId, nowIso } from '../../../db/ids';
import { migrateToLatest } from '../../../db/migrate';

/** A dealer store with `customers` rows; `migrateTo` stops at an older schema (an old backup). */
export async function makeStore(dir: string, customers: number, migrateTo?: string, name = 'live.sqlite'): Promise<{ file: string; handle: DbHandle; dealerId: string }> {
  const file = join(dir, name);
  const handle = openDatabase(file);
  await migrateToLatest(handle.db, migrateTo);
  const dealerId = newId();
  const at = nowIso();
  await handle.db.insertInto('dealer').values({ id: dealerId, code: 'B001', name: '备份测试店', brand: 'Honda', city: null, created_at: at, updated_at: at }).execute();
  await addCustomers(handle, dealerId, customers);
  return { file, handle, dealerId };
}

export async function addCustomers(handle: DbHandle, dealerId: string, count: number, prefix = '客户'): Promise<void> {
  const at = nowIso();
  handle.sqlite.transaction(() => {
    const insert = handle.sqlite.prepare(
      'insert into customer (id, dealer_id, name, mobile, created_at, updated_at) values (?, ?, ?, ?, ?, ?)',
    );
    for (let i = 0; i < count; i++) insert.run(newId(), dealerId, `${prefix}${i}`, `138${String(i).padStart(8, '0')}`, at, at);
  })();
}

export function countCustomers(handle: DbHandle): number {
  return (handle.sqlite.prepare('select count(*) as n from customer').get() as { n: number }).n;
}
