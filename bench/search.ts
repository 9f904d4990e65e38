/**
 * Search-as-you-type benchmark over the demo dealer (default 100k customers).
 *
 *   npx tsx bench/search.ts [--customers 100000] [--rounds 5] [--assert]
 *
 * Builds the demo store once into bench/.data/ (gitignored) and reuses it. Then replays what agents type
 * — name prefixes, phone fragments, plates with and without province, VIN tails — through the dispatcher
 * exactly as a host calls it (validation, role check, handler), and in the same run a baseline: one
 * indexed SQLite lookup (customer by mobile) through a prepared statement. Prints p50/p95/max of both,
 * their ratio, and p95 per kind of query. Target: service p95 under 20 ms. --assert exits 1 if missed.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/connection';
import { DEMO_CREDENTIALS, generateDemoDealer } from '../db/demo/generate';
import { Random } from '../db/demo/random';
import { migrateToLatest } from '../db/migrate';
import { createServices, type Services } from '../main/services';
import type { CallContext } from '../main/rpc';

const TARGET_P95_MS = 20;
const TODAY = '2026-03-01';
const SEED = 42;

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '5' },
    assert: { type: 'boolean', default: false },
  },
});
const customers = Number(values.customers);
const rounds = Number(values.rounds);
if (!Number.isInteger(customers) || customers < 100 || !Number.isInteger(rounds) || rounds < 1) {
  throw new Error('usage: npx tsx bench/search.ts [--customers N>=100] [--rounds N] [--assert]');
}

async function demoStore(): Promise<string> {
  const dir = path.join(import.meta.dirname, '.data');
  const file = path.join(dir, `demo-${customers}-seed${SEED}.sqlite`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const partial = `${file}.partial`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
  const started = performance.now();
  const handle = openDatabase(partial);
  await migrateToLatest(handle.db);
  const summary = await generateDemoDealer(handle, {
    customers,
    seed: SEED,
    today: TODAY,
    onProgress: (done, total) => process.stderr.write(`\rgenerating demo store ${done}/${total}`),
  });
  handle.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  handle.close();
  renameSync(partial, file);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(`\n${summary.customers} customers, ${summary.vehicles} vehicles, ${summary.repairOrders} repair orders in ${seconds} s\n`);
  return file;
}

interface Probe {
  kind: string;
  q: string;
}

/** What agents type, built from real rows of the store: each value typed the way a person does. */
function queryMix(file: string): { probes: Probe[]; mobiles: string[] } {
  const handle = openDatabase(file, { readonly: true });
  try {
    const rng = new Random(7);
    const total = Number(handle.sqlite.prepare('select max(seq) as n from customer').pluck().get());
    const sample = handle.sqlite.prepare<[number], { name: string; mobile: string | null; plate: string | null; vin: string }>(
      `select c.name, c.mobile, v.plate, v.vin from customer c join vehicle v on v.customer_id = c.id
       where c.seq >= ? order by c.seq limit 1`,
    );
    const probes: Probe[] = [
      { kind: 'name', q: '张' },
      { kind: 'name', q: '张伟' },
      { kind: 'phone', q: '1381' },
      { kind: 'phone', q: '13812' },
      { kind: 'plate', q: '粤A1' },
      { kind: 'plate', q: 'A123' },
    ];
    const mobiles: string[] = [];
    for (let i = 0; i < 40; i++) {
      const row = sample.get(rng.int(1, total));
      if (!row) continue;
      const name = [...row.name];
      for (let n = 1; n <= name.length; n++) probes.push({ kind: 'name', q: name.slice(0, n).join('') });
      if (row.mobile) {
        mobiles.push(row.mobile);
        for (const n of [3, 4, 5, 7, 11]) probes.push({ kind: 'phone', q: row.mobile.slice(0, n) });
        probes.push({ kind: 'phone tail', q: row.mobile.slice(-4) });
      }
      if (row.plate) {
        for (const n of [2, 3, 4, row.plate.length]) probes.push({ kind: 'plate', q: row.plate.slice(0, n) });
        probes.push({ kind: 'plate', q: row.plate.slice(1) });
      }
      probes.push({ kind: 'vin', q: row.vin.slice(-6) });
      probes.push({ kind: 'vin', q: row.vin });
    }
    return { probes, mobiles };
  } finally {
    handle.close();
  }
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? Number.NaN };
}

const ms = (x: number) => `${x.toFixed(3)} ms`;

async function signIn(services: Services): Promise<CallContext> {
  const ctx: CallContext = { connectionId: 'bench', host: 'browser', staff: null };
  const agent = DEMO_CREDENTIALS.find((a) => a.role === 'agent');
  if (!agent) throw new Error('no demo agent');
  const result = await services.dispatcher.dispatch('auth.login', { username: agent.username, password: agent.password }, ctx);
  if (!result.ok) throw new Error(`sign-in failed: ${result.error.code}`);
  return ctx;
}

async function main(): Promise<void> {
  const file = await demoStore();
  const { probes, mobiles } = queryMix(file);
  const services = await createServices({ dbFile: file, host: 'browser', version: 'bench' });
  try {
    const ctx = await signIn(services);
    const baseline = services.handle.sqlite.prepare('select id, name from customer where mobile = ?');
    const call = async (q: string) => {
      const result = await services.dispatcher.dispatch('customers.search', { q, limit: 100 }, ctx);
      if (!result.ok) throw new Error(`search "${q}" failed: ${result.error.code}`);
    };

    for (const p of probes) await call(p.q); // warm the page cache and the statement paths
    const service: number[] = [];
    const base: number[] = [];
    const byKind = new Map<string, number[]>();
    for (let r = 0; r < rounds; r++) {
      for (const [i, p] of probes.entries()) {
        let t = performance.now();
        await call(p.q);
        const elapsed = performance.now() - t;
        service.push(elapsed);
        byKind.set(p.kind, [...(byKind.get(p.kind) ?? []), elapsed]);
        t = performance.now();
        baseline.all(mobiles[i % mobiles.length] ?? '');
        base.push(performance.now() - t);
      }
    }

    const s = stats(service);
    const b = stats(base);
    console.log(`search-as-you-type over ${customers} customers: ${probes.length} queries × ${rounds} rounds`);
    console.log(`  service  (dispatcher → customers.search): p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  max ${ms(s.max)}`);
    console.log(`  baseline (indexed lookup by mobile):      p50 ${ms(b.p50)}  p95 ${ms(b.p95)}  max ${ms(b.max)}`);
    console.log(`  ratio p50 ${(s.p50 / b.p50).toFixed(1)}×, p95 ${(s.p95 / b.p95).toFixed(1)}×`);
    for (const [kind, samples] of byKind) {
      const k = stats(samples);
      console.log(`    ${kind.padEnd(10)} n=${String(k.n).padStart(4)}  p50 ${ms(k.p50)}  p95 ${ms(k.p95)}  max ${ms(k.max)}`);
    }
    const pass = s.p95 < TARGET_P95_MS;
    console.log(`  target p95 < ${TARGET_P95_MS} ms: ${pass ? 'met' : 'MISSED'}`);
    if (values.assert && !pass) process.exitCode = 1;
  } finally {
    await services.close();
  }
}

await main();
