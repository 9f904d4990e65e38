/**
 * Generates a small demo dealer in a temp dir, starts the browser host on it (port 0, known token) and
 * hands the URL and a few sample customers to the tests through the environment. Returns the teardown,
 * which stops the host and removes the temp dir.
 */
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { E2E_ENV, sampleCustomerSchema, type Samples } from './env';

const root = path.resolve(import.meta.dirname, '..', '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const READY = /DealerCS browser host: (http:\/\/127\.0\.0\.1:\d+\/\S*)/;
// A generous ceiling so a broken host fails the run instead of hanging it; not a performance assertion.
const START_LIMIT_MS = 60_000;

/** Customers whose name, mobile and plate are each unique, so each test's search has one clear answer. */
function pickSamples(dbFile: string): Samples {
  const db = new Database(dbFile, { readonly: true });
  try {
    const rows = z.array(sampleCustomerSchema).parse(db
      .prepare(
        `SELECT c.id, c.name, c.mobile, MIN(v.plate) AS plate
           FROM customer c JOIN vehicle v ON v.customer_id = c.id AND v.deleted_at IS NULL AND v.plate IS NOT NULL
          WHERE c.deleted_at IS NULL AND c.mobile IS NOT NULL
            AND (SELECT COUNT(*) FROM customer d WHERE d.name = c.name AND d.deleted_at IS NULL) = 1
            AND (SELECT COUNT(*) FROM vehicle w WHERE w.plate = v.plate) = 1
            AND EXISTS (SELECT 1 FROM repair_order r WHERE r.customer_id = c.id)
          GROUP BY c.id ORDER BY c.seq LIMIT 6`,
      )
      .all());
    if (rows.length < 6) throw new Error(`demo database has only ${rows.length} suitable sample customers`);
    return { customers: rows };
  } finally {
    db.close();
  }
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(path.join(root, 'out', 'renderer', 'index.html'))) {
    throw new Error('out/renderer is missing: run `npx vite build` before the e2e tests');
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'dealercs-e2e-'));
  const dbFile = path.join(dir, 'demo.sqlite');
  const generated = spawnSync(tsx, ['scripts/demo-data.ts', '--customers', '300', '--out', dbFile, '--seed', '7'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (generated.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`demo-data failed (${generated.status}):\n${generated.stderr}`);
  }
  const samples = pickSamples(dbFile);

  const token = randomBytes(16).toString('hex');
  const host = spawn(
    tsx,
    ['main/host/cli.ts', '--data-dir', dir, '--db', dbFile, '--port', '0', '--token', token, '--renderer-dir', path.join(root, 'out', 'renderer')],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  host.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });

  async function teardown() {
    if (host.exitCode === null && host.signalCode === null) {
      const exited = new Promise((resolve) => host.once('exit', resolve));
      host.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`host did not start:\n${stderr}`)), START_LIMIT_MS);
      host.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`host exited with ${code}:\n${stderr}`));
      });
      createInterface({ input: host.stdout }).on('line', (line) => {
        const match = READY.exec(line);
        if (!match?.[1]) return;
        clearTimeout(timer);
        resolve(match[1]);
      });
    });
    process.env[E2E_ENV.url] = url;
    process.env[E2E_ENV.token] = token;
    process.env[E2E_ENV.samples] = JSON.stringify(samples);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
