/** What the simulator can be told (delays, faults) and what it records (every SUBMIT it accepted). */
import type { SubmitPdu } from '../../main/modem/pdu';

export interface SimDelays {
  /** Answer time of ordinary commands. */
  commandMs: number;
  /** From Ctrl-Z to "+CMGS: <mr>" — a real network takes 3–10 s. */
  submitMs: number;
  /** From "+CMGS" to the status report arriving. */
  reportMs: number;
  /** Between RING repetitions of an incoming call. */
  ringMs: number;
  /** From ATD to the callee answering / being busy. */
  dialMs: number;
}

export const REALISTIC_DELAYS: SimDelays = { commandMs: 30, submitMs: 4000, reportMs: 8000, ringMs: 3000, dialMs: 5000 };
export const FAST_DELAYS: SimDelays = { commandMs: 1, submitMs: 5, reportMs: 10, ringMs: 50, dialMs: 20 };

export type Fault =
  /** The next `count` submits are refused with +CMS ERROR <code> (not sent). */
  | { type: 'cms'; code: number; count?: number }
  /** The next AT+CMGS never shows the "> " prompt; the modem waits until ESC. */
  | { type: 'noPrompt' }
  /** The next submit is accepted by the network but "+CMGS" never comes back (outcome unknown). */
  | { type: 'noResult' }
  /** The next submit is accepted at once and its "+CMGS" answer is held for `ms`. */
  | { type: 'holdResult'; ms: number }
  /** The next `count` commands get no answer at all. */
  | { type: 'silent'; count?: number };

export interface SentRecord {
  index: number;
  mr: number;
  recipient: string;
  pdu: string;
  text: string;
  concat: SubmitPdu['concat'];
  statusReport: boolean;
  at: number;
}

/** Groups what the simulator sent into messages, to compare against the outbox. */
export function sentMessages(records: readonly SentRecord[]): Map<string, SentRecord[]> {
  const out = new Map<string, SentRecord[]>();
  for (const r of records) {
    const key = r.concat ? `${r.recipient}|${r.concat.ref}|${r.concat.total}|${r.concat.seq}` : `${r.recipient}|single|${r.pdu}`;
    out.set(key, [...(out.get(key) ?? []), r]);
  }
  return out;
}
