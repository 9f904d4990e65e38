import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { fieldError, hits, sample, screenshot, searchBox, signIn } from './helpers';

/**
 * 模板管理: a supervisor writes an SMS template — the live counter goes from one part to two as the
 * merged text passes 70 characters, a merge-field button inserts at the cursor, an unknown field {{nope}}
 * is named under the body and blocks saving, Ctrl+S saves once it is gone; a letter previews in a sandboxed
 * frame with sample values; the dealer's phone is checked at the field; the list exports to Excel.
 * Agents get no menu entry, but send an SMS filled from a template on the customer page.
 */
async function openTemplates(page: Page) {
  await page.getByRole('menuitem', { name: '模板管理' }).click();
  await expect(page.getByTestId('templates-list')).toBeVisible();
}

test('a supervisor writes an SMS template with the live counter, is stopped by an unknown field, and saves with Ctrl+S', async ({ page }) => {
  await signIn(page, 'supervisor');
  await openTemplates(page);
  await expect(page.locator('[data-testid="template-row"][data-code="sms.maintenance"]')).toBeVisible();

  await page.getByTestId('template-new').click();
  await expect(page.getByTestId('template-editor-title')).toHaveText('新建短信模板');
  await page.getByTestId('template-name').fill('春季保养关怀');
  await page.getByTestId('template-code').fill('sms.spring_care');

  const body = page.getByTestId('template-body');
  const counter = page.getByTestId('template-segments');
  await body.fill('尊敬的，春季用车提醒：请检查空调滤芯和轮胎气压。');
  // The cursor goes after 尊敬的, and the 称呼 button puts the field there.
  await body.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(3, 3));
  await page.getByTestId('merge-salutation').click();
  await expect(body).toHaveValue('尊敬的{{称呼}}，春季用车提醒：请检查空调滤芯和轮胎气压。');
  await expect(page.getByTestId('template-preview-text')).toHaveText('尊敬的张先生，春季用车提醒：请检查空调滤芯和轮胎气压。');
  await expect(counter).toHaveText('1 条 · 27 字 · UCS2');

  // Past 70 characters the message needs two parts.
  await body.press('End');
  await body.pressSequentially('本月回店保养享工时八折优惠，另赠送精美礼品一份，欢迎致电预约，我们将竭诚为您服务。祝您用车愉快！');
  await expect(counter).toHaveText('2 条 · 75 字 · UCS2');

  // An unknown merge field is named under the body while typing, and the host refuses it on save.
  await body.pressSequentially('{{nope}}');
  await expect(fieldError(page, '短信内容')).toHaveText('未知的合并字段：{{nope}}');
  await page.getByTestId('template-save').click();
  await expect(fieldError(page, '短信内容')).toHaveText('未知的合并字段：{{nope}}');
  await expect(page.getByTestId('template-editor-title')).toHaveText('新建短信模板');

  for (let i = 0; i < '{{nope}}'.length; i++) await body.press('Backspace');
  await expect(fieldError(page, '短信内容')).toHaveCount(0);
  await body.press('Control+s');
  await expect(page.getByText('模板已保存')).toBeVisible();
  await expect(page.getByTestId('template-editor-title')).toHaveText('编辑模板：春季保养关怀');
  // The saved template reopens with its preview and counter.
  await expect(counter).toHaveText('2 条 · 75 字 · UCS2');
  await expect(page.getByText('模板已保存')).toBeHidden();
  await screenshot(page, 'templates');

  await page.getByLabel('返回模板列表').click();
  const row = page.locator('[data-testid="template-row"][data-code="sms.spring_care"]');
  await expect(row).toContainText('春季保养关怀');
  await expect(row).toContainText('启用');
});

