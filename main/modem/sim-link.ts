/**
 * The demo line: a modem port value `sim://demo` runs the modem capability on the simulator in-process
 * (tools/modem-sim) through the engine's injectable transport — no socat, no hardware. The simulated
 * network answers in about a second and reports delivery a few seconds later, and a demo admin can make
 * a "customer" text or call the seat (modem.demoInject).
 */
import { ModemSim, type SimDelays } from '../../tools/modem-sim/sim';
import type { AtTransport, TransportFactory } from './at/transport';

export const SIM_PORT = 'sim://demo';

export const isSimPort = (port: string | null | undefined): boolean => port?.trim() === SIM_PORT;

/** Close enough to a real network for a demo: the send is accepted after ~1 s, delivered ~3 s later. */
export const DEMO_DELAYS: SimDelays = { commandMs: 5, submitMs: 1000, reportMs: 3000, ringMs: 3000, dialMs: 2000 };

export interface SimLine {
  sim: ModemSim;
  transport: TransportFactory;
  stop(): void;
}

/** One simulator per modem instance; each open attaches a fresh byte pipe to it (as a replug would). */
export function createSimLine(delays: Partial<SimDelays> = DEMO_DELAYS): SimLine {
  const sim = new ModemSim({ delays });
  let closeCurrent: (() => void) | null = null;
  const transport: TransportFactory = async () => {
    closeCurrent?.();
    const dataListeners: Array<(chunk: Buffer) => void> = [];
    const closeListeners: Array<(e: Error | null) => void> = [];
    let closed = false;
    const io = sim.attach((s) => {
      if (!closed) setImmediate(() => !closed && dataListeners.forEach((l) => l(Buffer.from(s, 'latin1'))));
    });
    const close = (e: Error | null) => {
      if (closed) return;
      closed = true;
      sim.detach();
      closeListeners.forEach((l) => l(e));
    };
    closeCurrent = () => close(null);
    const line: AtTransport = {
      write: async (data) => {
        if (closed) throw new Error('closed');
        setImmediate(() => !closed && io.onData(data));
      },
      onData: (l) => dataListeners.push(l),
      onClose: (l) => closeListeners.push(l),
      close: async () => close(null),
    };
    return line;
  };
  return {
    sim,
    transport,
    stop() {
      closeCurrent?.();
      sim.stop();
    },
  };
}
