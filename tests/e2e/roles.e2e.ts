import { expect, test } from '@playwright/test';
import { hostToken } from './env';
import { account, fieldError, openApp, screenshot, signIn } from './helpers';

test('an agent sees no 员工管理, is refused the page, and the host refuses staff.list too', async ({ page }) => {
  await signIn(page, 'agent');
  await expect(page.getByTestId('nav-customers')).toBeVisible();
  await expect(page.getByTestId('nav-staff')).toHaveCount(0);
  await expect(page.getByText('员工管理')).toHaveCount(0);

  await openApp(page, '#/staff');
  await expect(page.getByText('您的角色无权访问此页面')).toBeVisible();

  // Bypass the UI: sign in on a socket of our own and call the channel directly.
  const agent = account('agent');
  const code = await page.evaluate(
    async ({ token, username, password }) => {
      const ws = new WebSocket(`ws://${location.host}/rpc?token=${token}`);
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = reject;
      });
      const next = (id: number) =>
        new Promise<unknown>((resolve) => {
          ws.addEventListener('message', (event) => {
            const frame = JSON.parse(String(event.data)) as { type: string; id?: number; result?: unknown };
            if (frame.type === 'result' && frame.id === id) resolve(frame.result);
          });
        });
      const login = next(1);
      ws.send(JSON.stringify({ id: 1, channel: 'auth.login', input: { username, password } }));
      await login;
      const list = next(2);
      ws.send(JSON.stringify({ id: 2, channel: 'staff.list', input: {} }));
      const result = (await list) as { ok: boolean; error?: { code: string } };
      ws.close();
      return result.ok ? 'OK' : result.error?.code;
    },
    { token: hostToken(), username: agent.username, password: agent.password },
  );
  expect(code).toBe('FORBIDDEN');
});

test('a supervisor sees the staff list read-only', async ({ page }) => {
  await signIn(page, 'supervisor');
  await page.getByTestId('nav-staff').click();
  await expect(page.getByTestId('staff-table')).toContainText(account('agent').username);
  await expect(page.getByTestId('create-staff')).toHaveCount(0);
  await expect(page.getByRole('switch').first()).toBeDisabled();
});

test('an admin creates staff; a taken username is flagged at the username field', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByTestId('nav-staff').click();
  await expect(page.getByTestId('staff-table')).toContainText(account('supervisor').username);
  await screenshot(page, 'staff');

  await page.getByTestId('create-staff').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('用户名').fill(account('agent').username);
  await dialog.getByLabel('姓名').fill('重复账号');
  await dialog.getByLabel('初始密码').fill('password123');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(fieldError(page, '用户名')).toHaveText('该用户名已被使用');

  const username = `agent${Date.now() % 100000}`;
  await dialog.getByLabel('用户名').fill(username);
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByTestId('staff-table').locator('tr', { hasText: username });
  await expect(row).toHaveCount(1);
  await row.getByRole('switch').click();
  await expect(row.getByRole('switch')).not.toBeChecked();
});
