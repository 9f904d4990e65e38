/**
 * Deterministic ULIDs for the demo: a fixed time part and a running counter in the random part. They
 * pass the contract's id check, sort in insertion order (cheap B-tree appends for a million rows) and,
 * unlike newId(), come out the same for the same seed.
 */
import { encodeTime } from 'ulid';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export class DemoIds {
  private counter: bigint;
  private readonly timePart: string;

  constructor(timeMs: number, seed: number) {
    this.timePart = encodeTime(timeMs, 10);
    // The seed picks where the counter starts, so two demo dealers in one store never share ids.
    this.counter = BigInt(seed >>> 0) << 40n;
  }

  next(): string {
    this.counter += 1n;
    let n = this.counter;
    let tail = '';
    for (let i = 0; i < 16; i++) {
      tail = CROCKFORD.charAt(Number(n & 31n)) + tail;
      n >>= 5n;
    }
    return this.timePart + tail;
  }
}
