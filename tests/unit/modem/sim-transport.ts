import type { AtTransport, TransportFactory } from '../../../main/modem/at/transport';
import type { ModemSim } from '../../../tools/modem-sim/sim';

/**
 * Wires the bridge to an in-process simulator without a serial port, for fast unit tests of the
 * whole bridge. `pull()` simulates a cable pull; the factory can refuse to open while "unplugged".
 */
export class SimLink {
  current: { pull(): void } | null = null;
  plugged = true;
  opens = 0;
  constructor(private readonly sim: ModemSim) {}

  factory: TransportFactory = async () => {
    if (!this.plugged) throw new Error('ENOENT: no such device');
    this.opens++;
    const dataListeners: Array<(c: Buffer) => void> = [];
    const closeListeners: Array<(e: Error | null) => void> = [];
    let closed = false;
    const io = this.sim.attach((s) => {
      if (!closed) setImmediate(() => !closed && dataListeners.forEach((l) => l(Buffer.from(s, 'latin1'))));
    });
    const close = (e: Error | null) => {
      if (closed) return;
      closed = true;
      this.sim.detach();
      closeListeners.forEach((l) => l(e));
    };
    const transport: AtTransport = {
      write: async (d) => {
        if (closed) throw new Error('closed');
        setImmediate(() => !closed && io.onData(d));
      },
      onData: (l) => dataListeners.push(l),
      onClose: (l) => closeListeners.push(l),
      close: async () => close(null),
    };
    this.current = { pull: () => close(new Error('disconnected')) };
    return transport;
  };

  pull(): void {
    this.plugged = false;
    this.current?.pull();
  }
}

export async function until(check: () => boolean | Promise<boolean>, what: string, limitMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
