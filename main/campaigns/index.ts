/**
 * Reminder campaigns (招揽): configurable rules and channel plans, idempotent nightly generation,
 * the agent work queue and task lifecycle, letters and SMS steps, results from repair orders,
 * do-not-contact flags and the success-rate report. Plain Node; no contract channels yet (see report).
 */
import type { DbHandle } from '../../db/connection';
import { nowIso } from '../../db/ids';
import { createCampaignConfig, type LoadedCampaign } from './config';
import { generateTasks, registerGenerationFunctions, type GenerationResult } from './generate';
import { createLetters } from './letters';
import { createSalesTeams } from './sales-teams';
import { dealerProfileFrom, type DealerProfile } from './merge';
import { createPreferences } from './preferences';
import { campaignReport } from './report';
import { applyVisits, expireTasks, settleNoShows } from './results';
import { createTableSmsQueue, type SmsQueue } from './sms-queue';
import { sendDueSms, skipRefusedCalls, supersedeSteps, type SmsRunResult } from './steps';
import { createWork, type WorkOptions } from './work';

export type { SmsQueue, SmsQueueItem, SmsPurpose } from './sms-queue';
export { createTableSmsQueue } from './sms-queue';
export { createSmsHandoff, type SmsHandoff, type HandoffResult, type OutboxSender } from './sms-handoff';
export type { GenerationResult } from './generate';
export type { QueueItem, RecordCallInput, QueueMode } from './work';
export type { LoadedCampaign, Disposition } from './config';
export type { CampaignReport, CampaignReportRow, StepReportRow, AgentReportRow } from './report';
export type { SalesTeam, SalesConsultant, SalesTeamInput, TeamAssignResult } from './sales-teams';
export { addMonths, addDays } from './dates';

/** What the DMS sync hands over when a repair order lands (created or changed). */
export interface RepairOrderEvent {
  dealerId: string;
  id: string;
  vehicleId: string;
  customerId: string;
  openedOn: string;
  closedOn: string | null;
  category: string;
}

export interface CampaignsDeps {
  handle: DbHandle;
  /** Where SMS go; defaults to the campaign_sms table until the modem outbox provides its own. */
  smsQueue?: SmsQueue;
  /** Chinese names of the stored (English) model names, for merge fields (SMS steps, letters, SMS from the queue). */
  modelNamesZh?: Readonly<Record<string, string>>;
  options?: Partial<WorkOptions>;
}

export interface DailyRunResult {
  visits: number;
  noShows: number;
  expired: number;
  generation: GenerationResult;
  superseded: number;
  sms: SmsRunResult;
  /** Call steps skipped because the customer refused calls for the purpose, the car was sold or there is no number. */
  calls: { skipped: Record<string, number> };
}

export function createCampaigns(deps: CampaignsDeps) {
  const { handle } = deps;
  // Set-based inserts make their ULIDs and count their skipped rows inside SQLite.
  registerGenerationFunctions(handle.sqlite);
  const config = createCampaignConfig(handle);
  const smsQueue = deps.smsQueue ?? createTableSmsQueue(handle);
  const preferences = createPreferences(handle);
  const dealer = (dealerId: string): DealerProfile => ({
    ...dealerProfileFrom(handle, dealerId),
    ...(deps.modelNamesZh ? { modelNames: deps.modelNamesZh } : {}),
  });
  const load = (dealerId: string): Promise<LoadedCampaign[]> => config.load(dealerId);
  const work = createWork({
    handle,
    preferences,
    smsQueue,
    dealer,
    campaigns: load,
    options: { claimTtlMinutes: 30, fallbackAfterDays: 5, ...deps.options },
  });
  const letters = createLetters({ handle, preferences, dealer });
  const salesTeams = createSalesTeams(handle);

  return {
    config,
    preferences,
    work,
    smsQueue,
    /** Sales teams and 按销售团队分配. */
    salesTeams,

    /** Only generation: new tasks for `today` (idempotent). */
    async generate(dealerId: string, today: string): Promise<GenerationResult> {
      return generateTasks(handle, dealerId, today, await load(dealerId));
    },

    /** The nightly job: results from repair orders, no-shows, expiry, new tasks, step moves, SMS steps. */
    async runDaily(dealerId: string, today: string): Promise<DailyRunResult> {
      const campaigns = await load(dealerId);
      const at = nowIso();
      const visits = await applyVisits(handle.db, campaigns, today, at);
      const noShows = await settleNoShows(handle.db, campaigns, today, at);
      const expired = await expireTasks(handle.db, dealerId, today, at);
      const generation = await generateTasks(handle, dealerId, today, campaigns);
      const superseded = await supersedeSteps(handle.db, campaigns.filter((c) => c.enabled), today, at);
      const calls = { skipped: await skipRefusedCalls(handle.db, dealerId, campaigns, today) };
      const sms = await sendDueSms({ handle, smsQueue, preferences, dealer }, dealerId, campaigns, today);
      return { visits, noShows, expired, generation, superseded, sms, calls };
    },

    /** The DMS sync calls this for each new or changed repair order: a visit closes the vehicle's open tasks at once. */
    async onRepairOrder(ro: RepairOrderEvent, today: string): Promise<number> {
      return applyVisits(handle.db, await load(ro.dealerId), today, nowIso(), { vehicleId: ro.vehicleId });
    },

    /** Moves call steps the customer refused (or cannot be called at) past the agents' queue, counted by reason. */
    async skipRefusedCalls(dealerId: string, today: string): Promise<Record<string, number>> {
      return skipRefusedCalls(handle.db, dealerId, await load(dealerId), today);
    },

    async sendDueSms(dealerId: string, today: string): Promise<SmsRunResult> {
      return sendDueSms({ handle, smsQueue, preferences, dealer }, dealerId, await load(dealerId), today);
    },

    letters: {
      batch: async (dealerId: string, today: string, campaignId?: string) => letters.batch(dealerId, await load(dealerId), today, campaignId),
      render: (dealerId: string, taskIds: readonly string[], today: string) => letters.render(dealerId, taskIds, today),
      markPrinted: async (dealerId: string, taskIds: readonly string[], staffId: string | null, today: string) =>
        letters.markPrinted(dealerId, await load(dealerId), taskIds, staffId, today),
    },

    /** 招揽成功率 for the months fromMonth..toMonth ('YYYY-MM'); `today` decides which waiting steps have come. */
    report: (dealerId: string, fromMonth: string, toMonth: string, today: string) => campaignReport(handle, dealerId, fromMonth, toMonth, today),
  };
}

export type Campaigns = ReturnType<typeof createCampaigns>;
