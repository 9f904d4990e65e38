import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../config/store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The seat's stable identity for staged rollouts and diagnostics: created once, kept in userData. A
 * corrupt or missing file yields a new id (the seat simply lands in another rollout ring).
 */
export function loadOrCreateSeatId(file: string): string {
  try {
    const id = readFileSync(file, 'utf8').trim();
    if (UUID.test(id)) return id;
  } catch {
    // missing or unreadable: make a new one below
  }
  const id = randomUUID();
  writeFileAtomic(file, `${id}\n`);
  return id;
}
