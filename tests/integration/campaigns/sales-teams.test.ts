/**
 * Sales teams (销售团队) and 按销售团队分配 through the real composition root on a real SQLite file: the
 * team table's field errors, moving consultants between teams, the assignment's skip reasons, balancing
 * by open load within a team, idempotency, the 'any' filter bringing a task back to its team, and the
 * sales consultant in the supervisor's list and both Excel exports.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, nowIso } from '../../../db/ids';
import { addDays, addMonths } from '../../../main/campaigns';
import { dealerToday } from '../../../main/campaigns/handlers';
import type { CallContext } from '../../../main/rpc';
import type { Services } from '../../../main/services';
import type { RequestOutput } from '../../../preload/contract';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { call, ok, signIn, startServices } from '../../support/services';
import { addCustomer, addRepairOrder, addVehicle } from './fixture';

let services: Services;
let store: TestStore;
let cleanup: () => void;
let supervisor: CallContext;
let agent: CallContext;
const today = dealerToday();
/** Extra agents by display name (the test store has one per role). */
const staff: Record<string, string> = {};
/** Vehicle id → the consultant the test gives it. */
const cars = new Map<string, string | null>();


function addAgent(name: string): string {
  const id = newId();
  const at = nowIso();
  services.handle.sqlite
    .prepare(`insert into staff (id, dealer_id, username, display_name, role, password_hash, active, created_at, updated_at) values (?, ?, ?, ?, 'agent', 'x', 1, ?, ?)`)
    .run(id, store.dealerId, `agent-${name}`, name, at, at);
  staff[name] = id;
  return id;
}

/** A car whose 定保 fell due five days ago (its phone step is due), sold by `consultant`. */
function car(consultant: string | null) {
  const c = addCustomer(services.handle, store.dealerId, { name: `客户${cars.size}` });
  const v = addVehicle(services.handle, store.dealerId, c, { purchaseDate: null, purchasedHere: false });
  services.handle.sqlite.prepare('update vehicle set sales_consultant = ? where id = ?').run(consultant, v);
  addRepairOrder(services.handle, store.dealerId, v, { openedOn: addMonths(addDays(today, -5), -6), category: 'maintenance' });
  cars.set(v, consultant);
}

type Tasks = RequestOutput<'campaigns.tasks'>['items'];
const tasks = async (assigned: 'any' | 'unassigned' = 'any'): Promise<Tasks> => ok(await call(services, supervisor, 'campaigns.tasks', { assigned })).items;
const byConsultant = (items: Tasks, consultant: string | null) => items.filter((t) => t.salesConsultant === consultant);
const counts = (items: Tasks) => {
  const out: Record<string, number> = {};
  for (const t of items) if (t.assignedName) out[t.assignedName] = (out[t.assignedName] ?? 0) + 1;
  return out;
};

