import type { TestDb } from './db';

export interface Accounting {
  doubled: number;
  /** [part state, message state, times the simulator received it] for parts not accounted for. */
  lost: Array<[string, string, number]>;
  unknownToOutbox: number;
  uncertain: number;
  parts: number;
}

/**
 * Counts what the simulator received against the outbox. A part is accounted for when: sent/delivered
 * and received exactly once; UNCERTAIN and received at most once; or still queued behind an UNCERTAIN
 * part of its message, waiting for a person.
 */
export function accountParts(t: TestDb, sent: ReadonlyArray<{ pdu: string }>): Accounting {
  const parts = t.handle.sqlite
    .prepare('select p.state, p.pdu, m.state as message_state from sms_part p join sms_message m on m.id = p.message_id')
    .all() as Array<{ state: string; pdu: string; message_state: string }>;
  const seen = new Map<string, number>();
  for (const s of sent) seen.set(s.pdu, (seen.get(s.pdu) ?? 0) + 1);
  const count = (pdu: string) => seen.get(pdu) ?? 0;
  const ok = (p: (typeof parts)[number]) =>
    ((p.state === 'delivered' || p.state === 'sent') && count(p.pdu) === 1) ||
    (p.state === 'uncertain' && count(p.pdu) <= 1) ||
    (p.state === 'queued' && p.message_state === 'uncertain' && count(p.pdu) === 0);
  const known = new Set(parts.map((p) => p.pdu));
  return {
    doubled: [...seen.values()].filter((n) => n > 1).length,
    lost: parts.filter((p) => !ok(p)).map((p) => [p.state, p.message_state, count(p.pdu)]),
    unknownToOutbox: [...seen.keys()].filter((pdu) => !known.has(pdu)).length,
    uncertain: parts.filter((p) => p.state === 'uncertain').length,
    parts: parts.length,
  };
}
