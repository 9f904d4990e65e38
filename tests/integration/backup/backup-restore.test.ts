import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/connection';
import { MIGRATION_NAMES } from '../../../db/migrate';
import { BackupError, createBackups, listBackups, runBackup, verifyBackup } from '../../../main/backup';
import { backupConfigSchema } from '../../../main/config';
import { tempDir } from '../../support/db';
import { addCustomers, countCustomers, makeStore } from './helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir('backup-'));
});
afterEach(() => cleanup());

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BackupError) return error.reason;
    throw error;
  }
  throw new Error('expected a BackupError');
}

describe('online backup', () => {
  it('writes a verified, self-contained copy with a manifest while the store stays in use', async () => {
    const store = await makeStore(dir, 500);
    try {
      const folder = join(dir, 'backups');
      const record = await runBackup({ sqlite: store.handle.sqlite, folder, appVersion: '1.0.0', seatName: 'seat-1', dealerId: store.dealerId, trigger: 'manual' });
      // the live connection still writes afterwards
      await addCustomers(store.handle, store.dealerId, 10, 'after');
      expect(countCustomers(store.handle)).toBe(510);

      expect(readdirSync(folder).sort()).toEqual([record.file, `${record.file}.json`]);
      const manifest: unknown = JSON.parse(readFileSync(join(folder, `${record.file}.json`), 'utf8'));
      expect(manifest).toMatchObject({ integrity: 'ok', schemaVersion: MIGRATION_NAMES.at(-1), appVersion: '1.0.0', seatName: 'seat-1' });
      const copy = new BetterSqlite3(record.path, { readonly: true });
      try {
        expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
        expect((copy.prepare('select count(*) n from customer').get() as { n: number }).n).toBe(500);
      } finally {
        copy.close();
      }
      await expect(verifyBackup(record.path)).resolves.toMatchObject({ checksum: 'ok', pendingMigrations: [] });
      expect((await listBackups(folder)).map((r) => r.file)).toEqual([record.file]);
    } finally {
      store.handle.close();
    }
  });

  it('service: runs, prunes by retention, reports freshness and status', async () => {
    const store = await makeStore(dir, 20);
    let clock = Date.parse('2026-03-01T04:30:00Z');
    const backups = createBackups({
      handle: store.handle,
      dbFile: store.file,
      config: backupConfigSchema.parse({ keepDaily: 3, keepWeekly: 1, maxAgeHours: 26 }),
      defaultFolder: join(dir, 'backups'),
      appVersion: '1.0.0',
      seatName: 'seat-1',
      dealerId: store.dealerId,
      now: () => clock,
    });
    try {
      expect((await backups.freshness()).level).toBe('critical');
      for (let day = 0; day < 20; day++) {
        await backups.runNow('scheduled');
        clock += 86_400_000;
      }
      const kept = await backups.list();
      // 3 daily + 1 weekly (the 24 h window holds only the newest here)
      expect(kept).toHaveLength(4);
      expect(readdirSync(join(dir, 'backups'))).toHaveLength(8);
      clock -= 86_400_000 - 3_600_000; // one hour after the last backup
      expect(await backups.freshness()).toMatchObject({ level: 'ok', ageHours: 1 });
      clock += 40 * 3_600_000;
      expect((await backups.freshness()).level).toBe('warning');
      expect(backups.status()).toMatchObject({ running: false, lastRun: { ok: true } });
      backups.start();
      expect(backups.status().nextRunAt).not.toBeNull();
      backups.stop();
    } finally {
      store.handle.close();
    }
  });
});

describe('restore', () => {
  it('restores a backup, keeping the previous database beside it', async () => {
    const store = await makeStore(dir, 100);
    const backups = createBackups({
      handle: store.handle,
      dbFile: store.file,
      config: backupConfigSchema.parse({}),
      defaultFolder: join(dir, 'backups'),
      appVersion: '1.0.0',
      seatName: 'seat-1',
      dealerId: store.dealerId,
    });
    const good = await backups.runNow();
    await addCustomers(store.handle, store.dealerId, 50, 'later');
    const result = await backups.restore(good.path, () => store.handle.close());
    expect(result.previousFile).toMatch(/live\.sqlite\.before-restore-/);
    expect(result.migrated).toEqual([]);
    const reopened = openDatabase(store.file);
    try {
      expect(countCustomers(reopened)).toBe(100);
    } finally {
      reopened.close();
    }
    const previous = new BetterSqlite3(result.previousFile ?? '', { readonly: true });
    try {
      expect((previous.prepare('select count(*) n from customer').get() as { n: number }).n).toBe(150);
    } finally {
      previous.close();
    }
    // the state before the restore was backed up too
    expect((await backups.list()).map((r) => r.trigger).sort()).toEqual(['manual', 'pre-restore']);
  });

  it('migrates an older backup forward', async () => {
    const old = await makeStore(dir, 30, '0001-core', 'old.sqlite');
    const oldBackup = await runBackup({ sqlite: old.handle.sqlite, folder: join(dir, 'old-backups'), appVersion: '0.9.0', seatName: 's', dealerId: old.dealerId, trigger: 'manual' });
    old.handle.close();
    expect(oldBackup.schemaVersion).toBe('0001-core');
    const check = await verifyBackup(oldBackup.path);
    expect(check.pendingMigrations).toEqual(MIGRATION_NAMES.filter((m) => m !== '0001-core'));

    const live = await makeStore(dir, 5);
    const backups = createBackups({ handle: live.handle, dbFile: live.file, config: backupConfigSchema.parse({}), defaultFolder: join(dir, 'backups'), appVersion: '1.0.0', seatName: 's', dealerId: live.dealerId });
    const result = await backups.restore(oldBackup.path, () => live.handle.close());
    expect(result.migrated).toEqual(check.pendingMigrations);
    const reopened = openDatabase(live.file);
    try {
      expect(countCustomers(reopened)).toBe(30);
      const applied = (reopened.sqlite.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name);
      expect(applied).toEqual(MIGRATION_NAMES);
    } finally {
      reopened.close();
    }
  });

  it('refuses damaged, foreign and newer-version backups without touching the live store', async () => {
    const store = await makeStore(dir, 10);
    const folder = join(dir, 'backups');
    const backups = createBackups({ handle: store.handle, dbFile: store.file, config: backupConfigSchema.parse({}), defaultFolder: folder, appVersion: '1.0.0', seatName: 's', dealerId: store.dealerId });
    try {
      const good = await backups.runNow();
      // flip bytes in the middle: the manifest checksum catches it
      const bytes = readFileSync(good.path);
      bytes.fill(0x41, 5000, 6000);
      writeFileSync(good.path, bytes);
      expect(await reason(backups.restore(good.path, () => {}))).toBe('checksum');

      const foreign = join(dir, 'foreign.sqlite');
      const f = new BetterSqlite3(foreign);
      f.exec('create table notes (x text)');
      f.close();
      expect(await reason(backups.restore(foreign, () => {}))).toBe('foreign');

      const newer = await backups.runNow();
      const copy = new BetterSqlite3(newer.path);
      copy.prepare("insert into kysely_migration (name, timestamp) values ('9999-future', '2030-01-01')").run();
      copy.close();
      writeFileSync(`${newer.path}.json`, '{}'); // manifest no longer vouches for it
      expect(await reason(backups.restore(newer.path, () => {}))).toBe('newer-schema');

      expect(countCustomers(store.handle)).toBe(10);
      expect(readdirSync(dir).filter((x) => x.startsWith('.restore-'))).toEqual([]);
    } finally {
      store.handle.close();
    }
  });
});
