/**
 * A customer's contact-preference history (联系偏好 → 变更记录) as an Excel workbook: one row per change,
 * newest first, with the card's columns plus the purpose, channel and plate on columns of their own so
 * the sheet filters. Headers and names follow the screen's language; times are Beijing time.
 */
import ExcelJS from 'exceljs';
import type { ExportLang } from '../../preload/channels/kit';
import { FLAG_CHANNEL_LABELS, FLAG_PURPOSE_LABELS, type PreferenceHistoryDto } from '../../preload/channels/preferences';
import { DEALER_UTC_OFFSET_MINUTES, localDateTime } from '../campaigns/dates';

const COLUMNS = [
  { key: 'at', zh: '时间', en: 'When', width: 17 },
  { key: 'change', zh: '变更', en: 'Change', width: 26 },
  { key: 'purpose', zh: '用途', en: 'Purpose', width: 12 },
  { key: 'channel', zh: '渠道', en: 'Channel', width: 10 },
  { key: 'plate', zh: '车牌', en: 'Plate', width: 11 },
  { key: 'reason', zh: '原因', en: 'Reason', width: 36 },
  { key: 'by', zh: '操作人', en: 'By', width: 12 },
] as const;

/** The change as the card words it. */
function change(h: PreferenceHistoryDto, lang: ExportLang): string {
  const zh = lang === 'zh';
  const plate = h.plate ?? '—';
  if (h.kind === 'sold') {
    if (h.action === 'set') return zh ? `车辆 ${plate} 已售` : `Car ${plate} sold`;
    return zh ? `车辆 ${plate} 取消已售` : `Car ${plate} not sold`;
  }
  if (h.kind === 'sms_opt_out') {
    if (h.action === 'set') return zh ? '退订短信' : 'Opted out of SMS';
    return zh ? '恢复短信' : 'SMS allowed again';
  }
  const what = `${FLAG_PURPOSE_LABELS[h.purpose][lang]} · ${FLAG_CHANNEL_LABELS[h.channel][lang]}`;
  if (h.action === 'set') return zh ? `${what} 免打扰` : `Do not contact: ${what}`;
  return zh ? `${what} 恢复联系` : `Contact again: ${what}`;
}

/** A stored UTC time as the dealer reads it (Beijing time, no zone suffix). */
const beijing = (iso: string): string => localDateTime(new Date(iso), DEALER_UTC_OFFSET_MINUTES);

export async function historyWorkbook(customerName: string, rows: readonly PreferenceHistoryDto[], lang: ExportLang): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(lang === 'zh' ? '联系偏好变更记录' : 'Contact preference history', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({ key: c.key, header: c[lang], width: c.width }));
  for (const h of rows) {
    const flag = h.kind === 'flag';
    sheet.addRow({
      at: beijing(h.at),
      change: change(h, lang),
      purpose: flag ? FLAG_PURPOSE_LABELS[h.purpose][lang] : '',
      channel: flag || h.kind === 'sms_opt_out' ? FLAG_CHANNEL_LABELS[h.channel][lang] : '',
      plate: h.plate ?? '',
      reason: h.reason,
      // As the card: a 退订 without a staff name is the customer's own reply.
      by: h.staffName ?? (h.kind === 'sms_opt_out' ? (lang === 'zh' ? '客户本人' : 'Customer') : ''),
    });
  }
  sheet.getRow(1).font = { bold: true };
  // The printed sheet says whose history it is ('&' starts a code in Excel headers).
  sheet.headerFooter.oddHeader = `${lang === 'zh' ? '联系偏好：' : 'Contact preferences: '}${customerName.replaceAll('&', '&&')}`;
  return Buffer.from(await book.xlsx.writeBuffer());
}
