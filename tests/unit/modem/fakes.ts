import type { Timers, TimerHandle } from '../../../main/modem/at/engine';
import type { AtTransport } from '../../../main/modem/at/transport';

/** An in-memory serial line: the test plays the modem by pushing bytes and reading what was written. */
export class FakeTransport implements AtTransport {
  written: string[] = [];
  private dataListeners: Array<(c: Buffer) => void> = [];
  private closeListeners: Array<(e: Error | null) => void> = [];
  closed = false;
  /** Called after each write, so a scripted modem can answer. */
  onWrite: ((text: string) => void) | null = null;

  async write(data: string): Promise<void> {
    if (this.closed) throw new Error('closed');
    this.written.push(data);
    this.onWrite?.(data);
  }
  onData(listener: (chunk: Buffer) => void): void {
    this.dataListeners.push(listener);
  }
  onClose(listener: (error: Error | null) => void): void {
    this.closeListeners.push(listener);
  }
  async close(): Promise<void> {
    this.pull();
  }
  push(text: string): void {
    for (const l of this.dataListeners) l(Buffer.from(text, 'latin1'));
  }
  /** The cable is pulled. */
  pull(): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.closeListeners) l(new Error('disconnected'));
  }
}

/** Deterministic timers: nothing fires until the test advances the clock. */
export class FakeTimers implements Timers {
  now = 0;
  private seq = 0;
  private pending = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.pending.set(id, { at: this.now + ms, fn });
    return id as unknown as TimerHandle;
  }
  clearTimeout(handle: TimerHandle): void {
    this.pending.delete(handle as unknown as number);
  }
  advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.pending) if (e[1].at <= target && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.pending.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = target;
  }
  get size(): number {
    return this.pending.size;
  }
}

export const flush = () => new Promise<void>((r) => setImmediate(r));
