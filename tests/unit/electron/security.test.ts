import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../../../main/electron/protocol';
import { denyPermissions, hardenWebContents, secureWebPreferences, type WebContentsLike } from '../../../main/electron/security';
import { createBridgeApi, EVENT_CHANNEL, RPC_CHANNEL, type IpcRendererLike } from '../../../preload/bridge';
import { tempDir } from '../../support/db';

describe('window hardening', () => {
  it('isolates and sandboxes the renderer with no Node integration', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({
      preload: '/p.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
  });

  it('denies new windows, foreign navigation and webviews', () => {
    const listeners = new Map<string, (e: { preventDefault(): void }, url: string) => void>();
    let openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
    const contents: WebContentsLike = {
      setWindowOpenHandler: (h) => {
        openHandler = h;
      },
      on: (event: string, listener: (e: { preventDefault(): void }, url: string) => void) => listeners.set(event, listener),
    } as WebContentsLike;
    const blocked: string[] = [];
    hardenWebContents(contents, (url) => blocked.push(url));

    expect(openHandler!({ url: 'https://evil.example' })).toEqual({ action: 'deny' });
    const attempt = (event: string, url: string) => {
      let prevented = false;
      listeners.get(event)!({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(attempt('will-navigate', 'https://evil.example/')).toBe(true);
    expect(attempt('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(attempt('will-navigate', 'app://renderer/index.html#/customers')).toBe(false);
    expect(attempt('will-attach-webview', '')).toBe(true);
    expect(blocked).toEqual(['https://evil.example', 'https://evil.example/', 'file:///etc/passwd']);
  });

  it('grants notifications only', () => {
    let request: ((wc: unknown, p: string, cb: (g: boolean) => void) => void) | null = null;
    let check: ((wc: unknown, p: string) => boolean) | null = null;
    denyPermissions({ setPermissionRequestHandler: (h) => (request = h), setPermissionCheckHandler: (h) => (check = h) });
    const granted: Record<string, boolean> = {};
    for (const p of ['notifications', 'media', 'geolocation', 'openExternal']) request!(null, p, (g) => (granted[p] = g));
    expect(granted).toEqual({ notifications: true, media: false, geolocation: false, openExternal: false });
    expect(check!(null, 'camera')).toBe(false);
  });

  it('serves app:// only from the renderer folder, with the CSP', async () => {
    const { dir, cleanup } = tempDir();
    try {
      mkdirSync(path.join(dir, 'renderer'));
      writeFileSync(path.join(dir, 'renderer', 'index.html'), '<html></html>');
      writeFileSync(path.join(dir, 'secret.txt'), 'no');
      const handle = createAppProtocolHandler(path.join(dir, 'renderer'));
      const ok = await handle({ url: 'app://renderer/index.html' });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect((await handle({ url: 'app://renderer/%2e%2e/secret.txt' })).status).toBe(404);
      expect((await handle({ url: 'app://renderer/missing.js' })).status).toBe(404);
    } finally {
      cleanup();
    }
  });
});

describe('the preload bridge', () => {
  function fakeIpc() {
    const invoked: unknown[][] = [];
    const listeners = new Set<(e: unknown, ...a: unknown[]) => void>();
    const ipc: IpcRendererLike = {
      invoke: async (...args) => {
        invoked.push(args);
        return { ok: true, data: 'pong' };
      },
      on: (_c, l) => listeners.add(l),
      removeListener: (_c, l) => listeners.delete(l),
    };
    return { ipc, invoked, emit: (...args: unknown[]) => listeners.forEach((l) => l({}, ...args)), listeners };
  }

  it('forwards contract channels only', async () => {
    const { ipc, invoked } = fakeIpc();
    const api = createBridgeApi(ipc);
    expect(await api.invoke('app.info', {})).toEqual({ ok: true, data: 'pong' });
    const bad = await api.invoke('fs.readFile' as 'app.info', {});
    expect(bad.ok ? null : bad.error.code).toBe('UNKNOWN_CHANNEL');
    expect(invoked).toEqual([[RPC_CHANNEL, 'app.info', {}]]);
  });

  it('delivers subscribed events and unsubscribes cleanly', () => {
    const { ipc, emit, listeners } = fakeIpc();
    const api = createBridgeApi(ipc);
    const got: unknown[] = [];
    const off = api.on('customer.changed', (p) => got.push(p));
    emit('customer.changed', { customerId: 'x', by: 'y' });
    emit('other.event', { nope: true });
    expect(got).toEqual([{ customerId: 'x', by: 'y' }]);
    off();
    expect(listeners.size).toBe(0);
    expect(api.on('not.an.event' as 'customer.changed', () => undefined)()).toBeUndefined();
    expect(EVENT_CHANNEL).toBe('dealercs:event');
  });
});
