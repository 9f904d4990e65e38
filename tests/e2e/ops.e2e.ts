import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { fieldError, openApp, screenshot, signIn } from './helpers';

const FEED = '升级服务器地址';

test('an admin fixes a bad seat setting at its field, and a good one is saved and survives a reload', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByTestId('nav-settings').click();
  const feed = page.getByLabel(FEED, { exact: true });
  await expect(feed).toBeEditable();
  const before = await feed.inputValue();

  await feed.fill('ftp://updates.dealer.local/dealercs/');
  await page.getByTestId('config-save').click();
  await expect(fieldError(page, FEED)).toHaveText('网址必须以 http:// 或 https:// 开头');
  await expect(page.getByTestId('config-error')).toContainText('输入有误');
  // The screenshot for the guide: the 自动升级 section with the error under the field.
  await page
    .locator('.ant-card')
    .filter({ has: page.getByLabel(FEED, { exact: true }) })
    .last()
    .evaluate((card) => card.scrollIntoView({ block: 'center' }));
  await screenshot(page, 'settings');

  // Nothing was saved: a reload shows what was there before.
  await page.reload();
  await expect(page.getByLabel(FEED, { exact: true })).toHaveValue(before);

  const url = `http://updates.dealer.local/dealercs/${Date.now()}/`;
  await page.getByLabel(FEED, { exact: true }).fill(url);
  await page.getByLabel(FEED, { exact: true }).press('Enter');
  await expect(page.getByText('配置已保存并生效')).toBeVisible();
  await expect(fieldError(page, FEED)).toHaveCount(0);

  await page.reload();
  await expect(page.getByLabel(FEED, { exact: true })).toHaveValue(url);
  await expect(page.getByText('已保存', { exact: true })).toBeVisible();
});

const MOBILES = '告警升级短信手机号';

test('an admin sets the alarm escalation mobiles: a wrong number is named at the field, good ones round-trip through the seat file', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByTestId('nav-settings').click();
  const mobiles = page.getByLabel(MOBILES, { exact: true });
  await expect(mobiles).toBeEditable();
  const before = await mobiles.inputValue();

  await mobiles.fill('13900002222， 1234');
  await mobiles.press('Tab');
  await expect(fieldError(page, MOBILES)).toHaveText('第 2 个号码：手机号应为 11 位，以 1 开头（如 13812345678）');
  // Enter does not save while the field is wrong, and Validate stops at the field too.
  await mobiles.press('Enter');
  await page.getByTestId('config-validate').click();
  await expect(fieldError(page, MOBILES)).toHaveCount(1);
  await expect(page.getByText('配置已保存并生效')).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel(MOBILES, { exact: true })).toHaveValue(before);

  // Written as people do (+86, spaces, dashes, a Chinese comma); stored as bare 11 digits.
  await page.getByLabel(MOBILES, { exact: true }).fill('+86 139 0000 2222，137-0000-1111');
  await page.getByLabel(MOBILES, { exact: true }).press('Enter');
  await expect(page.getByText('配置已保存并生效')).toBeVisible();
  await expect(fieldError(page, MOBILES)).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel(MOBILES, { exact: true })).toHaveValue('13900002222, 13700001111');

  // Emptying the field removes them (and leaves the shared e2e host without escalation mobiles again).
  await page.getByLabel(MOBILES, { exact: true }).fill('');
  await page.getByLabel(MOBILES, { exact: true }).press('Enter');
  await expect(page.getByText('配置已保存并生效')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel(MOBILES, { exact: true })).toHaveValue('');
});

const HOTLINE = '服务热线';