beforeAll(async () => {
  const tmp = tempDir('sales-teams-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  services = await startServices(store);
  for (const name of ['王一', '李二', '赵三']) addAgent(name);
  for (let i = 0; i < 6; i++) car('何俊杰');
  car('周志强');
  car('罗佩琪');
  car('郑婉婷');
  car('郑婉婷');
  car(null);
  car(null);
  supervisor = await signIn(services, store.staff.supervisor);
  agent = await signIn(services, store.staff.agent);
  ok(await call(services, supervisor, 'campaigns.generate', {}));
});
afterAll(async () => {
  await services.close();
  cleanup();
});

describe('sales teams', () => {
  it('are for supervisors only', async () => {
    for (const name of ['campaigns.config.salesTeams', 'campaigns.config.saveSalesTeam', 'campaigns.assignBySalesTeam', 'campaigns.config.exportSalesTeams'] as const) {
      const r = await call(services, agent, name, { name: 'x' });
      expect(r.ok ? null : r.error.code).toBe('FORBIDDEN');
    }
  });

  it('list the distinct consultants on the vehicles, each with its vehicle count and no team yet', async () => {
    expect((await tasks()).length).toBe(cars.size);
    const list = ok(await call(services, supervisor, 'campaigns.config.salesTeams', {}));
    expect(list.teams).toEqual([]);
    expect(Object.fromEntries(list.consultants.map((c) => [c.name, [c.vehicles, c.teamId]]))).toEqual({
      何俊杰: [6, null], 周志强: [1, null], 罗佩琪: [1, null], 郑婉婷: [2, null],
    });
  });

  it('refuse an empty or duplicate name and a stranger as agent at their fields', async () => {
    const empty = await call(services, supervisor, 'campaigns.config.saveSalesTeam', { name: '  ', staffIds: [], consultants: [] });
    expect(empty.ok ? null : empty.error).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'name', message: { zh: '团队名称为 1–40 个字符' } }] });
    ok(await call(services, supervisor, 'campaigns.config.saveSalesTeam', { name: '销售一组', staffIds: [], consultants: [] }));
    const twice = await call(services, supervisor, 'campaigns.config.saveSalesTeam', { name: ' 销售一组 ', staffIds: [], consultants: [] });
    expect(twice.ok ? null : twice.error).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'name', message: { zh: '已有同名的销售团队' } }] });
    const stranger = await call(services, supervisor, 'campaigns.config.saveSalesTeam', { name: '销售二组', staffIds: [newId()], consultants: [] });
    expect(stranger.ok ? null : stranger.error).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'staffIds' }] });
    // A supervisor is staff of this dealer but works no call queue: not a team's agent.
    const notAgent = await call(services, supervisor, 'campaigns.config.saveSalesTeam', { name: '销售二组', staffIds: [store.staff.supervisor.id], consultants: [] });
    expect(notAgent.ok ? null : notAgent.error).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'staffIds' }] });
    const missing = await call(services, supervisor, 'campaigns.config.deleteSalesTeam', { id: newId() });
    expect(missing.ok ? null : missing.error.code).toBe('NOT_FOUND');
  });

  it('rename a team and move a consultant from one team to another (a consultant is in one team)', async () => {
    let list = ok(await call(services, supervisor, 'campaigns.config.salesTeams', {}));
    const one = list.teams[0];
    if (!one) throw new Error('no team');
    list = ok(await call(services, supervisor, 'campaigns.config.saveSalesTeam', { id: one.id, name: '一组', staffIds: [staff['王一'], staff['李二']], consultants: ['何俊杰', '郑婉婷'] }));
    list = ok(await call(services, supervisor, 'campaigns.config.saveSalesTeam', { name: '二组', staffIds: [staff['赵三']], consultants: ['周志强', '郑婉婷'] }));
    list = ok(await call(services, supervisor, 'campaigns.config.saveSalesTeam', { name: '新组', staffIds: [], consultants: [] }));
    // 郑婉婷 left 一组 for 二组; 新组 has nobody to call yet.
    expect(list.teams.map((t) => [t.name, t.agents.map((a) => a.name), t.consultants])).toEqual([
      ['一组', ['李二', '王一'], ['何俊杰']],
      ['二组', ['赵三'], ['周志强', '郑婉婷']],
      ['新组', [], []],
    ]);
    const two = list.teams.find((t) => t.name === '二组');
    expect(list.consultants.find((c) => c.name === '郑婉婷')?.teamId).toBe(two?.id);
    expect(list.consultants.find((c) => c.name === '罗佩琪')?.teamId).toBeNull();
  });

  it('assign by sales team: skip reasons, balance by open load, and a second run assigns nothing', async () => {
    const list = ok(await call(services, supervisor, 'campaigns.config.salesTeams', {}));
    const fresh = list.teams.find((t) => t.name === '新组');
    if (!fresh) throw new Error('no 新组');
    // 周志强 goes to the team without agents; 王一 already has two open tasks (the cars without a consultant).
    ok(await call(services, supervisor, 'campaigns.config.saveSalesTeam', { id: fresh.id, name: '新组', staffIds: [], consultants: ['周志强'] }));
    const before = await tasks();
    const loose = byConsultant(before, null).map((t) => t.taskId);
    ok(await call(services, supervisor, 'campaigns.assign', { taskIds: loose, staffId: staff['王一'] }));

    const first = ok(await call(services, supervisor, 'campaigns.assignBySalesTeam', {}));
    expect(first).toEqual({ assigned: 8, kept: 0, skipped: { noConsultant: 0, noTeam: 1, noAgents: 1 } });
    const after = await tasks();
    // 一组's six: 李二 takes four (0 → 4), 王一 two (2 → 4); 二组's two both go to 赵三.
    expect(counts(byConsultant(after, '何俊杰'))).toEqual({ 李二: 4, 王一: 2 });
    expect(counts(byConsultant(after, '郑婉婷'))).toEqual({ 赵三: 2 });
    expect(byConsultant(after, '罗佩琪')[0]?.assignedStaffId).toBeNull();
    expect(byConsultant(after, '周志强')[0]?.assignedStaffId).toBeNull();

    const again = ok(await call(services, supervisor, 'campaigns.assignBySalesTeam', { assigned: 'unassigned' }));
    expect(again).toEqual({ assigned: 0, kept: 0, skipped: { noConsultant: 0, noTeam: 1, noAgents: 1 } });
    const everything = ok(await call(services, supervisor, 'campaigns.assignBySalesTeam', { assigned: 'any' }));
    expect(everything).toEqual({ assigned: 0, kept: 8, skipped: { noConsultant: 2, noTeam: 1, noAgents: 1 } });
    expect(await tasks()).toEqual(after);
  });

  it("with 'any', a task assigned outside its team comes back to the team; inactive agents get nothing", async () => {
    const zheng = byConsultant(await tasks(), '郑婉婷')[0];
    if (!zheng) throw new Error('no task of 郑婉婷');
    ok(await call(services, supervisor, 'campaigns.assign', { taskIds: [zheng.taskId], staffId: staff['王一'] }));
    expect(ok(await call(services, supervisor, 'campaigns.assignBySalesTeam', {})).assigned).toBe(0);
    expect(ok(await call(services, supervisor, 'campaigns.assignBySalesTeam', { assigned: 'any' })).assigned).toBe(1);
    expect((await tasks()).find((t) => t.taskId === zheng.taskId)?.assignedName).toBe('赵三');

    // 赵三 leaves: 二组 has no active agent, its tasks stay with him until someone else serves the team.
    services.handle.sqlite.prepare('update staff set active = 0 where id = ?').run(staff['赵三']);
    const r = ok(await call(services, supervisor, 'campaigns.assignBySalesTeam', { assigned: 'any' }));
    expect(r.skipped.noAgents).toBe(3);
    const list = ok(await call(services, supervisor, 'campaigns.config.salesTeams', {}));
    expect(list.teams.find((t) => t.name === '二组')?.agents).toEqual([{ staffId: staff['赵三'], name: '赵三', active: false }]);
    const inactive = await call(services, supervisor, 'campaigns.config.saveSalesTeam', { id: list.teams.find((t) => t.name === '二组')?.id, name: '二组', staffIds: [staff['赵三']], consultants: ['郑婉婷'] });
    expect(inactive.ok ? null : inactive.error).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'staffIds' }] });
  });

  it('export the team table and show the consultant in the task export; deleting a team frees its consultants', async () => {
    const file = ok(await call(services, supervisor, 'campaigns.config.exportSalesTeams', { lang: 'zh' }));
    expect(file.fileName).toBe(`销售团队_${today}.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer);
    const rows = (i: number) => book.worksheets[i]?.getSheetValues().filter(Boolean).map((r) => (Array.isArray(r) ? r.slice(1) : [])) ?? [];
    expect(rows(0).slice(0, 3)).toEqual([
      ['团队', '坐席', '销售顾问', '车辆数'],
      ['一组', '李二、王一', '何俊杰', 6],
      ['二组', '赵三（停用）', '郑婉婷', 2],
    ]);
    expect(rows(0)[3]).toEqual(expect.arrayContaining(['新组', '周志强', 1]));
    expect(book.worksheets.map((w) => w.name)).toEqual(['销售团队', '销售顾问']);
    expect(rows(1)).toContainEqual(['罗佩琪', '未分组', 1]);
    expect(file.truncated).toBe(false);
    const english = ok(await call(services, supervisor, 'campaigns.config.exportSalesTeams', { lang: 'en' }));
    const enBook = new ExcelJS.Workbook();
    await enBook.xlsx.load(Buffer.from(english.base64, 'base64') as unknown as ArrayBuffer);
    expect(enBook.worksheets.map((w) => w.name)).toEqual(['Sales teams', 'Consultants']);
    expect(enBook.worksheets[0]?.getRow(1).values).toEqual([undefined, 'Team', 'Agents', 'Consultants', 'Vehicles']);

    const tasksFile = ok(await call(services, supervisor, 'campaigns.exportTasks', { list: 'open', lang: 'zh' }));
    const tasksBook = new ExcelJS.Workbook();
    await tasksBook.xlsx.load(Buffer.from(tasksFile.base64, 'base64') as unknown as ArrayBuffer);
    const taskRows = tasksBook.worksheets[0]?.getSheetValues().filter(Boolean).map((r) => (Array.isArray(r) ? r.slice(1) : [])) ?? [];
    const col = taskRows[0]?.indexOf('销售顾问 Sales consultant') ?? -1;
    expect(col).toBeGreaterThan(0);
    expect(taskRows.filter((r) => r[col] === '何俊杰')).toHaveLength(6);

    const list = ok(await call(services, supervisor, 'campaigns.config.salesTeams', {}));
    const one = list.teams.find((t) => t.name === '一组');
    const after = ok(await call(services, supervisor, 'campaigns.config.deleteSalesTeam', { id: one?.id }));
    expect(after.teams.map((t) => t.name)).toEqual(['二组', '新组']);
    expect(after.consultants.find((c) => c.name === '何俊杰')).toEqual({ name: '何俊杰', vehicles: 6, teamId: null });
    // Tasks already assigned stay where they are; a new run now counts 何俊杰's as in no team.
    expect(counts(byConsultant(await tasks(), '何俊杰'))).toEqual({ 李二: 4, 王一: 2 });
    expect(ok(await call(services, supervisor, 'campaigns.assignBySalesTeam', { assigned: 'any' })).skipped.noTeam).toBe(7);
  });
});
