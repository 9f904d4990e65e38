/**
 * In-process domain events of the DMS capability. Other capabilities subscribe here (reminders close
 * tasks as "came" on a new repair order, members award points); hosts forward progress to the UI.
 */
import { EventEmitter } from 'node:events';
import type { NewRepairOrder } from './sync/apply';
import type { RunSummary, SyncProgress } from './sync/engine';

export interface DmsEventMap {
  /** One per repair order first imported from the DMS, after its page committed. */
  repairOrderCreated: [NewRepairOrder];
  progress: [{ sourceId: string } & SyncProgress];
  runStarted: [{ sourceId: string; trigger: 'manual' | 'schedule'; mode: 'incremental' | 'file' | 'reconcile' }];
  runFinished: [{ sourceId: string } & RunSummary];
}

export type DmsEvents = EventEmitter<DmsEventMap>;

export function createDmsEvents(): DmsEvents {
  const events = new EventEmitter<DmsEventMap>();
  // Several capabilities subscribe; the default of 10 listeners is not a leak signal here.
  events.setMaxListeners(50);
  return events;
}
