import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../../main/host/server';
import type { Services } from '../../../main/services';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { startServices } from '../../support/services';

let scratch: ReturnType<typeof tempDir>;
let store: TestStore;
let services: Services;
let host: BrowserHost;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  scratch = tempDir();
  store = await createTestStore(scratch.dir);
  services = await startServices(store);
  const rendererDir = path.join(scratch.dir, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>工作站</title>');
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(scratch.dir, 'secret.txt'), 'outside the renderer');
  host = await startBrowserHost({ services, rendererDir, token: 'test-token-0123456789' });
});
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await host.close();
  await services.close();
  scratch.cleanup();
});

function open(query = `token=${host.token}`, origin: string | undefined = `http://127.0.0.1:${host.port}`) {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?${query}`, origin ? { origin } : {});
  sockets.push(ws);
  return ws;
}

function rejected(ws: WebSocket): Promise<number> {
  // A refused handshake also surfaces as an 'error' on the client; the status code is what we check.
  ws.on('error', () => undefined);
  return new Promise((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
}

function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
}

/** A tiny client over the wire protocol, as the renderer's would be. */
function client(ws: WebSocket) {
  let next = 1;
  const pending = new Map<number, (r: unknown) => void>();
  const events: Array<{ event: string; payload: unknown }> = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as { type: string; id: number; result: unknown; event: string; payload: unknown };
    if (frame.type === 'result') pending.get(frame.id)?.(frame.result);
    else events.push({ event: frame.event, payload: frame.payload });
  });
  return {
    events,
    call(channel: string, input: unknown): Promise<{ ok: boolean; data?: unknown; error?: { code: string } }> {
      const id = next++;
      ws.send(JSON.stringify({ id, channel, input }));
      return new Promise((resolve) => pending.set(id, resolve as (r: unknown) => void));
    },
  };
}

describe('the browser host', () => {
  it('serves the renderer with a strict CSP and nothing outside it', async () => {
    const page = await fetch(`http://127.0.0.1:${host.port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('工作站');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect((await fetch(`http://127.0.0.1:${host.port}/assets/app.js`)).headers.get('content-type')).toContain('javascript');
    for (const evil of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%5c..%5csecret.txt']) {
      const res = await fetch(`http://127.0.0.1:${host.port}${evil}`);
      expect(res.status, evil).toBe(404);
    }
    expect((await fetch(`http://127.0.0.1:${host.port}/`, { method: 'POST' })).status).toBe(405);
  });

  it('prints a URL that carries the per-run token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=test-token-0123456789`);
  });

  it('refuses sockets without the token or from another origin', async () => {
    expect(await rejected(open('token=wrong'))).toBe(403);
    expect(await rejected(open(''))).toBe(403);
    expect(await rejected(open(`token=${host.token}`, 'http://evil.example'))).toBe(403);
  });

  it('carries the contract: sign in, role checks, validation errors', async () => {
    const ws = open();
    await opened(ws);
    const c = client(ws);
    const info = await c.call('app.info', {});
    expect(info).toMatchObject({ ok: true, data: { host: 'browser', dealerName: '测试本田 4S 店' } });
    expect((await c.call('staff.list', {})).error?.code).toBe('UNAUTHENTICATED');
    const login = await c.call('auth.login', { username: 'agent1', password: 'agent-secret' });
    expect(login.ok).toBe(true);
    expect((await c.call('staff.list', {})).error?.code).toBe('FORBIDDEN');
    expect((await c.call('nope.nothing', {})).error?.code).toBe('UNKNOWN_CHANNEL');
    expect((await c.call('customers.search', { q: '' })).error?.code).toBe('VALIDATION');
  });

  it('keeps a sign-in per socket: a second page must sign in or resume', async () => {
    const a = open();
    const b = open();
    await Promise.all([opened(a), opened(b)]);
    const ca = client(a);
    const cb = client(b);
    const login = (await ca.call('auth.login', { username: 'admin1', password: 'admin-secret' })) as {
      ok: boolean;
      data: { token: string };
    };
    expect((await cb.call('staff.list', {})).error?.code).toBe('UNAUTHENTICATED');
    expect((await cb.call('auth.resume', { token: login.data.token })).ok).toBe(true);
    expect((await cb.call('staff.list', {})).ok).toBe(true);
  });

  it('closes a socket that sends malformed frames', async () => {
    const ws = open();
    await opened(ws);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send('{not json');
    expect(await closed).toBe(1008);
  });
});
