/**
 * Appointments as an Excel workbook, shared by the three lists that export them (预约列表, 日视图 and
 * 爽约跟进): one row per appointment with the columns the screens show, the follow-up call last; the day
 * view adds its slots (capacity, booked, remaining) on a second sheet; 时段设置's weekly table has a
 * workbook of its own. Headers, statuses, service types,
 * campaigns and models follow the screen's language (雅阁 on a Chinese desk).
 */
import ExcelJS from 'exceljs';
import type { AppointmentStatus } from '../../db/tables/campaigns';
import { isServiceType, SERVICE_TYPE_LABELS, type AppointmentDto, type SlotAvailabilityDto, type SlotDto } from '../../preload/channels/appointments';
import type { ExportLang } from '../../preload/channels/kit';
import { DEALER_UTC_OFFSET_MINUTES, localDateTime } from '../campaigns/dates';

const STATUS: Record<AppointmentStatus, { zh: string; en: string }> = {
  booked: { zh: '已预约', en: 'Booked' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
  arrived: { zh: '已到店', en: 'Arrived' },
  no_show: { zh: '爽约', en: 'No-show' },
};

const COLUMNS = [
  { key: 'date', zh: '预约日期', en: 'Date', width: 12 },
  { key: 'slot', zh: '时段', en: 'Slot', width: 13 },
  { key: 'customer', zh: '客户', en: 'Customer', width: 12 },
  { key: 'mobile', zh: '手机', en: 'Mobile', width: 14 },
  { key: 'plate', zh: '车牌', en: 'Plate', width: 11 },
  { key: 'model', zh: '车型', en: 'Model', width: 12 },
  { key: 'service', zh: '服务类型', en: 'Service', width: 12 },
  { key: 'advisor', zh: '服务顾问', en: 'Advisor', width: 12 },
  { key: 'status', zh: '状态', en: 'Status', width: 9 },
  { key: 'campaign', zh: '来源活动', en: 'Campaign', width: 16 },
  { key: 'bookedBy', zh: '预约人', en: 'Booked by', width: 12 },
  { key: 'note', zh: '备注', en: 'Note', width: 24 },
  { key: 'cancelReason', zh: '取消原因', en: 'Cancel reason', width: 20 },
  { key: 'followup', zh: '爽约回访', en: 'Follow-up', width: 24 },
  { key: 'followedUpBy', zh: '回访人', en: 'Followed up by', width: 12 },
  { key: 'followedUpAt', zh: '回访时间', en: 'Followed up at', width: 17 },
] as const;

const SLOT_COLUMNS = [
  { key: 'slot', zh: '时段', en: 'Slot', width: 13 },
  { key: 'capacity', zh: '可约数', en: 'Capacity', width: 10 },
  { key: 'booked', zh: '已约', en: 'Booked', width: 10 },
  { key: 'remaining', zh: '剩余', en: 'Remaining', width: 10 },
] as const;

export const SHEET_NAMES = {
  appointments: { zh: '预约', en: 'Appointments' },
  noShows: { zh: '爽约跟进', en: 'No-shows' },
  slots: { zh: '时段', en: 'Slots' },
} as const;

/** A stored UTC time as the dealer reads it (Beijing time, no zone suffix). */
const beijing = (iso: string): string => localDateTime(new Date(iso), DEALER_UTC_OFFSET_MINUTES);

export interface AppointmentsWorkbookOptions {
  lang: ExportLang;
  sheet: keyof typeof SHEET_NAMES;
  modelNamesZh?: Readonly<Record<string, string>>;
  /** The day view's slots, as a second sheet. */
  slots?: readonly SlotAvailabilityDto[];
}

export async function appointmentsWorkbook(rows: readonly AppointmentDto[], options: AppointmentsWorkbookOptions): Promise<Buffer> {
  const { lang } = options;
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(SHEET_NAMES[options.sheet][lang], { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({ key: c.key, header: c[lang], width: c.width }));
  for (const r of rows) {
    sheet.addRow({
      date: r.date,
      slot: r.endTime ? `${r.startTime}–${r.endTime}` : r.startTime,
      customer: r.customerName,
      mobile: r.mobile ?? '',
      plate: r.plate ?? '',
      model: r.model === null ? '' : lang === 'zh' ? (options.modelNamesZh?.[r.model] ?? r.model) : r.model,
      // Older rows hold free text: written as stored.
      service: isServiceType(r.serviceType) ? SERVICE_TYPE_LABELS[r.serviceType][lang] : r.serviceType,
      advisor: r.advisor ?? '',
      status: STATUS[r.status][lang],
      campaign: (lang === 'zh' ? r.campaignNameZh : r.campaignNameEn) ?? '',
      bookedBy: r.bookedByName ?? '',
      note: r.note ?? '',
      cancelReason: r.cancelReason ?? '',
      followup: r.followupRemark ?? '',
      followedUpBy: r.followedUpByName ?? '',
      followedUpAt: r.followedUpAt ? beijing(r.followedUpAt) : '',
    });
  }
  sheet.getRow(1).font = { bold: true };

  if (options.slots) {
    const slots = book.addWorksheet(SHEET_NAMES.slots[lang], { views: [{ state: 'frozen', ySplit: 1 }] });
    slots.columns = SLOT_COLUMNS.map((c) => ({ key: c.key, header: c[lang], width: c.width }));
    for (const s of options.slots) slots.addRow({ slot: `${s.startTime}–${s.endTime}`, capacity: s.capacity, booked: s.booked, remaining: s.remaining });
    slots.getRow(1).font = { bold: true };
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

const WEEKDAY = {
  zh: ['周日', '周一', '周二', '周三', '周四', '周五', '周六'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
} as const;

const SETTING_COLUMNS = [
  { key: 'weekday', zh: '星期', en: 'Weekday', width: 10 },
  { key: 'startTime', zh: '开始', en: 'Start', width: 8 },
  { key: 'endTime', zh: '结束', en: 'End', width: 8 },
  { key: 'capacity', zh: '可约数', en: 'Capacity', width: 10 },
] as const;

/** The saved weekly slots, Monday first as the tab lists them. */
export async function slotSettingsWorkbook(slots: readonly SlotDto[], lang: ExportLang): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(lang === 'zh' ? '预约时段' : 'Slots', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = SETTING_COLUMNS.map((c) => ({ key: c.key, header: c[lang], width: c.width }));
  const mondayFirst = (w: number) => (w + 6) % 7;
  const ordered = [...slots].sort((a, b) => mondayFirst(a.weekday) - mondayFirst(b.weekday) || a.startTime.localeCompare(b.startTime));
  for (const s of ordered) sheet.addRow({ weekday: WEEKDAY[lang][s.weekday] ?? String(s.weekday), startTime: s.startTime, endTime: s.endTime, capacity: s.capacity });
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}
