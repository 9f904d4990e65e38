/**
 * Runs the modem simulator on a serial device, normally one end of a socat PTY pair:
 *   socat -d -d pty,raw,echo=0,link=/tmp/modem-app pty,raw,echo=0,link=/tmp/modem-sim &
 *   npx tsx tools/modem-sim/cli.ts --port /tmp/modem-sim --control 7801 [--realistic] [--dial busy]
 * Prints one JSON line {"ready":true,"control":<port>} when listening. If the port vanishes (socat
 * restarted = cable replugged) it reopens it.
 */
import { parseArgs } from 'node:util';
import { SerialPort } from 'serialport';
import { startControlServer } from './control';
import { FAST_DELAYS, ModemSim, REALISTIC_DELAYS } from './sim';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    baud: { type: 'string', default: '115200' },
    control: { type: 'string', default: '0' },
    realistic: { type: 'boolean', default: false },
    'submit-ms': { type: 'string' },
    'report-ms': { type: 'string' },
    dial: { type: 'string', default: 'answer' },
    verbose: { type: 'boolean', default: false },
  },
});
if (!values.port) {
  process.stderr.write('usage: modem-sim --port <device> [--control <http port>] [--realistic]\n');
  process.exit(2);
}
const path = values.port;
const base = values.realistic ? REALISTIC_DELAYS : FAST_DELAYS;
const dial = values.dial === 'busy' || values.dial === 'no_answer' ? values.dial : 'answer';
const sim = new ModemSim({
  delays: {
    ...base,
    ...(values['submit-ms'] ? { submitMs: Number(values['submit-ms']) } : {}),
    ...(values['report-ms'] ? { reportMs: Number(values['report-ms']) } : {}),
  },
  dialOutcome: dial,
  ...(values.verbose ? { log: (l: string) => process.stderr.write(`${l}\n`) } : {}),
});

let port: SerialPort | null = null;
let stopping = false;

function open(): void {
  const p = new SerialPort({ path, baudRate: Number(values.baud), autoOpen: false });
  p.open((error) => {
    if (error) {
      if (!stopping) setTimeout(open, 200);
      return;
    }
    port = p;
    const io = sim.attach((s) => p.write(Buffer.from(s, 'latin1')));
    p.on('data', io.onData);
    p.on('close', () => {
      sim.detach();
      port = null;
      if (!stopping) setTimeout(open, 200);
    });
  });
}

open();
const control = await startControlServer(sim, Number(values.control), {
  // Simulated cable pull: close our end; socat then ends and the bridge's port disappears.
  drop: () => port?.close(),
});
process.stdout.write(`${JSON.stringify({ ready: true, control: control.port })}\n`);

function shutdown(): void {
  stopping = true;
  sim.stop();
  void control.close();
  if (port?.isOpen) port.close(() => process.exit(0));
  else process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
