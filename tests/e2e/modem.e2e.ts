/**
 * SMS and calls through a GSM modem simulated on a socat PTY pair: the admin points the app at one end
 * in settings, an agent sends an SMS from the customer page (sent → delivered), a reply from the
 * customer appears unread in the inbox, and an incoming call pops the customer.
 */
import { expect, test, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { hits, sample, screenshot, searchBox, signIn } from './helpers';

const root = path.resolve(import.meta.dirname, '..', '..');
let dir = '';
let socat: ChildProcess | null = null;
let sim: ChildProcess | null = null;
let control = '';
let appLink = '';

function stop(child: ChildProcess | null): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function simPost(route: string, body: unknown): Promise<void> {
  const res = await fetch(`${control}${route}`, { method: 'POST', body: JSON.stringify(body) });
  expect(res.ok).toBe(true);
}

async function setModem(page: Page, enabled: boolean): Promise<void> {
  await signIn(page, 'admin');
  await page.getByTestId('nav-modem').click();
  await page.getByTestId('open-modem-settings').click();
  const toggle = page.getByTestId('modem-enabled');
  await expect(toggle).toBeVisible();
  if ((await toggle.getAttribute('aria-checked')) !== String(enabled)) await toggle.click();
  await page.getByTestId('modem-port').fill(appLink);
  await page.getByTestId('modem-save').click();
  await expect(page.getByText('已保存，正在连接短信猫')).toBeVisible();
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dealercs-modem-e2e-'));
  appLink = path.join(dir, 'modem-app');
  const simLink = path.join(dir, 'modem-sim');
  socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${appLink}`, `pty,raw,echo=0,link=${simLink}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    socat?.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
      if (/starting data transfer loop/.test(err)) resolve();
    });
    socat?.once('exit', (code) => reject(new Error(`socat exited (${code}): ${err}`)));
  });
  // A modem's pace, slowed so the "sent" state is visible before the delivery report.
  sim = spawn(process.execPath, ['--import', 'tsx', 'tools/modem-sim/cli.ts', '--port', simLink, '--control', '0', '--submit-ms', '400', '--report-ms', '2500'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: sim.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const ready = z.object({ ready: z.literal(true), control: z.number() }).safeParse(JSON.parse(line));
    if (ready.success) {
      control = `http://127.0.0.1:${ready.data.control}`;
      break;
    }
  }
  lines.close();
});

test.afterAll(async ({ browser }) => {
  // Leave the shared host without a modem, as the other specs expect.
  const page = await browser.newPage();
  try {
    await setModem(page, false);
  } finally {
    await page.close();
    await stop(sim);
    await stop(socat);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an admin connects the modem from settings', async ({ page }) => {
  await setModem(page, true);
  await expect(page.getByTestId('modem-status')).toHaveAttribute('data-link', 'ready', { timeout: 20_000 });
  await expect(page.getByTestId('modem-status')).toContainText('已连接');
});

test('an agent sends a Chinese SMS from the customer page and sees it sent, then delivered', async ({ page }) => {
  const c = sample(5);
  await signIn(page, 'agent');
  await searchBox(page).fill(c.name);
  await hits(page).filter({ hasText: c.mobile }).click();
  await expect(page.getByTestId('customer-name')).toHaveText(c.name);

  await page.getByTestId('customer-sms').click();
  const text = `${c.name}您好，您的爱车保养已完成，欢迎随时到店提车。`;
  await page.getByTestId('sms-body').fill(text);
  await expect(page.getByTestId('sms-segments')).toContainText('中文 UCS2');
  // An impatient double Ctrl+Enter: both presses arrive before the first send is answered, one SMS goes out.
  await page.getByTestId('sms-body').evaluate((el) => {
    for (let i = 0; i < 2; i++) el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true, cancelable: true }));
  });
  const bubble = page.getByTestId('sms-message').filter({ hasText: text });
  await expect(bubble.getByTestId('sms-state')).toHaveAttribute('data-state', 'sent', { timeout: 15_000 });
  await expect(bubble.getByTestId('sms-state')).toHaveText('已送达', { timeout: 15_000 });

  const sent = z.array(z.object({ recipient: z.string(), text: z.string() })).parse(await (await fetch(`${control}/sent`)).json());
  expect(sent.filter((r) => r.recipient.endsWith(c.mobile) && r.text === text)).toHaveLength(1);
  await expect(bubble).toHaveCount(1);

  // The customer's timeline has the SMS once, and its entry followed it to delivered.
  await page.keyboard.press('Escape');
  const entry = page.getByTestId('timeline-item').filter({ hasText: text });
  await expect(entry).toHaveCount(1);
  await expect(entry.getByTestId('timeline-sms')).toHaveAttribute('data-state', 'delivered', { timeout: 15_000 });
  await expect(entry.getByTestId('timeline-sms-state')).toHaveText('已送达');
  // The guide's picture is the timeline card, once the dialog has gone and no alarm pop-up covers it.
  await expect(page.getByRole('dialog')).toHaveCount(0);
  for (const close of await page.locator('.ant-notification-notice-close').all()) await close.click();
  await expect(page.locator('.ant-notification-notice')).toHaveCount(0);
  await page.locator('.ant-card').filter({ has: page.getByTestId('timeline') }).screenshot({ path: 'docs/screenshots/timeline-sms.png' });
});

