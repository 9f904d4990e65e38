import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/connection';
import { MIGRATION_NAMES } from '../../../db/migrate';
import { tempDir } from '../../support/db';

const ROOT = path.resolve(import.meta.dirname, '../../..');
// One process (node with tsx's loader), not the tsx CLI, which would leave its child running after a SIGKILL.
const NODE_TSX = [process.execPath, ['--import', 'tsx', 'scripts/demo-data.ts']] as const;

function demoData(...args: string[]) {
  const run = spawnSync(NODE_TSX[0], [...NODE_TSX[1], ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, stderr: run.stderr };
}

let scratch: ReturnType<typeof tempDir>;
beforeAll(() => {
  scratch = tempDir();
});
afterAll(() => scratch.cleanup());

describe('npm run demo-data', () => {
  it('writes a complete, migrated store and refuses to overwrite it without --force', () => {
    const out = path.join(scratch.dir, 'demo.sqlite');
    const first = demoData('--customers', '40', '--seed', '3', '--today', '2026-03-01', '--out', out);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain('40 customers');
    const handle = openDatabase(out, { readonly: true });
    const applied = handle.sqlite.prepare('select name from kysely_migration order by name').pluck().all();
    const customers = handle.sqlite.prepare('select count(*) from customer').pluck().get();
    handle.close();
    expect(applied).toEqual(MIGRATION_NAMES);
    expect(customers).toBe(40);
    // Only the finished file is left behind: no partial file, no WAL to lose on a copy.
    expect(readdirSync(scratch.dir).sort()).toEqual(['demo.sqlite']);

    const before = readFileSync(out);
    const refused = demoData('--customers', '10', '--out', out);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(out).equals(before)).toBe(true);

    const forced = demoData('--customers', '10', '--out', out, '--force');
    expect(forced.status, forced.stderr).toBe(0);
    const again = openDatabase(out, { readonly: true });
    expect(again.sqlite.prepare('select count(*) from customer').pluck().get()).toBe(10);
    again.close();
  });

  it('rejects bad arguments with usage and leaves no file', () => {
    const out = path.join(scratch.dir, 'bad.sqlite');
    for (const args of [['--customers', 'many', '--out', out], ['--customers', '5'], ['--out', out, '--today', '1 March'], ['--bogus']]) {
      const run = demoData(...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toContain('usage:');
    }
    expect(readdirSync(scratch.dir).filter((f) => f.startsWith('bad'))).toEqual([]);
  });

  it('replaces a file that is not a database when forced, without touching it on failure first', () => {
    const out = path.join(scratch.dir, 'junk.sqlite');
    writeFileSync(out, 'not a database');
    const forced = demoData('--customers', '5', '--out', out, '--force');
    expect(forced.status, forced.stderr).toBe(0);
    expect(statSync(out).size).toBeGreaterThan(4096);
  });

  it('never leaves a half-written database at --out when killed mid-run', async () => {
    const out = path.join(scratch.dir, 'killed.sqlite');
    const child = spawn(NODE_TSX[0], [...NODE_TSX[1], '--customers', '50000', '--out', out], { cwd: ROOT });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve) => {
      // Kill it as soon as it reports its first batch: the store is mid-load then.
      child.stderr.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('/50000')) resolve();
      });
      child.on('exit', () => resolve());
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(out)).toBe(false);
  });
});
