import BetterSqlite3 from 'better-sqlite3';
import { statSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startCheckpointer, type Checkpointer } from '../../../db/checkpointer';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { tempDir } from '../../support/db';

// The main connection hands its WAL checkpoints to a worker thread with its own connection: a large
// commit returns without copying pages into the database file, and the worker copies them afterwards.
const opened: Array<{ handle: DbHandle; checkpointer?: Checkpointer; cleanup: () => void }> = [];

function open(): { handle: DbHandle; file: string; entry: (typeof opened)[number] } {
  const { dir, cleanup } = tempDir();
  const file = `${dir}/store.sqlite`;
  const handle = openDatabase(file);
  handle.sqlite.exec('create table blob_row (id integer primary key, data blob not null)');
  const entry = { handle, cleanup };
  opened.push(entry);
  return { handle, file, entry };
}

afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.checkpointer?.stop();
    o.handle.close();
    o.cleanup();
  }
});

/** Commits about `mb` megabytes in one transaction: far past the 1000-page automatic checkpoint. */
function writeMegabytes(handle: DbHandle, mb: number): void {
  const insert = handle.sqlite.prepare('insert into blob_row (data) values (randomblob(?))');
  handle.sqlite.transaction(() => {
    for (let i = 0; i < mb * 16; i++) insert.run(64 * 1024);
  })();
}

const autoCheckpointPages = (h: DbHandle) => h.sqlite.pragma('wal_autocheckpoint', { simple: true });

describe('checkpointer', () => {
  it('copies a large commit into the database file on its worker, not in the committing connection', async () => {
    const { handle, file, entry } = open();
    const checkpointer = startCheckpointer(handle, file, { intervalMs: 20 });
    entry.checkpointer = checkpointer;
    await checkpointer.ready;
    expect(autoCheckpointPages(handle)).toBe(0);

    // A reader on an older snapshot keeps any checkpoint from copying the frames committed after it, so
    // the file size right after the commit shows what the commit itself did.
    const reader = new BetterSqlite3(file, { readonly: true });
    const pinned = reader.prepare('select count(*) from blob_row').pluck();
    reader.exec('begin');
    pinned.get();
    const before = statSync(file).size;
    writeMegabytes(handle, 12);
    // The commit left its pages in the WAL: the database file has not grown.
    expect(statSync(file).size).toBeLessThan(before + 1024 * 1024);

    reader.exec('commit');
    reader.close();
    // Once the snapshot is gone, the worker's next round copies the commit without being asked.
    await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(before + 12 * 1024 * 1024), { timeout: 5000, interval: 20 });
    const report = await checkpointer.checkpointNow();
    expect(report.walFrames).toBeGreaterThanOrEqual(3000);
    expect(report.copiedFrames).toBe(report.walFrames);
    // What the worker copied is what the main connection committed.
    expect(handle.sqlite.prepare('select count(*) from blob_row').pluck().get()).toBe(12 * 16);

    await checkpointer.stop();
    expect(autoCheckpointPages(handle)).toBe(1000);
  });

  it('hands checkpoints back to the main connection when the worker cannot open the store', async () => {
    const { handle, file, entry } = open();
    const logged: string[] = [];
    const checkpointer = startCheckpointer(handle, `${file}.missing`, { intervalMs: 20, log: (t) => logged.push(t) });
    entry.checkpointer = checkpointer;
    await expect(checkpointer.ready).rejects.toThrow(/unable to open|does not exist|SQLITE_CANTOPEN/i);
    expect(autoCheckpointPages(handle)).toBe(1000);
    expect(logged.join('\n')).toMatch(/main connection checkpoints again/);
    await expect(checkpointer.checkpointNow()).rejects.toThrow();

    // With the automatic checkpoint back, a large commit is copied by the committing connection itself.
    const before = statSync(file).size;
    writeMegabytes(handle, 8);
    expect(statSync(file).size).toBeGreaterThan(before + 4 * 1024 * 1024);
  });

  it('turns the automatic checkpoint back on when its worker dies', async () => {
    const { handle, file, entry } = open();
    const logged: string[] = [];
    // A worker that starts, says it is ready and then exits, as a crashed one would.
    const checkpointer = startCheckpointer(handle, file, { workerUrl: new URL('../../support/dying-checkpoint-worker.ts', import.meta.url), log: (t) => logged.push(t) });
    entry.checkpointer = checkpointer;
    await checkpointer.ready;
    // The stand-in never answers: the request fails when the worker exits instead of hanging.
    await expect(checkpointer.checkpointNow()).rejects.toThrow(/exited/);
    expect(autoCheckpointPages(handle)).toBe(1000);
    expect(logged.join('\n')).toMatch(/checkpoint worker stopped/);
  });
});