test('a reply from the customer shows unread in the inbox', async ({ page }) => {
  const c = sample(5);
  await signIn(page, 'agent');
  await simPost('/sms', { from: `+86${c.mobile}`, text: '收到，谢谢！我周六上午过来取车。' });
  await page.getByTestId('nav-modem').click();
  const thread = page.getByTestId('sms-thread').filter({ hasText: c.name });
  await expect(thread.getByTestId('sms-unread')).toHaveText('1', { timeout: 15_000 });
  await expect(page.getByTestId('modem-status')).toHaveAttribute('data-link', 'ready');
  await thread.click();
  await expect(page.getByTestId('sms-message').filter({ hasText: '我周六上午过来取车' })).toBeVisible();
  await expect(thread).toHaveAttribute('data-unread', '0');
  // A second reply lands in the conversation on screen and is read at once.
  await simPost('/sms', { from: `+86${c.mobile}`, text: '大概十点左右到。' });
  await expect(page.getByTestId('sms-message').filter({ hasText: '大概十点左右到' })).toBeVisible({ timeout: 15_000 });
  await expect(thread).toHaveAttribute('data-unread', '0');
  // A message from a number no customer has: its own thread, unread, named "未知号码".
  await simPost('/sms', { from: '+8617000000123', text: '请问周日营业吗？' });
  const unknown = page.getByTestId('sms-thread').filter({ hasText: '17000000123' });
  await expect(unknown).toContainText('未知号码', { timeout: 15_000 });
  await expect(unknown.getByTestId('sms-unread')).toHaveText('1');
  await screenshot(page, 'sms-inbox');
});

test('an incoming call from a customer pops their name; the agent opens the customer and hangs up', async ({ page }) => {
  const c = sample(5);
  await signIn(page, 'agent');
  await simPost('/call', { from: c.mobile });
  const pop = page.getByTestId('call-pop');
  await expect(pop.getByTestId('call-pop-name')).toHaveText(c.name, { timeout: 15_000 });
  await expect(pop).toContainText('来电');
  await screenshot(page, 'call-pop');
  await pop.getByTestId('call-answer').click();
  await expect(pop).toHaveAttribute('data-phase', 'active', { timeout: 10_000 });
  await pop.getByTestId('call-open-customer').click();
  await expect(page.getByTestId('customer-name')).toHaveText(c.name);
  await pop.getByTestId('call-hangup').click();
  await expect(pop).toBeHidden({ timeout: 10_000 });
});

test('an agent dials a customer from their page and hangs up from the call bar', async ({ page }) => {
  const c = sample(5);
  await signIn(page, 'agent');
  await searchBox(page).fill(c.name);
  await hits(page).filter({ hasText: c.mobile }).click();
  await expect(page.getByTestId('customer-dial')).toBeEnabled();
  await page.getByTestId('customer-dial').click();
  const bar = page.getByTestId('call-pop');
  await expect(bar).toHaveAttribute('data-phase', 'active', { timeout: 15_000 });
  await expect(bar).toContainText('通话中');
  await expect(bar.getByTestId('call-pop-name')).toHaveText(c.name);
  await bar.getByTestId('call-hangup').click();
  await expect(bar).toBeHidden({ timeout: 10_000 });
  await expect(page.getByTestId('customer-dial')).toBeEnabled();

  await page.getByTestId('nav-modem').click();
  await page.getByTestId('open-call-log').click();
  const latest = page.getByTestId('call-log').locator('tbody tr.ant-table-row').first();
  await expect(latest).toContainText('呼出');
  await expect(latest).toContainText(c.name);
});

test('on the demo line sim://demo an admin makes a customer text the seat, without socat or hardware', async ({ page }) => {
  const c = sample(5);
  await signIn(page, 'admin');
  await page.getByTestId('nav-modem').click();
  await page.getByTestId('open-modem-settings').click();
  const toggle = page.getByTestId('modem-enabled');
  await expect(toggle).toBeVisible();
  if ((await toggle.getAttribute('aria-checked')) !== 'true') await toggle.click();
  await page.getByTestId('modem-port').fill('sim://demo');
  await page.getByTestId('modem-save').click();
  await expect(page.getByText('已保存，正在连接短信猫')).toBeVisible();
  await expect(page.getByTestId('modem-status')).toHaveAttribute('data-link', 'ready', { timeout: 20_000 });
  const demo = page.getByTestId('modem-demo');
  await demo.getByTestId('modem-demo-from').fill(c.mobile);
  await demo.getByTestId('modem-demo-text').fill('你好，我想预约下周二保养。');
  await demo.getByTestId('modem-demo-text').press('Enter');
  await expect(page.getByText('已模拟，稍候在短信收件箱或来电弹屏中查看')).toBeVisible();
  await screenshot(page, 'modem-demo');
  await page.getByTestId('nav-modem').click();
  const thread = page.getByTestId('sms-thread').filter({ hasText: c.name });
  await expect(thread.getByTestId('sms-unread')).toHaveText('1', { timeout: 15_000 });
});
