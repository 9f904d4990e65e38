/**
 * Alarms end to end: a real health agent on 127.0.0.1 watches a TCP service this spec controls; the
 * administrator registers the agent in the UI; the service stops → popup and looping sound (also on a
 * freshly opened page, where Chromium's autoplay policy first blocks it); the supervisor acknowledges
 * with a comment; the service returns → the alarm resolves and shows in the history.
 */
import { expect, test, type Page } from '@playwright/test';
import { createHealthAgent, type HealthAgent } from '../../tools/health-agent/agent';
import { audioPlaying, notifications, recordNotifications, removeAgent, tcpService, type TcpService } from './alarms-kit';
import { openApp, screenshot, signIn } from './helpers';

const AGENT = `sms-e2e-${Date.now().toString(36)}`;
const TARGET = `${AGENT}/svc:gateway`;

let agent: HealthAgent;
let agentUrl = '';
let service: TcpService | null = null;
/** Whether the shared host still has this spec's agent (removed by the last test, else by afterAll). */
let registered = false;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  service = await tcpService();
  agent = createHealthAgent(
    { name: AGENT, port: 0, intervalMs: 60_000, services: [{ id: 'gateway', name: '短信网关', kind: 'tcp', port: service.port }] },
    { reuseMs: 0 },
  );
  agentUrl = (await agent.start()).url;
});

test.afterAll(async ({ browser }) => {
  // The host is shared with other specs: never leave an agent behind that would alarm when it goes away.
  try {
    if (registered) {
      const page = await browser.newPage();
      try {
        await signIn(page, 'admin');
        await removeAgent(page, AGENT);
      } finally {
        await page.close();
      }
    }
  } finally {
    await agent.stop();
    await service?.stop();
  }
});

/** Counts the sound's restarts: a looping media element seeks back to its start each time round. */
async function countLoops(page: Page): Promise<void> {
  await page.getByTestId('alarm-audio').evaluate((el) => {
    el.dataset.loops = '0';
    el.addEventListener('seeked', () => {
      el.dataset.loops = String(Number(el.dataset.loops) + 1);
    });
  });
}

test('the administrator tests and adds a health agent, and its services show in the tree', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByTestId('nav-alarms').click();
  await page.getByTestId('alarms-tab-agents').click();
  await page.getByTestId('agent-add').click();
  await page.getByTestId('agent-name').fill(AGENT);
  await page.getByTestId('agent-url').fill('ftp://nowhere');
  await page.getByTestId('agent-save').click();
  await expect(page.locator('.ant-form-item-explain-error')).toContainText('http(s)://');
  await page.getByTestId('agent-url').fill(agentUrl);
  await page.getByTestId('agent-period').fill('1');
  await page.getByTestId('agent-timeout').fill('0.5');
  await page.getByTestId('agent-test').click();
  await expect(page.locator('.ant-message')).toContainText(`连接成功：${AGENT}`);
  await page.getByTestId('agent-save').click();
  await expect(page.locator(`[data-testid="agent-row"][data-name="${AGENT}"]`)).toBeVisible();
  registered = true;

  await page.getByTestId('alarms-tab-tree').click();
  await expect(page.locator(`[data-testid="tree-service"][data-target="${TARGET}"]`)).toHaveAttribute('data-health', 'ok', { timeout: 20_000 });
});

