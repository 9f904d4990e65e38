import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import iconv from 'iconv-lite';
import { buildFixture } from '../../tools/dms-server/fixture';
import { startDmsServer, type DmsServer } from '../../tools/dms-server/server';
import { openDmsStore } from '../../tools/dms-server/store';
import { openApp, screenshot, signIn } from './helpers';

const API_KEY = 'e2e-dms-key';
let dir = '';
let server: DmsServer;
// Unique per run: the host is shared with other specs and may have seen an earlier run of this one.
const run = Date.now() % 1_000_000;
const sourceName = `厂家 DMS ${run}`;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dms-e2e-'));
  const store = openDmsStore(path.join(dir, 'dms.sqlite'));
  // Small and with its own ids/VINs, so the shared demo dealer only gains a handful of records.
  store.seed(buildFixture({ customers: 6, seed: 1000 + (run % 1000) }));
  server = await startDmsServer({ store, apiKey: API_KEY, host: '127.0.0.1', port: 0 });
});

test.afterAll(async () => {
  await server.close();
  server.store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function pickSource(page: Page) {
  await page.getByLabel('数据源', { exact: true }).click();
  await page.locator('.ant-select-item-option').filter({ hasText: `${sourceName}（接口）` }).click();
}

test('an administrator adds the reference DMS, syncs it with progress and sees the run in the history', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByTestId('nav-dms').click();
  await page.getByRole('tab', { name: '数据源' }).click();
  await page.getByTestId('dms-source-add').click();
  await page.getByTestId('dms-source-name').fill(sourceName);
  await page.getByTestId('dms-source-url').fill('not an address');
  await page.getByTestId('dms-source-key').fill(API_KEY);
  await page.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.locator('.ant-form-item-explain-error')).toContainText('接口地址');

  await page.getByTestId('dms-source-url').fill(server.url);
  await page.getByTestId('dms-source-test').click();
  await expect(page.getByTestId('dms-source-test-result')).toContainText('连接成功');
  await page.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.getByTestId('dms-sources')).toContainText(sourceName);

  await page.getByRole('tab', { name: '同步' }).click();
  await pickSource(page);
  // A slow first page keeps the run visible long enough to see its progress.
  server.setFaults({ mode: 'slow', delayMs: 1500, count: 1, match: '/repair_orders' });
  await page.getByTestId('dms-sync-now').click();
  await expect(page.getByTestId('dms-progress')).toBeVisible();
  await expect(page.getByTestId('dms-last-run')).toContainText('同步成功', { timeout: 30_000 });
  const total = server.store.count('customer') + server.store.count('vehicle') + server.store.count('repair_order');
  await expect(page.getByTestId('dms-last-run')).toContainText(`新增 ${total}`);
  const firstRun = page.getByTestId('dms-runs').locator('tbody tr.ant-table-row').first();
  await expect(firstRun).toContainText('成功');
  await expect(firstRun).toContainText('增量同步');
  await expect(firstRun).toContainText(String(total));
  await screenshot(page, 'dms-sync');
});

test('a record changed in the DMS shows under "DMS newer" with the field difference and is imported', async ({ page }) => {
  server.store.upsert('customer', { dms_id: 'C0000002', city: '韶关' });
  await signIn(page, 'supervisor');
  await openApp(page, '#/dms/diff');
  await pickSource(page);
  await page.getByTestId('dms-diff-compare').click();
  await expect(page.getByTestId('dms-bucket-dms_newer')).toContainText('1');
  const row = page.getByTestId('dms-diff-table').locator('tbody tr.ant-table-row').filter({ hasText: '韶关' });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('dms-diff-field')).toContainText('城市');
  await screenshot(page, 'dms-diff');
  const download = page.waitForEvent('download');
  await page.getByTestId('dms-diff-export').click();
  expect((await download).suggestedFilename()).toMatch(/^DMS差异_DMS较新_\d{8}\.xlsx$/);

  await row.locator('input[type="checkbox"]').check();
  await page.getByTestId('dms-diff-import-selected').click();
  await expect(page.getByText('已导入：新增 0，更新 1')).toBeVisible();
  await expect(page.getByTestId('dms-bucket-dms_newer')).toContainText('0');
  await expect(page.getByTestId('dms-diff-table').locator('tbody tr.ant-table-row')).toHaveCount(0);
});

test('a GBK CSV goes through the wizard; its bad row lands in quarantine with the reason', async ({ page }) => {
  const vin = (n: number) => `LHGCM5670${String(run).padStart(6, '0')}${n}`.slice(0, 17).padEnd(17, '0');
  const mobile = `139${String(run).padStart(6, '0')}01`;
  const csv = [
    '客户姓名,手机,VIN,车型,维修日期,维修类别,金额',
    `周杰,${mobile},${vin(1)},雅阁,2024/3/1,保养,300`,
    `吴磊,1391111,${vin(2)},飞度,2024/3/2,保养,300`,
  ].join('\r\n');
  await signIn(page, 'supervisor');
  await openApp(page, '#/dms/import');
  await pickSource(page);
  await page.locator('input[type="file"]').setInputFiles({ name: '维修导出.csv', mimeType: 'text/csv', buffer: iconv.encode(csv, 'gbk') });
  await expect(page.getByTestId('dms-file-encoding')).toHaveText('gb18030');
  await expect(page.getByTestId('dms-problem')).toHaveCount(1);
  await expect(page.getByTestId('dms-problem')).toContainText('第 3 行');
  await screenshot(page, 'dms-import');
  await page.getByTestId('dms-import-run').click();
  await expect(page.getByTestId('dms-import-result')).toContainText('隔离 1', { timeout: 30_000 });
  await page.getByTestId('dms-goto-quarantine').click();
  const reason = page.getByTestId('dms-quarantine').locator('tbody tr.ant-table-row').filter({ hasText: '1391111' }).getByTestId('dms-quarantine-reason');
  await expect(reason).toContainText('手机号“1391111”应为 11 位');
});
