import { expect, test, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { account, dealerDate, downloadedWorkbook, fieldError, screenshot, signIn } from './helpers';

/**
 * 招揽: a supervisor generates today's tasks and assigns some to agent1; agent1 works them — a "won't
 * come" without a reason is refused at the field, with a reason it is done; "no answer" keeps the task
 * open with the outcome noted; the supervisor's report shows the reached call by campaign, step and
 * agent, month by month, and exports the same tables to Excel.
 */
async function openCampaigns(page: Page) {
  await page.getByRole('menuitem', { name: '招揽任务' }).click();
  await expect(page.getByRole('tab', { name: '我的任务' })).toBeVisible();
}

test('supervisor generates and assigns, agent works the queue, report shows the reached call', async ({ browser }) => {
  const boss = await browser.newPage();
  await signIn(boss, 'supervisor');
  await openCampaigns(boss);
  await boss.getByRole('tab', { name: '生成与分配' }).click();
  await boss.getByTestId('generate-now').click();
  const result = boss.getByTestId('generate-result');
  await expect(result).toBeVisible();
  const open = Number(await result.getAttribute('data-open'));
  expect(open).toBeGreaterThan(0);

  // Assign the first three unassigned tasks to agent1.
  const rows = boss.getByTestId('assign-row');
  await expect(rows.first()).toBeVisible();
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const row = rows.nth(i);
    ids.push((await row.getAttribute('data-task')) ?? '');
    await row.getByRole('checkbox').check();
  }
  const agent = account('agent');
  await boss.getByTestId('assign-agent').click();
  await boss.locator('.ant-select-item-option').filter({ hasText: agent.displayName }).click();
  await boss.getByTestId('assign-selected').click();
  await expect(boss.getByText('已分配 3 条任务')).toBeVisible();
  // The list exports as it shows: switch to all open tasks, whose first rows are the three just assigned.
  await boss.getByText('全部未完成', { exact: true }).click();
  await expect(boss.locator(`[data-testid="assign-row"][data-task="${ids[0]}"]`)).toBeVisible();
  const listFile = boss.waitForEvent('download');
  await boss.getByTestId('export-open').click();
  const listBook = new ExcelJS.Workbook();
  await listBook.xlsx.readFile(await (await listFile).path());
  const listRows = listBook.worksheets[0]?.getSheetValues().filter(Boolean).map((r) => (Array.isArray(r) ? r.slice(1) : [])) ?? [];
  expect(listRows[0]).toContain('分配给 Assigned to');
  expect(listRows.filter((r) => r.includes(agent.displayName)).length).toBeGreaterThanOrEqual(3);
  await boss.getByText('仅未分配', { exact: true }).click();
  await boss.getByTestId('generate-now').scrollIntoViewIfNeeded();
  await screenshot(boss, 'campaigns-supervise');

  // agent1 works the queue.
  const page = await browser.newPage();
  await signIn(page, 'agent');
  await openCampaigns(page);
  const first = page.locator(`[data-testid="task-row"][data-task="${ids[0]}"]`);
  const second = page.locator(`[data-testid="task-row"][data-task="${ids[1]}"]`);
  await expect(first).toBeVisible();
  await expect(second).toBeVisible();
  await screenshot(page, 'campaigns-queue');

  await first.click();
  const drawer = page.getByTestId('task-drawer');
  await expect(drawer.getByText('打开客户 360')).toBeVisible();
  await drawer.getByText('已接通').click();
  await drawer.getByText('不来', { exact: true }).click();
  await drawer.getByTestId('task-save').click();
  await expect(fieldError(page, '不来原因')).toHaveText('客户不来厂时必须选择反馈原因');
  await page.getByLabel('不来原因').click();
  await page.locator('.ant-select-item-option').filter({ hasText: '价格太贵' }).click();
  await drawer.getByLabel('招揽备注').fill('客户嫌保养贵，下次有活动再联系');
  await expect(fieldError(page, '不来原因')).toHaveCount(0);
  await expect(page.locator('.ant-select-dropdown:visible')).toHaveCount(0);
  await drawer.getByText('打开客户 360').scrollIntoViewIfNeeded();
  await screenshot(page, 'campaigns-task');
  await drawer.getByLabel('招揽备注').press('Control+Enter');
  await expect(page.getByText('已保存')).toBeVisible();
  await expect(drawer).toBeHidden();
  await expect(first).toHaveCount(0);

  // Second task by keyboard: 3 = 无人接听, Ctrl+Enter saves.
  await second.click();
  await expect(drawer).toBeVisible();
  await page.getByTestId('task-body').press('3');
  await expect(drawer.getByRole('radio', { name: /无人接听/ })).toBeChecked();
  await page.getByTestId('task-body').press('Control+Enter');
  await expect(drawer).toBeHidden();

  await page.getByRole('tab', { name: '今日已处理' }).click();
  const doneRow = page.locator(`[data-testid="worked-row"][data-task="${ids[0]}"]`);
  const openRow = page.locator(`[data-testid="worked-row"][data-task="${ids[1]}"]`);
  await expect(doneRow).toHaveAttribute('data-status', 'done');
  await expect(doneRow).toContainText('已完成');
  await expect(openRow).toHaveAttribute('data-status', 'open');
  await expect(openRow).toContainText('无人接听');

  // The supervisor's report (the last 12 months and the next two by default) counts the reached call for agent1.
  await boss.getByRole('tab', { name: '成功率报表' }).click();
  const agentRow = boss.locator('[data-testid="report-agent"][data-month="total"]').filter({ hasText: agent.displayName });
  await expect(agentRow).toBeVisible();
  // Columns: agent, month, calls, tasks called, reached.
  await expect(agentRow.locator('td').nth(4)).toHaveText('1');
  const column = (selector: string, index: number) => () =>
    boss.locator(selector).evaluateAll((trs, i) => trs.reduce((sum, tr) => sum + Number(tr.querySelectorAll('td')[i]?.textContent ?? 0), 0), index);
  // By campaign: name, month, target, reminded, rate, reached.
  await expect.poll(column('[data-testid="report-campaign"][data-month="total"]', 5)).toBeGreaterThanOrEqual(1);
  // By step and channel: the two calls were made at call steps (name, step, month, target, reminded).
  const callSteps = '[data-testid="report-step"][data-month="total"]:is([data-channel="phone"], [data-channel="reason_call"])';
  await expect.poll(column(callSteps, 4)).toBeGreaterThanOrEqual(2);
  // Each total opens into its months: this month's calls are under agent1.
  await boss.getByTestId('report-months').click();
  const thisMonth = dealerDate().slice(0, 7);
  await expect(boss.locator(`[data-testid="report-agent"][data-month="${thisMonth}"]`).first()).toBeVisible();
  await screenshot(boss, 'campaigns-report');

  // The export holds the same three tables.
  const download = boss.waitForEvent('download');
  await boss.getByTestId('report-export').click();
  const file = await (await download).path();
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  expect(book.worksheets.map((w) => w.name)).toEqual(['按活动 By campaign', '按步骤渠道 By step', '按坐席 By agent']);
  const agentSheet = book.worksheets[2]?.getSheetValues().filter(Boolean).map((r) => (Array.isArray(r) ? r.slice(1) : [])) ?? [];
  expect(agentSheet).toContainEqual([agent.displayName, '合计', expect.any(Number), expect.any(Number), 1, expect.any(Number), expect.any(Number)]);
});

