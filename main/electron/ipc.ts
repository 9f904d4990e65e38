import { EVENT_CHANNEL, RPC_CHANNEL } from '../../preload/bridge';
import type { CallContext } from '../rpc';
import type { Services } from '../services';
import { APP_ORIGIN } from './security';

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}
export interface SenderLike {
  id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  once(event: 'destroyed', listener: () => void): unknown;
}
export interface IpcEventLike {
  sender: SenderLike;
  senderFrame: { url: string } | null;
}

/**
 * Wires the dispatcher to ipcMain: one context per window (it keeps the sign-in across reloads), calls
 * only from our own origin, events to every signed-in window. Returns the function that unwires it.
 */
export function registerRpc(ipcMain: IpcMainLike, services: Services): () => void {
  const contexts = new Map<number, { ctx: CallContext; sender: SenderLike }>();

  ipcMain.handle(RPC_CHANNEL, async (event, channel, input) => {
    const frameUrl = event.senderFrame?.url ?? '';
    if (!frameUrl.startsWith(`${APP_ORIGIN}/`)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: { zh: '来源不受信任', en: 'Untrusted caller' } } };
    }
    let entry = contexts.get(event.sender.id);
    if (!entry) {
      const sender = event.sender;
      entry = { ctx: { connectionId: `wc-${sender.id}`, host: 'electron', staff: null }, sender };
      contexts.set(sender.id, entry);
      sender.once('destroyed', () => contexts.delete(sender.id));
    }
    return services.dispatcher.dispatch(channel, input, entry.ctx);
  });

  const unsubscribe = services.onEvent((name, payload) => {
    for (const { ctx, sender } of contexts.values()) {
      if (ctx.staff && !sender.isDestroyed()) sender.send(EVENT_CHANNEL, name, payload);
    }
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(RPC_CHANNEL);
    contexts.clear();
  };
}
