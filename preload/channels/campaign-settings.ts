/**
 * Channels of 活动设置 (campaign settings, supervisors): each campaign's switch, priority, parameters and
 * channel plan; the call outcomes and reason lists agents pick from; the 年审 rule table; the sales teams
 * 按销售团队分配 assigns by; and the export of all of it. The work-queue channels are in campaigns.ts.
 */
import { z } from 'zod';
import { campaignKindSchema, stepChannelSchema } from './campaigns';
import { empty, excelFile, exportLang, idSchema, request, SUPERVISORS } from './kit';

export const campaignConfigSchema = z.object({
  id: idSchema,
  kind: campaignKindSchema,
  nameZh: z.string(),
  nameEn: z.string(),
  enabled: z.boolean(),
  priority: z.number().int(),
  /** The kind's parameters (intervals, windows …); the host validates them with the kind's own schema. */
  params: z.record(z.string(), z.unknown()),
  steps: z.array(z.object({ offsetDays: z.number().int(), channel: stepChannelSchema, templateId: z.string().nullable() })),
});
export type CampaignConfigDto = z.infer<typeof campaignConfigSchema>;

const settingCode = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'settingCode');
const settingLabel = z.string().trim().min(1, 'settingLabel').max(40, 'settingLabel');

/** A call outcome as supervisors configure it: reached ends the task, unreachable counts toward the SMS/letter fallback. */
export const dispositionConfigSchema = z.object({
  code: settingCode,
  labelZh: settingLabel,
  labelEn: settingLabel,
  reached: z.boolean(),
  unreachable: z.boolean(),
  /** Days the vehicle stays out of this campaign's queue after the outcome (0 = not hidden). */
  hideDays: z.number().int('range').min(0, 'range').max(3650, 'range'),
  callback: z.boolean(),
  active: z.boolean(),
});
export type DispositionConfigDto = z.infer<typeof dispositionConfigSchema>;

export const reasonKindSchema = z.enum(['feedback', 'close']);
export const reasonConfigSchema = z.object({ kind: reasonKindSchema, code: settingCode, labelZh: settingLabel, labelEn: settingLabel, active: z.boolean() });
/** automatic: set by the system (came early, expired, unreachable), so it cannot be switched off. */
export type ReasonConfigDto = z.infer<typeof reasonConfigSchema> & { automatic: boolean };

/** One row of the 年审 table: from the `fromMonths`-th month after purchase to `toMonths`, every `everyMonths`. */
export const inspectionRuleSchema = z.object({
  vehicleClass: z.string().trim().min(1, 'required').max(40, 'tooLong'),
  fromMonths: z.number().int('range').min(1, 'range').max(600, 'range'),
  toMonths: z.number().int('range').min(1, 'range').max(600, 'range'),
  everyMonths: z.number().int('range').min(1, 'range').max(120, 'range'),
  onSite: z.boolean(),
  noteZh: z.string().trim().max(100, 'tooLong').nullable(),
});
export type InspectionRuleDto = z.infer<typeof inspectionRuleSchema>;

/** 销售团队 (活动设置): the call-center agents serving a team and the sales consultants in it. */
export const salesTeamSchema = z.object({
  id: idSchema,
  name: z.string(),
  agents: z.array(z.object({ staffId: idSchema, name: z.string(), active: z.boolean() })),
  consultants: z.array(z.string()),
});
export type SalesTeamDto = z.infer<typeof salesTeamSchema>;
/** A consultant found on the dealer's vehicles (or kept in a team after the vehicles stopped naming them). */
export const salesConsultantSchema = z.object({ name: z.string(), vehicles: z.number().int(), teamId: idSchema.nullable() });
export type SalesConsultantDto = z.infer<typeof salesConsultantSchema>;
export const salesTeamsSchema = z.object({ teams: z.array(salesTeamSchema), consultants: z.array(salesConsultantSchema) });
export type SalesTeamsDto = z.infer<typeof salesTeamsSchema>;
const consultantName = z.string().trim().min(1, 'salesConsultant').max(40, 'salesConsultant');

