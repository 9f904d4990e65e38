/** The reconciliation list as an Excel file (Chinese headers, one row per field difference). */
import ExcelJS from 'exceljs';
import type { DiffBucket, DiffItem } from './reconcile';
import { FIELD_LABELS, type DmsEntity } from './records';

const BUCKET_NAMES: Record<DiffBucket, string> = { dms_newer: 'DMS较新', ws_newer: '工作站较新', only_dms: '仅DMS有', only_ws: '仅工作站有' };
const ENTITY_NAMES: Record<DmsEntity, string> = { customer: '客户', vehicle: '车辆', repair_order: '工单' };

const cell = (v: string | number | boolean | null): string | number => (v === null ? '' : typeof v === 'boolean' ? (v ? '是' : '否') : v);

export async function diffWorkbook(items: readonly DiffItem[], bucket: DiffBucket, now: Date): Promise<{ fileName: string; base64: string; rows: number }> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = now;
  const sheet = workbook.addWorksheet(BUCKET_NAMES[bucket]);
  sheet.columns = [
    { header: '类型', key: 'entity', width: 8 },
    { header: '记录', key: 'label', width: 30 },
    { header: 'DMS 编号', key: 'dmsId', width: 14 },
    { header: '字段', key: 'field', width: 12 },
    { header: '工作站的值', key: 'local', width: 24 },
    { header: 'DMS 的值', key: 'dms', width: 24 },
    { header: 'DMS 更新时间', key: 'updatedAt', width: 22 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const item of items) {
    const base = { entity: ENTITY_NAMES[item.entity], label: item.label, dmsId: item.dmsId ?? '', updatedAt: item.dmsUpdatedAt ?? '' };
    if (item.fields.length === 0) sheet.addRow(base);
    for (const f of item.fields) sheet.addRow({ ...base, field: FIELD_LABELS[f.field]?.zh ?? f.field, local: cell(f.local), dms: cell(f.dms) });
  }
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const buffer = await workbook.xlsx.writeBuffer();
  const day = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return { fileName: `DMS差异_${BUCKET_NAMES[bucket]}_${day}.xlsx`, base64: Buffer.from(buffer).toString('base64'), rows: items.length };
}
