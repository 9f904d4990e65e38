/**
 * Reminder campaigns as a running feature: defaults for every dealer in the store, one generation on
 * start when none ran today, the nightly run at 02:30 dealer time, visits from the DMS closing tasks as
 * they land and a generation shortly after, and the contract handlers.
 */
import { Cron } from 'croner';
import type { DbHandle } from '../../db/connection';
import { createVehicleSales, type VehicleSales } from '../preferences';
import type { EventSink, HandlerMap } from '../rpc';
import { createCampaignHandlers, dealerToday } from './handlers';
import { createCampaigns, type RepairOrderEvent, type SmsQueue } from './index';

/** What the DMS feature offers: a per-dealer emitter of first-imported repair orders. */
export interface RepairOrderSource {
  subscribe(dealerId: string, listener: (ro: RepairOrderEvent) => void): () => void;
}

export interface CampaignsFeatureDeps {
  handle: DbHandle;
  emit: EventSink;
  smsQueue?: SmsQueue;
  repairOrders?: RepairOrderSource;
  modelNamesZh?: Readonly<Record<string, string>>;
  /** Cron pattern of the nightly run in Asia/Shanghai; default 02:30. */
  nightly?: string;
  /**
   * Generation also runs this long after a repair order lands (default 60 s), once for a burst of them
   * (a DMS sync imports many at once): a closed order can be due for 售后回访 today.
   */
  generateAfterRepairOrderMs?: number;
  log?: (message: string, error: unknown) => void;
}

export function createCampaignsFeature(deps: CampaignsFeatureDeps) {
  const { handle } = deps;
  const campaigns = createCampaigns({
    handle,
    ...(deps.smsQueue ? { smsQueue: deps.smsQueue } : {}),
    ...(deps.modelNamesZh ? { modelNamesZh: deps.modelNamesZh } : {}),
  });
  // The same sold-car path as the customer page's 已售 switch (timeline, history, events).
  const vehicleSales: VehicleSales = createVehicleSales({ handle, emit: deps.emit, preferences: campaigns.preferences });
  const handlers: HandlerMap = createCampaignHandlers({ handle, campaigns, emit: deps.emit, vehicleSales });
  let cron: Cron | null = null;
  const unsubscribes: Array<() => void> = [];
  const log = (message: string, error: unknown) => deps.log?.(`campaigns: ${message}`, error);

  const dealers = async () => (await handle.db.selectFrom('dealer').select('id').execute()).map((d) => d.id);

  // One pending generation per dealer: the first order of a burst schedules it, later ones ride along,
  // and orders arriving while it runs schedule the next (a steady stream cannot postpone it forever).
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  function generateSoon(dealerId: string): void {
    if (pending.has(dealerId)) return;
    const timer = setTimeout(() => {
      pending.delete(dealerId);
      const today = dealerToday();
      campaigns
        .generate(dealerId, today)
        .then(() => campaigns.skipRefusedCalls(dealerId, today))
        .catch((error: unknown) => log('generation after repair orders failed', error));
    }, deps.generateAfterRepairOrderMs ?? 60_000);
    timer.unref?.();
    pending.set(dealerId, timer);
  }

  async function nightly(): Promise<void> {
    const today = dealerToday();
    for (const dealerId of await dealers()) {
      try {
        await campaigns.runDaily(dealerId, today);
      } catch (error) {
        log(`nightly run failed for ${dealerId}`, error);
      }
    }
  }

  return {
    campaigns,
    handlers,
    vehicleSales,
    async start(): Promise<void> {
      const today = dealerToday();
      for (const dealerId of await dealers()) {
        await campaigns.config.ensureDefaults(dealerId);
        const ran = await handle.db.selectFrom('campaign_run').select('id').where('dealer_id', '=', dealerId).where('today', '=', today).executeTakeFirst();
        if (!ran) {
          try {
            await campaigns.runDaily(dealerId, today);
          } catch (error) {
            log(`start-up run failed for ${dealerId}`, error);
          }
        }
        if (deps.repairOrders) {
          unsubscribes.push(
            deps.repairOrders.subscribe(dealerId, (ro) => {
              campaigns.onRepairOrder(ro, dealerToday()).catch((error: unknown) => log('repair order could not be applied', error));
              generateSoon(ro.dealerId);
            }),
          );
        }
      }
      cron = new Cron(deps.nightly ?? '30 2 * * *', { timezone: 'Asia/Shanghai', protect: true }, () => nightly());
    },
    stop(): void {
      cron?.stop();
      cron = null;
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
      for (const off of unsubscribes.splice(0)) off();
    },
  };
}
