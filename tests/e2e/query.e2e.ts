import { expect, test } from '@playwright/test';
import { openApp, screenshot, signIn } from './helpers';

test('a supervisor builds exercise (a), reads its sentence, saves and runs it, and makes an SMS campaign from it', async ({ page }) => {
  await signIn(page, 'supervisor');
  await page.getByRole('menuitem', { name: '扩展查询' }).click();
  await expect(page.getByTestId('starter-a')).toBeVisible();

  // Start from the seed's exercise (a) and adjust one rule by hand: 1+ visits last year instead of 2+.
  await page.getByTestId('starter-a').click();
  const sentence = page.getByTestId('query-sentence');
  await expect(sentence).toContainText('雅阁');
  await expect(sentence).toContainText('3 年');
  await expect(sentence).toContainText('会员');
  const visits = page.getByRole('spinbutton', { name: '次数' });
  await expect(visits).toHaveValue('2');
  await visits.fill('1');
  await visits.press('Tab');
  await expect(sentence).toContainText('去年进厂次数 ≥ 1');
  await expect(page.getByTestId('query-count')).toHaveText(/\d+ 位客户/);

  // Model names are stored in English but read in Chinese.
  expect(await sentence.innerText()).not.toMatch(/Accord/);
  await screenshot(page, 'query-builder');

  // Save it (shared) under a name of its own: other specs share this host.
  const name = `练习一（e2e ${Date.now()}）`;
  await page.getByTestId('query-save').click();
  await page.getByLabel('名称').fill(name);
  await page.getByLabel('名称').press('Enter');
  await expect(page.getByTestId('saved-queries').getByText(name)).toBeVisible();

  // Run it into the list; the count on the list matches the live count.
  await page.getByTestId('query-run').click();
  const results = page.getByTestId('query-results');
  await expect(results).toBeVisible();
  const countText = (await page.getByTestId('query-count').innerText()).replace(/\D/g, '');
  const count = Number(countText);
  if (count > 0) await expect(results.locator('.ant-table-row').first()).toBeVisible();

  // The saved query loads back from the list.
  await page.getByTestId('saved-queries').getByText(name).click();
  await expect(page.getByText(`查询：${name}`)).toBeVisible();
  // Run unchanged, it runs as the saved query and the list remembers its count.
  await page.getByTestId('query-run').click();
  await expect(page.getByTestId('saved-queries').locator('li', { hasText: name })).toContainText(`上次 ${count} 位`);

  // Broaden it (drop the visit rule, the 4th) so the campaign has customers to reach on any demo day.
  await page.locator('.rule').nth(3).locator('.rule-remove').click();
  await expect(sentence).not.toContainText('进厂次数');
  await expect(page.getByTestId('query-campaign')).toBeEnabled();

  await page.getByTestId('query-campaign').click();
  const dialog = page.getByRole('dialog', { name: '生成招揽' });
  await expect(dialog.getByTestId('campaign-recipients')).toHaveText(/\d+/);
  await expect(dialog.getByTestId('campaign-segments')).toContainText('条短信');
  const reachable = Number((await dialog.getByTestId('campaign-recipients').innerText()).replace(/\D/g, ''));
  expect(reachable).toBeGreaterThan(0);
  await dialog.getByRole('button', { name: /加入发送队列/ }).click();
  await expect(dialog.getByTestId('campaign-result')).toContainText(`已加入短信发送队列 ${reachable} 条`);
  await screenshot(page, 'query-campaign');
  await dialog.getByRole('button', { name: /完\s*成/ }).click();
  await expect(dialog).toBeHidden();
});

test('an agent can query but not save, export or make campaigns', async ({ page }) => {
  await signIn(page, 'agent');
  await openApp(page, '#/query');
  await page.getByTestId('starter-b').click();
  await expect(page.getByTestId('query-sentence')).toContainText('去年');
  await expect(page.getByTestId('query-count')).toHaveText(/\d+ 位客户/);
  await expect(page.getByTestId('query-run')).toBeVisible();
  await expect(page.getByTestId('query-save')).toHaveCount(0);
  await expect(page.getByTestId('query-export')).toHaveCount(0);
  await expect(page.getByTestId('query-campaign')).toHaveCount(0);

  // A condition left empty is marked at the condition itself, and the bar says the query has problems.
  await page.getByTestId('query-new').click();
  await page.getByRole('button', { name: /条件$/ }).first().click();
  await expect(page.getByTestId('rule-problem')).toHaveText('此项必填');
  await expect(page.getByTestId('query-sentence')).toContainText('查询条件有误');
  await page.getByRole('textbox', { name: '姓名' }).fill('张');
  await expect(page.getByTestId('rule-problem')).toHaveCount(0);
  await expect(page.getByTestId('query-sentence')).toContainText('姓名');

  // In the English UI the sentence is English.
  await page.getByTestId('starter-b').click();
  await page.getByTestId('lang-toggle').click();
  await expect(page.getByTestId('query-sentence')).toContainText('last year');
  await page.getByTestId('lang-toggle').click();
  await expect(page.getByTestId('query-sentence')).toContainText('去年');
});

