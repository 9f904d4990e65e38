/**
 * Alarms on an EMPTY store: a host of its own on a dealer with staff only (no customers, no health
 * agents, no alarms yet). The header indicator and every tab of 告警监控 must render their empty states
 * without a page error, the empty history still exports, and a seat without the console gets the drawer.
 * Last, on the same host, the live list when reading it fails: it says why and reads again on 重试.
 */
import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signIn } from './helpers';
import { generateDemoDb, spawnHost, type RunningHost } from './host';

let dir = '';
let dbFile = '';
let host: RunningHost | null = null;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dir = mkdtempSync(path.join(tmpdir(), 'dealercs-e2e-empty-'));
  dbFile = path.join(dir, 'empty.sqlite');
  generateDemoDb(dbFile, 0);
  host = await spawnHost({ dataDir: dir, dbFile, token: randomBytes(16).toString('hex') });
});

test.afterAll(async () => {
  await host?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function url(): string {
  if (!host) throw new Error('the empty host did not start');
  return host.url;
}

/** Uncaught page errors and console errors (React and antd report render problems there). */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  return errors;
}

test('an administrator sees an empty indicator and empty console tabs, and exports the empty history', async ({ page }) => {
  const errors = collectErrors(page);
  await signIn(page, 'admin', url());
  const indicator = page.getByTestId('alarm-indicator');
  await expect(indicator).toHaveAttribute('data-count', '0');
  await expect(page.getByTestId('alarm-sound-hint')).toHaveCount(0);
  await expect(page.getByTestId('alarm-audio')).toHaveAttribute('data-sound', 'idle');

  await indicator.click();
  await expect(page).toHaveURL(/#\/alarms\/live$/);
  await expect(page.getByText('当前没有告警')).toBeVisible();
  await expect(page.getByTestId('alarm-row')).toHaveCount(0);

  // The local monitors (disk, database, backups) may already have reported; a remote server cannot have.
  await page.getByTestId('alarms-tab-tree').click();
  await expect(page.getByRole('button', { name: /刷\s*新/ })).toBeVisible();
  await expect(page.locator('.ant-alert-error')).toHaveCount(0);
  for (const server of await page.getByTestId('tree-server').all()) await expect(server).toContainText('本机');

  await page.getByTestId('alarms-tab-silences').click();
  await expect(page.getByTestId('silence-create')).toBeVisible();
  await expect(page.locator('.ant-table-row')).toHaveCount(0);
  await expect(page.locator('.ant-empty')).toBeVisible();

  await page.getByTestId('alarms-tab-history').click();
  await expect(page.getByTestId('history-search')).toBeVisible();
  await expect(page.getByTestId('history-row')).toHaveCount(0);
  await expect(page.locator('.ant-empty')).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByTestId('history-export').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
  expect(readFileSync(await file.path()).subarray(0, 2).toString('latin1')).toBe('PK');
  await expect(page.getByText('已导出 0 条')).toBeVisible();

  await page.getByTestId('alarms-tab-agents').click();
  await expect(page.getByTestId('agent-add')).toBeVisible();
  await expect(page.getByTestId('agent-row')).toHaveCount(0);
  await expect(page.locator('.ant-empty')).toBeVisible();

  expect(errors).toEqual([]);
});

test('an agent without the console opens the indicator onto an empty list', async ({ page }) => {
  const errors = collectErrors(page);
  await signIn(page, 'agent', url());
  const indicator = page.getByTestId('alarm-indicator');
  await expect(indicator).toHaveAttribute('data-count', '0');
  await expect(page.getByTestId('nav-alarms')).toHaveCount(0);
  await indicator.click();
  const drawer = page.locator('.ant-drawer');
  await expect(drawer.getByText('当前没有告警')).toBeVisible();
  await drawer.getByRole('button', { name: /close|关\s*闭/i }).click();
  await expect(drawer.getByText('当前没有告警')).toBeHidden();
  expect(errors).toEqual([]);
});

test('when the open alarms cannot be read, the live list says why instead of spinning, and 重试 reads them again', async ({ page }) => {
  // A real failure of alarms.open through the whole stack: a row another program wrote into the shared
  // store with an id that is not a ULID. The host refuses to answer outside its contract (INTERNAL, and
  // the seat's client checks answers the same way), exactly as it would for any unreadable store.
  const BROKEN = 'broken-row-not-a-ulid';
  const FIXED = '01JQ0000000000000000E2E0RW';
  const db = new Database(dbFile);
  try {
    db.pragma('busy_timeout = 5000');
    const dealer = db.prepare<[], { id: string }>('select id from dealer order by created_at limit 1').get();
    if (!dealer) throw new Error('no dealer');
    const at = new Date().toISOString();
    db.prepare(
      `insert into alarm (id, dealer_id, fingerprint, name, server, severity, state, detail, occurrences,
         first_seen_at, last_seen_at, fired_at, created_at, updated_at)
       values (?, ?, 'e2e/unreadable', '写坏的告警记录', null, 'warning', 'firing', null, 1, ?, ?, ?, ?, ?)`,
    ).run(BROKEN, dealer.id, at, at, at, at, at);

    await signIn(page, 'supervisor', url());
    await page.getByTestId('nav-alarms').click();
    const problem = page.getByTestId('alarms-load-error');
    await expect(problem).toContainText('系统内部错误，已记录日志');
    await expect(page.getByTestId('alarm-row')).toHaveCount(0);
    await expect(page.locator('.ant-table .ant-spin-spinning')).toHaveCount(0);
    await expect(page.getByText('告警列表未能加载')).toBeVisible();

    // In English the same failure reads in English (the host's bilingual message).
    await page.getByTestId('lang-toggle').click();
    await expect(problem).toContainText('Internal error; it has been logged');
    await expect(problem.getByRole('button', { name: 'Retry' })).toBeVisible();
    await page.getByTestId('lang-toggle').click();

    // Someone repairs the row: 重试 reads the list, which now shows it, and the message goes.
    db.prepare('update alarm set id = ? where id = ?').run(FIXED, BROKEN);
    await problem.getByRole('button', { name: /重\s*试/ }).click();
    await expect(problem).toHaveCount(0);
    await expect(page.locator('[data-testid="alarm-row"][data-fingerprint="e2e/unreadable"]')).toHaveAttribute('data-state', 'firing');
  } finally {
    db.prepare('delete from alarm where id in (?, ?)').run(BROKEN, FIXED);
    db.close();
  }
});
