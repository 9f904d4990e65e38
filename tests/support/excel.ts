/** Reading an export back as a user's Excel would: the workbook from the channel's base64, a sheet as rows of cell values. */
import ExcelJS from 'exceljs';

export async function readWorkbook(base64: string): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Uint8Array.from(Buffer.from(base64, 'base64')).buffer);
  return book;
}

/** Every row of the sheet (header first) as its cell values from column A; empty cells are undefined. */
export function sheetRows(sheet: ExcelJS.Worksheet | undefined): unknown[][] {
  if (!sheet) throw new Error('no such sheet');
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const values = row.values;
    rows.push(Array.isArray(values) ? values.slice(1) : []);
  });
  return rows;
}