test('a supervisor drags a condition into another group and the sentence follows', async ({ page }) => {
  await signIn(page, 'supervisor');
  await openApp(page, '#/query');
  await page.getByTestId('starter-a').click();
  const sentence = page.getByTestId('query-sentence');
  await expect(sentence).toContainText('是会员');

  // A new negated group at the end: empty, it is left out of the sentence.
  const top = page.locator('.ruleGroup').first();
  await top.locator(':scope > .ruleGroup-header .ruleGroup-addGroup').click();
  const group = top.locator('.ruleGroup');
  await expect(group).toHaveCount(1);
  await group.locator(':scope > .ruleGroup-header').getByRole('switch').click();
  await expect(sentence).not.toContainText('不满足');

  // Drag the "is a member" rule (the 5th) by its handle onto the new group's header.
  const topRules = top.locator(':scope > .ruleGroup-body > .rule');
  const member = topRules.nth(4);
  await expect(member.locator('.rule-fields')).toContainText('是会员');
  await member.locator('.queryBuilder-dragHandle').dragTo(group.locator(':scope > .ruleGroup-header'));
  await expect(group.locator('.rule')).toHaveCount(1);
  await expect(sentence).toContainText('不满足（是会员）');
  await expect(topRules).toHaveCount(4);
  await screenshot(page, 'query-drag');
});

test('a supervisor makes phone tasks from saved query (a) and an agent finds them in 招揽任务 → 我的任务', async ({ page, browser }) => {
  await signIn(page, 'supervisor');
  await openApp(page, '#/query');
  await page.getByTestId('starter-a').click();
  await expect(page.getByTestId('query-sentence')).toContainText('雅阁');
  const name = `练习一电话招揽（e2e ${Date.now()}）`;
  await page.getByTestId('query-save').click();
  await page.getByLabel('名称').fill(name);
  await page.getByLabel('名称').press('Enter');
  await expect(page.getByTestId('saved-queries').getByText(name)).toBeVisible();
  await expect(page.getByTestId('query-campaign')).toBeEnabled();

  await page.getByTestId('query-campaign').click();
  const dialog = page.getByRole('dialog', { name: '生成招揽' });
  await dialog.getByText('电话', { exact: true }).click();
  // Made from the saved query, the campaign is named after it.
  await expect(dialog.getByTestId('campaign-name')).toHaveValue(name);
  await expect(dialog.getByRole('button', { name: /生成电话任务/ })).toBeEnabled();
  const reachable = Number((await dialog.getByTestId('campaign-recipients').innerText()).replace(/\D/g, ''));
  expect(reachable).toBeGreaterThan(0);
  await dialog.getByRole('button', { name: /生成电话任务/ }).click();
  await expect(dialog.getByTestId('campaign-result')).toContainText(`${reachable} 个电话任务`);
  await screenshot(page, 'query-campaign-phone');
  await dialog.getByRole('button', { name: /完\s*成/ }).click();
  await expect(dialog).toBeHidden();

  // Unassigned, due today: every agent's queue has them, after the overdue work.
  const agentPage = await browser.newPage();
  await signIn(agentPage, 'agent');
  await agentPage.getByRole('menuitem', { name: '招揽任务' }).click();
  await expect(agentPage.getByRole('tab', { name: '我的任务' })).toBeVisible();
  const rows = agentPage.getByTestId('task-row').filter({ hasText: name });
  await expect(agentPage.getByTestId('task-row').first()).toBeVisible();
  // The list is virtualized: today's tasks come last, so scroll to its end.
  await agentPage.getByTestId('task-row').first().hover();
  await expect(async () => {
    await agentPage.mouse.wheel(0, 20_000);
    expect(await rows.count()).toBeGreaterThan(0);
  }).toPass();
  await expect(rows.first()).toContainText('电话');
  await screenshot(agentPage, 'query-campaign-queue');
  await agentPage.close();
});
