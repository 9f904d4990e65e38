/**
 * The 销售团队 table of 活动设置 as an Excel workbook: one sheet of teams as the screen lists them (agents,
 * consultants, the vehicles those consultants sold) and one of every consultant with their team, so the
 * consultants still in no team stand out. Sheet names and headers follow the screen's language, like every export.
 */
import ExcelJS from 'exceljs';
import type { ReportLang } from './report-excel';
import type { SalesConsultant, SalesTeam } from './sales-teams';

const NO_TEAM = { zh: '未分组', en: 'No team' };
const INACTIVE = { zh: '（停用）', en: ' (inactive)' };
const TEXT = {
  zh: { teams: '销售团队', consultants: '销售顾问', team: '团队', agents: '坐席', consultant: '销售顾问', vehicles: '车辆数' },
  en: { teams: 'Sales teams', consultants: 'Consultants', team: 'Team', agents: 'Agents', consultant: 'Consultant', vehicles: 'Vehicles' },
} as const;

export async function salesTeamsWorkbook(
  data: { teams: readonly SalesTeam[]; consultants: readonly SalesConsultant[] },
  lang: ReportLang,
): Promise<{ buffer: Buffer; rows: number }> {
  const workbook = new ExcelJS.Workbook();
  const sep = lang === 'zh' ? '、' : ', ';
  const vehiclesOf = new Map(data.consultants.map((c) => [c.name, c.vehicles]));
  const text = TEXT[lang];

  const teams = workbook.addWorksheet(text.teams, { views: [{ state: 'frozen', ySplit: 1 }] });
  teams.columns = [
    { header: text.team, key: 'name', width: 16 },
    { header: text.agents, key: 'agents', width: 30 },
    { header: text.consultants, key: 'consultants', width: 40 },
    { header: text.vehicles, key: 'vehicles', width: 12 },
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
  const consultants = workbook.addWorksheet(text.consultants, { views: [{ state: 'frozen', ySplit: 1 }] });
  consultants.columns = [
    { header: text.consultant, key: 'name', width: 16 },
    { header: text.team, key: 'team', width: 16 },
    { header: text.vehicles, key: 'vehicles', width: 12 },
  ];
  for (const c of data.consultants) {
    consultants.addRow({ name: c.name, team: (c.teamId && teamName.get(c.teamId)) ?? NO_TEAM[lang], vehicles: c.vehicles });
  }
  consultants.getRow(1).font = { bold: true };

  return { buffer: Buffer.from(await workbook.xlsx.writeBuffer()), rows: data.teams.length + data.consultants.length };
}
