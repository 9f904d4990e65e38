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
  let n = 0;
  return () => {
    if (n >= COUNTER_MAX) throw new RangeError('idSequence: more than 32^5 ids in one sequence');
    let k = n++;
    let tail = '';
    for (let i = 0; i < COUNTER_CHARS; i++) {
      tail = CROCKFORD.charAt(k % 32) + tail;
      k = Math.floor(k / 32);
    }
    return prefix + tail;
  };
}

export function nowIso(): string {
  return new Date().toISOString();
}
