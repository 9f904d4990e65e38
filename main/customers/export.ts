/** The search result list as an Excel file the agent can save (Chinese headers, one row per customer). */
import ExcelJS from 'exceljs';
import type { MemberTier } from '../../db/schema';
import type { CustomerHit } from '../../preload/contract';

const TIER_NAMES: Record<MemberTier, string> = { standard: '普通会员', silver: '银卡会员', gold: '金卡会员', platinum: '白金会员' };

/** The date in China (UTC+8), for the file name the agent sees. */
function chinaDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

export async function searchWorkbook(
  hits: readonly CustomerHit[],
  query: string,
  now: Date,
): Promise<{ fileName: string; base64: string; rows: number }> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = now;
  const sheet = workbook.addWorksheet('客户查询');
  sheet.columns = [
    { header: '姓名', key: 'name', width: 14 },
    { header: '手机', key: 'mobile', width: 16 },
    { header: '会员等级', key: 'tier', width: 12 },
    { header: '车牌', key: 'plates', width: 24 },
    { header: '车型', key: 'models', width: 24 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const hit of hits) {
    sheet.addRow({
      name: hit.name,
      mobile: hit.mobile ?? '',
      tier: hit.memberTier ? TIER_NAMES[hit.memberTier] : '',
      plates: hit.plates.join('、'),
      models: hit.models.join('、'),
    });
  }
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  sheet.headerFooter.oddHeader = `客户查询：${query.replaceAll('&', '&&')}`;
  const buffer = await workbook.xlsx.writeBuffer();
  return {
    fileName: `客户查询_${chinaDate(now)}.xlsx`,
    base64: Buffer.from(buffer).toString('base64'),
    rows: hits.length,
  };
}
