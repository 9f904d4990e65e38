import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/connection';
import { cleanupInterrupted, integrityProblems, listBackups, runBackup, verifyBackup } from '../../../main/backup';
import { tempDir } from '../../support/db';
import { addCustomers, countCustomers, makeStore } from './helpers';

const require = createRequire(import.meta.url);
const tsxLoader = require.resolve('tsx');

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir('backup-crash-'));
});
afterEach(() => cleanup());

/** Starts the child, waits until it is mid-backup, kills it with SIGKILL and waits for it to be gone. */
async function killMidBackup(file: string, folder: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', tsxLoader, join(import.meta.dirname, 'backup-child.ts'), file, folder], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('BACKUP-IN-PROGRESS')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
    });
    expect(child.kill('SIGKILL')).toBe(true);
    expect(await exited).toBe('SIGKILL');
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  }
}

describe('kill -9 during a backup', () => {
  it('leaves the live store and the last good backup intact; the partial copy is ignored and cleaned', async () => {
    const store = await makeStore(dir, 3000);
    const folder = join(dir, 'backups');
    const lastGood = await runBackup({ sqlite: store.handle.sqlite, folder, appVersion: '1.0.0', seatName: 's', dealerId: store.dealerId, trigger: 'manual' });
    await addCustomers(store.handle, store.dealerId, 500, 'since');
    store.handle.close();

    await killMidBackup(store.file, folder);

    const leftovers = readdirSync(folder).filter((n) => n.startsWith('.partial-'));
    expect(leftovers.length).toBeGreaterThan(0);
    // The interrupted copy is not a backup: only the last good one is listed, and it still verifies.
    expect((await listBackups(folder)).map((r) => r.file)).toEqual([lastGood.file]);
    await expect(verifyBackup(lastGood.path)).resolves.toMatchObject({ checksum: 'ok' });

    // The live store opens, is sound and has every committed row.
    const live = openDatabase(store.file);
    try {
      expect(integrityProblems(live.sqlite)).toBeNull();
      expect(countCustomers(live)).toBe(3500);
      // The next backup cleans the debris and succeeds.
      expect(cleanupInterrupted(folder).sort()).toEqual(leftovers.sort());
      const next = await runBackup({ sqlite: live.sqlite, folder, appVersion: '1.0.0', seatName: 's', dealerId: store.dealerId, trigger: 'scheduled' });
      expect(existsSync(next.path)).toBe(true);
      expect((await listBackups(folder)).map((r) => r.file).sort()).toEqual([lastGood.file, next.file].sort());
      expect(readdirSync(folder).filter((n) => n.startsWith('.partial-'))).toEqual([]);
    } finally {
      live.close();
    }
  });
});
