/**
 * 活动设置 as an Excel workbook, one sheet per list on the tab: the campaigns (on/off, priority, the staged
 * channel plan), the call outcomes (the agents' number keys, what each does), the feedback and close
 * reasons, and the 年审 rule table — for the record, or to check a change. Headers and names follow the
 * screen's language; codes stay as stored, since reports and tasks keep them.
 */
import ExcelJS from 'exceljs';
import type { StepChannel } from '../../db/tables/campaigns';
import type { CampaignConfigDto, DispositionConfigDto, InspectionRuleDto, ReasonConfigDto } from '../../preload/channels/campaign-settings';
import type { ExportLang } from '../../preload/channels/kit';

type Bi = { zh: string; en: string };
type Column = { key: string; zh: string; en: string; width: number };

const CHANNEL: Record<StepChannel, Bi> = {
  letter: { zh: '信件', en: 'Letter' },
  sms: { zh: '短信', en: 'SMS' },
  phone: { zh: '电话', en: 'Phone' },
  reason_call: { zh: '原因回访', en: 'Reason call' },
};
const YES: Bi = { zh: '是', en: 'Yes' };
const NO: Bi = { zh: '否', en: 'No' };

const CAMPAIGN_COLUMNS: Column[] = [
  { key: 'name', zh: '招揽活动', en: 'Campaign', width: 20 },
  { key: 'enabled', zh: '启用', en: 'On', width: 8 },
  { key: 'priority', zh: '优先级', en: 'Priority', width: 8 },
  { key: 'plan', zh: '分阶段提醒计划', en: 'Channel plan', width: 48 },
];
const DISPOSITION_COLUMNS: Column[] = [
  { key: 'key', zh: '按键', en: 'Key', width: 6 },
  { key: 'name', zh: '名称', en: 'Name', width: 16 },
  { key: 'code', zh: '编码', en: 'Code', width: 16 },
  { key: 'reached', zh: '已接通', en: 'Reached', width: 8 },
  { key: 'unreachable', zh: '联系不上', en: 'Unreachable', width: 10 },
  { key: 'hideDays', zh: '隐藏天数', en: 'Hide days', width: 10 },
  { key: 'callback', zh: '预约回电', en: 'Call back', width: 10 },
  { key: 'active', zh: '启用', en: 'On', width: 8 },
];
const REASON_COLUMNS: Column[] = [
  { key: 'name', zh: '名称', en: 'Name', width: 20 },
  { key: 'code', zh: '编码', en: 'Code', width: 18 },
  { key: 'automatic', zh: '系统使用', en: 'System', width: 10 },
  { key: 'active', zh: '启用', en: 'On', width: 8 },
];
const RULE_COLUMNS: Column[] = [
  { key: 'vehicleClass', zh: '车辆类别', en: 'Vehicle class', width: 18 },
  { key: 'fromMonths', zh: '起始（月）', en: 'From (months)', width: 12 },
  { key: 'toMonths', zh: '截止（月）', en: 'To (months)', width: 12 },
  { key: 'everyMonths', zh: '间隔（月）', en: 'Every (months)', width: 12 },
  { key: 'onSite', zh: '上线检验', en: 'On-site test', width: 10 },
  { key: 'note', zh: '说明', en: 'Note', width: 30 },
];

export interface CampaignSettings {
  campaigns: readonly CampaignConfigDto[];
  dispositions: readonly DispositionConfigDto[];
  feedback: ReadonlyArray<Omit<ReasonConfigDto, 'kind'>>;
  close: ReadonlyArray<Omit<ReasonConfigDto, 'kind'>>;
  inspectionRules: readonly InspectionRuleDto[];
}

/** "-30 天 信件" / "-30 d Letter", as the tab's tags read. */
function step(s: CampaignConfigDto['steps'][number], lang: ExportLang): string {
  const offset = s.offsetDays > 0 ? `+${s.offsetDays}` : String(s.offsetDays);
  return `${offset} ${lang === 'zh' ? '天' : 'd'} ${CHANNEL[s.channel][lang]}`;
}

export async function settingsWorkbook(settings: CampaignSettings, lang: ExportLang): Promise<{ buffer: Buffer; rows: number }> {
  const book = new ExcelJS.Workbook();
  const yes = (b: boolean) => (b ? YES : NO)[lang];
  const label = (r: { labelZh: string; labelEn: string }) => (lang === 'zh' ? r.labelZh : r.labelEn);
  let rows = 0;
  const sheet = (name: Bi, columns: Column[], data: Array<Record<string, string | number>>) => {
    const ws = book.addWorksheet(name[lang], { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map((c) => ({ key: c.key, header: c[lang], width: c.width }));
    for (const r of data) ws.addRow(r);
    ws.getRow(1).font = { bold: true };
    rows += data.length;
  };

  sheet(
    { zh: '招揽活动', en: 'Campaigns' },
    CAMPAIGN_COLUMNS,
    settings.campaigns.map((c) => ({
      name: lang === 'zh' ? c.nameZh : c.nameEn,
      enabled: yes(c.enabled),
      priority: c.priority,
      plan: c.steps.map((s) => step(s, lang)).join(lang === 'zh' ? '；' : '; '),
    })),
  );
  // The number key an agent presses is the outcome's place among the active ones, as on the tab.
  const active = settings.dispositions.filter((d) => d.active);
  sheet(
    { zh: '通话结果', en: 'Call outcomes' },
    DISPOSITION_COLUMNS,
    settings.dispositions.map((d) => ({
      key: d.active ? active.indexOf(d) + 1 : '',
      name: label(d),
      code: d.code,
      reached: yes(d.reached),
      unreachable: yes(d.unreachable),
      hideDays: d.hideDays,
      callback: yes(d.callback),
      active: yes(d.active),
    })),
  );
  const reasons = (list: CampaignSettings['feedback']) =>
    list.map((r) => ({ name: label(r), code: r.code, automatic: r.automatic ? YES[lang] : '', active: yes(r.active) }));
  sheet({ zh: '不来原因', en: 'Why not coming' }, REASON_COLUMNS, reasons(settings.feedback));
  sheet({ zh: '关闭原因', en: 'Close reasons' }, REASON_COLUMNS, reasons(settings.close));
  sheet(
    { zh: '年审规则', en: 'Inspection rules' },
    RULE_COLUMNS,
    settings.inspectionRules.map((r) => ({
      vehicleClass: r.vehicleClass,
      fromMonths: r.fromMonths,
      toMonths: r.toMonths,
      everyMonths: r.everyMonths,
      onSite: yes(r.onSite),
      note: r.noteZh ?? '',
    })),
  );
  return { buffer: Buffer.from(await book.xlsx.writeBuffer()), rows };
}
