import { expect, test } from '@playwright/test';
import { hits, sample, screenshot, searchBox, signIn } from './helpers';

test.beforeEach(async ({ page }) => {
  await signIn(page, 'agent');
});

test('finds a customer by name, by a fragment of the mobile number and by plate', async ({ page }) => {
  const c = sample(0);
  await expect(searchBox(page)).toBeFocused();

  await searchBox(page).fill(c.name);
  await expect(hits(page).filter({ hasText: c.mobile })).toHaveCount(1);
  await expect(hits(page).filter({ hasText: c.mobile }).locator('mark.hit').first()).toHaveText(c.name);

  const fragment = c.mobile.slice(3, 10);
  await searchBox(page).fill(fragment);
  await expect(hits(page).filter({ hasText: c.name })).toHaveCount(1);
  await expect(hits(page).filter({ hasText: c.name }).locator('mark.hit').first()).toHaveText(fragment);

  await searchBox(page).fill(c.plate);
  await expect(hits(page).filter({ hasText: c.name }).locator('mark.hit').first()).toHaveText(c.plate);

  // A broad query for the README picture: many rows, highlighted prefix, the first one selected.
  await searchBox(page).fill(c.mobile.slice(0, 3));
  await expect(page.getByTestId('search-status')).toHaveText(/找到 \d+ 位客户|仅显示前 \d+ 条/);
  await expect(hits(page).first().locator('mark.hit')).toHaveText(c.mobile.slice(0, 3));
  await screenshot(page, 'search');

  await searchBox(page).press('Escape');
  await expect(searchBox(page)).toHaveValue('');
  await expect(hits(page)).toHaveCount(0);
});

test('exports the results to an Excel file', async ({ page }) => {
  const c = sample(0);
  await searchBox(page).fill(c.name);
  await expect(hits(page).filter({ hasText: c.mobile })).toHaveCount(1);
  const download = page.waitForEvent('download');
  await page.getByTestId('export-excel').click();
  expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
});

test('keyboard only: shortcut to the search box, arrows to choose, Enter to open', async ({ page }) => {
  const c = sample(1);
  await page.getByTestId('sign-out').focus();
  await page.keyboard.press('Control+k');
  await expect(searchBox(page)).toBeFocused();
  await page.keyboard.type(c.plate);
  await expect(hits(page).filter({ hasText: c.name }).locator('mark.hit').first()).toHaveText(c.plate);
  await expect(page.locator('.row-selected')).toHaveCount(1);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('customer-name')).toHaveText(c.name);

  // "/" from outside a text field comes back to the search with the last results.
  await page.getByTestId('back-to-search').focus();
  await page.keyboard.press('/');
  await expect(searchBox(page)).toBeFocused();
  await expect(searchBox(page)).toHaveValue(c.plate);
});
