import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

/** A TCP service the test can stop and restart on the same port. */
export async function tcpService(port = 0): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {}); // probes hang up at once: resets are expected
    s.on('close', () => sockets.delete(s));
    s.end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An HTTP service whose status the test sets. */
export async function httpService(): Promise<{ url: string; status: number; stop(): Promise<void> }> {
  const state = { status: 200 };
  const server = http.createServer((_req, res) => {
    res.writeHead(state.status);
    res.end('x');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}/ping`,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A backup folder with one file of the given age. */
export function backupFolder(dir: string, ageHours: number): { path: string; age(hours: number): void } {
  const folder = path.join(dir, 'backups');
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'dealer-20260301.bak');
  writeFileSync(file, 'backup');
  const age = (hours: number) => {
    const t = new Date(Date.now() - hours * 3_600_000);
    utimesSync(file, t, t);
  };
  age(ageHours);
  return { path: folder, age };
}

/** Polls a condition (no timing assertions: only a generous ceiling against hangs). */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
