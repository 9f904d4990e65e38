import type { Kysely } from 'kysely';
import type { DbHandle } from '../../db/connection';
import { newId } from '../../db/ids';
import type { Database } from '../../db/schema';
import type { AlarmEventType } from '../../db/tables/alarms';
import { createSyncDb, type SyncDb } from './sync-db';
import type { Actor, AlarmEmit, Clock, EngineOptions } from './types';

/** What the engine's parts share: one dealer, one clock, one synchronous view of the store. */
export interface EngineContext {
  db: Kysely<Database>;
  sdb: SyncDb;
  dealerId: string;
  clock: Clock;
  options: EngineOptions;
  emit: AlarmEmit;
  iso(ms?: number): string;
  id(): string;
  record(event: {
    type: AlarmEventType;
    alarmId?: string | null;
    silenceId?: string | null;
    target?: string | null;
    actor?: Actor | null;
    detail?: Record<string, unknown> | null;
  }): void;
}

export function createContext(
  handle: DbHandle,
  dealerId: string,
  clock: Clock,
  options: EngineOptions,
  emit: AlarmEmit,
): EngineContext {
  const sdb = createSyncDb(handle);
  const ctx: EngineContext = {
    db: handle.db,
    sdb,
    dealerId,
    clock,
    options,
    emit,
    iso: (ms) => new Date(ms ?? clock.now()).toISOString(),
    id: () => newId(clock.now()),
    record(event) {
      const at = ctx.iso();
      sdb.run(
        handle.db.insertInto('alarm_event').values({
          id: ctx.id(),
          dealer_id: dealerId,
          alarm_id: event.alarmId ?? null,
          silence_id: event.silenceId ?? null,
          target: event.target ?? null,
          type: event.type,
          at,
          actor_id: event.actor?.id ?? null,
          actor_name: event.actor?.name ?? null,
          detail: event.detail ? JSON.stringify(event.detail) : null,
          created_at: at,
        }),
      );
    },
  };
  return ctx;
}
