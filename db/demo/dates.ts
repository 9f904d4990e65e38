/** Calendar arithmetic on 'YYYY-MM-DD' strings through whole UTC days, so no time zone can shift a date. */
const DAY_MS = 86_400_000;

export function toDay(date: string): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${date}`);
  return Math.floor(ms / DAY_MS);
}

export function fromDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function dayToIso(day: number, secondsIntoDay = 0): string {
  return new Date(day * DAY_MS + secondsIntoDay * 1000).toISOString();
}

export function dayToMs(day: number): number {
  return day * DAY_MS;
}
