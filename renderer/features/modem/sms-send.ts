/**
 * Sending one SMS from a seat exactly once. The outbox dedupes on `clientRef`, so the ref belongs to
 * the message, not to the click: a second Ctrl+Enter while the first is on its way is ignored, and a
 * retry after a lost answer (the host may have queued it) reuses the ref and gets the same outbox row.
 * The ref is renewed only after a success or when the message itself changes.
 */
import type { RequestInput, RequestOutput } from '../../../preload/contract';

export type SmsSendInput = Omit<RequestInput<'sms.send'>, 'clientRef'>;
export type SmsSent = RequestOutput<'sms.send'>;

export interface SmsSender {
  /** The queued message, or null when a send is already in flight (nothing was sent). */
  send(input: SmsSendInput): Promise<SmsSent | null>;
  readonly inFlight: boolean;
}

const messageKey = (i: SmsSendInput) => JSON.stringify([i.customerId ?? null, i.recipient ?? null, i.body, i.kind ?? null]);

export function createSmsSender(transport: (input: RequestInput<'sms.send'>) => Promise<SmsSent>, newRef: () => string = () => crypto.randomUUID()): SmsSender {
  let inFlight = false;
  let pending: { key: string; ref: string } | null = null;
  return {
    get inFlight() {
      return inFlight;
    },
    async send(input) {
      if (inFlight) return null;
      const key = messageKey(input);
      if (pending?.key !== key) pending = { key, ref: newRef() };
      inFlight = true;
      try {
        const sent = await transport({ ...input, clientRef: pending.ref });
        pending = null;
        return sent;
      } finally {
        inFlight = false;
      }
    },
  };
}
