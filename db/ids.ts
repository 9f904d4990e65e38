import { monotonicFactory, ulid } from 'ulid';

const nextUlid = monotonicFactory();

/** Sortable, client-made keys (ULID) so rows from several seats can later merge without collisions. */
export function newId(now: number = Date.now()): string {
  return nextUlid(now);
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const COUNTER_CHARS = 5;
const COUNTER_MAX = 32 ** COUNTER_CHARS;

/**
 * ULIDs for one bulk insert (a set-based INSERT … SELECT making a row per id): the time and 55 random
 * bits are drawn once, then a 5-character counter runs up. The ids are valid ULIDs, unique (the random
 * part is drawn afresh, not taken from newId's monotonic stream, so neither can produce the other's
 * ids), sortable by creation time and ascending in the order made, at a fraction of newId's per-call cost.
 */
export function idSequence(now: number = Date.now()): () => string {
  const prefix = ulid(now).slice(0, 26 - COUNTER_CHARS);
  const { high, low } = counterDigits();
  let n = 0;
  return () => {
    if (n >= COUNTER_MAX) throw new RangeError('idSequence: more than 32^5 ids in one sequence');
    const k = n++;
    return prefix + high[k >>> 10] + low[k & 1023];
  };
}

/**
 * The counter's 5 characters as its top 3 and bottom 2 base-32 digits, looked up instead of worked out
 * digit by digit: a first generation makes ≈185k ids inside one SQL statement, and this is a third of
 * the per-id cost.
 */
let digits: { high: readonly string[]; low: readonly string[] } | undefined;
function counterDigits(): { high: readonly string[]; low: readonly string[] } {
  if (!digits) {
    const d = (k: number) => CROCKFORD.charAt(k & 31);
    digits = {
      high: Array.from({ length: 32 ** 3 }, (_, k) => d(k >>> 10) + d(k >>> 5) + d(k)),
      low: Array.from({ length: 32 ** 2 }, (_, k) => d(k >>> 5) + d(k)),
    };
  }
  return digits;
}

export function nowIso(): string {
  return new Date().toISOString();
}
