import { expect, test, type Locator, type Page } from '@playwright/test';
import { sample, screenshot, signIn } from './helpers';

/**
 * 预约管理: a supervisor narrows tomorrow's 10:30 slot to one car; an agent opens a task in the reminder
 * queue, books that slot from the task panel and sees the day view's remaining count drop to 0 (full);
 * booking another customer from Customer 360 shows the full slot as a disabled choice.
 */

/** A date in the dealer's zone (Asia/Shanghai, UTC+8, no DST), `days` from today. */
function shanghaiDate(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}
const tomorrow = shanghaiDate(1);
const weekday = new Date(`${tomorrow}T00:00:00Z`).getUTCDay();

async function openAppointments(page: Page) {
  await page.getByRole('menuitem', { name: '预约管理' }).click();
  await expect(page.getByRole('tab', { name: '日视图' })).toBeVisible();
}

/** The day view on tomorrow: 今天, then the → key. */
async function dayViewTomorrow(page: Page): Promise<Locator> {
  await page.getByRole('tab', { name: '日视图' }).click();
  await page.getByRole('button', { name: /^今\s*天$/ }).click();
  await expect(page.getByTestId('day-label')).toContainText(shanghaiDate(0));
  await page.getByTestId('day-label').click();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('day-label')).toContainText(tomorrow);
  return page.locator('[data-testid="day-slot"][data-start="10:30"]');
}

async function chooseDate(modal: Locator, date: string) {
  const input = modal.locator('.ant-picker input');
  await input.click();
  await input.fill(date);
  await input.press('Enter');
  await expect(input).toHaveValue(date);
}

test('an agent books tomorrow’s last 10:30 place from a reminder task; the day view counts it and the full slot is disabled next time', async ({ browser }) => {
  // The supervisor leaves one place in tomorrow's 10:30 slot.
  const boss = await browser.newPage();
  await signIn(boss, 'supervisor');
  await openAppointments(boss);
  await boss.getByRole('tab', { name: '时段设置' }).click();
  const row = boss.locator(`[data-testid="slot-row"][data-weekday="${weekday}"][data-start="10:30"]`);
  await expect(row).toBeVisible();
  await row.getByLabel('可约数').fill('1');
  await boss.getByTestId('slots-settings').press('Control+s');
  await expect(boss.getByText('已保存预约时段')).toBeVisible();
  await boss.close();

  const page = await browser.newPage();
  await signIn(page, 'agent');
  await openAppointments(page);
  const slot = await dayViewTomorrow(page);
  await expect(slot).toHaveAttribute('data-capacity', '1');
  await expect(slot).toHaveAttribute('data-remaining', '1');

  // From the reminder queue: open a task, 预约.
  await page.getByRole('menuitem', { name: '招揽任务' }).click();
  const task = page.getByTestId('task-row').first();
  await expect(task).toBeVisible();
  await task.click();
  const drawer = page.getByTestId('task-drawer');
  await expect(drawer.getByText('打开客户 360')).toBeVisible();
  const customerName = (await drawer.locator('.ant-descriptions-item-content strong').first().textContent()) ?? '';
  const campaignName = (await drawer.locator('.ant-tag-geekblue').first().textContent()) ?? '';
  await drawer.getByTestId('book-appointment').click();
  const modal = page.getByRole('dialog').filter({ hasText: '预约到店' });
  await expect(modal).toContainText(`预约到店：${customerName}`);
  await expect(modal).toContainText('预约将关联到当前招揽任务');
  const vehicle = modal.getByTestId('book-vehicle');
  if ((await vehicle.locator('.ant-select-selection-item').count()) === 0) {
    await vehicle.click();
    await page.locator('.ant-select-item-option').first().click();
  }
  await chooseDate(modal, tomorrow);
  const choice = modal.getByRole('radio', { name: /10:30–11:30 · 余 1/ });
  await expect(choice).toBeEnabled();
  await modal.getByText('10:30–11:30 · 余 1').click();
  await modal.getByLabel('备注').fill('客户希望顺便检查空调');
  await screenshot(page, 'appointments-book');
  await modal.getByLabel('备注').press('Control+Enter');
  await expect(page.getByText(`已预约 ${tomorrow} 10:30`)).toBeVisible();
  await expect(modal).toBeHidden();
  await drawer.getByRole('button', { name: '放回队列' }).click();

  // 预约管理's day view: the slot is now full and the booking is listed with its source campaign.
  await openAppointments(page);
  const full = await dayViewTomorrow(page);
  await expect(full).toHaveAttribute('data-remaining', '0');
  await expect(full).toContainText('已满');
  const booked = page.getByTestId('day-row').filter({ hasText: customerName });
  await expect(booked).toContainText('10:30–11:30');
  await expect(booked).toContainText('已预约');
  await expect(booked).toContainText('客户希望顺便检查空调');
  await expect(booked).toContainText(campaignName);
  // The guide's picture without the keyboard focus ring or the toast.
  await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
  await expect(page.locator('.ant-message-notice')).toHaveCount(0);
  await screenshot(page, 'appointments');

  // Another customer from Customer 360: the full slot is a disabled choice, the others are free.
  const other = sample(5);
  await page.goto(page.url().replace(/#.*$/, `#/customers/${other.id}`));
  await expect(page.getByTestId('customer-name')).toHaveText(other.name);
  await page.getByTestId('book-appointment').click();
  const second = page.getByRole('dialog').filter({ hasText: '预约到店' });
  await chooseDate(second, tomorrow);
  await expect(second.getByRole('radio', { name: /10:30–11:30 · 已满/ })).toBeDisabled();
  await expect(second.getByRole('radio', { name: /09:30–10:30 · 余/ })).toBeEnabled();
  await second.getByRole('button', { name: /取\s*消/ }).click();
  await expect(second).toBeHidden();
});