test('a stopped service pops up, rings until acknowledged, and clears into the history when it returns', async ({ page, browser }) => {
  test.setTimeout(120_000);
  await recordNotifications(page);
  await signIn(page, 'supervisor');
  await page.getByTestId('nav-alarms').click();
  await expect(page.getByTestId('alarms-tab-live')).toBeVisible();
  await countLoops(page);

  if (!service) throw new Error('no service');
  const port = service.port;
  await service.stop();
  service = null;

  const toast = page.getByTestId('alarm-toast').filter({ hasText: '短信网关' });
  await expect(toast).toBeVisible({ timeout: 30_000 });
  await expect(toast).toHaveAttribute('data-level', 'critical');
  await expect.poll(() => audioPlaying(page)).toBe(true);
  await expect(page.getByTestId('alarm-indicator')).not.toHaveAttribute('data-count', '0');
  // The browser host raises the browser's own notification beside the toast (seen while the tab is hidden).
  await expect.poll(async () => (await notifications(page)).some((n) => n.body.includes('短信网关'))).toBe(true);
  // Critical: the tone starts over and over (it lasts about a second) while nobody acknowledges.
  await expect(page.getByTestId('alarm-audio')).toHaveJSProperty('loop', true);
  await expect.poll(async () => Number(await page.getByTestId('alarm-audio').getAttribute('data-loops')), { timeout: 20_000 }).toBeGreaterThan(1);
  await screenshot(page, 'alarms-popup');

  // A seat that opens the app without any click or key press (another profile resuming the session).
  // Desktop Chromium refuses play() until the page's first click or key press; the Chromium Playwright
  // drives does not (it starts every page as user-activated), so this profile gets that rule from an
  // init script: play() is rejected with NotAllowedError until a trusted pointerdown or keydown.
  const token = await page.evaluate(() => localStorage.getItem('dealercs.session'));
  const freshContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
  await freshContext.addInitScript((value) => {
    if (value) localStorage.setItem('dealercs.session', value);
    let activated = false;
    const activate = (event: Event) => {
      if (event.isTrusted) activated = true;
    };
    window.addEventListener('pointerdown', activate, true);
    window.addEventListener('keydown', activate, true);
    const play = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function guardedPlay(this: HTMLMediaElement) {
      if (!activated) {
        return Promise.reject(new DOMException("play() failed because the user didn't interact with the document first.", 'NotAllowedError'));
      }
      return play.call(this);
    };
  }, token);
  const fresh = await freshContext.newPage();
  await openApp(fresh, '#/alarms/live');
  await expect(fresh.locator(`[data-testid="alarm-row"][data-fingerprint="${TARGET}"]`)).toBeVisible();
  await expect(fresh.getByTestId('alarm-sound-hint')).toBeVisible();
  await expect(fresh.getByTestId('alarm-audio')).toHaveAttribute('data-sound', 'blocked');
  expect(await audioPlaying(fresh)).toBe(false);
  await fresh.getByTestId('alarm-sound-hint').click();
  await expect.poll(() => audioPlaying(fresh)).toBe(true);
  await expect(fresh.getByTestId('alarm-sound-hint')).toHaveCount(0);
  // "Mute here" is this seat's business only: the other seat keeps ringing, the alarm stays unacknowledged.
  const freshRow = fresh.locator(`[data-testid="alarm-row"][data-fingerprint="${TARGET}"]`);
  await freshRow.getByRole('button', { name: '本机静音 15 分钟' }).click();
  await expect.poll(() => audioPlaying(fresh)).toBe(false);
  await expect(freshRow).toHaveAttribute('data-state', 'firing');
  expect(await audioPlaying(page)).toBe(true);
  await freshContext.close();

  const row = page.locator(`[data-testid="alarm-row"][data-fingerprint="${TARGET}"]`);
  await row.getByTestId('ack-open').click();
  await page.getByTestId('ack-comment').press('Enter');
  await expect(page.locator('.ant-form-item-explain-error')).toContainText('确认说明');
  await page.getByTestId('ack-comment').fill('已电话通知 IT 重启短信网关');
  await page.getByTestId('ack-comment').press('Enter');
  await expect(row).toHaveAttribute('data-state', 'acknowledged');
  await expect(row.getByTestId('ack-note')).toContainText('已电话通知 IT 重启短信网关');
  await expect.poll(() => audioPlaying(page)).toBe(false);
  await expect(toast).toHaveCount(0);
  await screenshot(page, 'alarms-console');

  service = await tcpService(port);
  await expect(row).toHaveCount(0, { timeout: 30_000 });

  await page.getByTestId('alarms-tab-history').click();
  await page.getByTestId('history-server').fill(AGENT);
  await page.getByTestId('history-search').click();
  await expect(page.locator('[data-testid="history-row"][data-state="resolved"]').first()).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByTestId('history-export').click();
  expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
});

test('the administrator removes the agent', async ({ page }) => {
  await signIn(page, 'admin');
  await removeAgent(page, AGENT);
  await expect(page.locator(`[data-testid="agent-row"][data-name="${AGENT}"]`)).toHaveCount(0);
  registered = false;
});
