/**
 * Query builder benchmark: the seed's three exercises on the demo dealer (100k customers, ~1M repair
 * orders), each timed through the whole service path (validate the tree, compile with kysely, run) and
 * against hand-written SQL for the same question in the same run. Prints p50/p95 and the ratio of p95s.
 * Targets: p95 under 500 ms and at most 1.5× the hand-written query.
 *
 *   npx tsx bench/query.ts [--customers 100000] [--runs 15] [--file /tmp/dealercs-bench-100000.sqlite] [--cache-mb 256]
 *
 * The demo store is generated once into --file and reused by later runs (generation takes minutes).
 */
import { existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase, type DbHandle } from '../db/connection';
import { generateDemoDealer } from '../db/demo/generate';
import { migrateToLatest } from '../db/migrate';
import { createQuery } from '../main/query';
import { exerciseA, exerciseB, exerciseC } from '../main/query/examples';
import { HAND_WRITTEN } from './query-baseline';

const TODAY = '2026-03-15';

function arg(name: string, fallback: number): number;
function arg(name: string, fallback: string): string;
function arg(name: string, fallback: number | string): number | string {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : undefined;
  if (raw === undefined) return fallback;
  return typeof fallback === 'number' ? Number(raw) : raw;
}

const customers = arg('customers', 100_000);
const runs = arg('runs', 15);
const file = arg('file', path.join(os.tmpdir(), `dealercs-bench-${customers}.sqlite`));
/** Optional page cache for the bench connection (MiB); 0 = the connection's default, as the app runs today. */
const cacheMb = arg('cache-mb', 0);

async function store(): Promise<DbHandle> {
  if (existsSync(file)) {
    // Brought up to date, so the bench measures the indexes a dealer's store has today.
    const handle = openDatabase(file);
    const applied = await migrateToLatest(handle.db).catch((error: unknown) => {
      handle.close();
      throw new Error(`cannot bring ${file} up to date (delete it to generate a new one): ${error instanceof Error ? error.message : String(error)}`);
    });
    if (applied.length > 0) console.log(`migrated the bench store: ${applied.join(', ')}`);
    return handle;
  }
  const started = performance.now();
  const handle = openDatabase(`${file}.partial`);
  await migrateToLatest(handle.db);
  const summary = await generateDemoDealer(handle, {
    customers,
    seed: 2026,
    today: TODAY,
    passwordParams: { N: 1024, r: 8, p: 1 },
    onProgress: (done, total) => {
      if (done % 10_000 === 0 || done === total) process.stdout.write(`\rgenerating ${done}/${total}`);
    },
  });
  handle.close();
  for (const suffix of ['-wal', '-shm']) rmSync(`${file}.partial${suffix}`, { force: true });
  const { renameSync } = await import('node:fs');
  renameSync(`${file}.partial`, file);
  console.log(`\ngenerated in ${((performance.now() - started) / 1000).toFixed(0)} s:`, summary);
  return openDatabase(file);
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

async function main() {
  const handle = await store();
  if (cacheMb > 0) handle.sqlite.pragma(`cache_size = -${cacheMb * 1024}`);
  const dealer = handle.sqlite.prepare('select id from dealer order by id limit 1').get() as { id: string } | undefined;
  if (!dealer) throw new Error('no dealer in the bench store');
  const counts = handle.sqlite
    .prepare('select (select count(*) from customer) c, (select count(*) from vehicle) v, (select count(*) from repair_order) r')
    .get();
  const stats = handle.sqlite.prepare(`select count(*) n from sqlite_master where name = 'sqlite_stat1'`).get() as { n: number };
  console.log(`store ${file}:`, counts, stats.n > 0 ? '(with ANALYZE statistics)' : '(no ANALYZE statistics)', `cache ${cacheMb || 'default'}`);
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);

  const query = createQuery({ handle, clock: () => new Date(`${TODAY}T09:00:00+08:00`) });
  const scope = { dealerId: dealer.id, today: TODAY };
  const cases = [
    { name: '(a) Accord here >3y, 2+ visits last year, member', tree: exerciseA, hand: HAND_WRITTEN.a },
    { name: '(b) visited last year, not this year', tree: exerciseB, hand: HAND_WRITTEN.b },
    { name: '(c) Fit repaired 2025-04-01..15', tree: exerciseC('2025-04-01', '2025-04-15'), hand: HAND_WRITTEN.c },
  ];
  let failed = false;
  for (const c of cases) {
    const built = async () => (await query.ids(c.tree, scope)).sort();
    const handVariants = c.hand.map((h) => () => {
      const stmt = handle.sqlite.prepare(h.sql).pluck();
      return (stmt.all(h.params(dealer.id)) as string[]).sort();
    });
    const expected = await built();
    for (const [i, v] of handVariants.entries()) {
      const got = v();
      if (got.length !== expected.length || got.some((id, k) => id !== expected[k])) {
        throw new Error(`${c.name}: hand-written variant ${i} returns ${got.length} customers, the builder ${expected.length}`);
      }
    }
    const timesBuilt: number[] = [];
    const timesHand: number[][] = handVariants.map(() => []);
    const time = async (f: () => unknown) => {
      const t = performance.now();
      await f();
      return performance.now() - t;
    };
    for (let r = 0; r < runs + 2; r++) {
      // Alternate who goes first so neither side always runs on the other's warm cache.
      let b = r % 2 === 0 ? await time(built) : NaN;
      const h: number[] = [];
      for (const v of handVariants) h.push(await time(v));
      if (r % 2 === 1) b = await time(built);
      if (r < 2) continue; // warm-up: page cache and statement cache
      timesBuilt.push(b);
      h.forEach((ms, i) => timesHand[i]?.push(ms));
    }
    timesBuilt.sort((x, y) => x - y);
    const handP95 = timesHand.map((t) => quantile(t.sort((x, y) => x - y), 0.95));
    const handP50 = timesHand.map((t) => quantile(t, 0.5));
    const best = Math.min(...handP95);
    const p95 = quantile(timesBuilt, 0.95);
    const ratio = p95 / best;
    const ok = p95 < 500 && ratio <= 1.5;
    failed ||= !ok;
    console.log(
      `${ok ? 'PASS' : 'FAIL'} ${c.name}: ${expected.length} customers; builder p50 ${quantile(timesBuilt, 0.5).toFixed(1)} ms, ` +
        `p95 ${p95.toFixed(1)} ms; hand-written p50 ${handP50.map((x) => x.toFixed(1)).join(' / ')} ms, p95 ${handP95.map((x) => x.toFixed(1)).join(' / ')} ms (best ${best.toFixed(1)}); ratio ${ratio.toFixed(2)}×`,
    );
  }
  handle.close();
  if (failed) process.exitCode = 1;
}

await main();
