import { decodeTime, isValid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { idSequence, newId } from '../../../db/ids';

describe('idSequence (ULIDs for one bulk insert)', () => {
  it('makes valid ULIDs of the given time, unique and ascending in the order made, past one counter character', () => {
    const now = Date.UTC(2026, 2, 15, 1, 2, 3, 456);
    const next = idSequence(now);
    const ids = Array.from({ length: 40_000 }, () => next());
    expect(ids.every((id) => isValid(id) && decodeTime(id) === now)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // 40,000 > 32³: the counter carried into its fourth character and the order still holds across it.
    expect(ids[32 ** 3 - 1]!.slice(-3)).toBe('ZZZ');
    expect(ids[32 ** 3]!.slice(-4)).toBe('1000');
  });

  it('carries into the counter\'s top character too (the digits come from lookup tables split after the second)', () => {
    const next = idSequence(Date.UTC(2026, 2, 15));
    let last = '';
    let previous = '';
    for (let i = 0; i <= 32 ** 4; i++) {
      previous = last;
      last = next();
    }
    expect(previous.slice(-5)).toBe('0ZZZZ');
    expect(last.slice(-5)).toBe('10000');
    expect(previous < last).toBe(true);
  });

  it('draws its random part afresh, so two sequences and newId never meet', () => {
    const now = Date.now();
    const a = idSequence(now);
    const b = idSequence(now);
    const fromA = Array.from({ length: 1000 }, () => a());
    const fromB = Array.from({ length: 1000 }, () => b());
    const single = Array.from({ length: 1000 }, () => newId(now));
    expect(new Set([...fromA, ...fromB, ...single]).size).toBe(3000);
    expect(fromA[0]!.slice(0, 21)).not.toBe(fromB[0]!.slice(0, 21));
  });
});
