import { expect, test, type Locator, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newId } from '../../db/ids';
import { account, dealerDate, downloadedWorkbook, sample, screenshot, signIn } from './helpers';
import { generateDemoDb, spawnHost, type RunningHost } from './host';

/**
 * 预约管理: a supervisor narrows tomorrow's 10:30 slot to one car; an agent opens a task in the reminder
 * queue, books that slot from the task panel and sees the day view's remaining count drop to 0 (full);
 * booking another customer from Customer 360 shows the full slot as a disabled choice. Only supervisors
 * get the Excel exports (the list, which warns when the range was too big for one file; the day view with
 * its slots; the no-shows to call); a seat whose clock is on another zone still offers today's slots by
 * the dealer's clock.
 */

const tomorrow = dealerDate(1);
const weekday = new Date(`${tomorrow}T00:00:00Z`).getUTCDay();

async function openAppointments(page: Page) {
  await page.getByRole('menuitem', { name: '预约管理' }).click();
  await expect(page.getByRole('tab', { name: '日视图' })).toBeVisible();
}

/** The day view on tomorrow: 今天, then the → key. */
async function dayViewTomorrow(page: Page): Promise<Locator> {
  await page.getByRole('tab', { name: '日视图' }).click();
  await page.getByRole('button', { name: /^今\s*天$/ }).click();
  await expect(page.getByTestId('day-label')).toContainText(dealerDate(0));
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
  // The saved table exports: tomorrow's 10:30 slot takes one car.
  const slotsFile = boss.waitForEvent('download');
  await boss.getByTestId('slots-export').click();
  const slotRows = (await downloadedWorkbook(await slotsFile)).get('预约时段') ?? [];
  expect(slotRows[0]).toEqual(['星期', '开始', '结束', '可约数']);
  expect(slotRows).toContainEqual([['周日', '周一', '周二', '周三', '周四', '周五', '周六'][weekday], '10:30', '11:30', 1]);
  expect(slotRows).toHaveLength((await boss.getByTestId('slot-row').count()) + 1);
  // Supervisors export the list to Excel.
  await boss.getByRole('tab', { name: '预约列表' }).click();
  await expect(boss.getByTestId('list-export')).toBeVisible();
  await boss.close();

  const page = await browser.newPage();
  await signIn(page, 'agent');
  await openAppointments(page);
  const slot = await dayViewTomorrow(page);
  await expect(slot).toHaveAttribute('data-capacity', '1');
  await expect(slot).toHaveAttribute('data-remaining', '1');
  // → typed in the date field moves its caret, not the day shown.
  const dateField = page.locator('.ant-picker input').first();
  await dateField.focus();
  await dateField.press('ArrowRight');
  await dateField.press('Escape');
  await expect(page.getByTestId('day-label')).toContainText(tomorrow);
  // An agent's list has no export: a whole range of names and mobiles is the supervisors' to take out.
  await page.getByRole('tab', { name: '预约列表' }).click();
  await expect(page.getByTestId('list-row').or(page.locator('.ant-empty')).first()).toBeVisible();
  await expect(page.getByTestId('list-export')).toHaveCount(0);

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
  // The day's names and mobiles leave the building with supervisors only.
  await expect(page.getByTestId('day-export')).toHaveCount(0);
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
  // The supervisor exports tomorrow's day view: the booking as listed, and the full slot.
  const supervisor = await browser.newPage();
  await signIn(supervisor, 'supervisor');
  await openAppointments(supervisor);
  await dayViewTomorrow(supervisor);
  const dayRows = await supervisor.getByTestId('day-row').count();
  const dayFile = supervisor.waitForEvent('download');
  await supervisor.getByTestId('day-export').click();
  const day = await dayFile;
  expect(day.suggestedFilename()).toBe(`预约日视图_${tomorrow}.xlsx`);
  const sheets = await downloadedWorkbook(day);
  expect([...sheets.keys()]).toEqual(['预约', '时段']);
  const listed = sheets.get('预约') ?? [];
  expect(listed).toHaveLength(dayRows + 1);
  expect(listed[0]?.slice(0, 4)).toEqual(['预约日期', '时段', '客户', '手机']);
  const mine = listed.find((r) => r[2] === customerName);
  expect(mine?.slice(0, 2)).toEqual([tomorrow, '10:30–11:30']);
  expect(mine?.[8]).toBe('已预约');
  expect(mine?.[9]).toBe(campaignName);
  expect(mine?.[11]).toBe('客户希望顺便检查空调');
  expect(sheets.get('时段')).toContainEqual(['10:30–11:30', 1, 1, 0]);
  await supervisor.close();
});

