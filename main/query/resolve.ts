/**
 * Turns relative dates and windows into concrete inclusive date bounds for a given `today`.
 * "more than 3 years ago" = strictly before today − 3 years; "within the last 6 months" = from
 * today − 6 months through today; "last year" = 1 Jan – 31 Dec of (this year − 1).
 */
import { shift, yearOf, yearRange } from './dates';
import type { OperatorId } from './operators';
import type { RuleValue } from './rule-values';
import type { WindowValue } from './values';

/** Inclusive bounds; null = open on that side. */
export interface DateBounds {
  from: string | null;
  to: string | null;
}

export function resolveWindow(w: WindowValue, today: string): DateBounds {
  switch (w.kind) {
    case 'all':
      return { from: null, to: null };
    case 'year':
      return yearRange(w.year);
    case 'relYear':
      return yearRange(yearOf(today) + w.offset);
    case 'last':
      return { from: shift(today, -w.amount, w.unit), to: today };
    case 'between':
      return { from: w.from, to: w.to };
  }
}

/**
 * A date operator as a comparison: `{bounds}` = the date lies within the bounds (inclusive), or
 * `{before}` = strictly before, `{after}` = strictly after. Null/notNull are handled by the caller.
 */
export type DateTest = { bounds: DateBounds } | { before: string } | { after: string };

export function resolveDateTest(op: OperatorId, value: RuleValue, today: string): DateTest {
  if (value.kind === 'relative' && op === 'olderThan') return { before: shift(today, -value.amount, value.unit) };
  if (value.kind === 'relative' && op === 'withinLast') return { bounds: { from: shift(today, -value.amount, value.unit), to: today } };
  if (value.kind === 'year') return { bounds: yearRange(value.year) };
  if (value.kind === 'relYear') return { bounds: yearRange(yearOf(today) + value.offset) };
  if (value.kind === 'range') return { bounds: { from: String(value.v[0]), to: String(value.v[1]) } };
  if (value.kind === 'scalar' && op === '<') return { before: String(value.v) };
  if (value.kind === 'scalar' && op === '>') return { after: String(value.v) };
  if (value.kind === 'scalar' && op === '=') return { bounds: { from: String(value.v), to: String(value.v) } };
  throw new Error(`date operator ${op} with a ${value.kind} value passed validation`);
}

/**
 * Local calendar date → the UTC ISO instant at which it starts, for comparing with UTC timestamps
 * (contact events) through their index instead of converting every row.
 */
export function localDayStartUtc(date: string, utcOffsetMinutes: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) - utcOffsetMinutes * 60_000;
  return new Date(t).toISOString();
}
