/**
 * Silences (屏蔽与维护) end to end on the shared host: a real health agent on 127.0.0.1 watches two TCP
 * services this spec controls. A supervisor silences one of them for an hour (a reason is required);
 * that service stops → its alarm fires but is held: marked 已屏蔽 in the live list, no popup, no
 * browser notification, no tone, while the other service's failure a moment later does pop up. Ending
 * the silence early releases the alarm: popup and tone. The history shows who set the silence, why,
 * and when it ended, in the alarm's event trail and in the Excel export's event sheet.
 */
import { expect, test, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { createHealthAgent, type HealthAgent } from '../../tools/health-agent/agent';
import { audioPlaying, notifications, recordNotifications, removeAgent, tcpService, type TcpService } from './alarms-kit';
import { account, screenshot, signIn } from './helpers';

const AGENT = `silence-e2e-${Date.now().toString(36)}`;
const GATEWAY = '屏蔽测试短信网关';
const CONTROL = '屏蔽测试对照服务';
const TARGET = `${AGENT}/svc:gateway`;
const CONTROL_TARGET = `${AGENT}/svc:control`;
const REASON = '短信网关计划升级（屏蔽测试）';

let agent: HealthAgent;
let agentUrl = '';
const services: { gateway: TcpService | null; control: TcpService | null } = { gateway: null, control: null };
const ports = { gateway: 0, control: 0 };
let registered = false;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  services.gateway = await tcpService();
  services.control = await tcpService();
  ports.gateway = services.gateway.port;
  ports.control = services.control.port;
  agent = createHealthAgent(
    {
      name: AGENT,
      port: 0,
      intervalMs: 60_000,
      services: [
        { id: 'gateway', name: GATEWAY, kind: 'tcp', port: ports.gateway },
        // A warning: it chimes once instead of looping, so the critical tone can only come from the gateway.
        { id: 'control', name: CONTROL, kind: 'tcp', port: ports.control, severity: 'warning' },
      ],
    },
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
    await services.gateway?.stop();
    await services.control?.stop();
  }
});

function liveRow(page: Page, target: string) {
  return page.locator(`[data-testid="alarm-row"][data-fingerprint="${target}"]`);
}

async function alarmId(page: Page, target: string): Promise<string> {
  const id = await liveRow(page, target).getAttribute('id');
  if (!id?.startsWith('alarm-')) throw new Error(`no alarm row for ${target}`);
  return id.slice('alarm-'.length);
}

async function ringing(page: Page): Promise<string[]> {
  return ((await page.getByTestId('alarm-audio').getAttribute('data-ringing')) ?? '').split(',').filter(Boolean);
}

test('the administrator adds the agent; both services show in the tree', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByTestId('nav-alarms').click();
  await page.getByTestId('alarms-tab-agents').click();
  await page.getByTestId('agent-add').click();
  await page.getByTestId('agent-name').fill(AGENT);
  await page.getByTestId('agent-url').fill(agentUrl);
  await page.getByTestId('agent-period').fill('1');
  await page.getByTestId('agent-timeout').fill('0.5');
  await page.getByTestId('agent-save').click();
  await expect(page.locator(`[data-testid="agent-row"][data-name="${AGENT}"]`)).toBeVisible();
  registered = true;

  await page.getByTestId('alarms-tab-tree').click();
  for (const target of [TARGET, CONTROL_TARGET]) {
    await expect(page.locator(`[data-testid="tree-service"][data-target="${target}"]`)).toHaveAttribute('data-health', 'ok', { timeout: 20_000 });
  }
});

