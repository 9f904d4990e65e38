/**
 * The one composition root: opens the dealer's store, migrates it, and builds every capability into one
 * dispatcher that a host (Electron or browser) exposes. Hosts add transport, nothing else.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCheckpointer, type Checkpointer } from '../db/checkpointer';
import { openDatabase, type DbHandle } from '../db/connection';
import { createSeatConfig } from './config';
import { migrateToLatest } from '../db/migrate';
import type { EventName, EventPayload } from '../preload/contract';
import { createAlarms } from './alarms';
import { createAlarmHandlers } from './alarms/handlers';
import { createAlarmNotifier, ESCALATION_CHANNELS, forwardAlarmEvents, type EscalationSender } from './alarms/notify';
import { createAuth } from './auth';
import { createCustomers } from './customers';
import { MODEL_NAMES_ZH } from '../preload/vocabulary';
import { createTableSmsQueue } from './campaigns';
import { createCampaignsFeature, type RepairOrderSource } from './campaigns/feature';
import { createPreferencesHandlers } from './preferences';
import { createLetterHandlers } from './campaigns/letter-handlers';
import { createChromiumPrintService, type PrintService } from './print';
import { createAppointmentsFeature } from './appointments/feature';
import { createSmsHandoff } from './campaigns/sms-handoff';
import type { NewRepairOrder } from './dms/sync/apply';
import { createQuery } from './query';
import { createQueryHandlers } from './query/handlers';
import { preferencesPolicy } from './query/policy';
import { assembleHandlers, createDispatcher, type Dispatcher, type EventSink, type HandlerMap } from './rpc';
import { createStaff } from './staff';
import { createDmsFeature } from './dms/handlers';
import { createSeatDmsSource } from './dms/seat-source';
import { createSeatAgents } from './alarms/seat-agents';
import { createDmsLinkMonitor } from './alarms/dms-link';
import { modemChecks, type LocalHook } from './alarms/monitors/local';
import { createModemFeature } from './modem/handlers';
import { createSmsEscalationSender } from './modem/escalation';
import { createOps, type UpdatesFactory } from './ops';
import { createTemplates } from './templates';
import { createTemplateHandlers } from './templates/handlers';
import { createDealerHandlers } from './dealer';
import type { Bilingual } from '../preload/messages';
import type { LoggerOptions } from './diagnostics';

export type HostKind = 'electron' | 'browser';

export interface ServicesOptions {
  dbFile: string;
  /** Folder for the seat's files beside the store (seat-config.json, logs, backups); default: the store's folder. */
  dataDir?: string;
  host: HostKind;
  version: string;
  /** Validate handler outputs against the contract (development and tests). */
  validateOutput?: boolean;
  logError?: (message: string, error: unknown) => void;
  /** Packaged Electron host: runs electron-updater under the seat's update policy (others: 'disabled'). */
  updates?: UpdatesFactory;
  /** Why this host does not auto-update (About screen); default: the browser-host reason. */
  updatesDisabledReason?: Bilingual;
  /** Electron host: electron-log/main, so the logger writes through Electron's transport. */
  electronLog?: LoggerOptions['electronLog'];
  /** Called after a backup was restored and the services closed: the host restarts (or the user must). */
  onRestored?: () => void;
  /** Electron host: printToPDF in a hidden window; default: headless Chromium (seat file print.browserPath). */
  print?: PrintService;
}