test('an admin sets the dealer hotline under 经销店信息: a number without its area code is named at the field, a good one is saved as customers read it', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByTestId('nav-settings').click();
  await page.getByRole('tab', { name: '经销店信息' }).click();
  const phone = page.getByLabel(HOTLINE, { exact: true });
  // The demo dealer's own profile, as the generator wrote it.
  await expect(phone).toHaveValue('020-38886666');
  await expect(page.getByLabel('简称（短信签名）', { exact: true })).toHaveValue('花城本田');
  await expect(page.getByText('当前签名：【花城本田】')).toBeVisible();

  await phone.fill('3888 6666');
  await phone.press('Tab');
  await expect(fieldError(page, HOTLINE)).toHaveText('服务热线应为座机（区号-号码，如 0755-83451234）、400/800 电话（如 400-888-6666）或 11 位手机号');
  // The guide's screenshot: the section with the message under the hotline, once it has faded in and
  // without the next field's focus ring.
  await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
  await screenshot(page, 'dealer-profile');
  // Enter does not save while the field is wrong: a reload still shows the stored number.
  await phone.press('Enter');
  await expect(page.getByText('经销店信息已保存')).toHaveCount(0);
  await page.reload();
  await page.getByRole('tab', { name: '经销店信息' }).click();
  await expect(page.getByLabel(HOTLINE, { exact: true })).toHaveValue('020-38886666');

  // Typed with spaces, stored and shown with one dash after the area code.
  await page.getByLabel(HOTLINE, { exact: true }).fill('020 3888 7777');
  await page.getByLabel(HOTLINE, { exact: true }).press('Control+s');
  await expect(page.getByText('经销店信息已保存')).toBeVisible();
  await expect(page.getByLabel(HOTLINE, { exact: true })).toHaveValue('020-38887777');
  await expect(fieldError(page, HOTLINE)).toHaveCount(0);
  await page.reload();
  await page.getByRole('tab', { name: '经销店信息' }).click();
  await expect(page.getByLabel(HOTLINE, { exact: true })).toHaveValue('020-38887777');

  // The host is shared with the other specs: the demo hotline goes back (they quote it in SMS).
  await page.getByLabel(HOTLINE, { exact: true }).fill('020-38886666');
  await page.getByLabel(HOTLINE, { exact: true }).press('Enter');
  await expect(page.getByText('经销店信息已保存')).toBeVisible();
  await expect(page.getByLabel(HOTLINE, { exact: true })).toHaveValue('020-38886666');
});

test('an admin backs up now and sees the copy listed with its integrity checked', async ({ page }) => {
  await signIn(page, 'admin');
  await openApp(page, '#/settings/backups');
  await expect(page.getByTestId('backup-table')).toBeVisible();
  await page.getByTestId('backup-now').click();
  const done = page.getByText(/^备份完成：dealercs-/);
  await expect(done).toBeVisible({ timeout: 30_000 });
  // The host may also have taken its start-up catch-up copy: find ours by name.
  const file = ((await done.textContent()) ?? '').replace('备份完成：', '').trim();
  const newest = page.getByTestId('backup-table').locator('tbody tr.ant-table-row').filter({ hasText: file });
  await expect(newest).toHaveCount(1);
  await expect(page.getByTestId('backup-freshness')).toContainText('备份正常');
  await expect(newest).toContainText('手动');
  await expect(newest.getByTestId('backup-integrity')).toHaveText('完整性正常');

  await newest.getByRole('button', { name: /校\s*验/ }).click();
  await expect(newest.getByTestId('backup-integrity')).toHaveText('已校验 ✓');
  await expect(page.getByText(/校验通过$/)).toBeVisible();

  // The restore dialog asks for an explicit confirmation; cancelled here (the host is shared).
  await newest.getByRole('button', { name: /恢\s*复/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('button', { name: /恢\s*复/ })).toBeDisabled();
  await dialog.getByText('我确认用此备份替换当前数据').click();
  await expect(dialog.getByRole('button', { name: /恢\s*复/ })).toBeEnabled();
  await dialog.getByRole('button', { name: /取\s*消/ }).click();
  await expect(dialog).toBeHidden();
  await screenshot(page, 'backups');
});

test('About shows why the browser host does not auto-update, and diagnostics download as a zip', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByTestId('nav-about').click();
  await expect(page.getByTestId('update-phase')).toHaveText('已关闭');
  await expect(page.getByTestId('update-disabled-reason')).toContainText('浏览器模式下不自动升级');

  const download = page.waitForEvent('download');
  await page.getByTestId('export-diagnostics').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.zip$/);
  const bytes = readFileSync(await file.path());
  expect(bytes.length).toBeGreaterThan(100);
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  await screenshot(page, 'about');
});

test('an agent sees About without the buttons and no 系统设置', async ({ page }) => {
  await signIn(page, 'agent');
  await expect(page.getByTestId('nav-settings')).toHaveCount(0);
  await page.getByTestId('nav-about').click();
  await expect(page.getByTestId('update-disabled-reason')).toBeVisible();
  await expect(page.getByTestId('update-check')).toHaveCount(0);
  await expect(page.getByTestId('export-diagnostics')).toHaveCount(0);
  await openApp(page, '#/settings');
  await expect(page.getByText('您的角色无权访问此页面')).toBeVisible();
});
