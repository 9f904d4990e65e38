/**
 * The bridge as its own process, so a test can kill -9 it mid-send. Usage:
 *   tsx bridge-runner.ts <sqlite file> <serial path> <dealer id>
 * Prints "ready" once the modem is initialised.
 */
import { openDatabase } from '../../../db/connection';
import { createModem } from '../../../main/modem';

const [file, port, dealerId] = process.argv.slice(2);
if (!file || !port || !dealerId) throw new Error('usage: bridge-runner <db> <port> <dealer>');
const handle = openDatabase(file);
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
  config: { port, ratePerMinute: 10_000, quietHours: null, submitTimeoutMs: 120_000, reconnectMinMs: 100 },
});
await modem.start();
