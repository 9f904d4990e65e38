/**
 * Contract handlers of 活动设置 (campaign settings, supervisors): each campaign's rule parameters and
 * channel plan, the call outcomes, the feedback and close reasons, and the 年审 rule table; all of them
 * as one Excel workbook.
 */
import { fieldError, ServiceError, staffOf, type HandlerMap } from '../rpc';
import { DEALER_UTC_OFFSET_MINUTES, localDate } from './dates';
import type { Campaigns, LoadedCampaign } from './index';
import { settingsWorkbook } from './settings-excel';

/** Close reasons the system sets itself: never offered for closing by hand, never switched off. */
export const AUTOMATIC_CLOSE: ReadonlySet<string> = new Set(['came_early', 'expired', 'unreachable']);

export function createCampaignConfigHandlers(campaigns: Campaigns): HandlerMap {
  async function reasonList(dealerId: string, kind: 'feedback' | 'close') {
    return (await campaigns.config.reasons(dealerId, kind)).map((r) => ({ ...r, automatic: kind === 'close' && AUTOMATIC_CLOSE.has(r.code) }));
  }

  const configDto = (c: LoadedCampaign) => ({
    id: c.id,
    kind: c.kind,
    nameZh: c.nameZh,
    nameEn: c.nameEn,
    enabled: c.enabled,
    priority: c.priority,
    params: { ...c.params },
    steps: c.steps.map((st) => ({ offsetDays: st.offsetDays, channel: st.channel, templateId: st.templateId })),
  });

  return {
    'campaigns.config.list': async (_input, ctx) => {
      const me = staffOf(ctx);
      await campaigns.config.ensureDefaults(me.dealerId);
      // Ad-hoc campaigns (made from a query) have no rule or plan to configure.
      return (await campaigns.config.load(me.dealerId)).filter((c) => c.kind !== 'adhoc').map(configDto);
    },

    'campaigns.config.update': async (input, ctx) => {
      const me = staffOf(ctx);
      const loaded = (await campaigns.config.load(me.dealerId)).find((c) => c.id === input.id);
      if (!loaded) throw new ServiceError('NOT_FOUND');
      // Params are merged over the current ones, so a screen may send only the fields it edits.
      const updated = await campaigns.config.update(me.dealerId, input.id, {
        ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
        ...(input.priority === undefined ? {} : { priority: input.priority }),
        ...(input.params === undefined ? {} : { params: { ...loaded.params, ...input.params } }),
        ...(input.steps === undefined ? {} : { steps: input.steps }),
      });
      return configDto(updated);
    },

    'campaigns.config.export': async (input, ctx) => {
      const me = staffOf(ctx);
      await campaigns.config.ensureDefaults(me.dealerId);
      const { buffer, rows } = await settingsWorkbook(
        {
          campaigns: (await campaigns.config.load(me.dealerId)).filter((c) => c.kind !== 'adhoc').map(configDto),
          dispositions: await campaigns.config.dispositions(me.dealerId),
          feedback: await reasonList(me.dealerId, 'feedback'),
          close: await reasonList(me.dealerId, 'close'),
          inspectionRules: await campaigns.config.inspectionRules(me.dealerId),
        },
        input.lang,
      );
      // A few dozen rows of settings: never near one file's limit.
      return { fileName: `活动设置_${localDate(new Date(), DEALER_UTC_OFFSET_MINUTES)}.xlsx`, base64: buffer.toString('base64'), rows, truncated: false };
    },

    'campaigns.config.dispositions': async (_input, ctx) => campaigns.config.dispositions(staffOf(ctx).dealerId),

    'campaigns.config.saveDisposition': async (input, ctx) => {
      const me = staffOf(ctx);
      await campaigns.config.saveDisposition(me.dealerId, input);
      return campaigns.config.dispositions(me.dealerId);
    },

    'campaigns.config.reasons': async (input, ctx) => reasonList(staffOf(ctx).dealerId, input.kind),

    'campaigns.config.saveReason': async (input, ctx) => {
      const me = staffOf(ctx);
      if (input.kind === 'close' && AUTOMATIC_CLOSE.has(input.code) && !input.active) {
        throw fieldError('VALIDATION', 'active', { zh: '系统自动使用的关闭原因不能停用', en: 'A close reason the system sets itself cannot be switched off' });
      }
      await campaigns.config.saveReason(me.dealerId, input.kind, input);
      return reasonList(me.dealerId, input.kind);
    },

    'campaigns.config.inspectionRules': async (_input, ctx) => campaigns.config.inspectionRules(staffOf(ctx).dealerId),

    'campaigns.config.saveInspectionRules': async (input, ctx) => {
      const me = staffOf(ctx);
      await campaigns.config.replaceInspectionRules(me.dealerId, input.rules);
      return campaigns.config.inspectionRules(me.dealerId);
    },
  };
}
