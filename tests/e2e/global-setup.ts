/**
 * Generates a small demo dealer in a temp dir, starts the browser host on it (port 0, known token) and
 * hands the URL and a few sample customers to the tests through the environment. Returns the teardown,
 * which stops the host and removes the temp dir.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { E2E_ENV, sampleCustomerSchema, type Samples } from './env';
import { generateDemoDb, spawnHost } from './host';

const root = path.resolve(import.meta.dirname, '..', '..');

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
  try {
    generateDemoDb(dbFile, 300);
    const samples = pickSamples(dbFile);
    const token = randomBytes(16).toString('hex');
    const host = await spawnHost({ dataDir: dir, dbFile, token });
    process.env[E2E_ENV.url] = host.url;
    process.env[E2E_ENV.token] = token;
    process.env[E2E_ENV.samples] = JSON.stringify(samples);
    return async () => {
      await host.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
