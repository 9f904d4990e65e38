/**
 * Runs the reference DMS on its own: `tsx tools/dms-server/main.ts --db dms.sqlite --customers 1000
 * --api-key demo-key [--port 8765] [--demo]`. Seeds an empty file with the fixture generator, prints its URL as
 * one JSON line (so a parent process can read it) and serves until SIGTERM/SIGINT.
 */
import { parseArgs } from 'node:util';
import { buildFixture } from './fixture';
import { fixtureFromDemo } from './from-demo';
import { startDmsServer } from './server';
import { openDmsStore } from './store';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'dms-reference.sqlite' },
    customers: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    'api-key': { type: 'string', default: 'demo-key' },
    port: { type: 'string', default: '0' },
    /** Seed from the demo dealer generator instead of the small built-in fixture. */
    demo: { type: 'boolean', default: false },
  },
});

const store = openDmsStore(values.db);
if (store.count('customer') === 0) {
  const options = { customers: Number(values.customers), seed: Number(values.seed) };
  store.seed(values.demo ? await fixtureFromDemo(options) : buildFixture(options));
}
const server = await startDmsServer({ store, apiKey: values['api-key'], port: Number(values.port) });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
const stop = () => {
  void server.close().then(() => {
    store.close();
    process.exit(0);
  });
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