test('a seat whose clock is on another zone offers today’s slots by the dealer’s clock, not its own', async ({ browser }) => {
  // Noon at the dealership is the evening before in Los Angeles: the seat's own clock would call every
  // slot of the dealer's today begun.
  const context = await browser.newContext({ timezoneId: 'America/Los_Angeles' });
  try {
    const page = await context.newPage();
    const today = dealerDate(0);
    await page.clock.setFixedTime(new Date(`${today}T12:00:00+08:00`));
    await signIn(page, 'agent');
    const customer = sample(5);
    await page.goto(`${page.url().replace(/#.*$/, '')}#/customers/${customer.id}`);
    await expect(page.getByTestId('customer-name')).toHaveText(customer.name);
    await page.getByTestId('book-appointment').click();
    const modal = page.getByRole('dialog').filter({ hasText: '预约到店' });
    await chooseDate(modal, today);
    // The radios of the day's slots (hidden inputs inside the visible buttons).
    const options = modal.getByTestId('slot-option');
    await expect(options).not.toHaveCount(0);
    const slots = await options.evaluateAll((inputs) => inputs.map((l) => ({ start: l.getAttribute('data-start') ?? '', remaining: Number(l.getAttribute('data-remaining')) })));
    const open = slots.filter((s) => s.remaining > 0);
    expect(open.some((s) => s.start < '12:00')).toBe(true);
    expect(open.some((s) => s.start > '12:00')).toBe(true);
    for (const s of open) {
      const radio = modal.locator(`[data-testid="slot-option"][data-start="${s.start}"]`);
      if (s.start > '12:00') await expect(radio, `${s.start} is still to come at the dealership`).toBeEnabled();
      else await expect(radio, `${s.start} has begun at the dealership`).toBeDisabled();
    }
    await modal.getByRole('button', { name: /取\s*消/ }).click();
    await expect(modal).toBeHidden();
  } finally {
    await context.close();
  }
});

