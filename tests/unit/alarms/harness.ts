import { openDatabase, type DbHandle } from '../../../db/connection';
import { createAlarmEngine, type AlarmEngine } from '../../../main/alarms/engine';
import type { AlarmNotifier, EngineOptions, EscalationMessage, NotificationBatch } from '../../../main/alarms/types';
import { createTestStore, tempDir } from '../../support/db';

export class FakeClock {
  constructor(public t = Date.parse('2026-03-02T08:00:00.000Z')) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Records what the engine sent; `failChannels` makes escalate() throw for those channels. */
export class RecordingNotifier implements AlarmNotifier {
  batches: NotificationBatch[] = [];
  escalations: { channel: string; message: EscalationMessage }[] = [];
  failChannels = new Set<string>();
  failNotify = false;
  notify(batch: NotificationBatch): void {
    if (this.failNotify) throw new Error('popup host gone');
    this.batches.push(batch);
  }
  escalate(channel: string, message: EscalationMessage): void {
    if (this.failChannels.has(channel)) throw new Error(`${channel} down`);
    this.escalations.push({ channel, message });
  }
  items() {
    return this.batches.flatMap((b) => b.items);
  }
}

export interface Harness {
  dir: string;
  file: string;
  dealerId: string;
  clock: FakeClock;
  notifier: RecordingNotifier;
  handle: DbHandle;
  engine: AlarmEngine;
  /** Closes the store and opens it again with a fresh engine, as a workstation restart would. */
  restart(): void;
  close(): void;
}

export const FAST: Partial<EngineOptions> = {
  failThreshold: 3,
  clearThreshold: 2,
  groupWaitMs: 5_000,
  escalation: { afterMs: 10 * 60_000, channels: ['sms', 'email'] },
};

export async function createHarness(options: Partial<EngineOptions> = FAST): Promise<Harness> {
  const { dir, cleanup } = tempDir('alarms-');
  const store = await createTestStore(dir);
  const clock = new FakeClock();
  const notifier = new RecordingNotifier();
  const build = (handle: DbHandle) => createAlarmEngine({ handle, dealerId: store.dealerId, notifier, clock, options });
  let handle = openDatabase(store.file);
  const harness: Harness = {
    dir,
    file: store.file,
    dealerId: store.dealerId,
    clock,
    notifier,
    handle,
    engine: build(handle),
    restart() {
      handle.close();
      handle = openDatabase(store.file);
      harness.handle = handle;
      harness.engine = build(handle);
    },
    close() {
      handle.close();
      cleanup();
    },
  };
  return harness;
}

/** Reports `count` results for a target, advancing the fake clock by `everyMs` before each. */
export function feed(h: Harness, target: string, results: boolean[], everyMs = 10_000, extra: Record<string, unknown> = {}): void {
  for (const ok of results) {
    h.clock.advance(everyMs);
    h.engine.reportCheck({ target, ok, detail: ok ? 'ok' : 'down', ...extra });
  }
}

export const fails = (n: number): boolean[] => Array.from({ length: n }, () => false);
export const oks = (n: number): boolean[] => Array.from({ length: n }, () => true);
