/**
 * Channels of reminder campaigns (招揽): the agent's work queue (招揽 / 回访 modes), claiming a task,
 * recording the call outcome or closing it, and the supervisor's generate-now, assignment and
 * success-rate report. Every list is scoped by the host to the signed-in staff member's dealer.
 */
import { z } from 'zod';
import { CAMPAIGN_KINDS, STEP_CHANNELS } from '../../db/tables/campaigns';
import { ALL_STAFF, empty, excelFile, exportLang, idSchema, isoDate, request, SUPERVISORS, timestamp } from './kit';

export const campaignKindSchema = z.enum(CAMPAIGN_KINDS);
export const stepChannelSchema = z.enum(STEP_CHANNELS);
export const taskStatusSchema = z.enum(['open', 'done', 'closed']);

/** ISO-8601 instant with a zone (`Z` or `+08:00`); the host stores it as UTC. */
const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, 'dateTime')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'dateTime');
const remark = z.string().trim().max(500, 'tooLong').nullable().optional();

export const campaignTaskSchema = z.object({
  taskId: idSchema,
  campaignKind: campaignKindSchema,
  campaignNameZh: z.string(),
  campaignNameEn: z.string(),
  customerId: idSchema,
  customerName: z.string(),
  mobile: z.string().nullable(),
  vehicleId: idSchema.nullable(),
  plate: z.string().nullable(),
  /** As stored (English, e.g. Accord); screens show it in the UI's language (雅阁 on a Chinese desk). */
  model: z.string().nullable(),
  /** The vehicle's 销售顾问 from the DMS: 按销售团队分配 sends the task to an agent of this consultant's team. */
  salesConsultant: z.string().nullable(),
  dueOn: isoDate,
  stepChannel: stepChannelSchema.nullable(),
  stepOn: isoDate.nullable(),
  /** Days past the step date (0 when not overdue): the list shows these rows in red. */
  overdueDays: z.number().int(),
  callbackAt: timestamp.nullable(),
  status: taskStatusSchema,
  result: z.enum(['came', 'no_show']).nullable(),
  assignedStaffId: idSchema.nullable(),
  assignedName: z.string().nullable(),
  claimedBy: idSchema.nullable(),
  claimedByName: z.string().nullable(),
  /** An open repair order today: the customer is in the shop right now. */
  inShop: z.boolean(),
  lastTouchOn: isoDate.nullable(),
  lastTouchChannel: stepChannelSchema.nullable(),
  /** Code of the last call outcome recorded for this task, if any. */
  lastDisposition: z.string().nullable(),
  willCome: z.boolean().nullable(),
  feedbackReason: z.string().nullable(),
  closeReason: z.string().nullable(),
  campaignRemark: z.string().nullable(),
  followupRemark: z.string().nullable(),
});
export type CampaignTaskDto = z.infer<typeof campaignTaskSchema>;

export const dispositionSchema = z.object({
  code: z.string(),
  labelZh: z.string(),
  labelEn: z.string(),
  reached: z.boolean(),
  callback: z.boolean(),
  hideDays: z.number().int(),
});
export type DispositionDto = z.infer<typeof dispositionSchema>;

export const reasonSchema = z.object({ code: z.string(), labelZh: z.string(), labelEn: z.string() });
export type ReasonDto = z.infer<typeof reasonSchema>;

export const generationSchema = z.object({
  today: isoDate,
  created: z.number().int(),
  ms: z.number(),
  /** Open call tasks due today or earlier after the run (what agents will see). */
  openTasks: z.number().int(),
  byCampaign: z.array(
    z.object({
      kind: campaignKindSchema,
      nameZh: z.string(),
      nameEn: z.string(),
      candidates: z.number().int(),
      created: z.number().int(),
      skipped: z.record(z.string(), z.number().int()),
    }),
  ),
});
export type GenerationDto = z.infer<typeof generationSchema>;

/**
 * What was not done on a day, and why: vehicles generation made no task for (the day's latest run, the
 * nightly job or 立即生成), and steps that were skipped (an SMS to an opted-out or invalid number, a letter
 * without an address, a call the customer refused) per campaign and channel.
 */
export const skipSummarySchema = z.object({
  day: isoDate,
  generation: z
    .object({
      at: timestamp,
      created: z.number().int(),
      byCampaign: generationSchema.shape.byCampaign,
    })
    .nullable(),
  steps: z.array(
    z.object({
      campaignId: idSchema,
      kind: campaignKindSchema,
      nameZh: z.string(),
      nameEn: z.string(),
      channel: stepChannelSchema,
      reason: z.string(),
      count: z.number().int(),
    }),
  ),
});
export type SkipSummaryDto = z.infer<typeof skipSummarySchema>;

/** A report month 'YYYY-MM'; in report rows null marks the whole period's total (listed before its months). */
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month');
const reportMonth = month.nullable();

