/**
 * Modem throughput: N SMS through the simulator (its own process, on a socat PTY pair) at its
 * configured pace. Reports achieved rate ÷ the simulator's maximum rate (target ≥ 0.95) and the
 * bridge's CPU time per message.
 *   npx tsx bench/modem.ts [--count 500] [--submit-ms 200]
 * The maximum is the nominal pace (1 ms to the prompt + submit-ms per SMS). Each SMS also costs about
 * 3.5 ms of PTY round trips and timer latency plus ~2 ms of bridge turnaround (answer → next AT+CMGS,
 * measured), so paces far faster than a real modem's 5–10 s (e.g. 40 ms) land near 0.9.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createModem } from '../main/modem';
import { createTestDb } from '../tests/unit/modem/db';
import { until } from '../tests/unit/modem/sim-transport';
import { startSocat } from '../tests/integration/modem/socat';

const { values } = parseArgs({ options: { count: { type: 'string', default: '500' }, 'submit-ms': { type: 'string', default: '200' } } });
const count = Number(values.count);
const submitMs = Number(values['submit-ms']);
// The simulator answers AT+CMGS with "> " after commandMs (1 ms) and "+CMGS" after submitMs.
const simMaxPerSec = 1000 / (submitMs + 1);

const dir = mkdtempSync(join(tmpdir(), 'modem-bench-'));
const t = await createTestDb();
const pair = await startSocat(dir);
const sim = spawn(process.execPath, ['--import', 'tsx', 'tools/modem-sim/cli.ts', '--port', pair.simLink, '--submit-ms', String(submitMs), '--report-ms', '5'], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((resolve) => sim.stdout?.once('data', () => resolve()));

let ready = false;
let sent = 0;
let allSent: () => void = () => undefined;
const done = new Promise<void>((r) => (allSent = r));
const modem = createModem({
  handle: t.handle,
  dealerId: t.dealerId,
  // Counted from events, not by polling the DB, so the bench adds no load of its own.
  emit: (name, p) => {
    if (name === 'modem.status' && (p as { link: string }).link === 'ready') ready = true;
    if (name === 'sms.state' && (p as { state: string }).state === 'sent' && ++sent === count) allSent();
  },
  config: { port: pair.appLink, ratePerMinute: 1_000_000, quietHours: null, statusReport: false },
});
await modem.start();
await until(() => ready, 'modem ready', 20_000);

for (let i = 0; i < count; i++) {
  await modem.sendSms({ customerId: null, recipient: `1380${String(i).padStart(7, '0')}`, body: `【本田】尊敬的客户，您的爱车保养提醒 #${i}`, kind: 'service', origin: 'automated', staffId: null, clientRef: null });
}
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await done;
const elapsedMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const achievedPerSec = (count * 1000) / elapsedMs;

await modem.stop();
sim.kill('SIGTERM');
await new Promise((r) => sim.once('exit', r));
await pair.kill();
t.cleanup();
rmSync(dir, { recursive: true, force: true });

const result = {
  count,
  submitMs,
  elapsedS: +(elapsedMs / 1000).toFixed(2),
  achievedPerSec: +achievedPerSec.toFixed(2),
  simMaxPerSec: +simMaxPerSec.toFixed(2),
  ratio: +(achievedPerSec / simMaxPerSec).toFixed(3),
  cpuMsPerMessage: +((cpu.user + cpu.system) / 1000 / count).toFixed(3),
  pass: achievedPerSec / simMaxPerSec >= 0.95,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(result.pass ? 0 : 1);
