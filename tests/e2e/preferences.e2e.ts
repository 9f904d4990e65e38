import { expect, test, type Page } from '@playwright/test';
import { account, downloadedWorkbook, fieldError, screenshot, signIn } from './helpers';

/**
 * 联系偏好 and the queue's one-key actions. The shared host has no modem, so an admin first points it at
 * the in-process simulator line sim://demo (as the modem spec does) and switches it off again at the end.
 * An agent opens a task from the queue and dials with Alt+D (a real call through the simulator), texts
 * from a template with Alt+S, then on the customer's page turns marketing SMS off with a reason (an empty
 * reason is refused at the field) and sees it in the history; turning calls off for every purpose makes
 * the drawer's 拨打 disabled with the reason; marking the car sold closes its task. The history, and the
 * customer page's lists, export to Excel.
 */
const PLATE = /[\u4e00-\u9fa5][A-Z][A-Z0-9]{5}/;

async function setModem(page: Page, port: string | null): Promise<void> {
  await signIn(page, 'admin');
  await page.getByTestId('nav-modem').click();
  await page.getByTestId('open-modem-settings').click();
  const toggle = page.getByTestId('modem-enabled');
  await expect(toggle).toBeVisible();
  if ((await toggle.getAttribute('aria-checked')) !== String(port !== null)) await toggle.click();
  if (port) await page.getByTestId('modem-port').fill(port);
  await page.getByTestId('modem-save').click();
  await expect(page.getByText(port ? '已保存，正在连接短信猫' : '已保存')).toBeVisible();
  if (port) await expect(page.getByTestId('modem-status')).toHaveAttribute('data-link', 'ready', { timeout: 20_000 });
}

async function openQueue(page: Page) {
  await page.getByRole('menuitem', { name: '招揽任务' }).click();
  await expect(page.getByRole('tab', { name: '我的任务' })).toBeVisible();
}

test.describe.configure({ mode: 'serial' });

let taskId = '';
let plate = '';
let customerName = '';

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  try {
    await setModem(page, 'sim://demo');
  } finally {
    await page.close();
  }
});

test.afterAll(async ({ browser }) => {
  // Leave the shared host without a modem, as the other specs expect.
  const page = await browser.newPage();
  try {
    await setModem(page, null);
  } finally {
    await page.close();
  }
});

test('from the queue drawer an agent dials with Alt+D and texts from a template with Alt+S', async ({ page }) => {
  await signIn(page, 'agent');
  await openQueue(page);
  // A task further down the list, about a car, away from the rows other specs work.
  const row = page.getByTestId('task-row').filter({ hasText: PLATE }).nth(6);
  await expect(row).toBeVisible();
  taskId = (await row.getAttribute('data-task')) ?? '';
  await row.click();
  const drawer = page.getByTestId('task-drawer');
  await expect(drawer.getByTestId('contact-actions')).toBeVisible();
  plate = PLATE.exec((await drawer.textContent()) ?? '')?.[0] ?? '';
  expect(plate).not.toBe('');
  customerName = (await drawer.locator('.ant-drawer-title').textContent())?.replace(/^招揽任务：/, '') ?? '';

  const dial = drawer.getByTestId('task-dial');
  await expect(dial).toBeEnabled();
  await page.getByTestId('task-body').press('Alt+d');
  const pop = page.getByTestId('call-pop');
  await expect(pop.getByTestId('call-pop-name')).toHaveText(customerName, { timeout: 15_000 });
  await expect(pop).toHaveAttribute('data-phase', 'active', { timeout: 15_000 });
  // While the call is on, 拨打 says why it cannot dial again.
  await expect(dial).toBeDisabled();
  await pop.getByTestId('call-hangup').click();
  await expect(pop).toBeHidden({ timeout: 10_000 });
  await expect(dial).toBeEnabled();

  await page.getByTestId('task-body').press('Alt+s');
  const dialog = page.getByRole('dialog').filter({ hasText: `给${customerName}发短信` });
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('template-picker').click();
  await page.locator('.ant-select-item-option').first().click();
  await expect(dialog.getByTestId('sms-template-body')).not.toHaveValue('');
  await dialog.getByTestId('sms-template-send').click();
  await expect(page.getByText(/短信已加入发送队列/)).toBeVisible();
  await expect(dialog).toBeHidden();

  // Outcome as usual: 占线 (busy) hides nothing, so the task stays in the queue for the next test.
  await page.getByTestId('task-body').press('4');
  await expect(drawer.getByRole('radio', { name: /占线/ })).toBeChecked();
  await page.getByTestId('task-body').press('Control+Enter');
  await expect(drawer).toBeHidden();
});

