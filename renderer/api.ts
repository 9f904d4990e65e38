/**
 * The renderer's one way to the services. Under Electron the preload exposes `window.api`; otherwise
 * the page was served by the browser host and talks the same contract over its WebSocket. Nothing else
 * in the renderer knows which host it has.
 */
import type {
  Api,
  ApiErrorBody,
  RequestInput,
  RequestName,
  RequestOutput,
} from '../preload/contract';
import { HOST_TOKEN_PARAM, WS_PATH } from '../preload/wire';
import { createSocketApi, type ConnectionState, type SocketApi, type SocketFactory } from './socket-client';

export type { ConnectionState };

const HOST_TOKEN_KEY = 'dealercs.hostToken';

/** The browser host's per-run token: from the URL on first load, then from sessionStorage so reloads work. */
function hostToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get(HOST_TOKEN_PARAM);
  if (fromUrl) {
    sessionStorage.setItem(HOST_TOKEN_KEY, fromUrl);
    // Keep the secret out of the address bar, screenshots and the history list.
    url.searchParams.delete(HOST_TOKEN_PARAM);
    window.history.replaceState(window.history.state, '', url.toString());
    return fromUrl;
  }
  return sessionStorage.getItem(HOST_TOKEN_KEY) ?? '';
}

const browserSocket: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.onopen = () => handlers.onOpen();
  ws.onmessage = (event) => {
    if (typeof event.data === 'string') handlers.onMessage(event.data);
  };
  ws.onclose = () => handlers.onClose();
  return { send: (text) => ws.send(text), close: () => ws.close() };
};

let api: Api | null = null;
let socketApi: SocketApi | null = null;

export function getApi(): Api {
  if (api) return api;
  if (window.api) {
    api = window.api;
    return api;
  }
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${window.location.host}${WS_PATH}?${HOST_TOKEN_PARAM}=${encodeURIComponent(hostToken())}`;
  socketApi = createSocketApi({ url, createSocket: browserSocket });
  api = socketApi;
  return api;
}

/** The transport's state; an in-process bridge (Electron) is always open. */
export function connectionState(): ConnectionState {
  getApi();
  return socketApi?.state() ?? 'open';
}

export function onConnectionState(listener: (state: ConnectionState) => void): () => void {
  getApi();
  return socketApi?.onState(listener) ?? (() => undefined);
}

export class ApiError extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(`${body.code}: ${body.message.en}`);
    this.name = 'ApiError';
  }
}

const errorListeners = new Set<(error: ApiErrorBody) => void>();

/** Hears every failed `call`; the session store uses it to return to sign-in when a session ends. */
export function onApiError(listener: (error: ApiErrorBody) => void): () => void {
  errorListeners.add(listener);
  return () => {
    errorListeners.delete(listener);
  };
}

/** Invokes a channel and returns its data, or throws an ApiError carrying the host's error body. */
export async function call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
  const result = await getApi().invoke(name, input);
  if (result.ok) return result.data;
  for (const listener of errorListeners) listener(result.error);
  throw new ApiError(result.error);
}
