/**
 * Runs the workstation's services behind the browser host: `npm run serve`, the e2e suite, and
 * `npm start` where Electron is not installed. Prints the URL (with its per-run token) when ready.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createServices } from '../services';
import { createRestartableServices } from '../ops/restartable';
import { defaultDataDir, ensureDatabase } from './paths';
import { startBrowserHost } from './server';
import { APP_VERSION } from '../version';

const here = import.meta.dirname;
// From source (main/host) or from the bundle (out/main): the app root is two levels up either way.
const appRoot = path.resolve(here, '..', '..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      db: { type: 'string' },
      port: { type: 'string', default: '0' },
      token: { type: 'string' },
      'renderer-dir': { type: 'string' },
      'demo-db': { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, got ${values.port}`);

  const dbFile =
    values.db ??
    ensureDatabase(
      values['data-dir'] ?? defaultDataDir(),
      values['demo-db'] ?? path.join(appRoot, 'out', 'resources', 'demo.sqlite'),
    ).dbFile;
  const logError = (message: string, error: unknown) => console.error(message, error);
  // A restore swaps the store: fresh services are built on it in-process, behind the same host.
  const services = await createRestartableServices(
    (onRestored) =>
      createServices({ dbFile, host: 'browser', version: APP_VERSION, validateOutput: process.env.NODE_ENV !== 'production', logError, onRestored }),
    logError,
  );
  const host = await startBrowserHost({
    services,
    rendererDir: values['renderer-dir'] ?? path.join(appRoot, 'out', 'renderer'),
    port,
    ...(values.token ? { token: values.token } : {}),
  });
  await services.start();
  console.log(`DealerCS browser host: ${host.url}`);
  console.error(`数据库 / database: ${dbFile}`);

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    void host
      .close()
      .then(() => services.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
