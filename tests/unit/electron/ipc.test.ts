import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerRpc, type IpcEventLike, type IpcMainLike, type SenderLike } from '../../../main/electron/ipc';
import type { Services } from '../../../main/services';
import { EVENT_CHANNEL, RPC_CHANNEL } from '../../../preload/bridge';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { startServices } from '../../support/services';

class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown) {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  invoke(event: IpcEventLike, ...args: unknown[]) {
    const handler = this.handlers.get(RPC_CHANNEL);
    if (!handler) throw new Error('no handler');
    return handler(event, ...args) as Promise<{ ok: boolean; data?: unknown; error?: { code: string } }>;
  }
}

class FakeSender implements SenderLike {
  sent: unknown[][] = [];
  destroyed = false;
  private onDestroyed: (() => void) | null = null;
  constructor(readonly id: number) {}
  isDestroyed() {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push([channel, ...args]);
  }
  once(_event: 'destroyed', listener: () => void) {
    this.onDestroyed = listener;
  }
  destroy() {
    this.destroyed = true;
    this.onDestroyed?.();
  }
}

let scratch: ReturnType<typeof tempDir>;
let store: TestStore;
let services: Services;
let ipc: FakeIpcMain;
let unwire: () => void;

beforeEach(async () => {
  scratch = tempDir();
  store = await createTestStore(scratch.dir);
  services = await startServices(store);
  ipc = new FakeIpcMain();
  unwire = registerRpc(ipc, services);
});
afterEach(async () => {
  unwire();
  await services.close();
  scratch.cleanup();
});

const from = (sender: FakeSender, url = 'app://renderer/index.html'): IpcEventLike => ({ sender, senderFrame: { url } });

describe('the Electron host wiring', () => {
  it('keeps one sign-in per window and answers through the shared dispatcher', async () => {
    const win = new FakeSender(1);
    const other = new FakeSender(2);
    const login = await ipc.invoke(from(win), 'auth.login', { username: 'admin1', password: 'admin-secret' });
    expect(login.ok).toBe(true);
    expect((await ipc.invoke(from(win), 'staff.list', {})).ok).toBe(true);
    expect((await ipc.invoke(from(other), 'staff.list', {})).error?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses calls from frames that are not the app', async () => {
    const result = await ipc.invoke(from(new FakeSender(3), 'https://example.com/'), 'app.info', {});
    expect(result.error?.code).toBe('FORBIDDEN');
  });

  it('pushes events only to signed-in windows that still exist', async () => {
    const signedIn = new FakeSender(1);
    const anonymous = new FakeSender(2);
    const closed = new FakeSender(3);
    await ipc.invoke(from(signedIn), 'auth.login', { username: 'agent1', password: 'agent-secret' });
    await ipc.invoke(from(anonymous), 'app.info', {});
    await ipc.invoke(from(closed), 'auth.login', { username: 'admin1', password: 'admin-secret' });
    closed.destroy();
    // Any capability's emit reaches hosts through services.onEvent; drive it through a real update.
    const listeners: string[] = [];
    services.onEvent((name) => listeners.push(name));
    const admin = new FakeSender(4);
    await ipc.invoke(from(admin), 'auth.login', { username: 'admin1', password: 'admin-secret' });
    const customerId = services.handle.sqlite.prepare(`select id from customer limit 1`).get() as { id: string } | undefined;
    if (!customerId) {
      services.handle.sqlite.exec(`insert into customer (id, dealer_id, name, created_at, updated_at)
        values ('01J00000000000000000000001', '${store.dealerId}', '王芳', 't', 't')`);
    }
    const note = await ipc.invoke(from(admin), 'customers.addNote', { customerId: customerId?.id ?? '01J00000000000000000000001', text: '回访' });
    expect(note.ok).toBe(true);
    expect(listeners).toContain('customer.changed');
    expect(signedIn.sent.some(([ch, name]) => ch === EVENT_CHANNEL && name === 'customer.changed')).toBe(true);
    expect(anonymous.sent).toEqual([]);
    expect(closed.sent).toEqual([]);
  });

  it('removes its handler when unwired', () => {
    unwire();
    expect(ipc.handlers.has(RPC_CHANNEL)).toBe(false);
    unwire = () => undefined;
  });
});
