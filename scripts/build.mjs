// Builds the three targets: renderer (Vite), main + preload + browser host (esbuild), and the embedded
// demo database. Output goes to out/, which electron-builder packages and the browser host serves.
import { build as esbuild } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'out');
const step = (label) => console.error(`[build] ${label}`);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

step('renderer (vite)');
run('npx', ['vite', 'build', '--logLevel', 'warn']);

step('main, preload, browser host (esbuild)');
const native = ['electron', 'better-sqlite3', 'serialport', '@serialport/*', 'electron-updater', 'electron-log'];
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: native,
  // The sources are ESM; in the CommonJS bundles import.meta points at the bundle file itself.
  define: { 'import.meta.dirname': '__dirname', 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
};
await esbuild({
  ...common,
  entryPoints: { 'main/index': 'main/index.ts', 'main/host': 'main/host/cli.ts' },
  outdir: out,
  outExtension: { '.js': '.cjs' },
});
// The sandboxed preload may require only electron and a few built-ins: no banner, no import.meta shims.
await esbuild({
  ...common,
  define: {},
  banner: {},
  entryPoints: { 'preload/index': 'preload/index.ts' },
  outdir: out,
  outExtension: { '.js': '.cjs' },
});

// The worker-thread entries (DMS sync, WAL checkpoints) are ESM bundles of their own (the sync worker uses
// top-level await); services.ts looks for them next to the main bundle. require() is recreated for the bundled CommonJS dependencies.
await esbuild({
  ...common,
  format: 'esm',
  define: {},
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  entryPoints: { 'main/dms-sync-worker': 'main/dms/sync/worker.ts', 'main/db-checkpoint-worker': 'db/checkpoint-worker.ts' },
  outdir: out,
  outExtension: { '.js': '.mjs' },
});

// The health agent IT installs on each server: one self-contained file that plain `node` runs (no
// node_modules, no tsx); packaged with the app under resources/health-agent/ (docs/it-guide.md).
step('health agent (esbuild)');
await esbuild({
  ...common,
  external: [],
  sourcemap: false,
  entryPoints: { 'health-agent/health-agent': 'tools/health-agent/cli.ts' },
  outdir: out,
  outExtension: { '.js': '.cjs' },
});

const demo = path.join(out, 'resources', 'demo.sqlite');
if (!existsSync(demo) || process.env.DEMO_REBUILD === '1') {
  step('embedded demo database (1,000 customers)');
  mkdirSync(path.dirname(demo), { recursive: true });
  run('npx', ['tsx', 'scripts/demo-data.ts', '--customers', '1000', '--seed', '20261123', '--out', demo, '--force']);
}
step(`done: out/ (demo ${(statSync(demo).size / 1e6).toFixed(1)} MB)`);
