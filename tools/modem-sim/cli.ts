/**
 * Runs the modem simulator on a serial device, normally one end of a socat PTY pair:
 *   socat -d -d pty,raw,echo=0,link=/tmp/modem-app pty,raw,echo=0,link=/tmp/modem-sim &
 *   npx tsx tools/modem-sim/cli.ts --port /tmp/modem-sim --control 7801 [--realistic] [--dial busy]
 * Prints one JSON line {"ready":true,"control":<port>} when listening. If the port vanishes (socat
 * restarted = cable replugged) it reopens it.
 */
import { parseArgs } from 'node:util';
import { startControlServer } from './control';
import { SimOnPort } from './serial';
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
const onPort = new SimOnPort(sim, values.port, Number(values.baud));
onPort.start();
const control = await startControlServer(sim, Number(values.control), { drop: () => void onPort.drop() });
process.stdout.write(`${JSON.stringify({ ready: true, control: control.port })}\n`);

async function shutdown(): Promise<void> {
  sim.stop();
  await onPort.stop();
  await control.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
