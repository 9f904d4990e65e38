/**
 * Starts a worker thread from a source (.ts) or bundled (.mjs) entry. The built app passes its bundled
 * entries; tests and `tsx` runs pass the .ts source, which a worker cannot load by itself on Node 20.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * `--import tsx` in a worker's execArgv does not reach the worker's own entry on Node 20, so a .ts entry
 * is started by a one-line bootstrap that loads it through tsx's tsImport API.
 */
function tsxBootstrap(entry: URL): string {
  // The ESM build of the API (the `import` condition); the CommonJS one cannot load tsx's ESM half.
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  const api = pathToFileURL(pkg.replace(/package\.json$/, 'dist/esm/api/index.mjs')).href;
  return `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))
    .catch((e) => { console.error(e); process.exit(1); });`;
}

export function startWorkerThread(entry: URL, workerData: unknown): Worker {
  return entry.pathname.endsWith('.ts') ? new Worker(tsxBootstrap(entry), { eval: true, workerData }) : new Worker(entry, { workerData });
}
