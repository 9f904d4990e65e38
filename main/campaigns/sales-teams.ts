/**
 * Sales teams (销售团队) and assigning reminder tasks by them (issue 5 item 6: "by the customer's sales
 * team"). The DMS names each vehicle's sales consultant; supervisors group consultants into teams and
 * say which call-center agents serve each team. A task goes to an agent of the team of its vehicle's
 * consultant — with several agents, to the one with the fewest open call tasks at that moment, so a
 * batch is dealt out evenly on top of what each already has.
 */
import { sql } from 'kysely';
import type { DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';
import { fieldError, ServiceError } from '../rpc';
import { OPEN } from './open-task';

/** The steps agents call: what the supervisor's task list shows and assigns. */
const CALL_CHANNELS = ['phone', 'reason_call'] as const;

export interface SalesTeam {
  id: string;
  name: string;
  /** Agents by display name; inactive ones are listed (so they can be taken out) but never assigned. */
  agents: { staffId: string; name: string; active: boolean }[];
  consultants: string[];
}

export interface SalesConsultant {
  name: string;
  /** Live vehicles of the dealer naming this consultant (0: only kept in a team). */
  vehicles: number;
  teamId: string | null;
}

export interface SalesTeamInput {
  /** Absent: a new team. */
  id?: string | undefined;
  name: string;
  staffIds: readonly string[];
  consultants: readonly string[];
}

export interface TeamAssignResult {
  assigned: number;
  /** Already with an agent of the right team: left alone. */
  kept: number;
  skipped: { noConsultant: number; noTeam: number; noAgents: number };
  /** The tasks whose assignee changed, for change events. */
  changedIds: string[];
}

type Candidate = { id: string; assigned_staff_id: string | null; consultant: string | null; team_id: string | null };

export function createSalesTeams(handle: DbHandle) {
  const { db, sqlite } = handle;
  // The one statement run per task in a batch of up to thousands: compiled once.
  const setAssignee = sqlite.prepare<[{ staff: string; now: string; id: string; dealer: string }]>(
    sql`update campaign_task set assigned_staff_id = ${sql.raw('@staff')}, updated_at = ${sql.raw('@now')}
      where id = ${sql.raw('@id')} and dealer_id = ${sql.raw('@dealer')} and status = 'open'`.compile(db).sql,
  );

  async function list(dealerId: string): Promise<{ teams: SalesTeam[]; consultants: SalesConsultant[] }> {
    const teams = await db.selectFrom('sales_team').select(['id', 'name']).where('dealer_id', '=', dealerId).orderBy('name').execute();
    const agents = await db
      .selectFrom('sales_team_agent as a')
      .innerJoin('staff as s', 's.id', 'a.staff_id')
      .select(['a.team_id', 'a.staff_id', 's.display_name', 's.active'])
      .where('a.dealer_id', '=', dealerId)
      .orderBy('s.display_name')
      .orderBy('s.id')
      .execute();
    const members = await db
      .selectFrom('sales_team_consultant')
      .select(['consultant', 'team_id'])
      .where('dealer_id', '=', dealerId)
      .orderBy('consultant')
      .execute();
    const onVehicles = await db
      .selectFrom('vehicle')
      .select('sales_consultant')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('dealer_id', '=', dealerId)
      .where('sales_consultant', 'is not', null)
      .where('deleted_at', 'is', null)
      .groupBy('sales_consultant')
      .execute();
    const teamOf = new Map(members.map((m) => [m.consultant, m.team_id]));
    const vehicles = new Map<string, number>();
    for (const r of onVehicles) if (r.sales_consultant !== null) vehicles.set(r.sales_consultant, Number(r.n));
    const names = [...new Set([...vehicles.keys(), ...teamOf.keys()])].sort((a, b) => a.localeCompare(b, 'zh-CN'));
    return {
      teams: teams.map((t) => ({
        id: t.id,
        name: t.name,
        agents: agents.filter((a) => a.team_id === t.id).map((a) => ({ staffId: a.staff_id, name: a.display_name, active: a.active === 1 })),
        consultants: members.filter((m) => m.team_id === t.id).map((m) => m.consultant),
      })),
      consultants: names.map((name) => ({ name, vehicles: vehicles.get(name) ?? 0, teamId: teamOf.get(name) ?? null })),
    };
  }

  const duplicateName = () => fieldError('VALIDATION', 'name', { zh: '已有同名的销售团队', en: 'There is already a sales team with this name' });

  /** Creates or changes a team; returns its id. Consultants listed move here from any other team. */
  async function save(dealerId: string, input: SalesTeamInput): Promise<string> {
    const name = input.name.trim();
    const staffIds = [...new Set(input.staffIds)];
    const consultants = [...new Set(input.consultants.map((c) => c.trim()))];
    if (input.id) {
      const exists = await db.selectFrom('sales_team').select('id').where('id', '=', input.id).where('dealer_id', '=', dealerId).executeTakeFirst();
      if (!exists) throw new ServiceError('NOT_FOUND');
    }
    const same = await db.selectFrom('sales_team').select('id').where('dealer_id', '=', dealerId).where('name', '=', name).executeTakeFirst();
    if (same && same.id !== input.id) throw duplicateName();
    if (staffIds.length > 0) {
      // Only agents work call queues: a supervisor or IT account in a team would be handed call tasks.
      const found = await db
        .selectFrom('staff')
        .select('id')
        .where('dealer_id', '=', dealerId)
        .where('active', '=', 1)
        .where('role', '=', 'agent')
        .where('id', 'in', staffIds)
        .execute();
      if (found.length !== staffIds.length) throw fieldError('VALIDATION', 'staffIds', { zh: '请选择本店在职的坐席（角色为坐席）', en: 'Choose active agents (role agent) of this dealer' });
    }
    const id = input.id ?? newId();
    const at = nowIso();
    try {
      await db.transaction().execute(async (tx) => {
        if (input.id) await tx.updateTable('sales_team').set({ name, updated_at: at }).where('id', '=', id).execute();
        else await tx.insertInto('sales_team').values({ id, dealer_id: dealerId, name, created_at: at, updated_at: at }).execute();
        await tx.deleteFrom('sales_team_agent').where('team_id', '=', id).execute();
        if (staffIds.length > 0) {
          await tx.insertInto('sales_team_agent').values(staffIds.map((staffId) => ({ team_id: id, staff_id: staffId, dealer_id: dealerId, created_at: at }))).execute();
        }
        let out = tx.deleteFrom('sales_team_consultant').where('team_id', '=', id);
        if (consultants.length > 0) out = out.where('consultant', 'not in', consultants);
        await out.execute();
        for (let i = 0; i < consultants.length; i += 200) {
          await tx
            .insertInto('sales_team_consultant')
            .values(consultants.slice(i, i + 200).map((consultant) => ({ dealer_id: dealerId, consultant, team_id: id, created_at: at, updated_at: at })))
            .onConflict((oc) => oc.columns(['dealer_id', 'consultant']).doUpdateSet({ team_id: id, updated_at: at }))
            .execute();
        }
      });
    } catch (e) {
      // Two supervisors naming two teams alike at once: the unique index decides, with the same field message.
      if (e instanceof Error && /UNIQUE constraint failed: sales_team\.dealer_id, sales_team\.name/.test(e.message)) throw duplicateName();
      throw e;
    }
    return id;
  }

  async function remove(dealerId: string, id: string): Promise<void> {
    const r = await db.deleteFrom('sales_team').where('id', '=', id).where('dealer_id', '=', dealerId).executeTakeFirst();
    if (r.numDeletedRows === 0n) throw new ServiceError('NOT_FOUND');
  }

  /**
   * 按销售团队分配 in one transaction: the filter's open call tasks in the list's order, each to the
   * least-loaded active agent of its consultant's team (ties: by name). Moving a task off another agent
   * lowers that agent's load; a task already with an agent of the right team is kept, so a rerun is a no-op.
   */
  function assign(dealerId: string, filter: 'any' | 'unassigned'): TeamAssignResult {
    let candidates = db
      .selectFrom('campaign_task as t')
      .leftJoin('vehicle as v', 'v.id', 't.vehicle_id')
      .leftJoin('sales_team_consultant as m', (j) => j.onRef('m.dealer_id', '=', 't.dealer_id').onRef('m.consultant', '=', 'v.sales_consultant'))
      .select(['t.id', 't.assigned_staff_id', 'v.sales_consultant as consultant', 'm.team_id'])
      .where('t.dealer_id', '=', dealerId)
      .where('t.status', '=', OPEN)
      .where('t.step_channel', 'in', [...CALL_CHANNELS]);
    if (filter === 'unassigned') candidates = candidates.where('t.assigned_staff_id', 'is', null);
    const tasksQuery = candidates.orderBy('t.step_on').orderBy('t.priority', 'desc').orderBy('t.due_on').orderBy('t.id').compile();
    const agentsQuery = db
      .selectFrom('sales_team_agent as a')
      .innerJoin('staff as s', 's.id', 'a.staff_id')
      .select(['a.team_id', 'a.staff_id'])
      .where('a.dealer_id', '=', dealerId)
      .where('s.active', '=', 1)
      .orderBy('s.display_name')
      .orderBy('s.id')
      .compile();
    const loadQuery = db
      .selectFrom('campaign_task')
      .select('assigned_staff_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('dealer_id', '=', dealerId)
      .where('status', '=', 'open')
      .where('step_channel', 'in', [...CALL_CHANNELS])
      .where('assigned_staff_id', 'is not', null)
      .groupBy('assigned_staff_id')
      .compile();

    return sqlite.transaction((): TeamAssignResult => {
      const result: TeamAssignResult = { assigned: 0, kept: 0, skipped: { noConsultant: 0, noTeam: 0, noAgents: 0 }, changedIds: [] };
      const agentsOf = new Map<string, string[]>();
      for (const a of sqlite.prepare<unknown[], { team_id: string; staff_id: string }>(agentsQuery.sql).all(...agentsQuery.parameters)) {
        agentsOf.set(a.team_id, [...(agentsOf.get(a.team_id) ?? []), a.staff_id]);
      }
      const load = new Map<string, number>();
      for (const r of sqlite.prepare<unknown[], { assigned_staff_id: string; n: number }>(loadQuery.sql).all(...loadQuery.parameters)) {
        load.set(r.assigned_staff_id, Number(r.n));
      }
      const now = nowIso();
      for (const t of sqlite.prepare<unknown[], Candidate>(tasksQuery.sql).all(...tasksQuery.parameters)) {
        if (t.consultant === null) result.skipped.noConsultant += 1;
        else if (t.team_id === null) result.skipped.noTeam += 1;
        else {
          const agents = agentsOf.get(t.team_id) ?? [];
          if (agents.length === 0) result.skipped.noAgents += 1;
          else if (t.assigned_staff_id !== null && agents.includes(t.assigned_staff_id)) result.kept += 1;
          else {
            // The first agent with the fewest open tasks; agents are in name order, so ties go the same way every time.
            let pick = agents[0] ?? '';
            for (const a of agents) if ((load.get(a) ?? 0) < (load.get(pick) ?? 0)) pick = a;
            setAssignee.run({ staff: pick, now, id: t.id, dealer: dealerId });
            load.set(pick, (load.get(pick) ?? 0) + 1);
            if (t.assigned_staff_id !== null) load.set(t.assigned_staff_id, (load.get(t.assigned_staff_id) ?? 1) - 1);
            result.assigned += 1;
            result.changedIds.push(t.id);
          }
        }
      }
      return result;
    })();
  }

  return { list, save, remove, assign };
}

export type SalesTeams = ReturnType<typeof createSalesTeams>;
