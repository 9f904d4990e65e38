/**
 * Services that survive a restore in the same process (the browser host): a restore closes the services
 * and swaps the store file; `onRestored` then builds fresh services on the restored store and swaps
 * them in behind the same dispatcher and event subscription, so the host keeps its port, token and
 * sockets. Calls that arrive during the swap wait for it. Sessions live in the services, so everyone
 * signs in again afterwards.
 */
import type { EventListener, Services } from '../services';

export type ServicesFactory = (onRestored: () => void) => Promise<Services>;

export async function createRestartableServices(
  create: ServicesFactory,
  logError?: (message: string, error: unknown) => void,
): Promise<Services> {
  const listeners = new Set<EventListener>();
  const fanOut: EventListener = (name, payload) => {
    for (const listener of listeners) listener(name, payload);
  };
  let started = false;
  let swapping: Promise<void> | null = null;
  let current: Services;
  let detach: () => void;

  const onRestored = () => {
    swapping ??= (async () => {
      const previous = current;
      detach();
      await previous.close(); // already closed by the restore; closing is idempotent
      current = await create(onRestored);
      detach = current.onEvent(fanOut);
      if (started) await current.start();
    })()
      .catch((error: unknown) => logError?.('Restarting the services after a restore failed', error))
      .finally(() => {
        swapping = null;
      });
  };

  current = await create(onRestored);
  detach = current.onEvent(fanOut);

  return {
    get handle() {
      return current.handle;
    },
    get dataDir() {
      return current.dataDir;
    },
    dispatcher: {
      async dispatch(channel, rawInput, ctx) {
        if (swapping) await swapping;
        return current.dispatcher.dispatch(channel, rawInput, ctx);
      },
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start() {
      started = true;
      await current.start();
    },
    async close() {
      if (swapping) await swapping;
      detach();
      listeners.clear();
      await current.close();
    },
  };
}
