/**
 * The bundles `npm start` runs: e2e drives the host from source through tsx, so this is what proves the
 * esbuild output itself starts, opens the embedded demo store and answers over its socket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tempDir } from '../../support/db';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const bundle = path.join(root, 'out', 'main', 'host.cjs');
const scratch = tempDir();
let host: ChildProcess | null = null;

afterAll(async () => {
  if (host && host.exitCode === null) {
    const exited = new Promise((resolve) => host?.once('exit', resolve));
    host.kill('SIGTERM');
    await exited;
  }
  scratch.cleanup();
});

describe('the built preload (out/preload/index.cjs)', () => {
  it('requires nothing but electron, as a sandboxed preload must', () => {
    const code = readFileSync(path.join(root, 'out', 'preload', 'index.cjs'), 'utf8');
    expect([...new Set([...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]))]).toEqual(['electron']);
  });
});

describe('the built browser host (out/main/host.cjs)', () => {
  it('starts on a fresh data folder with the embedded demo dealer and serves the contract', async () => {
    expect(existsSync(bundle), 'run `npm run build` (npm test does) before this test').toBe(true);
    host = spawn(process.execPath, [bundle, '--data-dir', scratch.dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    host.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      host?.once('exit', (code) => reject(new Error(`host exited with ${code}: ${stderr}`)));
      createInterface({ input: host!.stdout! }).on('line', (line) => {
        const match = /DealerCS browser host: (\S+)/.exec(line);
        if (match?.[1]) resolve(match[1]);
      });
    });
    expect(existsSync(path.join(scratch.dir, 'dealer.sqlite'))).toBe(true);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');

    const { origin, searchParams } = new URL(url);
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/rpc?token=${searchParams.get('token')}`, { origin });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const answer = new Promise<string>((resolve) => ws.once('message', (data) => resolve(data.toString())));
    ws.send(JSON.stringify({ id: 1, channel: 'app.info', input: {} }));
    const frame = JSON.parse(await answer) as { result: { ok: boolean; data: { demo: boolean; host: string } } };
    ws.close();
    expect(frame.result).toMatchObject({ ok: true, data: { demo: true, host: 'browser' } });
  });
});
