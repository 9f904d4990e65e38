import { expect, type Download, type Locator, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { DEMO_CREDENTIALS } from '../../db/demo/credentials';
import { hostUrl, samples } from './env';

export type DemoRole = 'admin' | 'supervisor' | 'agent';

export function account(role: DemoRole) {
  const found = DEMO_CREDENTIALS.find((a) => a.role === role);
  if (!found) throw new Error(`no demo account with role ${role}`);
  return found;
}

/** Each test gets its own sample customer so tests that write (notes, edits) never meet. */
export function sample(index: number) {
  const customer = samples().customers[index];
  if (!customer) throw new Error(`no sample customer ${index}`);
  return customer;
}

export async function openApp(page: Page, hash = ''): Promise<void> {
  await page.goto(hostUrl() + hash);
}

/** Signs in on the shared host, or on `url` for a spec that runs a host of its own. */
export async function signIn(page: Page, role: DemoRole, url?: string): Promise<void> {
  const { username, password, displayName } = account(role);
  if (url) await page.goto(url);
  else await openApp(page);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await expect(page.getByTestId('current-user')).toHaveText(displayName);
}

/** The dealer's zone (Asia/Shanghai) is UTC+8 all year; China has no DST. */
const DEALER_UTC_OFFSET_MS = 8 * 3_600_000;

/**
 * A calendar date (YYYY-MM-DD) on the dealer's wall clock, `days` from today. The one China-date helper
 * for specs: the host's "today" is the dealer's, which differs from UTC's and the test machine's.
 */
export function dealerDate(days = 0): string {
  return new Date(Date.now() + DEALER_UTC_OFFSET_MS + days * 86_400_000).toISOString().slice(0, 10);
}

export function searchBox(page: Page): Locator {
  return page.getByTestId('customer-search');
}

export function hits(page: Page): Locator {
  return page.getByTestId('search-hit');
}

/** The validation message antd shows under the form field labelled `label`. */
export function fieldError(page: Page, label: string): Locator {
  return page
    .locator('.ant-form-item')
    .filter({ has: page.getByLabel(label, { exact: true }) })
    .locator('.ant-form-item-explain-error');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `docs/screenshots/${name}.png` });
}

/**
 * A downloaded Excel export read back as the user's Excel would: sheet name → rows of cell values
 * (header row first, from column A), in the workbook's order.
 */
export async function downloadedWorkbook(download: Download): Promise<Map<string, unknown[][]>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(await download.path());
  const sheets = new Map<string, unknown[][]>();
  for (const sheet of book.worksheets) {
    const rows: unknown[][] = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      rows.push(Array.isArray(row.values) ? row.values.slice(1) : []);
    });
    sheets.set(sheet.name, rows);
  }
  return sheets;
}
