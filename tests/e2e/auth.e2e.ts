import { expect, test } from '@playwright/test';
import { account, openApp, screenshot, signIn } from './helpers';

test('a wrong password is refused at the form; the right one signs in and survives a reload', async ({ page }) => {
  await openApp(page);
  await expect(page.getByTestId('demo-hint')).toContainText('agent1');
  await screenshot(page, 'login');

  const agent = account('agent');
  await page.getByLabel('用户名').fill(agent.username);
  await page.getByLabel('密码').fill('not-the-password');
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await expect(page.getByTestId('login-error')).toContainText('用户名或密码错误');
  await expect(page.getByTestId('current-user')).toHaveCount(0);

  await page.getByLabel('密码').fill(agent.password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await expect(page.getByTestId('current-user')).toHaveText(agent.displayName);
  await expect(page.getByTestId('dealer-name')).not.toBeEmpty();

  // The stored session token resumes the session on a fresh page load.
  await page.reload();
  await expect(page.getByTestId('current-user')).toHaveText(agent.displayName);

  await page.getByTestId('sign-out').click();
  await expect(page.getByLabel('用户名')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('用户名')).toBeVisible();
});

test('empty fields are flagged at the fields without calling the host', async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await expect(page.locator('.ant-form-item-explain-error').first()).toHaveText('此项必填');
});

test('the language toggle switches the UI to English and back, and is remembered', async ({ page }) => {
  await signIn(page, 'agent');
  await expect(page.getByTestId('nav-customers')).toHaveText('客户 360');
  await page.getByTestId('lang-toggle').click();
  await expect(page.getByTestId('nav-customers')).toHaveText('Customer 360');
  await expect(page.getByTestId('customer-search')).toHaveAttribute('placeholder', /Name, mobile, plate or VIN/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.reload();
  await expect(page.getByTestId('sign-out')).toHaveText(/Sign out/);
  await page.getByTestId('lang-toggle').click();
  await expect(page.getByTestId('nav-customers')).toHaveText('客户 360');
  await expect(page.getByTestId('sign-out')).toHaveText(/退出登录/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});
