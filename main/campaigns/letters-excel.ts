/**
 * The 信函打印 list as an Excel workbook: one row per letter waiting to print, with the columns the tab
 * shows (the paper on a column of its own), and today's skipped letters by reason on a second sheet.
 * Headers and names follow the screen's language.
 */
import ExcelJS from 'exceljs';
import type { ExportLang } from '../../preload/channels/kit';
import type { LetterItemDto } from '../../preload/channels/letters';
import { SKIP_REASON_LABELS } from '../../preload/vocabulary';

const LETTER_COLUMNS = [
  { key: 'customer', zh: '客户', en: 'Customer', width: 12 },
  { key: 'address', zh: '地址', en: 'Address', width: 36 },
  { key: 'plate', zh: '车牌', en: 'Plate', width: 11 },
  { key: 'campaign', zh: '招揽活动', en: 'Campaign', width: 18 },
  { key: 'dueOn', zh: '到期日', en: 'Due', width: 12 },
  { key: 'template', zh: '模板', en: 'Template', width: 22 },
  { key: 'page', zh: '纸张', en: 'Paper', width: 8 },
] as const;

const SKIP_COLUMNS = [
  { key: 'reason', zh: '跳过原因', en: 'Reason skipped', width: 22 },
  { key: 'count', zh: '封数', en: 'Letters', width: 10 },
] as const;

export async function lettersWorkbook(items: readonly LetterItemDto[], skipped: Readonly<Record<string, number>>, lang: ExportLang): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const letters = book.addWorksheet(lang === 'zh' ? '待打印信函' : 'Letters to print', { views: [{ state: 'frozen', ySplit: 1 }] });
  letters.columns = LETTER_COLUMNS.map((c) => ({ key: c.key, header: c[lang], width: c.width }));
  for (const r of items) {
    letters.addRow({
      customer: r.customerName,
      address: r.address ?? '',
      plate: r.plate ?? '',
      campaign: lang === 'zh' ? r.campaignNameZh : r.campaignNameEn,
      dueOn: r.dueOn,
      template: r.templateName,
      page: r.page,
    });
  }
  letters.getRow(1).font = { bold: true };

  const skips = book.addWorksheet(lang === 'zh' ? '今日跳过' : 'Skipped today', { views: [{ state: 'frozen', ySplit: 1 }] });
  skips.columns = SKIP_COLUMNS.map((c) => ({ key: c.key, header: c[lang], width: c.width }));
  for (const [reason, count] of Object.entries(skipped)) {
    if (count > 0) skips.addRow({ reason: SKIP_REASON_LABELS[reason]?.[lang] ?? reason, count });
  }
  skips.getRow(1).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}