test('a customer who refuses calls leaves the queue at the next generation, and 生成与分配 shows the skip and why', async ({ page }) => {
  await signIn(page, 'supervisor');
  await openCampaigns(page);
  // A task a few rows down, away from the ones the first test worked.
  const row = page.getByTestId('task-row').nth(6);
  await expect(row).toBeVisible();
  const taskId = (await row.getAttribute('data-task')) ?? '';
  const queued = page.locator(`[data-testid="task-row"][data-task="${taskId}"]`);
  await row.click();
  await page.getByTestId('task-drawer').getByTestId('open-360').click();
  await expect(page.getByTestId('customer-name')).toBeVisible();
  const customerPage = page.url();
  const card = page.getByTestId('preferences-card');
  const modal = page.getByTestId('pref-reason-modal');
  await card.scrollIntoViewIfNeeded();
  await card.getByTestId('pref-all-phone').click();
  await modal.getByTestId('pref-reason').fill('客户要求不要再打电话');
  await modal.getByTestId('pref-reason').press('Enter');
  await expect(modal).toBeHidden();

  await openCampaigns(page);
  await page.getByRole('tab', { name: '生成与分配' }).click();
  await page.getByTestId('generate-now').click();
  await expect(page.getByTestId('generate-result')).toBeVisible();
  await expect(page.getByTestId('skips-run')).toContainText('今天最近一次生成');
  const skipped = page.locator('[data-testid="skip-step"][data-reason="phone_opt_out"]');
  await expect(skipped.first()).toContainText('客户拒接电话');
  expect(Number(await skipped.first().locator('td').last().textContent())).toBeGreaterThanOrEqual(1);
  await page.getByTestId('skips').scrollIntoViewIfNeeded();
  await screenshot(page, 'campaigns-skips');
  // The card exports as shown: the refused call is on the steps sheet, one row per row of the card.
  const skipsFile = page.waitForEvent('download');
  await page.getByTestId('skips-export').click();
  const skipsBook = await downloadedWorkbook(await skipsFile);
  expect([...skipsBook.keys()]).toEqual(['生成跳过', '步骤跳过']);
  const steps = skipsBook.get('步骤跳过') ?? [];
  expect(steps[0]).toEqual(['招揽活动', '步骤渠道', '跳过原因', '数量']);
  expect(steps.length - 1).toBe(await page.getByTestId('skip-step').count());
  expect(steps.find((r) => r[2] === '客户拒接电话')?.[3]).toBeGreaterThanOrEqual(1);
  await page.getByRole('tab', { name: '我的任务' }).click();
  await expect(page.getByTestId('task-row').first()).toBeVisible();
  await expect(queued).toHaveCount(0);

  // Calls allowed again for the specs that follow (the skipped step stays skipped).
  await page.goto(customerPage);
  await card.scrollIntoViewIfNeeded();
  await card.getByTestId('pref-all-phone').click();
  await modal.getByTestId('pref-reason').fill('客户同意电话联系');
  await modal.getByTestId('pref-reason').press('Enter');
  await expect(modal).toBeHidden();
  await expect(card.getByTestId('pref-all-phone')).toHaveAttribute('aria-checked', 'true');
});

