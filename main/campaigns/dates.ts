/**
 * Calendar arithmetic on 'YYYY-MM-DD' strings, in JS and as SQLite expressions that give the same
 * answers. Months are added the way people mean it: Jan 31 + 1 month = Feb 28/29 (clamped to the
 * month's end), not SQLite's default of rolling over into March; Feb 29 + 1 year = Feb 28.
 */
const DAY_MS = 86_400_000;

function parse(date: string): Date {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date) throw new RangeError(`Not a date: ${date}`);
  return d;
}

export function isIsoDate(s: string): boolean {
  try {
    parse(s);
    return true;
  } catch {
    return false;
  }
}

export function addDays(date: string, days: number): string {
  return new Date(parse(date).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((parse(to).getTime() - parse(from).getTime()) / DAY_MS);
}

export function addMonths(date: string, months: number): string {
  const d = parse(date);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay))).toISOString().slice(0, 10);
}

/** SQL: `expr` + `months` (a non-negative integer SQL expression), clamped to the month's end. */
export function sqlAddMonths(expr: string, months: string): string {
  // A literal count becomes a literal modifier: rules run this on every vehicle, so no string building per row.
  const literal = /^\d+$/.test(months.trim());
  const modifier = literal ? `'+${months.trim()} months'` : `'+' || (${months}) || ' months'`;
  const next = literal ? `'+${Number(months) + 1} months'` : `'+' || ((${months}) + 1) || ' months'`;
  const plain = `date(${expr}, ${modifier})`;
  // Days 1–28 exist in every month, so only the 29th–31st need the clamping test.
  return `(case when substr(${expr}, 9, 2) <= '28' then ${plain}
    when strftime('%d', ${plain}) <> strftime('%d', ${expr}) then date(${expr}, 'start of month', ${next}, '-1 day') else ${plain} end)`;
}

/** SQL: `expr` + `days` (integer SQL expression, may be negative). */
export function sqlAddDays(expr: string, days: string): string {
  return `date(julianday(${expr}) + (${days}))`;
}

/** China has one zone and no DST: a dealer's wall clock is UTC+8. */
export const DEALER_UTC_OFFSET_MINUTES = 480;

/** Wall-clock helpers for a dealer's local time. */
export function localDate(at: Date, utcOffsetMinutes: number): string {
  return new Date(at.getTime() + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** A dealer's local 'YYYY-MM-DD HH:MM', as lists and exports show a moment. */
export function localDateTime(at: Date, utcOffsetMinutes: number): string {
  return new Date(at.getTime() + utcOffsetMinutes * 60_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The UTC instant of a local date and 'HH:MM'. */
export function localToUtcIso(date: string, time: string, utcOffsetMinutes: number): string {
  const [h, m] = time.split(':').map(Number);
  const ms = parse(date).getTime() + ((h ?? 0) * 60 + (m ?? 0) - utcOffsetMinutes) * 60_000;
  return new Date(ms).toISOString();
}
