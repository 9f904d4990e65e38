/**
 * The renderer's WebSocket client against a real ws server on 127.0.0.1: typed results, contract
 * checks on answers, events, UNAVAILABLE on a dropped connection, and re-sign-in after reconnecting.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createSocketApi, type SocketApi, type SocketFactory } from '../../../renderer/socket-client';

const ID = '01HZY5J8M2Q9V7X3T4W6K8N0PA';
const session = {
  token: 'tok-0123456789abcdef',
  staff: { id: ID, username: 'agent1', displayName: '王坐席', role: 'agent' },
  dealer: { id: ID, name: '广州示范本田', brand: 'Honda' },
};

interface Frame {
  id: number;
  channel: string;
  input: unknown;
}

type Reply = (frame: Frame, socket: WebSocket) => unknown;

async function startServer(reply: Reply) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const received: Frame[] = [];
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      received.push(frame);
      const result = reply(frame, socket);
      if (result !== undefined) socket.send(JSON.stringify({ type: 'result', id: frame.id, result }));
    });
  });
  const port = (wss.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/rpc?token=t`,
    received,
    wss,
    dropAll() {
      for (const client of wss.clients) client.terminate();
    },
    close: () => new Promise<void>((resolve) => wss.close(() => resolve())),
  };
}

const nodeSocket: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.on('open', () => handlers.onOpen());
  ws.on('message', (data) => handlers.onMessage(String(data)));
  ws.on('close', () => handlers.onClose());
  ws.on('error', () => undefined);
  return { send: (text) => ws.send(text), close: () => ws.close() };
};

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(reply: Reply) {
  const server = await startServer(reply);
  cleanups.push(server.close);
  const api: SocketApi = createSocketApi({ url: server.url, createSocket: nodeSocket, backoff: () => 0 });
  cleanups.push(() => api.close());
  return { server, api };
}

function waitForState(api: SocketApi, state: string) {
  return new Promise<void>((resolve) => {
    if (api.state() === state) return resolve();
    const off = api.onState((s) => {
      if (s === state) {
        off();
        resolve();
      }
    });
  });
}

describe('socket client', () => {
  it('sends frames and returns typed, contract-checked results; calls made while connecting are queued', async () => {
    const { server, api } = await setup((frame) =>
      frame.channel === 'app.info'
        ? { ok: true, data: { version: '0.1.0', host: 'browser', demo: true, dealerName: '示范店' } }
        : { ok: false, error: { code: 'BAD_CREDENTIALS', message: { zh: '用户名或密码错误', en: 'Wrong username or password' } } },
    );
    const info = await api.invoke('app.info', {});
    expect(info).toEqual({ ok: true, data: { version: '0.1.0', host: 'browser', demo: true, dealerName: '示范店' } });
    const login = await api.invoke('auth.login', { username: 'x', password: 'y' });
    expect(login.ok).toBe(false);
    if (!login.ok) expect(login.error.code).toBe('BAD_CREDENTIALS');
    expect(server.received.map((f) => [f.channel, f.input])).toEqual([
      ['app.info', {}],
      ['auth.login', { username: 'x', password: 'y' }],
    ]);
  });

  it('turns an answer that breaks the contract into INTERNAL instead of passing it on', async () => {
    const { api } = await setup(() => ({ ok: true, data: { version: 1 } }));
    const result = await api.invoke('app.info', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('INTERNAL');
  });

  it('dispatches valid events to their listeners and drops malformed ones', async () => {
    const { server, api } = await setup((frame, socket) => {
      socket.send(JSON.stringify({ type: 'event', event: 'customer.changed', payload: { customerId: 'bad' } }));
      socket.send(JSON.stringify({ type: 'event', event: 'customer.changed', payload: { customerId: ID, by: 'agent2' } }));
      return { ok: true, data: { version: '1', host: 'browser', demo: false, dealerName: '' } };
    });
    const seen: unknown[] = [];
    const off = api.on('customer.changed', (payload) => seen.push(payload));
    await api.invoke('app.info', {});
    expect(seen).toEqual([{ customerId: ID, by: 'agent2' }]);
    off();
    expect(server.received).toHaveLength(1);
  });

  it('resolves in-flight calls as UNAVAILABLE when the connection drops, then reconnects', async () => {
    let answer = false;
    const { server, api } = await setup(() =>
      answer ? { ok: true, data: { version: '1', host: 'browser', demo: false, dealerName: 'D' } } : undefined,
    );
    await waitForState(api, 'open');
    const pending = api.invoke('app.info', {});
    // Wait until the server has the frame, then cut the line before it answers.
    while (server.received.length === 0) await new Promise((r) => setImmediate(r));
    server.dropAll();
    const result = await pending;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('UNAVAILABLE');
    answer = true;
    await waitForState(api, 'open');
    const again = await api.invoke('app.info', {});
    expect(again.ok).toBe(true);
  });

  it('signs the new connection in again with the session token before running queued calls', async () => {
    const { server, api } = await setup((frame) => {
      if (frame.channel === 'auth.login' || frame.channel === 'auth.resume') return { ok: true, data: session };
      return { ok: true, data: { version: '1', host: 'browser', demo: false, dealerName: 'D' } };
    });
    const login = await api.invoke('auth.login', { username: 'agent1', password: 'agent123' });
    expect(login.ok).toBe(true);
    server.dropAll();
    await waitForState(api, 'closed');
    const after = await api.invoke('app.info', {});
    expect(after.ok).toBe(true);
    expect(server.received.map((f) => f.channel)).toEqual(['auth.login', 'auth.resume', 'app.info']);
    expect(server.received[1]?.input).toEqual({ token: session.token });
  });

  it('does not resume after sign-out', async () => {
    const { server, api } = await setup((frame) => {
      if (frame.channel === 'auth.login') return { ok: true, data: session };
      if (frame.channel === 'auth.logout') return { ok: true, data: { ok: true } };
      return { ok: true, data: { version: '1', host: 'browser', demo: false, dealerName: 'D' } };
    });
    await api.invoke('auth.login', { username: 'agent1', password: 'agent123' });
    await api.invoke('auth.logout', {});
    server.dropAll();
    await waitForState(api, 'closed');
    await api.invoke('app.info', {});
    expect(server.received.map((f) => f.channel)).toEqual(['auth.login', 'auth.logout', 'app.info']);
  });

  it('fails every call as UNAVAILABLE once closed for good', async () => {
    const { api } = await setup(() => undefined);
    api.close();
    const result = await api.invoke('app.info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });
});
