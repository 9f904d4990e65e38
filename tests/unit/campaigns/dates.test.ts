import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, localToUtcIso, sqlAddMonths } from '../../../main/campaigns/dates';

const db = new BetterSqlite3(':memory:');
afterAll(() => db.close());

describe('calendar arithmetic', () => {
  it('clamps to the end of the month instead of rolling over', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 48)).toBe('2028-02-29');
    expect(addMonths('2025-08-31', 6)).toBe('2026-02-28');
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(addMonths('2025-12-15', 1)).toBe('2026-01-15');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(daysBetween('2024-02-01', '2024-03-01')).toBe(29);
  });

  it('the SQLite expression agrees with the JS function on every date and month count', () => {
    const stmt = db.prepare(`select ${sqlAddMonths('@d', '@m')}`).pluck();
    const date = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 400 }), (d, m) => {
        expect(stmt.get({ d, m })).toBe(addMonths(d, m));
      }),
      { numRuns: 2000 },
    );
  });

  it('a literal month count (the form rules use) gives the same dates', () => {
    const date = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const stmts = Array.from({ length: 25 }, (_, m) => db.prepare(`select ${sqlAddMonths('@d', String(m))}`).pluck());
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 24 }), (d, m) => {
        expect(stmts[m]?.get({ d })).toBe(addMonths(d, m));
      }),
      { numRuns: 2000 },
    );
    // Month ends and leap days, where the clamping matters.
    for (const d of ['2024-01-29', '2024-01-30', '2024-01-31', '2024-02-29', '2023-03-31', '2025-08-31']) {
      for (const m of [1, 6, 12]) expect(stmts[m]?.get({ d })).toBe(addMonths(d, m));
    }
  });

  it('turns a Beijing wall-clock time into UTC', () => {
    expect(localToUtcIso('2026-03-10', '09:30', 480)).toBe('2026-03-10T01:30:00.000Z');
    expect(localToUtcIso('2026-03-10', '07:00', 480)).toBe('2026-03-09T23:00:00.000Z');
  });
});
