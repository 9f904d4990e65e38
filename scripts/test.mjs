// `npm test`: everything CI checks, in the order that fails fastest — types, lint, build, unit and
// integration tests (vitest), then e2e in Chromium (Playwright). Ends with one "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reports = path.join(root, 'test-results');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const only = process.argv.slice(2); // e.g. `npm test -- unit` or `npm test -- e2e`
const wants = (name) => only.length === 0 || only.includes(name);

function run(label, cmd, args, env = {}) {
  console.error(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function check(label, ok) {
  if (!ok) failures.push(label);
}

if (wants('static')) {
  check('typecheck', run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']));
  check('lint', run('lint', 'npx', ['eslint', '.', '--max-warnings', '0']));
}
if (wants('e2e') || wants('unit') || wants('static')) check('build', run('build', 'node', ['scripts/build.mjs']));

if (wants('unit')) {
  const file = path.join(reports, 'vitest.json');
  check('vitest', run('unit + integration (vitest)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`]));
  if (existsSync(file)) {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  }
}

if (wants('e2e')) {
  const file = path.join(reports, 'playwright.json');
  check('playwright', run('e2e (playwright, chromium)', 'npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: file }));
  if (existsSync(file)) {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.stats.expected;
    failed += r.stats.unexpected + r.stats.flaky;
    skipped += r.stats.skipped;
  }
}

if (failures.length > 0) console.error(`\nFailed steps: ${failures.join(', ')}`);
console.log(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failures.length > 0 || failed > 0 ? 1 : 0);
