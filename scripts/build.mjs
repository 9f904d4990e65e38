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
  // The sources are ESM; in the CommonJS bundles import.meta.dirname is the bundle's own folder.
  define: { 'import.meta.dirname': '__dirname' },
};
await esbuild({
  ...common,
  entryPoints: { 'main/index': 'main/index.ts', 'main/host': 'main/host/cli.ts' },
  outdir: out,
  outExtension: { '.js': '.cjs' },
});
await esbuild({
  ...common,
  entryPoints: { 'preload/index': 'preload/index.ts' },
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
