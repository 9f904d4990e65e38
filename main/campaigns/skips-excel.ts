/**
 * The 今日跳过及原因 card of 生成与分配 as an Excel workbook: generation's matched / new / skipped per
 * campaign (the day's latest run; campaigns with nothing due left out, as on the card) and the skipped
 * steps per campaign, channel and reason. Headers and names follow the screen's language.
 */
import ExcelJS from 'exceljs';
import type { StepChannel } from '../../db/tables/campaigns';
import type { SkipSummaryDto } from '../../preload/channels/campaigns';
import type { ExportLang } from '../../preload/channels/kit';
import { SKIP_REASON_LABELS } from '../../preload/vocabulary';

const CHANNEL: Record<StepChannel, { zh: string; en: string }> = {
  letter: { zh: '信件', en: 'Letter' },
  sms: { zh: '短信', en: 'SMS' },
  phone: { zh: '电话', en: 'Phone' },
  reason_call: { zh: '原因回访', en: 'Reason call' },
};

const GENERATION_COLUMNS = [
  { key: 'campaign', zh: '招揽活动', en: 'Campaign', width: 20 },
  { key: 'candidates', zh: '符合条件', en: 'Matched', width: 10 },
  { key: 'created', zh: '新增', en: 'New', width: 8 },
  { key: 'skippedTotal', zh: '跳过合计', en: 'Skipped', width: 10 },
  { key: 'skipped', zh: '跳过原因', en: 'Reasons skipped', width: 48 },
] as const;

const STEP_COLUMNS = [
  { key: 'campaign', zh: '招揽活动', en: 'Campaign', width: 20 },
  { key: 'channel', zh: '步骤渠道', en: 'Channel', width: 10 },
  { key: 'reason', zh: '跳过原因', en: 'Reason', width: 22 },
  { key: 'count', zh: '数量', en: 'Count', width: 8 },
] as const;

export async function skipsWorkbook(summary: SkipSummaryDto, lang: ExportLang): Promise<{ buffer: Buffer; rows: number }> {
  const reason = (code: string) => SKIP_REASON_LABELS[code]?.[lang] ?? code;
  const name = (r: { nameZh: string; nameEn: string }) => (lang === 'zh' ? r.nameZh : r.nameEn);
  const book = new ExcelJS.Workbook();

  const generation = book.addWorksheet(lang === 'zh' ? '生成跳过' : 'Generation', { views: [{ state: 'frozen', ySplit: 1 }] });
  generation.columns = GENERATION_COLUMNS.map((c) => ({ key: c.key, header: c[lang], width: c.width }));
  const byCampaign = (summary.generation?.byCampaign ?? []).filter((r) => r.candidates > 0);
  for (const r of byCampaign) {
    const skipped = Object.entries(r.skipped).filter(([, n]) => n > 0);
    generation.addRow({
      campaign: name(r),
      candidates: r.candidates,
      created: r.created,
      skippedTotal: skipped.reduce((sum, [, n]) => sum + n, 0),
      skipped: skipped.map(([code, n]) => `${reason(code)} ${n}`).join(lang === 'zh' ? '，' : ', '),
    });
  }
  generation.getRow(1).font = { bold: true };

  const steps = book.addWorksheet(lang === 'zh' ? '步骤跳过' : 'Steps', { views: [{ state: 'frozen', ySplit: 1 }] });
  steps.columns = STEP_COLUMNS.map((c) => ({ key: c.key, header: c[lang], width: c.width }));
  for (const r of summary.steps) steps.addRow({ campaign: name(r), channel: CHANNEL[r.channel][lang], reason: reason(r.reason), count: r.count });
  steps.getRow(1).font = { bold: true };

  return { buffer: Buffer.from(await book.xlsx.writeBuffer()), rows: byCampaign.length + summary.steps.length };
}
