/**
 * Calendar arithmetic on 'YYYY-MM-DD' strings. Query dates are calendar dates (no time zone): "today" is
 * injected by the caller so a saved query run on a given day always means the same range, and tests
 * can pin it. Month and year steps clamp to the month's last day (2024-02-29 minus 1 year = 2023-02-28).
 */
export type DateUnit = 'day' | 'month' | 'year';

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(s: string): boolean {
  const m = ISO.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function parts(date: string): [number, number, number] {
  const m = ISO.exec(date);
  if (!m) throw new RangeError(`not a calendar date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function format(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** `date` moved by `amount` units (negative = into the past). */
export function shift(date: string, amount: number, unit: DateUnit): string {
  const [y, m, d] = parts(date);
  if (unit === 'day') {
    const t = new Date(Date.UTC(y, m - 1, d + amount));
    return format(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
  }
  const months = unit === 'year' ? amount * 12 : amount;
  const index = y * 12 + (m - 1) + months;
  const ny = Math.floor(index / 12);
  const nm = (index % 12) + 1;
  return format(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

export function yearOf(date: string): number {
  return parts(date)[0];
}

export function yearRange(year: number): { from: string; to: string } {
  return { from: format(year, 1, 1), to: format(year, 12, 31) };
}

/** Today's calendar date in the given IANA zone (the dealer's), not UTC: a 07:00 run in Beijing is "today". */
export function todayIn(now: Date, timeZone = 'Asia/Shanghai'): string {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return f.format(now);
}
