/**
 * Telephony and SMS over a serial GSM modem (issue 4): public face of the capability.
 * Plain Node — no Electron. The composition root gives it the DB, an event sink and the port settings.
 */
import type { DbHandle } from '../../db/connection';
import type { CallContext } from '../rpc/types';
import { realTimers, type Timers } from './at/engine';
import { listPorts, rediscoverPort, serialTransportFactory, type TransportFactory } from './at/transport';
import { modemChannels, type ModemChannel, type ModemEventName, type ModemEventPayload, type ModemInput, type ModemOutput } from './api';
import { ModemBridge } from './bridge';
import { DEFAULT_CONFIG, type ModemConfig } from './config';
import { countSegments } from './pdu';
import { listThreads, markThreadRead, threadItems, unreadTotal } from './store/inbox';
import * as outbox from './store/outbox';

export { modemChannels, modemEvents } from './api';
export { DEFAULT_CONFIG, type ModemConfig } from './config';
export { healthChecks, type HealthCheck, type ModemStatus } from './status';
export type { CallInfo } from './calls';
export { listPorts } from './at/transport';
/** The error text of an outbox message that expired before it went (the timeline shows it as expired, not failed). */
export { EXPIRED_TEXT } from './store/outbox';
/** How far automated SMS may take a customer's day (cap − 1): the rule the settings screen and the guide explain. */
export { automatedDailyAllowance } from '../../preload/channels/modem';

export type ModemEmit = <E extends ModemEventName>(name: E, payload: ModemEventPayload<E>) => void;

export interface ModemDeps {
  handle: DbHandle;
  emit: ModemEmit;
  config: Partial<Omit<ModemConfig, 'calls'>> & { port: string; calls?: Partial<ModemConfig['calls']> };
  /** The dealer this seat belongs to; defaults to the only dealer in the store. */
  dealerId?: string;
  clock?: () => number;
  timers?: Timers;
  /** Tests inject an in-memory line; default is the serial port in config (re-found by USB id). */
  transport?: TransportFactory;
  log?: (text: string) => void;
}

export type ModemHandlers = { [C in ModemChannel]: (input: ModemInput<C>, ctx: CallContext) => Promise<ModemOutput<C>> };

export interface Modem {
  start(): Promise<void>;
  stop(): Promise<void>;
  sendSms(input: outbox.EnqueueInput): Promise<outbox.EnqueuedMessage>;
  dial(number: string, staffId: string | null, customerId?: string | null): ReturnType<ModemBridge['calls']['dial']>;
  answer(staffId: string | null): ReturnType<ModemBridge['calls']['answer']>;
  hangup(): ReturnType<ModemBridge['calls']['hangup']>;
  status(): Promise<ModemOutput<'modem.status'>>;
  /** Handlers for the proposed channels (modemChannels), validated there until they join the contract. */
  handlers: ModemHandlers;
  /** Parses raw input with the channel's schema, then calls the handler (what the dispatcher will do). */
  call<C extends ModemChannel>(channel: C, rawInput: unknown, ctx: CallContext): Promise<ModemOutput<C>>;
}

