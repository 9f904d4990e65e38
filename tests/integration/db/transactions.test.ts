import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, TransactionYieldedError, type DbHandle } from '../../../db/connection';
import { tempDir } from '../../support/db';

// Every request shares one better-sqlite3 connection; a kysely transaction is only isolated from other
// requests while it stays inside one event-loop turn. These tests pin what happens on each side of that line.
let opened: { handle: DbHandle; file: string; cleanup: () => void } | null = null;

function open(): DbHandle {
  const { dir, cleanup } = tempDir();
  const file = `${dir}/tx.sqlite`;
  const handle = openDatabase(file);
  handle.sqlite.exec('create table note (id integer primary key, text text not null)');
  opened = { handle, file, cleanup };
  return handle;
}

afterEach(() => {
  opened?.handle.close();
  opened?.cleanup();
  opened = null;
});

const texts = (h: DbHandle) => h.sqlite.prepare<[], { text: string }>('select text from note order by id').all().map((r) => r.text);

describe('transactions on the shared connection', () => {
  it('a body that awaits only its own queries commits, even while other requests are waiting to run', async () => {
    const h = open();
    // A request arriving meanwhile (a macrotask) runs after the commit, never inside the transaction.
    const other = new Promise<void>((resolve) => setImmediate(() => {
      h.sqlite.prepare('insert into note (text) values (?)').run('other request');
      resolve();
    }));
    await h.db.transaction().execute(async (tx) => {
      await sql`insert into note (text) values (${'first'})`.execute(tx);
      await sql`insert into note (text) values (${'second'})`.execute(tx);
    });
    await other;
    expect(texts(h)).toEqual(['first', 'second', 'other request']);
  });

  it('a body that awaits a timer is rolled back with an error naming the cause, and its own rows are gone', async () => {
    const h = open();
    const attempt = h.db.transaction().execute(async (tx) => {
      await sql`insert into note (text) values (${'half-done'})`.execute(tx);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await sql`insert into note (text) values (${'rest'})`.execute(tx);
    });
    await expect(attempt).rejects.toBeInstanceOf(TransactionYieldedError);
    expect(texts(h)).toEqual([]);
    expect(h.sqlite.inTransaction).toBe(false);
    // The connection is usable afterwards.
    await h.db.transaction().execute(async (tx) => {
      await sql`insert into note (text) values (${'after'})`.execute(tx);
    });
    expect(texts(h)).toEqual(['after']);
  });

  it('a body that fails for its own reason still rolls back with that reason', async () => {
    const h = open();
    const attempt = h.db.transaction().execute(async (tx) => {
      await sql`insert into note (text) values (${'x'})`.execute(tx);
      throw new Error('business rule');
    });
    await expect(attempt).rejects.toThrow('business rule');
    expect(texts(h)).toEqual([]);
  });

  it('holds the write lock from its start, so a worker thread committing meanwhile cannot make its first write fail', async () => {
    const h = open();
    // Stands in for a worker thread's connection (DMS sync, generation) to the same file.
    const worker = new BetterSqlite3(opened?.file ?? '');
    worker.pragma('busy_timeout = 0');
    try {
      let workerWrite = '';
      await h.db.transaction().execute(async (tx) => {
        await sql`select count(*) from note`.execute(tx);
        try {
          worker.prepare('insert into note (text) values (?)').run('worker');
          workerWrite = 'committed';
        } catch (error) {
          workerWrite = (error as { code?: string }).code ?? 'error';
        }
        // With a deferred BEGIN the worker's commit above would make this write fail with SQLITE_BUSY.
        await sql`insert into note (text) values (${'ours'})`.execute(tx);
      });
      expect(workerWrite).toBe('SQLITE_BUSY');
      expect(texts(h)).toEqual(['ours']);
    } finally {
      worker.close();
    }
  });
});
