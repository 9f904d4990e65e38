/**
 * A list of reminder tasks as an Excel sheet: the rows a 招揽任务 list shows (my queue, follow-up, worked
 * today, the supervisor's open or unassigned tasks) with every column the screens show or open in the
 * task panel. Headers are bilingual; campaign, channel, outcome and reason names follow the screen's
 * language, and models read 雅阁 on a Chinese desk as they do on screen.
 */
import ExcelJS from 'exceljs';
import type { StepChannel } from '../../db/tables/campaigns';
import type { CampaignTaskDto } from '../../preload/channels/campaigns';
import type { ReportLang } from './report-excel';
import { DEALER_UTC_OFFSET_MINUTES, localDateTime } from './dates';

export interface TaskLabels {
  /** Call outcomes, feedback and close reasons by code. */
  dispositions: ReadonlyMap<string, { zh: string; en: string }>;
  feedback: ReadonlyMap<string, { zh: string; en: string }>;
  close: ReadonlyMap<string, { zh: string; en: string }>;
  modelNamesZh: Readonly<Record<string, string>>;
}

const CHANNEL: Record<StepChannel, { zh: string; en: string }> = {
  letter: { zh: '信件', en: 'Letter' },
  sms: { zh: '短信', en: 'SMS' },
  phone: { zh: '电话', en: 'Phone' },
  reason_call: { zh: '原因回访', en: 'Reason call' },
};
const STATUS = { open: { zh: '待跟进', en: 'Open' }, done: { zh: '已完成', en: 'Done' }, closed: { zh: '已关闭', en: 'Closed' } } as const;
const RESULT = { came: { zh: '已回厂', en: 'Came' }, no_show: { zh: '未回厂', en: 'Did not come' } } as const;
const YES = { zh: '是', en: 'Yes' };
const NO = { zh: '否', en: 'No' };

const COLUMNS = [
  { header: '招揽活动 Campaign', key: 'campaign', width: 20 },
  { header: '到期日 Due', key: 'dueOn', width: 12 },
  { header: '当前步骤 Step', key: 'step', width: 12 },
  { header: '步骤日期 Step date', key: 'stepOn', width: 12 },
  { header: '逾期天数 Days overdue', key: 'overdueDays', width: 12 },
  { header: '客户 Customer', key: 'customer', width: 14 },
  { header: '手机 Mobile', key: 'mobile', width: 14 },
  { header: '车牌 Plate', key: 'plate', width: 12 },
  { header: '车型 Model', key: 'model', width: 12 },
  { header: '销售顾问 Sales consultant', key: 'salesConsultant', width: 12 },
  { header: '在店 In shop', key: 'inShop', width: 8 },
  { header: '回电时间 Call back at', key: 'callbackAt', width: 20 },
  { header: '任务状态 Status', key: 'status', width: 10 },
  { header: '结果 Result', key: 'result', width: 10 },
  { header: '最近联系 Last touch', key: 'lastTouch', width: 18 },
  { header: '通话结果 Outcome', key: 'outcome', width: 14 },
  { header: '会来厂 Will come', key: 'willCome', width: 10 },
  { header: '不来原因 Reason', key: 'feedback', width: 16 },
  { header: '关闭原因 Close reason', key: 'closeReason', width: 14 },
  { header: '分配给 Assigned to', key: 'assigned', width: 12 },
  { header: '招揽备注 Campaign remark', key: 'campaignRemark', width: 30 },
  { header: '回访备注 Follow-up remark', key: 'followupRemark', width: 30 },
] as const;

/** A stored UTC time as the dealer reads it (Beijing time, no zone suffix). */
const beijing = (iso: string): string => localDateTime(new Date(iso), DEALER_UTC_OFFSET_MINUTES);

export async function tasksWorkbook(title: string, items: readonly CampaignTaskDto[], labels: TaskLabels, lang: ReportLang): Promise<{ buffer: Buffer; rows: number }> {
  const pick = (l: { zh: string; en: string } | undefined, code: string | null) => (code === null ? null : l ? l[lang] : code);
  const workbook = new ExcelJS.Workbook();
  const ws = workbook.addWorksheet(title, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({ ...c }));
  for (const t of items) {
    const row = ws.addRow({
      campaign: lang === 'zh' ? t.campaignNameZh : t.campaignNameEn,
      dueOn: t.dueOn,
      step: t.stepChannel ? CHANNEL[t.stepChannel][lang] : null,
      stepOn: t.stepOn,
      overdueDays: t.overdueDays || null,
      customer: t.customerName,
      mobile: t.mobile,
      plate: t.plate,
      model: t.model === null || lang !== 'zh' ? t.model : (labels.modelNamesZh[t.model] ?? t.model),
      salesConsultant: t.salesConsultant,
      inShop: t.inShop ? YES[lang] : null,
      callbackAt: t.callbackAt && t.status === 'open' ? beijing(t.callbackAt) : null,
      status: STATUS[t.status][lang],
      result: t.result ? RESULT[t.result][lang] : null,
      lastTouch: t.lastTouchOn ? `${t.lastTouchOn} ${t.lastTouchChannel ? CHANNEL[t.lastTouchChannel][lang] : ''}`.trim() : null,
      outcome: pick(t.lastDisposition ? labels.dispositions.get(t.lastDisposition) : undefined, t.lastDisposition),
      willCome: t.willCome === null ? null : (t.willCome ? YES : NO)[lang],
      feedback: pick(t.feedbackReason ? labels.feedback.get(t.feedbackReason) : undefined, t.feedbackReason),
      closeReason: pick(t.closeReason ? labels.close.get(t.closeReason) : undefined, t.closeReason),
      assigned: t.assignedName,
      campaignRemark: t.campaignRemark,
      followupRemark: t.followupRemark,
    });
    // Overdue rows in red, as the lists show them.
    if (t.overdueDays > 0) row.font = { color: { argb: 'FFCF1322' } };
  }
  ws.getRow(1).font = { bold: true };
  return { buffer: Buffer.from(await workbook.xlsx.writeBuffer()), rows: items.length };
}