export const campaignSettingsRequests = {
  'campaigns.config.list': request({ input: empty, output: z.array(campaignConfigSchema), roles: SUPERVISORS }),
  'campaigns.config.update': request({
    input: z
      .object({
        id: idSchema,
        enabled: z.boolean().optional(),
        priority: z.number().int().min(0, 'range').max(100, 'range').optional(),
        params: z.record(z.string(), z.unknown()).optional(),
        steps: z
          .array(
            z
              .object({
                offsetDays: z.number().int().min(-365, 'range').max(365, 'range'),
                channel: stepChannelSchema,
                templateId: z.string().max(26).nullable().default(null),
              })
              .strict(),
          )
          .min(1, 'required')
          .max(10, 'range')
          .optional(),
      })
      .strict(),
    output: campaignConfigSchema,
    roles: SUPERVISORS,
  }),
  /** Every call outcome, switched-off ones too, in the order agents see them (keys 1–9). */
  /** 活动设置 as Excel: campaigns with their plans, call outcomes, both reason lists and the 年审 table, a sheet each. */
  'campaigns.config.export': request({ input: z.object({ lang: exportLang }).strict(), output: excelFile, roles: SUPERVISORS }),
  'campaigns.config.dispositions': request({ input: empty, output: z.array(dispositionConfigSchema), roles: SUPERVISORS }),
  /** Adds an outcome or changes one (by code); returns the whole list. */
  'campaigns.config.saveDisposition': request({
    input: dispositionConfigSchema.strict().refine((d) => !(d.reached && d.unreachable), { message: 'reachedOrUnreachable', path: ['unreachable'] }),
    output: z.array(dispositionConfigSchema),
    roles: SUPERVISORS,
  }),
  'campaigns.config.reasons': request({
    input: z.object({ kind: reasonKindSchema }).strict(),
    output: z.array(reasonConfigSchema.omit({ kind: true }).extend({ automatic: z.boolean() })),
    roles: SUPERVISORS,
  }),
  /** Adds a feedback or close reason or changes one (by code); returns that kind's list. */
  'campaigns.config.saveReason': request({
    input: reasonConfigSchema.strict(),
    output: z.array(reasonConfigSchema.omit({ kind: true }).extend({ automatic: z.boolean() })),
    roles: SUPERVISORS,
  }),
  /** The 年审 rule table (regulations change, and classes differ). */
  'campaigns.config.inspectionRules': request({ input: empty, output: z.array(inspectionRuleSchema), roles: SUPERVISORS }),
  /** Replaces the whole 年审 table; the next generation uses it. */
  'campaigns.config.saveInspectionRules': request({
    input: z
      .object({
        rules: z
          .array(inspectionRuleSchema.strict().refine((r) => r.toMonths >= r.fromMonths, { message: 'ruleMonths', path: ['toMonths'] }))
          .max(50, 'range'),
      })
      .strict(),
    output: z.array(inspectionRuleSchema),
    roles: SUPERVISORS,
  }),
  /** The dealer's sales teams and every sales consultant named on its vehicles. */
  'campaigns.config.salesTeams': request({ input: empty, output: salesTeamsSchema, roles: SUPERVISORS }),
  /**
   * Creates a team (no id) or renames one and replaces its agents and consultants. A consultant is in one
   * team: listing them here moves them out of any other. Returns the whole table.
   */
  'campaigns.config.saveSalesTeam': request({
    input: z
      .object({
        id: idSchema.optional(),
        name: z.string().trim().min(1, 'salesTeamName').max(40, 'salesTeamName'),
        staffIds: z.array(idSchema).max(50, 'range').default([]),
        consultants: z.array(consultantName).max(500, 'range').default([]),
      })
      .strict(),
    output: salesTeamsSchema,
    roles: SUPERVISORS,
  }),
  /** Deletes a team; its consultants are then in no team. Tasks already assigned stay assigned. */
  'campaigns.config.deleteSalesTeam': request({
    input: z.object({ id: idSchema }).strict(),
    output: salesTeamsSchema,
    roles: SUPERVISORS,
  }),
  /** The team table as Excel: one sheet of teams (agents, consultants), one of consultants (team, vehicles). */
  'campaigns.config.exportSalesTeams': request({
    input: z.object({ lang: exportLang }).strict(),
    output: excelFile,
    roles: SUPERVISORS,
  }),
} as const;