export function createModem(deps: ModemDeps): Modem {
  const config: ModemConfig = { ...DEFAULT_CONFIG, ...deps.config, calls: { ...DEFAULT_CONFIG.calls, ...deps.config.calls } };
  const now = deps.clock ?? Date.now;
  const timers = deps.timers ?? realTimers;
  const store: outbox.StoreContext = { handle: deps.handle, dealerId: deps.dealerId ?? '', now };
  let bridge: ModemBridge | null = null;

  async function resolveDealer(): Promise<void> {
    if (store.dealerId) return;
    const d = await deps.handle.db.selectFrom('dealer').select('id').orderBy('created_at').executeTakeFirstOrThrow();
    store.dealerId = d.id;
  }

  function getBridge(): ModemBridge {
    if (bridge) return bridge;
    let path = config.port;
    const serial = serialTransportFactory(() => ({ path, baudRate: config.baudRate, rtscts: config.rtscts ?? false }));
    const transport: TransportFactory =
      deps.transport ??
      (async () => {
        path = await rediscoverPort(config.port, config.match);
        return serial();
      });
    bridge = new ModemBridge(store, config, transport, timers, {
      status: (s) => deps.emit('modem.status', s),
      smsState: (e) => deps.emit('sms.state', e),
      smsReceived: (m) => deps.emit('sms.received', m),
      incomingCall: (c) => deps.emit('call.incoming', c),
      callState: (c) => deps.emit('call.state', c),
      ...(deps.log ? { log: deps.log } : {}),
    });
    return bridge;
  }

  const policy: outbox.OutboxPolicy = { perCustomerDailyCap: config.perCustomerDailyCap, utcOffsetMinutes: config.utcOffsetMinutes, statusReport: config.statusReport, validityMinutes: config.validityMinutes };

  async function sendSms(input: outbox.EnqueueInput): Promise<outbox.EnqueuedMessage> {
    await resolveDealer();
    // The outbox writes a hand-written SMS's timeline entry with the message (one transaction).
    const result = await outbox.enqueue(store, policy, input);
    // Scoped to the customer, so their open page shows the new message (its entry, or the queue row's state).
    if (!result.duplicate) deps.emit('sms.state', { messageId: result.id, state: 'queued', customerId: input.customerId });
    bridge?.kick();
    return result;
  }

  async function status(): Promise<ModemOutput<'modem.status'>> {
    await resolveDealer();
    const b = getBridge();
    const counts = deps.handle.sqlite
      .prepare(
        `select sum(state = 'queued' or state = 'sending') as queued, sum(state = 'uncertain') as uncertain,
                sum(state = 'failed' and updated_at >= ?) as failed from sms_message where dealer_id = ?`,
      )
      .get(new Date(now() - 86_400_000).toISOString(), store.dealerId) as { queued: number | null; uncertain: number | null; failed: number | null };
    return { ...b.status, queue: { queued: counts.queued ?? 0, uncertain: counts.uncertain ?? 0, failedToday: counts.failed ?? 0 } };
  }

  const staffOf = (ctx: CallContext) => ctx.staff?.staffId ?? null;
  const handlers: ModemHandlers = {
    'sms.count': async (i) => countSegments(i.text),
    'sms.send': async (i, ctx) => sendSms({ customerId: i.customerId, recipient: i.recipient, body: i.body, kind: i.kind, origin: 'manual', staffId: staffOf(ctx), clientRef: i.clientRef }),
    'sms.resolveUncertain': async (i) => {
      await resolveDealer();
      const state = await outbox.resolveUncertain(store, i.messageId, i.action);
      deps.emit('sms.state', { messageId: i.messageId, state });
      bridge?.kick();
      return { state };
    },
    'sms.threads': async (i) => {
      await resolveDealer();
      return { items: await listThreads(store, i.limit), unreadTotal: await unreadTotal(store) };
    },
    'sms.thread': async (i) => {
      await resolveDealer();
      return threadItems(store, i);
    },
    'sms.markRead': async (i) => {
      await resolveDealer();
      return { updated: await markThreadRead(store, i) };
    },
    'calls.dial': async (i, ctx) => ({ callId: (await getBridge().calls.dial(i.number, staffOf(ctx), i.customerId)).callId }),
    'calls.answer': async (_i, ctx) => ({ callId: (await getBridge().calls.answer(staffOf(ctx))).callId }),
    'calls.hangup': async () => ({ callId: (await getBridge().calls.hangup())?.callId ?? null }),
    'modem.status': async () => status(),
    'modem.ports': async () => listPorts(),
  };

  return {
    async start() {
      await resolveDealer();
      await getBridge().start();
    },
    async stop() {
      await bridge?.stop();
    },
    sendSms,
    dial: (number, staffId, customerId = null) => getBridge().calls.dial(number, staffId, customerId),
    answer: (staffId) => getBridge().calls.answer(staffId),
    hangup: () => getBridge().calls.hangup(),
    status,
    handlers,
    async call(channel, rawInput, ctx) {
      const parsed = modemChannels[channel].input.parse(rawInput ?? {});
      const handler = handlers[channel] as (input: unknown, ctx: CallContext) => Promise<ModemOutput<typeof channel>>;
      return handler(parsed, ctx);
    },
  };
}
