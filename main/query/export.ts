/**
 * Excel export of a result list (exceljs): the query's sentence on top so a printed list says what it
 * is, then one row per customer. Details are read in chunks so 100k customers do not mean one giant
 * IN list.
 */
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { tierOptions } from './catalog';
import { describeCustomers } from './run';
import type { Lang } from './sentence';

export interface ExportOptions {
  lang: Lang;
  title?: string;
  sentence: string;
  modelNamesZh?: Readonly<Record<string, string>>;
}

const HEADERS = {
  zh: ['姓名', '性别', '手机', '城市', '会员等级', '车型', '车牌', '最近进厂'],
  en: ['Name', 'Gender', 'Mobile', 'City', 'Member tier', 'Models', 'Plates', 'Last visit'],
};
const CHUNK = 500;

function safeFileName(s: string): string {
  return s.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 60) || 'query';
}

export async function exportWorkbook(
  db: Kysely<Database>,
  ids: readonly string[],
  options: ExportOptions,
): Promise<{ fileName: string; data: Buffer; rows: number }> {
  const zh = options.lang === 'zh';
  const title = options.title ?? (zh ? '查询结果' : 'Query result');
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(zh ? '客户名单' : 'Customers');
  sheet.addRow([title]).font = { bold: true, size: 14 };
  sheet.addRow([options.sentence]);
  sheet.addRow([zh ? `共 ${ids.length} 位客户` : `${ids.length} customers`]);
  const header = sheet.addRow(HEADERS[options.lang]);
  header.font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 4 }];
  sheet.columns.forEach((c, i) => (c.width = [12, 6, 14, 10, 10, 24, 24, 12][i] ?? 12));

  const gender = (g: 'M' | 'F' | null) => (g === null ? '' : zh ? (g === 'M' ? '男' : '女') : g === 'M' ? 'male' : 'female');
  const tier = (t: string | null) => (t === null ? '' : (tierOptions.find((o) => o.value === t)?.label[options.lang] ?? t));
  const model = (m: string) => (zh ? (options.modelNamesZh?.[m] ?? m) : m);
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const r of await describeCustomers(db, ids.slice(i, i + CHUNK))) {
      sheet.addRow([
        r.name,
        gender(r.gender),
        r.mobile ?? '',
        r.city ?? '',
        tier(r.memberTier),
        r.vehicles.map((v) => model(v.model)).join(zh ? '、' : ', '),
        r.vehicles.map((v) => v.plate ?? '').filter((p) => p !== '').join(zh ? '、' : ', '),
        r.lastVisit ?? '',
      ]);
    }
  }
  const data = Buffer.from(await book.xlsx.writeBuffer());
  return { fileName: `${safeFileName(title)}.xlsx`, data, rows: ids.length };
}
