import { monotonicFactory } from 'ulid';

const nextUlid = monotonicFactory();

/** Sortable, client-made keys (ULID) so rows from several seats can later merge without collisions. */
export function newId(now: number = Date.now()): string {
  return nextUlid(now);
}

export function nowIso(): string {
  return new Date().toISOString();
}
