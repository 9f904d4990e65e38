/**
 * Appointments as a running feature: default slots for a dealer that has none, yesterday's bookings
 * settled (arrived / no-show) on start and every night shortly after midnight, and repair orders the DMS
 * sync imports marking the day's booking arrived as they land.
 */
import { Cron } from 'croner';
import type { DbHandle } from '../../db/connection';
import type { RepairOrderSource } from '../campaigns/feature';
import type { SmsQueue } from '../campaigns/sms-queue';
import { DEALER_UTC_OFFSET_MINUTES, localDate } from '../campaigns/dates';
import type { EventSink, HandlerMap } from '../rpc';
import { createAppointmentHandlers } from './handlers';
import { createAppointments } from './index';

export interface AppointmentsFeatureDeps {
  handle: DbHandle;
  emit: EventSink;
  smsQueue: SmsQueue;
  repairOrders?: RepairOrderSource;
  modelNamesZh?: Readonly<Record<string, string>>;
  /** Cron pattern of the nightly no-show settlement in Asia/Shanghai; default 00:10. */
  nightly?: string;
  log?: (message: string, error: unknown) => void;
}

const OFFSET = DEALER_UTC_OFFSET_MINUTES;

export function createAppointmentsFeature(deps: AppointmentsFeatureDeps) {
  const { handle } = deps;
  const appointments = createAppointments({ handle, smsQueue: deps.smsQueue, utcOffsetMinutes: OFFSET });
  const handlers: HandlerMap = createAppointmentHandlers({ handle, appointments, emit: deps.emit, utcOffsetMinutes: OFFSET, ...(deps.modelNamesZh ? { modelNamesZh: deps.modelNamesZh } : {}) });
  const log = (message: string, error: unknown) => deps.log?.(`appointments: ${message}`, error);
  const unsubscribes: Array<() => void> = [];
  let cron: Cron | null = null;

  const dealers = async () => (await handle.db.selectFrom('dealer').select('id').execute()).map((d) => d.id);

  async function settle(): Promise<void> {
    const today = localDate(new Date(), OFFSET);
    for (const dealerId of await dealers()) {
      try {
        await appointments.detectNoShows(dealerId, today);
      } catch (error) {
        log(`no-show settlement failed for ${dealerId}`, error);
      }
    }
  }

  return {
    appointments,
    handlers,
    async start(): Promise<void> {
      for (const dealerId of await dealers()) {
        await appointments.ensureDefaults(dealerId);
        if (deps.repairOrders) {
          unsubscribes.push(
            deps.repairOrders.subscribe(dealerId, (ro) => {
              appointments.onRepairOrder(ro).catch((error: unknown) => log('repair order could not be applied', error));
            }),
          );
        }
      }
      await settle();
      cron = new Cron(deps.nightly ?? '10 0 * * *', { timezone: 'Asia/Shanghai', protect: true }, () => settle());
    },
    stop(): void {
      cron?.stop();
      cron = null;
      for (const off of unsubscribes.splice(0)) off();
    },
  };
}