/** Per campaign, tasks due in the month: 提醒成功率 = reminded / target; rates in percent. */
export const campaignReportRowSchema = z.object({
  campaignId: idSchema,
  kind: campaignKindSchema,
  nameZh: z.string(),
  nameEn: z.string(),
  month: reportMonth,
  target: z.number().int(),
  reminded: z.number().int(),
  reached: z.number().int(),
  came: z.number().int(),
  cameAfterReminder: z.number().int(),
  remindRate: z.number(),
  cameRate: z.number(),
});
/** Per campaign, step and channel, same tasks: target = got to the step, reminded = the step was carried out. */
export const stepReportRowSchema = z.object({
  campaignId: idSchema,
  kind: campaignKindSchema,
  nameZh: z.string(),
  nameEn: z.string(),
  stepSeq: z.number().int(),
  channel: stepChannelSchema,
  offsetDays: z.number().int().nullable(),
  month: reportMonth,
  target: z.number().int(),
  reminded: z.number().int(),
  remindRate: z.number(),
  cameAfterReminder: z.number().int(),
});
/** Per agent, by the month of the calls: tasks called are the agent's target, reached its reminded. */
export const agentReportRowSchema = z.object({
  staffId: idSchema,
  name: z.string(),
  month: reportMonth,
  calls: z.number().int(),
  tasksCalled: z.number().int(),
  reached: z.number().int(),
  cameCredited: z.number().int(),
  reachRate: z.number(),
});
export type CampaignReportRowDto = z.infer<typeof campaignReportRowSchema>;
export type StepReportRowDto = z.infer<typeof stepReportRowSchema>;
export type AgentReportRowDto = z.infer<typeof agentReportRowSchema>;

const MAX_REPORT_MONTHS = 120;
const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
const periodOk = (p: { from: string; to: string }) => p.from <= p.to && monthIndex(p.to) - monthIndex(p.from) < MAX_REPORT_MONTHS;
/** The report's months, first to last (inclusive), at most ten years. */
export const reportPeriodSchema = z.object({ from: month, to: month }).strict().refine(periodOk, { message: 'monthRange', path: ['to'] });
/** The export names campaigns and channels in the screen's language (the headers are bilingual). */
export const reportExportSchema = z
  .object({ from: month, to: month, lang: z.enum(['zh', 'en']).default('zh') })
  .strict()
  .refine(periodOk, { message: 'monthRange', path: ['to'] });

/** What 按销售团队分配 did: assigned, already with an agent of the right team, and skipped by reason. */
export const teamAssignResultSchema = z.object({
  assigned: z.number().int(),
  kept: z.number().int(),
  skipped: z.object({
    /** The task's vehicle names no sales consultant (or the task has no vehicle). */
    noConsultant: z.number().int(),
    /** The consultant is in no sales team. */
    noTeam: z.number().int(),
    /** The consultant's team has no active agent. */
    noAgents: z.number().int(),
  }),
});
export type TeamAssignResultDto = z.infer<typeof teamAssignResultSchema>;

