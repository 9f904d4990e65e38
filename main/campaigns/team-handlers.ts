/**
 * Contract handlers of sales teams (销售团队, supervisors): the team table of 活动设置 — list, save,
 * delete and its Excel export — and 按销售团队分配 on the 生成与分配 tab.
 */
import type { DbHandle } from '../../db/connection';
import { staffOf, type EventSink, type HandlerMap } from '../rpc';
import { localDate, DEALER_UTC_OFFSET_MINUTES } from './dates';
import type { Campaigns } from './index';
import { salesTeamsWorkbook } from './sales-teams-excel';

/** Change events per bulk assignment, as the other bulk assigns send them: enough to refresh open screens. */
const EVENT_LIMIT = 200;

export function createSalesTeamHandlers(deps: { handle: DbHandle; campaigns: Campaigns; emit: EventSink; now: () => Date }): HandlerMap {
  const teams = deps.campaigns.salesTeams;
  return {
    'campaigns.config.salesTeams': async (_input, ctx) => teams.list(staffOf(ctx).dealerId),

    'campaigns.config.saveSalesTeam': async (input, ctx) => {
      const me = staffOf(ctx);
      await teams.save(me.dealerId, input);
      return teams.list(me.dealerId);
    },

    'campaigns.config.deleteSalesTeam': async (input, ctx) => {
      const me = staffOf(ctx);
      await teams.remove(me.dealerId, input.id);
      return teams.list(me.dealerId);
    },

    'campaigns.config.exportSalesTeams': async (input, ctx) => {
      const me = staffOf(ctx);
      const { buffer, rows } = await salesTeamsWorkbook(await teams.list(me.dealerId), input.lang);
      const day = localDate(deps.now(), DEALER_UTC_OFFSET_MINUTES);
      // A dealer's teams and consultants are a few dozen rows: never cut.
      return { fileName: `销售团队_${day}.xlsx`, base64: buffer.toString('base64'), rows, truncated: false };
    },

    'campaigns.assignBySalesTeam': async (input, ctx) => {
      const me = staffOf(ctx);
      const { changedIds, ...result } = teams.assign(me.dealerId, input.assigned);
      const shown = changedIds.slice(0, EVENT_LIMIT);
      if (shown.length > 0) {
        const rows = await deps.handle.db.selectFrom('campaign_task').select(['id', 'status', 'claimed_by']).where('dealer_id', '=', me.dealerId).where('id', 'in', shown).execute();
        for (const t of rows) deps.emit('campaigns.taskChanged', { taskId: t.id, status: t.status, claimedBy: t.claimed_by });
      }
      return result;
    },
  };
}