test('a letter previews with sample values in a sandboxed frame; the dealer fields are shown; the list exports to Excel', async ({ page }) => {
  await signIn(page, 'supervisor');
  await openTemplates(page);
  await page.getByTestId('templates-tab-letter').click();
  await page.locator('[data-testid="template-row"][data-code="letter.reminder"]').click();
  await expect(page.getByTestId('template-editor-title')).toHaveText('编辑模板：招揽信件 (A4)');
  // Built-in: the code that campaigns use cannot be changed, the kind of a saved template neither.
  await expect(page.getByTestId('template-code')).toBeDisabled();

  const frame = page.getByTestId('template-preview-frame');
  await expect(frame).toHaveAttribute('sandbox', '');
  await expect(page.frameLocator('[data-testid="template-preview-frame"]').locator('section.page')).toContainText('尊敬的张先生');

  // Unsafe HTML is named under the body while typing.
  const body = page.getByTestId('template-body');
  await body.press('Control+End');
  await body.pressSequentially('<img src="http://example.com/x.png">');
  await expect(fieldError(page, '内容（HTML）')).toContainText('模板不能包含脚本或外部资源');

  await page.getByLabel('返回模板列表').click();
  // What the dealer fields merge, read-only here: a supervisor is told the administrator keeps it in 系统设置.
  await page.getByTestId('templates-dealer').click();
  const info = page.getByTestId('dealer-info');
  await expect(info).toContainText('020-38886666');
  await expect(info).toContainText('花城本田');
  await expect(page.getByRole('dialog')).toContainText('系统设置 → 经销店信息');
  await expect(page.getByTestId('dealer-edit')).toHaveCount(0);
  // The footer's button (the corner ✕ is also named 关闭).
  await page.getByRole('dialog').locator('.ant-modal-footer').getByRole('button', { name: /关\s*闭/ }).click();
  await expect(page.getByRole('dialog')).toBeHidden();

  await page.getByTestId('templates-tab-sms').click();
  const download = page.waitForEvent('download');
  await page.getByTestId('templates-export').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^模板_\d{8}\.xlsx$/);
  expect(readFileSync(await file.path()).subarray(0, 2).toString('latin1')).toBe('PK');
});

test('agents have no template menu entry', async ({ page }) => {
  await signIn(page, 'agent');
  await expect(page.getByRole('menuitem', { name: '招揽任务' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: '模板管理' })).toHaveCount(0);
});

test('an agent sends an SMS from a template on the customer page, edited before sending', async ({ page }) => {
  const c = sample(4);
  await signIn(page, 'agent');
  await searchBox(page).fill(c.name);
  await hits(page).filter({ hasText: c.mobile }).click();
  await expect(page.getByTestId('customer-name')).toHaveText(c.name);

  await page.getByTestId('customer-sms').click();
  await page.getByTestId('customer-sms-template-tab').click();
  await page.getByTestId('template-picker').click();
  await page.locator('.ant-select-item-option').filter({ hasText: '购车感谢短信' }).click();
  const body = page.getByTestId('sms-template-body');
  // Signed with the demo dealer's short name (简称), not its full registered name.
  await expect(body).toHaveValue(new RegExp(`^【花城本田】尊敬的${c.name.slice(0, 1)}`));
  await expect(body).toHaveValue(/请致电020-38886666，/);
  await expect(page.getByTestId('sms-template-segments')).toHaveText(/^[12] 条 · \d+ 字 · UCS2$/);

  await body.press('End');
  await body.pressSequentially('（客服小李）');
  const text = await body.inputValue();
  expect(text.endsWith('回复TD退订（客服小李）')).toBe(true);
  // Ctrl+Enter twice before the first answer comes: the text is queued once.
  await body.evaluate((el) => {
    for (let i = 0; i < 2; i++) el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true, cancelable: true }));
  });
  await expect(page.getByText(/短信已加入发送队列（\d 条）/)).toBeVisible();
  const sent = page.getByTestId('sms-message').filter({ hasText: '（客服小李）' });
  await expect(sent).toBeVisible();
  await expect(page.getByText(/短信已加入发送队列/)).toHaveCount(1);
  await expect(sent).toHaveCount(1);

  // The customer's timeline has it once, with its state (it follows the SMS from there).
  await page.keyboard.press('Escape');
  const entry = page.getByTestId('timeline-item').filter({ hasText: '（客服小李）' });
  await expect(entry).toHaveCount(1);
  await expect(entry.getByTestId('timeline-sms-state')).toHaveText(/待发送|发送中|已发送|已送达/);
});
