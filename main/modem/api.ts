/**
 * The contract channels and events the modem core serves itself (preload/channels/modem.ts holds their
 * schemas); createModem's `call` validates with these, the rest of the modem channels live in handlers.ts.
 */
import type { z } from 'zod';
import { modemEvents, modemRequests } from '../../preload/channels/modem';

export const modemChannels = {
  'sms.count': modemRequests['sms.count'],
  'sms.send': modemRequests['sms.send'],
  'sms.resolveUncertain': modemRequests['sms.resolveUncertain'],
  'sms.threads': modemRequests['sms.threads'],
  'sms.thread': modemRequests['sms.thread'],
  'sms.markRead': modemRequests['sms.markRead'],
  'calls.dial': modemRequests['calls.dial'],
  'calls.answer': modemRequests['calls.answer'],
  'calls.hangup': modemRequests['calls.hangup'],
  'modem.status': modemRequests['modem.status'],
  'modem.ports': modemRequests['modem.ports'],
} as const;

export { modemEvents };

export type ModemChannel = keyof typeof modemChannels;
export type ModemEventName = keyof typeof modemEvents;
export type ModemEventPayload<E extends ModemEventName> = z.output<(typeof modemEvents)[E]>;
export type ModemInput<C extends ModemChannel> = z.output<(typeof modemChannels)[C]['input']>;
export type ModemOutput<C extends ModemChannel> = z.output<(typeof modemChannels)[C]['output']>;