test('a supervisor edits a campaign’s priority and channel plan in 活动设置, then puts it back', async ({ page }) => {
  await signIn(page, 'supervisor');
  await openCampaigns(page);
  await page.getByRole('tab', { name: '活动设置' }).click();
  const row = page.locator('#setting-purchase_thanks');
  await expect(row).toContainText('购车感谢');
  await expect(row).toContainText('0 天 短信');

  await row.getByRole('button', { name: /编\s*辑/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('活动设置：购车感谢');
  await dialog.getByLabel('优先级').fill('25');
  await dialog.getByRole('button', { name: '添加步骤' }).click();
  await dialog.getByLabel('相对到期日（天）').last().fill('3');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.getByText('已保存活动设置')).toBeVisible();
  await expect(row).toContainText('+3 天 电话');
  await expect(row.locator('td').nth(2)).toHaveText('25');
  // The tab's lists export as shown, the changed plan included.
  const settingsFile = page.waitForEvent('download');
  await page.getByTestId('settings-export').click();
  const settings = await downloadedWorkbook(await settingsFile);
  expect([...settings.keys()]).toEqual(['招揽活动', '通话结果', '不来原因', '关闭原因', '年审规则']);
  const listed = settings.get('招揽活动') ?? [];
  expect(listed).toHaveLength((await page.getByTestId('campaign-setting').count()) + 1);
  const thanks = listed.find((r) => r[0] === '购车感谢');
  expect(thanks?.[2]).toBe(25);
  expect(String(thanks?.[3])).toContain('+3 天 电话');
  expect(settings.get('通话结果')?.length).toBe((await page.getByTestId('disposition-row').count()) + 1);

  // Put it back for the other specs sharing this host.
  await row.getByRole('button', { name: /编\s*辑/ }).click();
  await dialog.getByLabel('优先级').fill('20');
  await dialog.getByRole('button', { name: '删除步骤' }).last().click();
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(row).not.toContainText('+3 天');
  await expect(row.locator('td').nth(2)).toHaveText('20');
});

test('a supervisor adds a call outcome agents can pick, and the 年审 table refuses a row ending before it starts', async ({ page }) => {
  await signIn(page, 'supervisor');
  await openCampaigns(page);
  await page.getByRole('tab', { name: '活动设置' }).click();
  await page.getByTestId('disposition-add').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('编码').fill('Left Message');
  await dialog.getByLabel('中文名称').fill('已留言');
  await dialog.getByLabel('英文名称').fill('Left a message');
  await dialog.getByLabel('隐藏天数').fill('1');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(fieldError(page, '编码')).toHaveText('编码为小写字母开头的 2–40 位字母、数字或下划线（如 no_answer）');
  await dialog.getByLabel('编码').fill('left_message');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  const row = page.locator('#disposition-left_message');
  await expect(row).toContainText('已留言');
  await expect(row).toContainText('联系不上');
  await expect(row).toContainText('隐藏 1 天');

  // The agent's panel offers it at once (its number follows the defaults).
  await page.getByRole('tab', { name: '我的任务' }).click();
  await page.getByTestId('task-row').first().click();
  const drawer = page.getByTestId('task-drawer');
  await expect(drawer.getByTestId('dispositions').getByText(/^\d 已留言$/)).toBeVisible();
  await drawer.getByRole('button', { name: '放回队列' }).click();
  await expect(drawer).toBeHidden();

  await page.getByRole('tab', { name: '活动设置' }).click();
  await page.getByTestId('inspection-edit').click();
  const rules = page.getByRole('dialog').filter({ hasText: '编辑规则表' });
  const to = rules.getByLabel('截止（月）').first();
  await to.fill('10');
  await rules.getByRole('button', { name: /保\s*存/ }).click();
  await expect(rules.locator('.ant-form-item-explain-error').first()).toHaveText('截止月数不能小于起始月数');
  await to.fill('120');
  await rules.getByRole('button', { name: /保\s*存/ }).click();
  await expect(rules).toBeHidden();
  await expect(page.getByTestId('inspection-row')).toHaveCount(3);
  await page.locator('#disposition-left_message').scrollIntoViewIfNeeded();
  await expect(page.locator('.ant-message-notice')).toHaveCount(0);
  await screenshot(page, 'campaigns-lists');

  // Off again for the specs that follow (agents' number keys stay as the guide shows them).
  await row.getByRole('switch').click();
  await expect(page.getByText('已保存').first()).toBeVisible();
  await expect(row.getByRole('switch')).toHaveAttribute('aria-checked', 'false');
});

test('a supervisor changes the birthday gift of a member tier and the repair categories that count as a visit', async ({ page }) => {
  await signIn(page, 'supervisor');
  await openCampaigns(page);
  await page.getByRole('tab', { name: '活动设置' }).click();
  const birthday = page.locator('#setting-birthday');
  await birthday.getByRole('button', { name: /编\s*辑/ }).click();
  const dialog = page.getByRole('dialog').filter({ hasText: '活动设置：生日关怀' });
  const gold = dialog.getByLabel('金卡会员');
  await expect(gold).toHaveValue('免费保养工时券');
  await gold.fill('免费四轮定位');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.getByText('已保存活动设置')).toBeVisible();
  await birthday.getByRole('button', { name: /编\s*辑/ }).click();
  await expect(gold).toHaveValue('免费四轮定位');
  await dialog.getByRole('button', { name: /取\s*消/ }).click();

  // 定保 counts only first service and maintenance as a visit; a supervisor adds warranty work.
  const maintenance = page.locator('#setting-maintenance');
  await maintenance.getByRole('button', { name: /编\s*辑/ }).click();
  const m = page.getByRole('dialog').filter({ hasText: '活动设置：定期保养招揽' });
  const categories = m.locator('.ant-form-item').filter({ hasText: '算作回厂的维修类别' });
  await expect(categories).toContainText('保养');
  await categories.locator('.ant-select').click();
  await page.locator('.ant-select-item-option').filter({ hasText: '索赔' }).click();
  await page.keyboard.press('Escape');
  await m.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.getByText('已保存活动设置').first()).toBeVisible();
  await maintenance.getByRole('button', { name: /编\s*辑/ }).click();
  await expect(categories).toContainText('索赔');

  // Put both back for the specs that follow.
  await categories.locator('.ant-select-selection-item').filter({ hasText: '索赔' }).locator('.ant-select-selection-item-remove').click();
  await m.getByRole('button', { name: /保\s*存/ }).click();
  await expect(m).toBeHidden();
  await birthday.getByRole('button', { name: /编\s*辑/ }).click();
  await gold.fill('免费保养工时券');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();
});