export const campaignsRequests = {
  'campaigns.queue': request({
    input: z
      .object({
        mode: z.enum(['work', 'followup']).default('work'),
        limit: z.number().int().min(1).max(1000).default(300),
      })
      .strict(),
    output: z.object({ today: isoDate, items: z.array(campaignTaskSchema) }),
    roles: ALL_STAFF,
  }),
  /** Tasks the signed-in agent worked today (done, or still open with the outcome noted). */
  'campaigns.worked': request({
    input: z.object({ limit: z.number().int().min(1).max(1000).default(300) }).strict(),
    output: z.object({ today: isoDate, items: z.array(campaignTaskSchema) }),
    roles: ALL_STAFF,
  }),
  /** Claims and returns the first free task of the seat's queue, or null when the queue is empty. */
  'campaigns.next': request({
    input: z.object({ mode: z.enum(['work', 'followup']).default('work') }).strict(),
    output: campaignTaskSchema.nullable(),
    roles: ALL_STAFF,
  }),
  'campaigns.claim': request({
    input: z.object({ taskId: idSchema }).strict(),
    output: campaignTaskSchema,
    roles: ALL_STAFF,
  }),
  'campaigns.release': request({
    input: z.object({ taskId: idSchema }).strict(),
    output: z.object({ ok: z.literal(true) }),
    roles: ALL_STAFF,
  }),
  'campaigns.recordCall': request({
    input: z
      .object({
        taskId: idSchema,
        disposition: z.string().trim().min(1, 'required').max(40, 'tooLong'),
        callbackAt: instant.nullable().optional(),
        willCome: z.boolean().nullable().optional(),
        feedbackReason: z.string().trim().max(40, 'tooLong').nullable().optional(),
        campaignRemark: remark,
        followupRemark: remark,
      })
      .strict(),
    /** vehicleSold: the outcome was 非车主/已卖车 and the car is now marked sold, so every campaign stops for it. */
    output: z.object({ status: taskStatusSchema, fallback: z.enum(['sms', 'letter', 'none']).nullable(), vehicleSold: z.boolean() }),
    roles: ALL_STAFF,
  }),
  /** 回访 of a no-show: why they did not come (required), with the follow-up remark. */
  'campaigns.recordFollowUp': request({
    input: z
      .object({
        taskId: idSchema,
        feedbackReason: z.string().trim().min(1, 'required').max(40, 'tooLong'),
        followupRemark: remark,
      })
      .strict(),
    output: z.object({ ok: z.literal(true) }),
    roles: ALL_STAFF,
  }),
  'campaigns.close': request({
    input: z
      .object({
        taskId: idSchema,
        reason: z.string().trim().min(1, 'required').max(40, 'tooLong'),
        remark,
      })
      .strict(),
    output: z.object({ ok: z.literal(true) }),
    roles: ALL_STAFF,
  }),
  'campaigns.dispositions': request({ input: empty, output: z.array(dispositionSchema), roles: ALL_STAFF }),
  'campaigns.reasons': request({
    input: z.object({ kind: z.enum(['feedback', 'close']) }).strict(),
    output: z.array(reasonSchema),
    roles: ALL_STAFF,
  }),

  'campaigns.generate': request({
    input: z.object({ today: isoDate.optional() }).strict(),
    output: generationSchema,
    roles: SUPERVISORS,
  }),
  /** Skipped today (or on `day`) by campaign, step channel and reason; generation's skips from the day's latest run. */
  'campaigns.skips': request({
    input: z.object({ day: isoDate.optional() }).strict(),
    output: skipSummarySchema,
    roles: SUPERVISORS,
  }),
  /** The same two tables as Excel (two sheets), headers and names in the screen's language. */
  'campaigns.exportSkips': request({
    input: z.object({ day: isoDate.optional(), lang: exportLang }).strict(),
    output: excelFile,
    roles: SUPERVISORS,
  }),
  /** Open call tasks of the dealer (any assignment), for the supervisor to assign. */
  'campaigns.tasks': request({
    input: z
      .object({
        assigned: z.enum(['any', 'unassigned']).default('any'),
        limit: z.number().int().min(1).max(5000).default(1000),
      })
      .strict(),
    output: z.object({ today: isoDate, items: z.array(campaignTaskSchema), more: z.boolean() }),
    roles: SUPERVISORS,
  }),
  /**
   * One of the 招揽任务 lists as Excel, with the rows the screen shows: the seat's own queue ('work'),
   * its no-show follow-up ('followup') or what it worked today ('worked'), or the dealer's open call
   * tasks ('open', 'unassigned'). Supervisors only, like every export carrying customers' mobiles.
   */
  'campaigns.exportTasks': request({
    input: z
      .object({
        list: z.enum(['work', 'followup', 'worked', 'open', 'unassigned']),
        lang: z.enum(['zh', 'en']).default('zh'),
      })
      .strict(),
    output: z.object({ fileName: z.string(), base64: z.string(), rows: z.number().int(), truncated: z.boolean() }),
    roles: SUPERVISORS,
  }),
  'campaigns.assign': request({
    input: z
      .object({
        taskIds: z.array(idSchema).min(1, 'required').max(5000),
        staffId: idSchema.nullable(),
      })
      .strict(),
    output: z.object({ assigned: z.number().int() }),
    roles: SUPERVISORS,
  }),
  /** Round-robin: the selected tasks dealt out over the chosen agents in turn. */
  'campaigns.assignRoundRobin': request({
    input: z
      .object({
        taskIds: z.array(idSchema).min(1, 'required').max(5000),
        staffIds: z.array(idSchema).min(1, 'required').max(100),
      })
      .strict(),
    output: z.object({ assigned: z.number().int() }),
    roles: SUPERVISORS,
  }),
  /** Every open, unassigned task goes to its customer's responsible agent (where one is set). */
  'campaigns.assignByResponsible': request({
    input: empty,
    output: z.object({ assigned: z.number().int() }),
    roles: SUPERVISORS,
  }),
  /**
   * Every open call task the supervisor's list filter shows (by default the unassigned ones) goes to an
   * agent of the team of its vehicle's sales consultant; within a team, to the agent with the fewest open
   * call tasks. Tasks already with an agent of the right team stay where they are, so a second run changes nothing.
   */
  'campaigns.assignBySalesTeam': request({
    input: z.object({ assigned: z.enum(['any', 'unassigned']).default('unassigned') }).strict(),
    output: teamAssignResultSchema,
    roles: SUPERVISORS,
  }),
  'campaigns.report': request({
    input: reportPeriodSchema,
    output: z.object({ campaigns: z.array(campaignReportRowSchema), steps: z.array(stepReportRowSchema), agents: z.array(agentReportRowSchema) }),
    roles: SUPERVISORS,
  }),
  /** The three tables on screen, as three sheets with the same rows and columns. */
  'campaigns.exportReport': request({
    input: reportExportSchema,
    output: z.object({ fileName: z.string(), base64: z.string(), rows: z.number().int() }),
    roles: SUPERVISORS,
  }),
} as const;

export const campaignsEvents = {
  'campaigns.taskChanged': z.object({ taskId: idSchema, status: taskStatusSchema, claimedBy: idSchema.nullable() }),
  /**
   * A queued automated SMS (reminder, query campaign, appointment confirmation) was held back to a later
   * time or dropped before reaching the modem: the customer's timeline entry for it changed.
   */
  'campaigns.smsQueue': z.object({ queueId: idSchema, customerId: idSchema, state: z.enum(['held', 'dropped']) }),
} as const;
