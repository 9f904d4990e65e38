import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/connection';
import { migrateToLatest, MIGRATION_NAMES } from '../../../db/migrate';
import { tempDir } from '../../support/db';

function healthy(file: string) {
  const handle = openDatabase(file);
  try {
    return {
      integrity: handle.sqlite.pragma('integrity_check', { simple: true }),
      foreignKeys: handle.sqlite.pragma('foreign_key_check'),
      journal: handle.sqlite.pragma('journal_mode', { simple: true }),
    };
  } finally {
    handle.close();
  }
}

describe('migrations', () => {
  it('build the newest schema from an empty file, and rerunning does nothing', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const handle = openDatabase(`${dir}/fresh.sqlite`);
      expect(await migrateToLatest(handle.db)).toEqual(MIGRATION_NAMES);
      expect(await migrateToLatest(handle.db)).toEqual([]);
      handle.close();
      expect(healthy(`${dir}/fresh.sqlite`)).toEqual({ integrity: 'ok', foreignKeys: [], journal: 'wal' });
    } finally {
      cleanup();
    }
  });

  it.each(MIGRATION_NAMES.map((name, i) => [name, i] as const))(
    'bring a store left at %s forward to the newest, keeping its rows',
    async (name) => {
      const { dir, cleanup } = tempDir();
      try {
        const file = `${dir}/old.sqlite`;
        const old = openDatabase(file);
        await migrateToLatest(old.db, name);
        old.sqlite.exec(`insert into dealer (id, code, name, brand, created_at, updated_at)
          values ('01J00000000000000000000000', 'OLD', '老店', 'Honda', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')`);
        old.close();

        const upgraded = openDatabase(file);
        const applied = await migrateToLatest(upgraded.db);
        expect(applied).toEqual(MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf(name) + 1));
        const dealer = await upgraded.db.selectFrom('dealer').select('name').executeTakeFirstOrThrow();
        expect(dealer.name).toBe('老店');
        upgraded.close();
        expect(healthy(file).integrity).toBe('ok');
      } finally {
        cleanup();
      }
    },
  );

  it('roll a migration that fails half-way back completely, so the next start applies it cleanly', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = `${dir}/half.sqlite`;
      const h = openDatabase(file);
      await migrateToLatest(h.db, '0011-query-campaigns');
      // 0012 creates its view, table and triggers, then fails on its last statement: the name is taken.
      h.sqlite.exec(`create table repair_order_closed (x integer)`);
      await expect(migrateToLatest(h.db)).rejects.toThrow(/0012-vehicle-facts failed/);
      const objects = (names: string[]) =>
        h.sqlite.prepare(`select name from sqlite_master where name in (${names.map(() => '?').join(',')})`).pluck().all(...names);
      expect(objects(['vehicle_fact_source', 'vehicle_fact', 'vehicle_fact_ro_ai'])).toEqual([]);
      expect(h.sqlite.prepare(`select name from kysely_migration where name >= '0012'`).pluck().all()).toEqual([]);

      h.sqlite.exec(`drop table repair_order_closed`);
      expect(await migrateToLatest(h.db)).toEqual(MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf('0012-vehicle-facts')));
      expect(objects(['vehicle_fact_source', 'vehicle_fact', 'repair_order_closed'])).toHaveLength(3);
      h.close();
      expect(healthy(file)).toEqual({ integrity: 'ok', foreignKeys: [], journal: 'wal' });
    } finally {
      cleanup();
    }
  });

  it('keep the contact timeline append-only and the search index in step with customers and vehicles', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const h = openDatabase(`${dir}/rules.sqlite`);
      await migrateToLatest(h.db);
      h.sqlite.exec(`
        insert into dealer (id, code, name, brand, created_at, updated_at) values ('D', 'D', 'd', 'Honda', 't', 't');
        insert into customer (id, dealer_id, name, mobile, created_at, updated_at) values ('C', 'D', '欧阳娜娜', '13912345678', 't', 't');
        insert into vehicle (id, dealer_id, customer_id, vin, plate, model, created_at, updated_at)
          values ('V', 'D', 'C', 'LHGCR2650J8000001', '粤A8K2Q1', 'Accord', 't', 't');
        insert into contact_event (id, dealer_id, customer_id, kind, occurred_at, summary, created_at)
          values ('E', 'D', 'C', 'note', 't', 'hello', 't');`);
      expect(() => h.sqlite.exec(`update contact_event set summary = 'x'`)).toThrow(/append-only/);
      expect(() => h.sqlite.exec(`delete from contact_event`)).toThrow(/append-only/);

      const find = (q: string) =>
        h.sqlite.prepare(`select rowid from customer_search where customer_search match ?`).all(`"${q}"`).length;
      expect(find('A8K2')).toBe(1);
      expect(find('欧阳娜')).toBe(1);
      h.sqlite.exec(`update vehicle set plate = '粤B77777' where id = 'V'`);
      expect(find('A8K2')).toBe(0);
      expect(find('B777')).toBe(1);
      h.sqlite.exec(`update customer set deleted_at = 't2' where id = 'C'`);
      expect(find('欧阳娜')).toBe(0);
      h.close();
    } finally {
      cleanup();
    }
  });
});
