/**
 * Builds the `window.api` object from an ipcRenderer-like transport. Kept apart from preload/index.ts
 * (which imports electron) so it is unit-tested with a fake. Only contract channels and events pass.
 */
import {
  isEventName,
  isRequestName,
  type Api,
  type EventName,
  type EventPayload,
  type RequestName,
  type RequestOutput,
  type Result,
} from './contract';
import { errorMessages } from './messages';

export const RPC_CHANNEL = 'dealercs:rpc';
export const EVENT_CHANNEL = 'dealercs:event';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createBridgeApi(ipc: IpcRendererLike): Api {
  return {
    async invoke<N extends RequestName>(name: N, input: unknown): Promise<Result<RequestOutput<N>>> {
      if (!isRequestName(name)) {
        return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: errorMessages.UNKNOWN_CHANNEL } };
      }
      // The main process validated the result against the contract; the envelope is all we forward.
      return (await ipc.invoke(RPC_CHANNEL, name, input)) as Result<RequestOutput<N>>;
    },
    on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void) {
      if (!isEventName(name)) return () => undefined;
      const wrapped = (_event: unknown, event: unknown, payload: unknown) => {
        if (event === name) listener(payload as EventPayload<E>);
      };
      ipc.on(EVENT_CHANNEL, wrapped as (event: unknown, ...args: unknown[]) => void);
      return () => {
        ipc.removeListener(EVENT_CHANNEL, wrapped as (event: unknown, ...args: unknown[]) => void);
      };
    },
  };
}