test('a silenced service alarms without a popup or tone until the silence is ended early, all of it audited', async ({ page }) => {
  test.setTimeout(150_000);
  const supervisor = account('supervisor').displayName;
  await recordNotifications(page);
  await signIn(page, 'supervisor');
  await page.getByTestId('nav-alarms').click();

  // Create: the reason is required and said so under its field; the end defaults to an hour from now.
  await page.getByTestId('alarms-tab-silences').click();
  await page.getByTestId('silence-create').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('silence-pattern').fill(TARGET);
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog.locator('.ant-form-item-explain-error')).toHaveText('请填写原因（1–500 个字符）');
  await dialog.getByTestId('silence-reason').fill(REASON);
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();
  const silenceRow = page.locator(`[data-testid="silence-row"][data-pattern="${TARGET}"]`);
  await expect(silenceRow).toHaveAttribute('data-status', 'active');
  await expect(silenceRow).toContainText(REASON);
  await expect(silenceRow).toContainText(supervisor);

  // The silenced service stops: its alarm fires, held back and marked so.
  await page.getByTestId('alarms-tab-live').click();
  await services.gateway?.stop();
  services.gateway = null;
  const gatewayRow = liveRow(page, TARGET);
  await expect(gatewayRow).toHaveAttribute('data-state', 'firing', { timeout: 30_000 });
  await expect(gatewayRow).toHaveAttribute('data-held', 'silence');
  await expect(gatewayRow.getByTestId('alarm-silenced')).toHaveText('已屏蔽');
  const gatewayId = await alarmId(page, TARGET);

  // Then the other service stops. Its popup arrives after the gateway's would have (same checks, same
  // grouping window), so the gateway's absence below means it was held, not late.
  await services.control?.stop();
  services.control = null;
  const controlToast = page.getByTestId('alarm-toast').filter({ hasText: CONTROL });
  await expect(controlToast).toBeVisible({ timeout: 30_000 });
  await expect(controlToast).toHaveAttribute('data-level', 'warning');
  await expect(liveRow(page, CONTROL_TARGET)).not.toHaveAttribute('data-held', /.+/);
  await expect(page.getByTestId('alarm-toast').filter({ hasText: GATEWAY })).toHaveCount(0);
  await expect.poll(async () => (await notifications(page)).some((n) => n.body.includes(CONTROL))).toBe(true);
  expect((await notifications(page)).filter((n) => `${n.title} ${n.body}`.includes(GATEWAY))).toEqual([]);
  expect(await ringing(page)).not.toContain(gatewayId);
  await expect(page.getByTestId('alarm-audio')).toHaveJSProperty('loop', false);
  await screenshot(page, 'alarms-silenced');

  // End the silence early: the gateway's alarm is released at once, popup and looping tone.
  await page.getByTestId('alarms-tab-silences').click();
  await silenceRow.getByTestId('silence-end').click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(silenceRow).toHaveCount(0);
  await page.getByTestId('silence-include-over').click();
  await expect(silenceRow).toHaveAttribute('data-status', 'over');
  await expect(silenceRow).toContainText(supervisor);

  const gatewayToast = page.getByTestId('alarm-toast').filter({ hasText: GATEWAY });
  await expect(gatewayToast).toBeVisible({ timeout: 30_000 });
  await expect(gatewayToast).toHaveAttribute('data-level', 'critical');
  await expect.poll(() => ringing(page)).toContain(gatewayId);
  await expect.poll(() => audioPlaying(page)).toBe(true);
  await expect(page.getByTestId('alarm-audio')).toHaveJSProperty('loop', true);
  await expect.poll(async () => (await notifications(page)).some((n) => n.body.includes(GATEWAY))).toBe(true);
  await page.getByTestId('alarms-tab-live').click();
  await expect(gatewayRow).toHaveAttribute('data-state', 'firing');
  await expect(gatewayRow).not.toHaveAttribute('data-held', /.+/);

  // Both come back: the alarms resolve and the tone for the gateway stops.
  services.gateway = await tcpService(ports.gateway);
  services.control = await tcpService(ports.control);
  await expect(gatewayRow).toHaveCount(0, { timeout: 30_000 });
  await expect(liveRow(page, CONTROL_TARGET)).toHaveCount(0, { timeout: 30_000 });
  await expect.poll(() => ringing(page)).not.toContain(gatewayId);

  // History: the alarm's trail says it was silenced (by whom, why, ended early) and alerted only after.
  await page.getByTestId('alarms-tab-history').click();
  await page.getByTestId('history-server').fill(AGENT);
  await page.getByTestId('history-search').click();
  await page.locator(`[data-testid="history-row"][data-fingerprint="${TARGET}"]`).click();
  const trail = page.getByTestId('alarm-event');
  const silenced = trail.and(page.locator('[data-type="silenced"]'));
  await expect(silenced).toHaveCount(1);
  await expect(silenced).toContainText('已屏蔽，未提醒');
  await expect(silenced).toContainText(REASON);
  await expect(silenced).toContainText(`${supervisor} 设置`);
  await expect(silenced).toContainText('提前结束');
  const types = await trail.evaluateAll((els) => els.map((el) => el.getAttribute('data-type')));
  expect(types.indexOf('notified')).toBeGreaterThan(types.indexOf('silenced'));
  expect(types.at(-1)).toBe('resolved');
  await page.keyboard.press('Escape');

  // The Excel export's event sheet has the silence's audit rows: who created and who ended it, and when.
  const download = page.waitForEvent('download');
  await page.getByTestId('history-export').click();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await (await download).path());
  const sheet = workbook.getWorksheet('事件 Events');
  if (!sheet) throw new Error('no events sheet');
  const rows: Array<{ at: string; type: string; actor: string; detail: string; alarmId: string }> = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const text = (col: number) => row.getCell(col).text;
    rows.push({ at: text(1), type: text(2), actor: text(4), detail: text(5), alarmId: text(6) });
  });
  const created = rows.find((r) => r.type === 'silence_created' && r.detail.includes(TARGET));
  expect(created).toMatchObject({ actor: supervisor });
  expect(created?.detail).toContain(REASON);
  expect(created?.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  const ended = rows.filter((r) => r.type === 'silence_ended' && r.actor === supervisor && r.detail.includes('"early":true'));
  expect(ended.some((r) => created !== undefined && r.at > created.at)).toBe(true);
  expect(rows.some((r) => r.type === 'silenced' && r.alarmId === gatewayId)).toBe(true);
});

test('the administrator removes the agent', async ({ page }) => {
  await signIn(page, 'admin');
  await removeAgent(page, AGENT);
  await expect(page.locator(`[data-testid="agent-row"][data-name="${AGENT}"]`)).toHaveCount(0);
  registered = false;
});
