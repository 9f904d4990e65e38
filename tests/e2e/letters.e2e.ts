import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { downloadedWorkbook, fieldError, screenshot, signIn } from './helpers';

/**
 * 信函打印: a supervisor opens today's letters (the host's start-up run generated them on the demo dealer),
 * narrows them to 定期保养招揽, exports that list to Excel (a row per letter, as shown), makes one PDF of all of them — pdfinfo counts a page per letter and
 * pdftotext finds each customer's salutation and plate on their own page — then marks them printed and
 * they leave the list.
 */
const pdfPages = (file: string) => Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
/** One page's text with the line breaks pdftotext puts inside a wrapped plate or name taken out. */
const pageText = (file: string, page: number) =>
  execFileSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');

test("a supervisor prints a campaign's letters to one PDF, checks it, and marks them printed", async ({ page }) => {
  await signIn(page, 'supervisor');
  await page.getByRole('menuitem', { name: '招揽任务' }).click();
  await page.getByRole('tab', { name: '信函打印' }).click();
  const rows = page.getByTestId('letter-row');
  const count = page.getByTestId('letters-count');
  await expect(rows.first()).toBeVisible();
  await expect(page.getByTestId('letters-skipped')).toContainText('今日已跳过：无地址');

  // Letters on different paper (birthday cards are A6) cannot share one PDF.
  const templates = new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-template'))));
  if (templates.size > 1) {
    await page.getByTestId('letters-select-all').click();
    await expect(page.getByTestId('letters-mixed')).toBeVisible();
    await expect(page.getByTestId('letters-print')).toBeDisabled();
  }

  await page.getByTestId('letters-campaign').click();
  await page.locator('.ant-select-item-option').filter({ hasText: '定期保养招揽' }).click();
  await expect(page.locator('[data-testid="letter-row"]').filter({ hasNotText: '定期保养招揽' })).toHaveCount(0);
  const n = Number(await count.getAttribute('data-count'));
  expect(n).toBeGreaterThan(1);
  await expect(rows).toHaveCount(n);
  const letters = await rows.evaluateAll((trs) => trs.map((tr) => ({ task: tr.getAttribute('data-task') ?? '', name: tr.getAttribute('data-name') ?? '', plate: tr.getAttribute('data-plate') ?? '' })));

  // The list exports as shown: the same letters in the same order, with the campaign named.
  const listFile = page.waitForEvent('download');
  await page.getByTestId('letters-export').click();
  const exported = await listFile;
  expect(exported.suggestedFilename()).toMatch(/^信函清单_定期保养招揽_\d{4}-\d{2}-\d{2}\.xlsx$/);
  await expect(page.getByText(`已导出 ${n} 行`)).toBeVisible();
  const sheets = await downloadedWorkbook(exported);
  expect([...sheets.keys()]).toEqual(['待打印信函', '今日跳过']);
  const listed = sheets.get('待打印信函') ?? [];
  expect(listed[0]).toEqual(['客户', '地址', '车牌', '招揽活动', '到期日', '模板', '纸张']);
  expect(listed.slice(1).map((r) => [r[0], String(r[2] ?? ''), r[3]])).toEqual(letters.map((l) => [l.name, l.plate, '定期保养招揽']));
  expect(sheets.get('今日跳过')?.[0]).toEqual(['跳过原因', '封数']);
  await expect(rows).toHaveCount(n);

  await page.getByTestId('letters-select-all').click();
  await expect(page.getByTestId('letters-print')).toHaveText(`生成 PDF（${n} 封）`);
  const download = page.waitForEvent('download');
  await page.getByTestId('letters-print').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(new RegExp(`^信函_\\d{4}-\\d{2}-\\d{2}_${n}封\\.pdf$`));
  const pdf = test.info().outputPath('letters.pdf');
  await file.saveAs(pdf);
  await expect(page.getByText(`已生成 PDF：${n} 页`)).toBeVisible();
  await expect(page.getByTestId('letters-printing')).toHaveCount(0);
  await screenshot(page, 'letters');

  expect(pdfPages(pdf)).toBe(n);
  letters.forEach((letter, i) => {
    const text = pageText(pdf, i + 1);
    // The default letter greets by 称呼: family name + 先生/女士 (or the whole name).
    expect(text).toMatch(new RegExp(`尊敬的${letter.name.slice(0, 1)}`));
    if (letter.plate) expect(text).toContain(letter.plate);
  });

  await page.getByTestId('letters-mark').click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /^标\s*记$/ }).click();
  await expect(page.getByText(`已标记 ${n} 封信件为已打印`)).toBeVisible();
  await expect(count).toHaveAttribute('data-count', '0');
  await expect(rows).toHaveCount(0);

  // Back to all campaigns: none of the printed letters is waiting any more.
  await page.getByTestId('letters-campaign').click();
  await page.locator('.ant-select-item-option').filter({ hasText: '全部活动' }).click();
  await expect(rows.first()).toBeVisible();
  const left = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-task')));
  expect(left.filter((task) => letters.some((l) => l.task === task))).toEqual([]);
});

const BROWSER = '生成 PDF 的浏览器（空 = 自动查找 Chromium / Chrome / Edge）';

test('a slow PDF shows its page count and is cancelled from the page (browser set in 系统设置)', async ({ page }) => {
  // A stand-in browser that never finishes, so the print is slow for certain.
  const hanging = test.info().outputPath('hanging-browser.sh');
  writeFileSync(hanging, '#!/bin/sh\nexec sleep 300\n');
  chmodSync(hanging, 0o755);
  await signIn(page, 'admin');
  await page.getByTestId('nav-settings').click();
  const browser = page.getByLabel(BROWSER, { exact: true });
  await expect(browser).toBeEditable();
  await browser.fill(hanging);
  await browser.press('Enter');
  await expect(page.getByText('配置已保存并生效')).toBeVisible();
  await expect(fieldError(page, BROWSER)).toHaveCount(0);

  await page.getByRole('menuitem', { name: '招揽任务' }).click();
  await page.getByRole('tab', { name: '信函打印' }).click();
  const first = page.getByTestId('letter-row').first();
  await expect(first).toBeVisible();
  await first.getByRole('checkbox').check();
  await page.getByTestId('letters-print').click();
  await expect(page.getByTestId('letters-printing')).toContainText('正在生成 PDF：1 页');
  await expect(page.getByTestId('letters-print')).toBeDisabled();
  await page.getByTestId('letters-cancel').click();
  await expect(page.getByText('已取消生成 PDF')).toBeVisible();
  await expect(page.getByTestId('letters-printing')).toHaveCount(0);
  await expect(first).toBeVisible();

  // Back to finding the browser by itself, for the other specs on this host.
  await page.getByTestId('nav-settings').click();
  await page.getByLabel(BROWSER, { exact: true }).fill('');
  await page.getByLabel(BROWSER, { exact: true }).press('Enter');
  await expect(page.getByText('配置已保存并生效')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel(BROWSER, { exact: true })).toHaveValue('');
});
