/**
 * npm run demo-data -- --customers 100000 --out demo.sqlite [--seed 42] [--today 2026-03-01] [--force]
 *
 * Builds a migrated store with the demo dealer in a temporary file beside --out and renames it into place
 * only when complete, so an interrupted run never leaves half a database where the app would open it.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/connection';
import { generateDemoDealer } from '../db/demo/generate';
import { migrateToLatest } from '../db/migrate';

const USAGE = 'usage: npm run demo-data -- --customers N --out FILE [--seed N] [--today YYYY-MM-DD] [--force]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function positiveInt(raw: string | undefined, name: string, fallback?: number): number {
  if (raw === undefined) {
    if (fallback === undefined) fail(`--${name} is required`);
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a whole number, got "${raw}"`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        customers: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        today: { type: 'string' },
        force: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const customers = positiveInt(values.customers, 'customers', 1000);
  const seed = positiveInt(values.seed, 'seed', 42);
  if (!values.out) fail('--out is required');
  if (values.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.today)) fail('--today must be YYYY-MM-DD');
  const out = path.resolve(values.out);
  if (existsSync(out) && !values.force) fail(`${out} exists; pass --force to replace it`);

  const temp = `${out}.partial-${process.pid}`;
  const removeTemp = () => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(temp + suffix, { force: true });
  };
  removeTemp();
  const started = performance.now();
  const handle = openDatabase(temp);
  try {
    await migrateToLatest(handle.db);
    let lastReport = 0;
    const summary = await generateDemoDealer(handle, {
      customers,
      seed,
      ...(values.today ? { today: values.today } : {}),
      onProgress(done, total) {
        const now = performance.now();
        if (done === total || now - lastReport > 1000) {
          lastReport = now;
          process.stderr.write(`\r${done}/${total} customers (${((now - started) / 1000).toFixed(1)} s)`);
        }
      },
    });
    // Fold the WAL into the main file and leave WAL mode, so the file is complete on its own and can be
    // copied or opened read-only from a folder where no -wal/-shm can be created; the app turns WAL back on.
    handle.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    handle.sqlite.pragma('journal_mode = DELETE');
    handle.close();
    for (const suffix of ['-wal', '-shm']) rmSync(out + suffix, { force: true });
    renameSync(temp, out);
    rmSync(`${temp}-wal`, { force: true });
    rmSync(`${temp}-shm`, { force: true });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(
      `\n${out}: ${summary.customers} customers, ${summary.vehicles} vehicles, ${summary.repairOrders} repair orders, ` +
        `${summary.contactEvents} contact events, ${summary.members} members in ${seconds} s\n`,
    );
  } catch (error) {
    handle.close();
    removeTemp();
    throw error;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`\ndemo-data failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