export type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export interface Services {
  handle: DbHandle;
  dataDir: string;
  dispatcher: Dispatcher;
  /** Subscribes a host to events; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void;
  /** Starts background work (schedulers, monitors, the modem); hosts call it once the UI can connect. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function createServices(options: ServicesOptions): Promise<Services> {
  const handle = openDatabase(options.dbFile);
  try {
    await migrateToLatest(handle.db);
  } catch (error) {
    handle.close();
    throw error;
  }
  const listeners = new Set<EventListener>();
  const emit: EventSink = (name, payload) => {
    for (const listener of listeners) listener(name, payload);
  };

  const dataDir = options.dataDir ?? path.dirname(path.resolve(options.dbFile));
  // Background work each capability starts and stops; closed in reverse order.
  const starts: Array<() => void | Promise<void>> = [];
  const stops: Array<() => void | Promise<void>> = [];

  const auth = createAuth({ handle });
  const dealer = await handle.db.selectFrom('dealer').select(['name', 'code']).executeTakeFirst();
  const appInfo: HandlerMap = {
    'app.info': () => ({
      version: options.version,
      host: options.host,
      demo: dealer?.code.startsWith('DEMO') ?? false,
      dealerName: dealer?.name ?? '',
    }),
  };

  // ---- capabilities: one block each, then one entry in assembleHandlers ----

  // WAL checkpoints run on a worker thread with its own connection (db/checkpointer.ts), so no request
  // waits while a large commit's pages are copied into the database file and synced. The built app
  // bundles the worker as db-checkpoint-worker.mjs beside main/*.cjs; from sources it is loaded through tsx.
  const checkpointWorker = path.join(import.meta.dirname, 'db-checkpoint-worker.mjs');
  let checkpointer: Checkpointer | null = null;
  starts.push(() => {
    checkpointer = startCheckpointer(handle, path.resolve(options.dbFile), {
      ...(existsSync(checkpointWorker) ? { workerUrl: pathToFileURL(checkpointWorker) } : {}),
      log: (text) => options.logError?.(`db: ${text}`, null),
    });
  });
  stops.push(() => checkpointer?.stop());

  // The seat configuration IT pushes (seat-config.json): one instance, so every capability sees one
  // version of it and a change saved by one screen reaches the others through onChange.
  const seatConfig = await createSeatConfig({ file: path.join(dataDir, 'seat-config.json'), watch: true });
  stops.push(() => seatConfig.close());

  // Alarms (issue 7): health agents IT registers, the workstation's own checks, popups to every seat.
  // Other capabilities register an escalation sender ('sms', 'email') in alarmSenders and feed checks
  // through alarms.reportCheck / alarms.modemHook.
  const alarmSenders = new Map<string, EscalationSender>();
  const alarmLog = (message: string) => options.logError?.(`alarms: ${message}`, null);
  const alarms = createAlarms({
    handle,
    emit: forwardAlarmEvents(emit),
    notifier: createAlarmNotifier(emit, alarmSenders, alarmLog),
    options: { escalation: { afterMs: 10 * 60_000, channels: ESCALATION_CHANNELS } },
    selfChecks: {
      dbFile: path.resolve(options.dbFile),
      diskMaxUsedPercent: 95,
      dbMaxBytes: 4 * 1024 ** 3,
      backupFolder: null,
      backupMaxAgeHours: 26,
      periodMs: 60_000,
    },
    log: alarmLog,
  });
  starts.push(() => alarms.start());
  stops.push(() => alarms.stop());

  // query builder (扩展查询): SMS campaigns go into the campaigns SMS queue (campaign_sms)
  const query = createQuery({ handle, modelNamesZh: MODEL_NAMES_ZH, contactPolicy: preferencesPolicy(handle) });
  const queryHandlers = createQueryHandlers({ handle, query, smsQueue: createTableSmsQueue(handle), modelNamesZh: MODEL_NAMES_ZH });

  // telephony and SMS over the GSM modem (短信): settings in the seat config, (re)connected at runtime
  // The modem's checks are watched only while a modem is configured: its source registers with the first
  // report and leaves when the modem is switched off, so a seat without one never shows "monitoring offline".
  let modemHook: LocalHook | null = null;
  const modemHealth = () => {
    const { enabled, port } = seatConfig.get().modem;
    return enabled && port ? modemChecks((modemHook ??= alarms.localHook('modem', 30_000))) : null;
  };
  seatConfig.onChange((next) => {
    if (next.modem.enabled && next.modem.port) return;
    modemHook?.close();
    modemHook = null;
  });
  const modem = await createModemFeature({
    handle,
    emit,
    dataDir,
    seatConfig,
    health: {
      line: (ok, detail) => modemHealth()?.line(ok, detail),
      smsLink: (ok, detail) => modemHealth()?.smsLink(ok, detail),
      signal: (ok, detail) => modemHealth()?.signal(ok, detail),
    },
    log: (text) => options.logError?.(`modem: ${text}`, null),
  });
  starts.push(() => modem.start());
  stops.push(() => modem.stop());
  alarmSenders.set('sms', createSmsEscalationSender({ seatConfig, modem: () => modem.current() }));

  // DMS sync (DMS 同步, issue 3): sources, worker-thread sync runs with progress events, file import,
  // reconciliation diff. The built app bundles the sync worker as dms-sync-worker.mjs beside main/*.cjs;
  // from sources it is loaded through tsx. New repair orders: dms.dmsFor(dealerId).events 'repairOrderCreated'.
  const dmsWorker = path.join(import.meta.dirname, 'dms-sync-worker.mjs');
  const dms = createDmsFeature({
    handle,
    dbFile: path.resolve(options.dbFile),
    emit,
    ...(existsSync(dmsWorker) ? { workerUrl: pathToFileURL(dmsWorker) } : {}),
    logError: (message, error) => options.logError?.(`dms: ${message}`, error),
  });
  starts.push(() => dms.start());
  stops.push(() => dms.stop());

  // The seat file drives the workstation (issues 8 and 7): its healthAgents become alarm agents and its
  // REST `dms` section the one "座席配置 DMS" source, on start and on every change; every finished DMS
  // run reports the link (dms:<source name>) so a failing DMS raises an alarm and a good run clears it.
  const seatDealerId = seatConfig.get().dealerId ?? alarms.engine.context.dealerId;
  const seatLog = (message: string) => options.logError?.(`seat config: ${message}`, null);
  const seatAgents = createSeatAgents({ agents: alarms.agents, seatConfig, stateFile: path.join(dataDir, 'seat-agents.json'), log: seatLog });
  const seatDms = createSeatDmsSource({ dms: () => dms.dmsFor(seatDealerId), seatConfig, stateFile: path.join(dataDir, 'seat-dms.json'), log: seatLog });
  const dmsLink = createDmsLinkMonitor({ dms: () => dms.dmsFor(seatDealerId), hook: () => alarms.localHook('dms', 24 * 3_600_000), log: seatLog });
  starts.push(async () => {
    dmsLink.start();
    await seatAgents.start().catch((error: unknown) => options.logError?.('seat config: health agents not applied', error));
    await seatDms.start();
  });
  stops.push(async () => {
    await seatDms.stop();
    await seatAgents.stop();
    await dmsLink.stop();
  });

  // Templates (模板管理, issue 5): the one instance; every dealer's starting templates are written before
  // campaigns start, so their default steps link the SMS and letter templates they send.
  const templates = createTemplates({ handle });
  const templateHandlers = createTemplateHandlers({ handle, templates, modelNamesZh: MODEL_NAMES_ZH });
  starts.push(async () => {
    for (const { id } of await handle.db.selectFrom('dealer').select('id').execute()) await templates.ensureDefaults(id);
  });

  // Repair orders the DMS sync imports for the first time, as campaigns and appointments read them.
  const repairOrders: RepairOrderSource = {
    subscribe(dealerId, listener) {
      const events = dms.dmsFor(dealerId).events;
      const onRo = (e: NewRepairOrder) =>
        listener({ dealerId: e.dealerId, id: e.repairOrderId, vehicleId: e.vehicleId, customerId: e.customerId, openedOn: e.openedOn, closedOn: null, category: e.category });
      events.on('repairOrderCreated', onRo);
      return () => events.off('repairOrderCreated', onRo);
    },
  };

  // Reminder campaigns (招揽, issue 5): defaults per dealer, one run on start if none today, nightly
  // run at 02:30 (Asia/Shanghai); repair orders the DMS sync imports close the vehicle's tasks at once.
  const campaigns = createCampaignsFeature({
    handle,
    emit,
    modelNamesZh: MODEL_NAMES_ZH,
    repairOrders,
    log: (message, error) => options.logError?.(message, error),
  });
  starts.push(() => campaigns.start());
  stops.push(() => campaigns.stop());

  // Contact preferences (联系偏好): do-not-contact flags, SMS opt-out and sold cars, read by every campaign.
  const preferencesHandlers = createPreferencesHandlers({ handle, emit, preferences: campaigns.campaigns.preferences });

  // Letter printing (信函打印): one PDF per batch through the host's print service.
  const print =
    options.print ??
    createChromiumPrintService({
      browserPath: () => seatConfig.get().print.browserPath,
      timeoutMs: () => seatConfig.get().print.timeoutSeconds * 1000,
      log: (message) => options.logError?.(message, null),
    });
  const letterHandlers = createLetterHandlers({ handle, campaigns: campaigns.campaigns, templates, print });

  // Appointments (预约管理, issue 5): default slots, no-shows settled on start and nightly, repair orders
  // the DMS sync imports mark the day's booking arrived; confirmations wait in the campaign SMS queue.
  const appointments = createAppointmentsFeature({
    handle,
    emit,
    smsQueue: createTableSmsQueue(handle),
    modelNamesZh: MODEL_NAMES_ZH,
    repairOrders,
    log: (message, error) => options.logError?.(message, error),
  });
  starts.push(() => appointments.start());
  stops.push(() => appointments.stop());

  // Every due row of the campaign SMS queue (reminder steps, query campaigns, appointment confirmations)
  // moves into this seat's modem outbox while a modem is configured; until then the rows wait (and expire).
  const smsHandoff = createSmsHandoff({
    handle,
    dealerId: () => modem.dealerId,
    outbox: () => modem.current(),
    enabled: () => seatConfig.get().modem.enabled && Boolean(seatConfig.get().modem.port),
    emit: (event) => emit('campaigns.smsQueue', event),
    log: (message, error) => options.logError?.(message, error),
  });
  starts.push(() => smsHandoff.start());
  stops.push(() => smsHandoff.stop());

  // IT operations (运维): seat-config.json, logs/, backups/ and seat-id in dataDir; diagnostics; update status.
  // A restore closes all services (closeAll below) before swapping the store; afterwards calls answer UNAVAILABLE.
  const ops = await createOps({
    handle,
    seatConfig,
    dbFile: path.resolve(options.dbFile),
    dataDir,
    host: options.host,
    version: options.version,
    emit,
    ...(options.updates ? { updates: options.updates } : {}),
    ...(options.updatesDisabledReason ? { updatesDisabledReason: options.updatesDisabledReason } : {}),
    ...(options.electronLog ? { electronLog: options.electronLog } : {}),
    ...(options.onRestored ? { onRestored: options.onRestored } : {}),
    closeLive: () => closeAll(),
    health: alarms.localHook('ops', 15 * 60_000),
  });
  starts.push(() => ops.start());
  stops.push(() => ops.stop());

  const handlers = assembleHandlers(
    appInfo,
    auth.handlers,
    createStaff({ handle, onDeactivated: (id) => auth.revokeStaff(id) }),
    createCustomers({ handle, emit }),
    createAlarmHandlers(alarms),
    queryHandlers,
    modem.handlers,
    dms.handlers,
    ops.handlers,
    campaigns.handlers,
    preferencesHandlers,
    letterHandlers,
    appointments.handlers,
    templateHandlers,
    createDealerHandlers({ handle }),
  );
  const dispatcher = createDispatcher(handlers, {
    validateOutput: options.validateOutput ?? false,
    checkSession: (ctx) => auth.checkSession(ctx),
    onInternalError: (channel, error) => options.logError?.(`Internal error in ${channel}`, error),
  });

  let closing: Promise<void> | null = null;
  async function closeAll(): Promise<void> {
    closing ??= (async () => {
      for (const stop of [...stops].reverse()) {
        try {
          await stop();
        } catch (error) {
          options.logError?.('Stopping a capability failed', error);
        }
      }
      listeners.clear();
      handle.close();
    })();
    return closing;
  }

  return {
    handle,
    dataDir,
    dispatcher: ops.guard(dispatcher),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      for (const start of starts) await start();
    },
    close: closeAll,
  };
}
