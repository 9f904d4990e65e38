import { expect, test, type Page } from '@playwright/test';
import { hits, sample, searchBox, signIn } from './helpers';

async function openCustomer(page: Page, index: number) {
  const c = sample(index);
  await searchBox(page).fill(c.name);
  await hits(page).filter({ hasText: c.mobile }).click();
  await expect(page.getByTestId('customer-name')).toHaveText(c.name);
  return c;
}

test('two seats on one customer: live refresh on change, and a stale edit meets CONFLICT with a reload', async ({
  page,
  browser,
}) => {
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  try {
    await signIn(page, 'agent');
    await signIn(other, 'supervisor');
    await openCustomer(page, 5);
    await openCustomer(other, 5);

    // This seat starts an edit before the other seat saves: its version is now stale.
    await page.getByTestId('edit-customer').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByLabel('城市', { exact: true })).toBeVisible();

    // A note from the other seat shows up here through the customer.changed event, no reload needed.
    const note = `主管跟进 ${Date.now()}`;
    await other.getByTestId('note-text').fill(note);
    await other.getByTestId('add-note').click();
    await expect(other.getByTestId('timeline-item').filter({ hasText: note })).toHaveCount(1);
    await expect(page.getByTestId('timeline-item').filter({ hasText: note })).toHaveCount(1);

    await other.getByTestId('edit-customer').click();
    await other.getByRole('dialog').getByLabel('城市', { exact: true }).fill('佛山');
    await other.getByRole('dialog').getByRole('button', { name: /保\s*存/ }).click();
    await expect(other.getByRole('dialog')).toBeHidden();

    await dialog.getByLabel('城市', { exact: true }).fill('深圳');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await expect(dialog.getByTestId('edit-error')).toContainText('该记录已被他人修改');
    await dialog.getByTestId('conflict-reload').click();
    await expect(dialog.getByLabel('城市', { exact: true })).toHaveValue('佛山');

    await dialog.getByLabel('城市', { exact: true }).fill('深圳');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await expect(dialog).toBeHidden();
    await expect(page.locator('.ant-descriptions')).toContainText('深圳');
    await expect(other.locator('.ant-descriptions')).toContainText('深圳');
  } finally {
    await otherContext.close();
  }
});
