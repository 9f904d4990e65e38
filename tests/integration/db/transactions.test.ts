import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, TransactionYieldedError, type DbHandle } from '../../../db/connection';
import { tempDir } from '../../support/db';

// Every request shares one better-sqlite3 connection; a kysely transaction is only isolated from other
// requests while it stays inside one event-loop turn. These tests pin what happens on each side of that line.
let opened: { handle: DbHandle; cleanup: () => void } | null = null;

function open(): DbHandle {
  const { dir, cleanup } = tempDir();
  const handle = openDatabase(`${dir}/tx.sqlite`);
  handle.sqlite.exec('create table note (id integer primary key, text text not null)');
  opened = { handle, cleanup };
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
});
