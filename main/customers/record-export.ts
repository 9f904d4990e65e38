/**
 * The lists of one customer's page (Customer 360) as an Excel workbook: vehicles, repair orders and the
 * contact history, a sheet each with the columns the page shows. No phone numbers: the contact card is
 * not a list, and the file stays one customer's service record. Headers, models, categories and entry
 * kinds follow the screen's language; times are Beijing time, amounts yuan.
 */
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { ContactEventKind, Database, RepairCategory } from '../../db/schema';
import type { ExportLang } from '../../preload/channels/kit';
import type { RequestOutput } from '../../preload/contract';
import { DEALER_UTC_OFFSET_MINUTES, localDateTime } from '../campaigns/dates';

type Bi = { zh: string; en: string };

const CATEGORY: Record<RepairCategory, Bi> = {
  first_service: { zh: '首保', en: 'First service' },
  maintenance: { zh: '保养', en: 'Maintenance' },
  repair: { zh: '维修', en: 'Repair' },
  warranty: { zh: '索赔', en: 'Warranty' },
  bodywork: { zh: '钣喷', en: 'Body & paint' },
  accessory: { zh: '精品附件', en: 'Accessories' },
  other: { zh: '其他', en: 'Other' },
};

const KIND: Record<ContactEventKind, Bi> = {
  call_in: { zh: '来电', en: 'Inbound call' },
  call_out: { zh: '去电', en: 'Outbound call' },
  sms_in: { zh: '收到短信', en: 'SMS received' },
  sms_out: { zh: '发送短信', en: 'SMS sent' },
  letter: { zh: '信函', en: 'Letter' },
  visit: { zh: '到店', en: 'Visit' },
  note: { zh: '备注', en: 'Note' },
  survey: { zh: '回访调查', en: 'Survey' },
  complaint: { zh: '投诉', en: 'Complaint' },
  profile_change: { zh: '资料变更', en: 'Profile change' },
};

const YES: Bi = { zh: '是', en: 'Yes' };
const NO: Bi = { zh: '否', en: 'No' };

const VEHICLE_COLUMNS = [
  { key: 'plate', zh: '车牌', en: 'Plate', width: 11 },
  { key: 'model', zh: '车型', en: 'Model', width: 12 },
  { key: 'vin', zh: 'VIN', en: 'VIN', width: 20 },
  { key: 'modelYear', zh: '年款', en: 'Model year', width: 10 },
  { key: 'color', zh: '颜色', en: 'Colour', width: 8 },
  { key: 'purchaseDate', zh: '购车日期', en: 'Purchased', width: 12 },
  { key: 'purchasedHere', zh: '本店购车', en: 'Bought here', width: 10 },
  { key: 'mileageKm', zh: '里程（km）', en: 'Mileage (km)', width: 12 },
  { key: 'mileageDate', zh: '里程日期', en: 'Mileage date', width: 12 },
] as const;

const REPAIR_COLUMNS = [
  { key: 'openedOn', zh: '日期', en: 'Date', width: 12 },
  { key: 'roNo', zh: '工单号', en: 'RO no.', width: 16 },
  { key: 'category', zh: '类别', en: 'Category', width: 12 },
  { key: 'plate', zh: '车牌', en: 'Plate', width: 11 },
  { key: 'model', zh: '车型', en: 'Model', width: 12 },
  { key: 'mileageKm', zh: '里程（km）', en: 'Mileage (km)', width: 12 },
  { key: 'amount', zh: '金额（元）', en: 'Amount (CNY)', width: 12 },
  { key: 'advisor', zh: '服务顾问', en: 'Advisor', width: 12 },
] as const;

const TIMELINE_COLUMNS = [
  { key: 'at', zh: '时间', en: 'When', width: 17 },
  { key: 'kind', zh: '类型', en: 'Kind', width: 12 },
  { key: 'summary', zh: '内容', en: 'Summary', width: 60 },
  { key: 'plate', zh: '车牌', en: 'Plate', width: 11 },
  { key: 'staff', zh: '坐席', en: 'Staff', width: 12 },
] as const;

export interface TimelineRow {
  occurred_at: string;
  kind: ContactEventKind;
  summary: string;
  vehicle_id: string | null;
  staff_name: string | null;
}

/** The customer's contact history, newest first, at most `limit` entries. */
export async function timelineRows(db: Kysely<Database>, dealerId: string, customerId: string, limit: number): Promise<TimelineRow[]> {
  return db
    .selectFrom('contact_event as e')
    .leftJoin('staff as s', 's.id', 'e.staff_id')
    .select(['e.occurred_at', 'e.kind', 'e.summary', 'e.vehicle_id', 's.display_name as staff_name'])
    .where('e.customer_id', '=', customerId)
    .where('e.dealer_id', '=', dealerId)
    .orderBy('e.occurred_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(limit)
    .execute();
}

/** A stored UTC time as the dealer reads it (Beijing time, no zone suffix). */
const beijing = (iso: string): string => localDateTime(new Date(iso), DEALER_UTC_OFFSET_MINUTES);

export async function recordWorkbook(
  record: RequestOutput<'customers.get'>,
  timeline: readonly TimelineRow[],
  options: { lang: ExportLang; modelNamesZh: Readonly<Record<string, string>> },
): Promise<Buffer> {
  const { lang } = options;
  const model = (m: string) => (lang === 'zh' ? (options.modelNamesZh[m] ?? m) : m);
  const book = new ExcelJS.Workbook();
  const sheet = (zh: string, en: string, columns: ReadonlyArray<{ key: string; zh: string; en: string; width: number }>) => {
    const ws = book.addWorksheet(lang === 'zh' ? zh : en, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map((c) => ({ key: c.key, header: c[lang], width: c.width }));
    ws.getRow(1).font = { bold: true };
    // Whose record a printed sheet is ('&' starts a code in Excel headers).
    ws.headerFooter.oddHeader = record.customer.name.replaceAll('&', '&&');
    return ws;
  };

  const vehicles = sheet('车辆', 'Vehicles', VEHICLE_COLUMNS);
  for (const v of record.vehicles) {
    vehicles.addRow({
      plate: v.plate ?? '',
      model: model(v.model),
      vin: v.vin,
      modelYear: v.modelYear,
      color: v.color ?? '',
      purchaseDate: v.purchaseDate ?? '',
      purchasedHere: (v.purchasedHere ? YES : NO)[lang],
      mileageKm: v.mileageKm,
      mileageDate: v.mileageDate ?? '',
    });
  }

  const repairs = sheet('维修记录', 'Repair orders', REPAIR_COLUMNS);
  for (const ro of record.repairOrders) {
    repairs.addRow({
      openedOn: ro.openedOn,
      roNo: ro.roNo,
      category: CATEGORY[ro.category][lang],
      plate: ro.plate ?? '',
      model: model(ro.model),
      mileageKm: ro.mileageKm,
      amount: ro.totalFen / 100,
      advisor: ro.advisor ?? '',
    });
  }
  repairs.getColumn('amount').numFmt = '#,##0.00';

  const plates = new Map(record.vehicles.map((v) => [v.id, v.plate ?? v.vin]));
  const contacts = sheet('联系记录', 'Contact history', TIMELINE_COLUMNS);
  for (const e of timeline) {
    contacts.addRow({
      at: beijing(e.occurred_at),
      kind: KIND[e.kind][lang],
      summary: e.summary,
      plate: e.vehicle_id ? (plates.get(e.vehicle_id) ?? '') : '',
      staff: e.staff_name ?? '',
    });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
