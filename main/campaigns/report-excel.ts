/**
 * The success-rate report as an Excel workbook: the three tables of the 成功率报表 screen (by campaign,
 * by step and channel, by agent), each as a sheet with the screen's rows — every period total followed
 * by its months — and columns; headers are bilingual, names follow the screen's language.
 */
import ExcelJS from 'exceljs';
import type { StepChannel } from '../../db/tables/campaigns';
import type { CampaignReport } from './report';

export type ReportLang = 'zh' | 'en';

const CHANNEL: Record<StepChannel, { zh: string; en: string }> = {
  letter: { zh: '信件', en: 'Letter' },
  sms: { zh: '短信', en: 'SMS' },
  phone: { zh: '电话', en: 'Phone' },
  reason_call: { zh: '原因回访', en: 'Reason call' },
};

/** "第 2 步 短信 (-7 天)" / "Step 2 SMS (-7 d)": the same label the screen shows. */
export function stepLabel(stepSeq: number, channel: StepChannel, offsetDays: number | null, lang: ReportLang): string {
  const offset = offsetDays === null ? '' : ` (${offsetDays > 0 ? '+' : ''}${offsetDays} ${lang === 'zh' ? '天' : 'd'})`;
  return lang === 'zh' ? `第 ${stepSeq + 1} 步 ${CHANNEL[channel].zh}${offset}` : `Step ${stepSeq + 1} ${CHANNEL[channel].en}${offset}`;
}

export const monthLabel = (month: string | null, lang: ReportLang) => month ?? (lang === 'zh' ? '合计' : 'Total');

export async function reportWorkbook(report: CampaignReport, lang: ReportLang): Promise<{ buffer: Buffer; rows: number }> {
  const workbook = new ExcelJS.Workbook();
  const name = (r: { nameZh: string; nameEn: string }) => (lang === 'zh' ? r.nameZh : r.nameEn);
  const sheet = (title: string, columns: Array<{ header: string; key: string; width: number }>, rows: Array<Record<string, string | number | null>>) => {
    const ws = workbook.addWorksheet(title, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns;
    for (const r of rows) {
      const row = ws.addRow(r);
      // Period totals in bold, as the screen sets them apart from their months.
      if (r['month'] === monthLabel(null, lang)) row.font = { bold: true };
    }
    ws.getRow(1).font = { bold: true };
    return rows.length;
  };
  let rows = 0;
  rows += sheet(
    '按活动 By campaign',
    [
      { header: '招揽活动 Campaign', key: 'name', width: 22 },
      { header: '月份 Month', key: 'month', width: 10 },
      { header: '目标 Target', key: 'target', width: 12 },
      { header: '已提醒 Reminded', key: 'reminded', width: 14 },
      { header: '提醒成功率 % Remind rate', key: 'remindRate', width: 20 },
      { header: '已接通 Reached', key: 'reached', width: 14 },
      { header: '回厂 Came', key: 'came', width: 12 },
      { header: '提醒后回厂数 Came after reminder', key: 'cameAfterReminder', width: 26 },
      { header: '回厂率 % Came rate', key: 'cameRate', width: 16 },
    ],
    report.campaigns.map((r) => ({ ...r, name: name(r), month: monthLabel(r.month, lang) })),
  );
  rows += sheet(
    '按步骤渠道 By step',
    [
      { header: '招揽活动 Campaign', key: 'name', width: 22 },
      { header: '步骤与渠道 Step and channel', key: 'step', width: 24 },
      { header: '月份 Month', key: 'month', width: 10 },
      { header: '目标 Target', key: 'target', width: 12 },
      { header: '已提醒 Reminded', key: 'reminded', width: 14 },
      { header: '提醒成功率 % Remind rate', key: 'remindRate', width: 20 },
      { header: '提醒后回厂数 Came after reminder', key: 'cameAfterReminder', width: 26 },
    ],
    report.steps.map((r) => ({ ...r, name: name(r), step: stepLabel(r.stepSeq, r.channel, r.offsetDays, lang), month: monthLabel(r.month, lang) })),
  );
  rows += sheet(
    '按坐席 By agent',
    [
      { header: '坐席 Agent', key: 'name', width: 16 },
      { header: '月份 Month', key: 'month', width: 10 },
      { header: '通话次数 Calls', key: 'calls', width: 14 },
      { header: '拨打任务 Tasks called', key: 'tasksCalled', width: 18 },
      { header: '接通任务 Reached', key: 'reached', width: 16 },
      { header: '接通率 % Reach rate', key: 'reachRate', width: 18 },
      { header: '带来回厂 Visits credited', key: 'cameCredited', width: 26 },
    ],
    report.agents.map((r) => ({ ...r, month: monthLabel(r.month, lang) })),
  );
  return { buffer: Buffer.from(await workbook.xlsx.writeBuffer()), rows };
}
