/**
 * The bridge as its own process, so a test can kill -9 it mid-send. Usage:
 *   MODEM_CONFIG='{"submitTimeoutMs":1500}' tsx bridge-runner.ts <sqlite file> <serial path> <dealer id>
 * Prints "ready" once the modem is initialised.
 */
import { z } from 'zod';
import { openDatabase } from '../../../db/connection';
import { createModem } from '../../../main/modem';

const [file, port, dealerId] = process.argv.slice(2);
if (!file || !port || !dealerId) throw new Error('usage: bridge-runner <db> <port> <dealer>');
const handle = openDatabase(file);

/** Test-only tuning from the environment (short timeouts); validated, never trusted as-is. */
function overrides(): Record<string, number> {
  const parsed = z.record(z.string(), z.number()).safeParse(JSON.parse(process.env.MODEM_CONFIG ?? '{}'));
  return parsed.success ? parsed.data : {};
}
let announced = false;
const modem = createModem({
  handle,
  dealerId,
  emit: (name, payload) => {
    if (name === 'modem.status' && (payload as { link: string }).link === 'ready' && !announced) {
      announced = true;
      process.stdout.write('ready\n');
    }
  },
  config: { port, ratePerMinute: 10_000, quietHours: null, submitTimeoutMs: 120_000, reconnectMinMs: 100, ...overrides() },
});
await modem.start();