test('an agent turns off marketing SMS with a reason, refuses calls, sees the history, and marks the car sold', async ({ page }) => {
  expect(taskId).not.toBe('');
  const agent = account('agent');
  await signIn(page, 'agent');
  await openQueue(page);
  const row = page.locator(`[data-testid="task-row"][data-task="${taskId}"]`);
  await row.click();
  const drawer = page.getByTestId('task-drawer');
  await drawer.getByTestId('open-360').click();
  await expect(page.getByTestId('customer-name')).toHaveText(customerName);

  const card = page.getByTestId('preferences-card');
  await card.scrollIntoViewIfNeeded();
  const marketingSms = card.getByTestId('pref-marketing-sms');
  await expect(marketingSms).toHaveAttribute('aria-checked', 'true');
  await marketingSms.click();
  const modal = page.getByTestId('pref-reason-modal');
  await expect(modal).toContainText('设为免打扰：营销 · 短信');
  await modal.getByRole('button', { name: /保\s*存/ }).click();
  await expect(fieldError(page, '原因')).toHaveText('请填写原因（1–200 个字符）');
  await modal.getByTestId('pref-reason').fill('客户来电要求不要再发营销短信');
  await modal.getByTestId('pref-reason').press('Enter');
  await expect(modal).toBeHidden();
  await expect(marketingSms).toHaveAttribute('aria-checked', 'false');
  await expect(marketingSms).toHaveAttribute('data-state', 'flag');
  const history = card.getByTestId('pref-history-row');
  await expect(history.first()).toContainText('营销 · 短信 免打扰');
  await expect(history.first()).toContainText('客户来电要求不要再发营销短信');
  await expect(history.first()).toContainText(agent.displayName);
  // The change is on the customer's timeline too.
  await expect(page.getByText('联系偏好：营销 · 短信 设为免打扰（客户来电要求不要再发营销短信）')).toBeVisible();

  // No calls for any purpose: the row's cells are covered, and the queue drawer will not dial.
  await card.getByTestId('pref-all-phone').click();
  await modal.getByTestId('pref-reason-suggest-0').click();
  await modal.getByTestId('pref-reason').press('Enter');
  await expect(modal).toBeHidden();
  await expect(card.getByTestId('pref-maintenance-phone')).toHaveAttribute('data-state', 'covered');
  await expect(card.getByTestId('pref-maintenance-phone')).toBeDisabled();
  await card.scrollIntoViewIfNeeded();
  await screenshot(page, 'preferences');

  await page.goBack();
  await openQueue(page);
  await row.click();
  const dial = drawer.getByTestId('task-dial');
  await expect(dial).toBeDisabled();
  // The drawer may open under a resting pointer, which then never "enters" the button: move away first.
  await expect(async () => {
    await page.mouse.move(0, 0);
    await dial.hover({ force: true });
    await expect(page.getByRole('tooltip').filter({ hasText: /客户拒绝.+类电话/ })).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 15_000 });
  await drawer.getByTestId('open-360').click();
  await expect(page.getByTestId('customer-name')).toHaveText(customerName);

  // Calls allowed again, then the car is sold: its task closes and leaves the queue.
  await card.getByTestId('pref-all-phone').click();
  await expect(modal).toContainText('恢复联系：全部用途 · 电话');
  await modal.getByTestId('pref-reason').fill('客户同意保养电话');
  await modal.getByTestId('pref-reason').press('Enter');
  await expect(modal).toBeHidden();
  await expect(history.first()).toContainText('全部用途 · 电话 恢复联系');

  const sold = page.getByTestId('vehicles').locator('tr').filter({ hasText: plate }).getByTestId('vehicle-sold');
  await expect(sold).toHaveAttribute('aria-checked', 'false');
  await sold.click();
  await expect(modal).toContainText(`标记车辆 ${plate} 已售`);
  await modal.getByTestId('pref-reason-suggest-0').click();
  await modal.getByTestId('pref-reason').press('Enter');
  await expect(page.getByText(new RegExp(`车辆 ${plate} 已标记为已售，关闭了 [1-9]\\d* 条任务`))).toBeVisible();
  await expect(sold).toHaveAttribute('aria-checked', 'true');
  await expect(history.first()).toContainText(`车辆 ${plate} 已售`);

  // The history exports as the card shows it, newest first, with who and why.
  const historyFile = page.waitForEvent('download');
  await card.getByTestId('pref-history-export').click();
  const historyBook = await downloadedWorkbook(await historyFile);
  const changes = historyBook.get('联系偏好变更记录') ?? [];
  expect(changes[0]).toEqual(['时间', '变更', '用途', '渠道', '车牌', '原因', '操作人']);
  expect(changes.slice(1, 5).map((r) => [r[1], r[6]])).toEqual([
    [`车辆 ${plate} 已售`, agent.displayName],
    ['全部用途 · 电话 恢复联系', agent.displayName],
    ['全部用途 · 电话 免打扰', agent.displayName],
    ['营销 · 短信 免打扰', agent.displayName],
  ]);
  expect(changes[2]?.[5]).toBe('客户同意保养电话');
  expect(changes[4]?.slice(2, 6)).toEqual(['营销', '短信', '', '客户来电要求不要再发营销短信']);

  // The customer's page exports its lists: vehicles, repair orders and the contact history.
  const recordFile = page.waitForEvent('download');
  await page.getByTestId('customer-export').click();
  const record = await downloadedWorkbook(await recordFile);
  expect([...record.keys()]).toEqual(['车辆', '维修记录', '联系记录']);
  expect(record.get('车辆')?.map((r) => r[0])).toContain(plate);
  expect(record.get('维修记录')?.[0]).toEqual(['日期', '工单号', '类别', '车牌', '车型', '里程（km）', '金额（元）', '服务顾问']);
  expect(record.get('联系记录')?.map((r) => r[2])).toContain('联系偏好：营销 · 短信 设为免打扰（客户来电要求不要再发营销短信）');

  await openQueue(page);
  await expect(page.getByTestId('task-row').first()).toBeVisible();
  await expect(row).toHaveCount(0);
});
