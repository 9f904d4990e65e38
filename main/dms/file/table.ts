/**
 * Reads a CSV or XLSX export into a header row and data rows of cells (string, number, Date or null).
 * XLSX is recognised by its ZIP signature, not by the file name, because exports get renamed.
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { DmsError } from '../connector';
import { decodeText, type TextEncodingName } from './decode';

export type Cell = string | number | Date | null;
export interface SheetRow {
  /** 1-based line/row number in the file, as people count in Excel. */
  rowNo: number;
  cells: Cell[];
}
export interface FileTable {
  format: 'csv' | 'xlsx';
  encoding: TextEncodingName | null;
  headers: string[];
  rows: SheetRow[];
}

const badFile = (zh: string, en: string) => new DmsError('DMS_BAD_FILE', { zh, en });

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function pickDelimiter(firstLine: string): string {
  const counts = [',', '\t', ';', '|'].map((d) => [d, firstLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0] && counts[0][1] > 0 ? counts[0][0] : ',';
}

const filled = (r: SheetRow) => r.cells.filter((c) => c !== null && String(c).trim() !== '').length;

/** Exports often put a title or the export date above the header: the header is the fullest of the first rows. */
function headerIndex(rows: SheetRow[]): number {
  let best = -1;
  for (let i = 0; i < Math.min(rows.length, 10); i++) {
    const row = rows[i];
    if (row && filled(row) > 0 && (best < 0 || filled(row) > filled(rows[best] ?? row))) best = i;
  }
  return best;
}

function splitHeader(rows: SheetRow[], format: 'csv' | 'xlsx', encoding: TextEncodingName | null): FileTable {
  const at = headerIndex(rows);
  if (at < 0) throw badFile('文件中没有数据', 'The file has no data');
  const headerRow = rows[at];
  const headers = (headerRow?.cells ?? []).map((c) => (c === null ? '' : String(c).trim()));
  const data = rows.slice(at + 1).filter((r) => filled(r) > 0);
  return { format, encoding, headers, rows: data };
}

function readCsv(bytes: Uint8Array): FileTable {
  const { text, encoding } = decodeText(bytes);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  let records: string[][];
  try {
    records = parse(text, { delimiter: pickDelimiter(firstLine), relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true });
  } catch (e) {
    throw badFile(`CSV 文件无法解析：${e instanceof Error ? e.message : String(e)}`, `The CSV file cannot be parsed: ${e instanceof Error ? e.message : String(e)}`);
  }
  return splitHeader(records.map((cells, i) => ({ rowNo: i + 1, cells: cells.map((c) => (c === '' ? null : c)) })), 'csv', encoding);
}

function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (v instanceof Date) return v;
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('text' in v && typeof v.text === 'string') return v.text;
  if ('result' in v) return v.result === undefined ? null : cellValue(v.result as ExcelJS.CellValue);
  if ('error' in v) return null;
  return null;
}

async function readXlsx(bytes: Uint8Array): Promise<FileTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types want the pre-generic Buffer; a copied Buffer is exactly that at run time.
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch (e) {
    throw badFile(`Excel 文件无法打开：${e instanceof Error ? e.message : String(e)}`, `The Excel file cannot be opened: ${e instanceof Error ? e.message : String(e)}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw badFile('Excel 文件中没有工作表', 'The Excel file has no worksheet');
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNo) => {
    const cells: Cell[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) cells.push(cellValue(row.getCell(c).value));
    rows.push({ rowNo, cells });
  });
  return splitHeader(rows, 'xlsx', null);
}

export async function readTable(bytes: Uint8Array): Promise<FileTable> {
  if (bytes.byteLength === 0) throw badFile('文件是空的', 'The file is empty');
  return isZip(bytes) ? readXlsx(bytes) : readCsv(bytes);
}
