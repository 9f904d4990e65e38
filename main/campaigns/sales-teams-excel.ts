/**
 * The 销售团队 table of 活动设置 as an Excel workbook: one sheet of teams as the screen lists them (agents,
 * consultants, the vehicles those consultants sold) and one of every consultant with their team, so the
 * consultants still in no team stand out. Headers are bilingual; "no team" follows the screen's language.
 */
import ExcelJS from 'exceljs';
import type { ReportLang } from './report-excel';
import type { SalesConsultant, SalesTeam } from './sales-teams';

const NO_TEAM = { zh: '未分组', en: 'No team' };
const INACTIVE = { zh: '（停用）', en: ' (inactive)' };

export async function salesTeamsWorkbook(
  data: { teams: readonly SalesTeam[]; consultants: readonly SalesConsultant[] },
  lang: ReportLang,
): Promise<{ buffer: Buffer; rows: number }> {
  const workbook = new ExcelJS.Workbook();
  const sep = lang === 'zh' ? '、' : ', ';
  const vehiclesOf = new Map(data.consultants.map((c) => [c.name, c.vehicles]));

  const teams = workbook.addWorksheet('销售团队 Sales teams', { views: [{ state: 'frozen', ySplit: 1 }] });
  teams.columns = [
    { header: '团队 Team', key: 'name', width: 16 },
    { header: '坐席 Agents', key: 'agents', width: 30 },
    { header: '销售顾问 Consultants', key: 'consultants', width: 40 },
    { header: '车辆数 Vehicles', key: 'vehicles', width: 12 },
  ];
  for (const t of data.teams) {
    teams.addRow({
      name: t.name,
      agents: t.agents.map((a) => (a.active ? a.name : `${a.name}${INACTIVE[lang]}`)).join(sep),
      consultants: t.consultants.join(sep),
      vehicles: t.consultants.reduce((sum, c) => sum + (vehiclesOf.get(c) ?? 0), 0),
    });
  }
  teams.getRow(1).font = { bold: true };

  const teamName = new Map(data.teams.map((t) => [t.id, t.name]));
  const consultants = workbook.addWorksheet('销售顾问 Consultants', { views: [{ state: 'frozen', ySplit: 1 }] });
  consultants.columns = [
    { header: '销售顾问 Consultant', key: 'name', width: 16 },
    { header: '团队 Team', key: 'team', width: 16 },
    { header: '车辆数 Vehicles', key: 'vehicles', width: 12 },
  ];
  for (const c of data.consultants) {
    consultants.addRow({ name: c.name, team: (c.teamId && teamName.get(c.teamId)) ?? NO_TEAM[lang], vehicles: c.vehicles });
  }
  consultants.getRow(1).font = { bold: true };

  return { buffer: Buffer.from(await workbook.xlsx.writeBuffer()), rows: data.teams.length + data.consultants.length };
}
