import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../../db/demo/random';
import { buildVin, isValidVin, vinCheckDigit } from '../../../db/demo/vin';
import { parseQuery } from '../../../main/customers/search';
import { encodeCursor } from '../../../main/customers/timeline';
import { parseDetail } from '../../../main/customers/mappers';

describe('VIN check digit (ISO 3779)', () => {
  it('matches published examples', () => {
    // 1M8GDM9AXKP042788 is the textbook example (check digit X); 11111111111111111 checks to 1.
    expect(vinCheckDigit('1M8GDM9AXKP042788')).toBe('X');
    expect(isValidVin('1M8GDM9AXKP042788')).toBe(true);
    expect(isValidVin('11111111111111111')).toBe(true);
    expect(isValidVin('1M8GDM9A1KP042788')).toBe(false);
    expect(isValidVin('1M8GDM9AXKP04278')).toBe(false);
    expect(isValidVin('1M8GDM9AXKP04278O')).toBe(false);
  });

  it('builds VINs that validate and that any single-character change breaks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2010, max: 2026 }), fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 16 }), (year, serial, pos) => {
        const vin = buildVin('LHG', 'CV165', year, '8', serial);
        expect(isValidVin(vin)).toBe(true);
        if (pos === 8) return;
        const original = vin.charAt(pos);
        // G, P and X transliterate to 7 as well; swap those for a 3.
        const replacement = '7GPX'.includes(original) ? '3' : '7';
        const changed = vin.slice(0, pos) + replacement + vin.slice(pos + 1);
        // Weights off position 9 are 1..10 and the value moves by 1..9, so the sum mod 11 must change.
        expect(isValidVin(changed)).toBe(false);
      }),
    );
  });
});

describe('seeded random', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const seqA = Array.from({ length: 20 }, () => a.int(0, 1_000_000));
    expect(Array.from({ length: 20 }, () => b.int(0, 1_000_000))).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.int(0, 1_000_000))).not.toEqual(seqA);
  });

  it('stays within bounds', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (seed, min, span) => {
        const r = new Random(seed);
        for (let i = 0; i < 20; i++) {
          const x = r.int(min, min + span);
          expect(x >= min && x <= min + span).toBe(true);
        }
      }),
    );
  });
});

describe('search query parsing', () => {
  it('turns anything that is a phone number into bare digits', () => {
    expect(parseQuery(' +86 138-1234 5678 ').digits).toBe('13812345678');
    expect(parseQuery('(020) 8765-4321').digits).toBe('02087654321');
    expect(parseQuery('1381').digits).toBe('1381');
    expect(parseQuery('粤A1').digits).toBeNull();
  });

  it('counts characters, not UTF-16 units, for the trigram threshold', () => {
    expect(parseQuery('粤A1').chars).toBe(3);
    expect(parseQuery('𠀋𠀋').chars).toBe(2);
    expect(parseQuery('a12345').upper).toBe('A12345');
  });
});

describe('timeline detail and cursor', () => {
  it('reads only JSON objects as detail', () => {
    expect(parseDetail('{"a":1}')).toEqual({ a: 1 });
    for (const text of [null, 'x', '[1]', '1', 'null', '"s"', '{']) expect(parseDetail(text)).toBeNull();
  });

  it('makes cursors that are opaque url-safe text', () => {
    const cursor = encodeCursor('2025-01-01T00:00:00.000Z', '01ARZ3NDEKTSV4RRFFQ69G5FAV');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor.length).toBeLessThanOrEqual(80);
  });
});