test.describe('on a host of its own', () => {
  // 20,001 appointments in one range and a made-up no-show would crowd every other spec's lists.
  let dir = '';
  let host: RunningHost | null = null;
  const bulkDay = dealerDate(3);
  // Outside the list's default week back, inside the no-show list's 30 days.
  const missedDay = dealerDate(-10);
  const url = () => {
    if (!host) throw new Error('the host did not start');
    return host.url;
  };

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    dir = mkdtempSync(path.join(tmpdir(), 'dealercs-e2e-appt-'));
    const dbFile = path.join(dir, 'appointments.sqlite');
    generateDemoDb(dbFile, 2);
    const db = new Database(dbFile);
    try {
      const cars = db.prepare<[], { dealer_id: string; customer_id: string; id: string }>('select c.dealer_id, v.customer_id, v.id from vehicle v join customer c on c.id = v.customer_id order by c.seq limit 2').all();
      const [bulk, missed] = cars;
      if (!bulk || !missed || bulk.customer_id === missed.customer_id) throw new Error('the demo store needs two customers with a vehicle');
      const at = new Date().toISOString();
      const insert = db.prepare(`insert into appointment (id, dealer_id, customer_id, vehicle_id, date, start_time, service_type, status, cancel_reason, created_at, updated_at)
        values (?, ?, ?, ?, ?, '09:30', 'maintenance', ?, ?, ?, ?)`);
      db.transaction(() => {
        for (let i = 0; i < 20_001; i++) insert.run(newId(), bulk.dealer_id, bulk.customer_id, bulk.id, bulkDay, 'cancelled', '批量导出测试', at, at);
        insert.run(newId(), missed.dealer_id, missed.customer_id, missed.id, missedDay, 'no_show', null, at, at);
      })();
    } finally {
      db.close();
    }
    host = await spawnHost({ dataDir: dir, dbFile, token: randomBytes(16).toString('hex') });
  });

  test.afterAll(async () => {
    await host?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('an export of more appointments than one file carries says so on the list', async ({ page }) => {
    await signIn(page, 'supervisor', url());
    await openAppointments(page);
    await page.getByRole('tab', { name: '预约列表' }).click();
    await expect(page.getByText('共 20001 条')).toBeVisible();
    const download = page.waitForEvent('download');
    await page.getByTestId('list-export').click();
    expect((await download).suggestedFilename()).toMatch(/^预约_.*\.xlsx$/);
    await expect(page.getByTestId('export-truncated')).toContainText('超过 20000 行，文件只包含前 20000 行');
    await page.getByTestId('lang-toggle').click();
    await expect(page.getByTestId('export-truncated')).toContainText('more than 20000 appointments; the file has only the first 20000');
  });

  test('a supervisor exports the no-shows still to call, as the list shows them', async ({ page }) => {
    await signIn(page, 'supervisor', url());
    await openAppointments(page);
    await page.getByRole('tab', { name: '爽约跟进' }).click();
    const row = page.getByTestId('noshow-row').filter({ hasText: missedDay });
    await expect(row).toHaveCount(1);
    const shown = await page.getByTestId('noshow-row').count();
    const download = page.waitForEvent('download');
    await page.getByTestId('noshow-export').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^爽约跟进_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.xlsx$/);
    await expect(page.getByText(`已导出 ${shown} 行`)).toBeVisible();
    const rows = (await downloadedWorkbook(file)).get('爽约跟进') ?? [];
    expect(rows).toHaveLength(shown + 1);
    const missed = rows.find((r) => r[0] === missedDay);
    expect(missed?.[8]).toBe('爽约');
    await expect(row).toContainText(String(missed?.[2]));
    // In English the file speaks English.
    await page.getByTestId('lang-toggle').click();
    const english = page.waitForEvent('download');
    await page.getByTestId('noshow-export').click();
    const en = (await downloadedWorkbook(await english)).get('No-shows') ?? [];
    expect(en[0]?.slice(0, 3)).toEqual(['Date', 'Slot', 'Customer']);
    expect(en.find((r) => r[0] === missedDay)?.[8]).toBe('No-show');
  });

  test('two seats calling the same no-show: the second is shown the first one’s remark and keeps what it typed', async ({ browser }) => {
    const open = async (role: 'agent' | 'supervisor') => {
      const page = await browser.newPage();
      await signIn(page, role, url());
      await openAppointments(page);
      await page.getByRole('tab', { name: '爽约跟进' }).click();
      const row = page.getByTestId('noshow-row').filter({ hasText: missedDay });
      await expect(row).toHaveCount(1);
      await row.getByTestId('noshow-follow').click();
      return page.getByRole('dialog').filter({ hasText: '爽约回访' });
    };
    const mine = await open('agent');
    const theirs = await open('supervisor');
    await mine.getByLabel('回访记录').fill('客户没接电话');
    await theirs.getByLabel('回访记录').fill('客户说周六再来');
    await theirs.getByRole('button', { name: /保\s*存/ }).click();
    await expect(theirs).toBeHidden();

    await mine.getByRole('button', { name: /保\s*存/ }).click();
    const boss = account('supervisor').displayName;
    await expect(mine.page().getByText(`${boss} 刚刚已记录了回访：“客户说周六再来”`)).toBeVisible();
    await expect(mine.getByTestId('noshow-earlier')).toContainText(`${boss} 已记录回访`);
    await expect(mine.getByTestId('noshow-earlier')).toContainText('客户说周六再来');
    await expect(mine.getByLabel('回访记录')).toHaveValue('客户没接电话');

    // Having seen it, saving again replaces it.
    await mine.getByRole('button', { name: /保\s*存/ }).click();
    await expect(mine).toBeHidden();
    const page = mine.page();
    await page.getByTestId('noshow-pending').click();
    await expect(page.getByTestId('noshow-row').filter({ hasText: missedDay })).toContainText(`客户没接电话 （${account('agent').displayName}）`);
  });
});
