import { expect, test, type Page } from '@playwright/test';
import { fieldError, hits, sample, screenshot, searchBox, signIn } from './helpers';

async function openCustomer(page: Page, index: number) {
  const c = sample(index);
  await searchBox(page).fill(c.name);
  await hits(page).filter({ hasText: c.mobile }).click();
  await expect(page.getByTestId('customer-name')).toHaveText(c.name);
  return c;
}

test.beforeEach(async ({ page }) => {
  await signIn(page, 'agent');
});

test('shows vehicles, repair history and timeline; a note added is there after a reload', async ({ page }) => {
  const c = await openCustomer(page, 2);
  await expect(page.getByTestId('vehicles')).toContainText(c.plate);
  await expect(page.getByTestId('repairs').locator('tbody tr.ant-table-row').first()).toContainText('¥');

  const note = `客户希望周六上午回电 ${Date.now()}`;
  await page.getByTestId('note-text').fill(note);
  await page.getByTestId('note-text').press('Control+Enter');
  await expect(page.getByTestId('timeline-item').filter({ hasText: note })).toHaveCount(1);
  await expect(page.getByTestId('note-text')).toHaveValue('');
  await screenshot(page, 'customer');

  await page.reload();
  await expect(page.getByTestId('customer-name')).toHaveText(c.name);
  await expect(page.getByTestId('timeline-item').filter({ hasText: note })).toHaveCount(1);
});

test('an empty note is refused at the field', async ({ page }) => {
  await openCustomer(page, 2);
  await page.getByTestId('note-text').fill('   ');
  await page.getByTestId('add-note').click();
  await expect(page.getByTestId('note-form').locator('.ant-form-item-explain-error')).toHaveText('备注为 1–2000 个字符');
});

test('editing the mobile: a bad number is flagged and nothing saved, a good one is saved', async ({ page }) => {
  const c = await openCustomer(page, 3);
  await page.getByTestId('edit-customer').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('手机', { exact: true }).fill('12345');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(fieldError(page, '手机')).toContainText('手机号应为 11 位');
  await dialog.getByRole('button', { name: /取\s*消/ }).click();
  await expect(dialog).toBeHidden();

  await page.reload();
  await expect(page.getByTestId('customer-mobile')).toContainText(c.mobile);

  const next = c.mobile.startsWith('139') ? '138 0013 8000' : '139 0013 9000';
  await page.getByTestId('edit-customer').click();
  await dialog.getByLabel('手机', { exact: true }).fill(next);
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();
  const saved = next.replace(/\s/g, '');
  await expect(page.getByTestId('customer-mobile')).toContainText(saved);
  await page.reload();
  await expect(page.getByTestId('customer-mobile')).toContainText(saved);
});

test('Esc closes the edit dialog', async ({ page }) => {
  await openCustomer(page, 4);
  await page.getByTestId('edit-customer').click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
});
