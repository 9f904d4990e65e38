/**
 * Starting a browser host for e2e: the global setup's shared host on the 300-customer demo dealer, and
 * specs that need a host of their own (e.g. an empty store) on a database generated the same way.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const root = path.resolve(import.meta.dirname, '..', '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const READY = /DealerCS browser host: (http:\/\/127\.0\.0\.1:\d+\/\S*)/;
// A generous ceiling so a broken host fails the run instead of hanging it; not a performance assertion.
const START_LIMIT_MS = 60_000;

/** A migrated store with the demo dealer and its staff accounts; `customers: 0` gives an empty dealer. */
export function generateDemoDb(dbFile: string, customers: number): void {
  const generated = spawnSync(tsx, ['scripts/demo-data.ts', '--customers', String(customers), '--out', dbFile, '--seed', '7'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (generated.status !== 0) throw new Error(`demo-data failed (${generated.status}):\n${generated.stderr}`);
}

export interface RunningHost {
  url: string;
  stop(): Promise<void>;
}

/** Runs main/host/cli.ts on `dbFile` with its data in `dataDir`; resolves with the URL once it is ready. */
export async function spawnHost(opts: { dataDir: string; dbFile: string; token: string }): Promise<RunningHost> {
  const host = spawn(
    tsx,
    [
      'main/host/cli.ts',
      '--data-dir',
      opts.dataDir,
      '--db',
      opts.dbFile,
      '--port',
      '0',
      '--token',
      opts.token,
      '--renderer-dir',
      path.join(root, 'out', 'renderer'),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  host.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const stop = async () => {
    if (host.exitCode !== null || host.signalCode !== null) return;
    const exited = new Promise((resolve) => host.once('exit', resolve));
    host.kill('SIGTERM');
    await exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`host did not start:\n${stderr}`)), START_LIMIT_MS);
      host.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`host exited with ${code}:\n${stderr}`));
      });
      createInterface({ input: host.stdout }).on('line', (line) => {
        const match = READY.exec(line);
        if (!match?.[1]) return;
        clearTimeout(timer);
        resolve(match[1]);
      });
    });
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
