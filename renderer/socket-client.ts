/**
 * The contract over the browser host's WebSocket (frames in preload/wire.ts), behind the same `Api`
 * interface the Electron preload exposes. Plain TypeScript with an injected socket factory, so it runs
 * in the browser and, in tests, in Node against a real server.
 */
import { z } from 'zod';
import {
  apiErrorSchema,
  events,
  isEventName,
  requests,
  type Api,
  type ApiErrorBody,
  type EventName,
  type EventPayload,
  type RequestInput,
  type RequestName,
  type RequestOutput,
  type Result,
} from '../preload/contract';
import { errorMessages, type ErrorCode } from '../preload/messages';
import type { ClientFrame } from '../preload/wire';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface SocketHandlers {
  onOpen(): void;
  onMessage(text: string): void;
  onClose(): void;
}
export interface SocketLike {
  send(text: string): void;
  close(): void;
}
/** Opens one socket; the client calls it again for every reconnect. */
export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketLike;

export interface SocketApiOptions {
  url: string;
  createSocket: SocketFactory;
  /** Milliseconds to wait before reconnect attempt n (0-based). */
  backoff?: (attempt: number) => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface SocketApi extends Api {
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
  /** Closes for good: no reconnects, pending calls fail as UNAVAILABLE. */
  close(): void;
}

const serverFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.number().int(), result: z.unknown() }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
const resultSchema = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: apiErrorSchema }),
]);

export function failure(code: ErrorCode): { ok: false; error: ApiErrorBody } {
  return { ok: false, error: { code, message: errorMessages[code] } };
}

/** Exponential backoff with jitter, 0.25 s doubling up to 5 s, so a restarted host is found quickly. */
export function defaultBackoff(attempt: number): number {
  const base = Math.min(5000, 250 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

/** Checks a host's answer against the contract, so the renderer only ever sees well-typed data. */
export function parseResult<N extends RequestName>(name: N, raw: unknown): Result<RequestOutput<N>> {
  const envelope = resultSchema.safeParse(raw);
  if (!envelope.success) return failure('INTERNAL');
  if (!envelope.data.ok) return { ok: false, error: envelope.data.error };
  const schema: z.ZodType = requests[name].output;
  const data = schema.safeParse(envelope.data.data);
  // TypeScript cannot relate requests[N].output to RequestOutput<N> for a generic N; this schema is it.
  return data.success ? { ok: true, data: data.data as RequestOutput<N> } : failure('INTERNAL');
}

interface Waiting {
  channel: RequestName;
  input: unknown;
  resolve: (result: Result<unknown>) => void;
}

export function createSocketApi(options: SocketApiOptions): SocketApi {
  const backoff = options.backoff ?? defaultBackoff;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));

  let socket: SocketLike | null = null;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  let attempt = 0;
  let everOpened = false;
  let shutDown = false;
  let timer: unknown = null;
  // The host binds a session to one connection; after a reconnect the client signs the new one in again.
  let sessionToken: string | null = null;
  const sent = new Map<number, Waiting>();
  let queued: Waiting[] = [];
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const eventListeners = new Map<EventName, Set<(payload: unknown) => void>>();

  function setState(next: ConnectionState) {
    if (next === state) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  }

  function track(channel: RequestName, result: Result<unknown>) {
    if ((channel === 'auth.login' || channel === 'auth.resume') && result.ok) {
      const token = z.object({ token: z.string() }).safeParse(result.data);
      if (token.success) sessionToken = token.data.token;
    }
    if (channel === 'auth.logout' || (channel === 'auth.resume' && !result.ok)) sessionToken = null;
  }

  function send(current: SocketLike, waiting: Waiting) {
    const id = nextId++;
    sent.set(id, waiting);
    const frame: ClientFrame = { id, channel: waiting.channel, input: waiting.input };
    current.send(JSON.stringify(frame));
  }

  function flush(current: SocketLike) {
    const waiting = queued;
    queued = [];
    for (const item of waiting) send(current, item);
  }

  function failAll() {
    const all = [...sent.values(), ...queued];
    sent.clear();
    queued = [];
    for (const item of all) item.resolve(failure('UNAVAILABLE'));
  }

  function onMessage(text: string) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return;
    }
    const frame = serverFrameSchema.safeParse(json);
    if (!frame.success) return;
    if (frame.data.type === 'result') {
      const waiting = sent.get(frame.data.id);
      if (!waiting) return;
      sent.delete(frame.data.id);
      const result = parseResult(waiting.channel, frame.data.result);
      track(waiting.channel, result);
      waiting.resolve(result);
      return;
    }
    const { event, payload } = frame.data;
    if (!isEventName(event)) return;
    const parsed = events[event].safeParse(payload);
    if (!parsed.success) return;
    for (const listener of eventListeners.get(event) ?? []) listener(parsed.data);
  }

  function connect() {
    if (shutDown) return;
    timer = null;
    setState('connecting');
    const current = options.createSocket(options.url, {
      onOpen() {
        attempt = 0;
        const reconnected = everOpened;
        everOpened = true;
        if (!reconnected || !sessionToken) {
          setState('open');
          flush(current);
          return;
        }
        // Resume before anything queued runs, so those calls see the signed-in connection.
        send(current, {
          channel: 'auth.resume',
          input: { token: sessionToken },
          resolve: () => {
            if (socket !== current) return;
            setState('open');
            flush(current);
          },
        });
      },
      onMessage,
      onClose() {
        if (socket !== current) return;
        socket = null;
        failAll();
        setState('closed');
        if (!shutDown) timer = setTimer(connect, backoff(attempt++));
      },
    });
    socket = current;
  }

  connect();

  return {
    invoke<N extends RequestName>(name: N, input: RequestInput<N>): Promise<Result<RequestOutput<N>>> {
      if (shutDown) return Promise.resolve(failure('UNAVAILABLE'));
      return new Promise((resolve) => {
        // Results were parsed against requests[name].output in onMessage, so the narrowing is checked.
        const waiting: Waiting = { channel: name, input, resolve: (r) => resolve(r as Result<RequestOutput<N>>) };
        if (state === 'open' && socket) {
          send(socket, waiting);
          return;
        }
        queued.push(waiting);
        // A user action while waiting out the backoff: try now rather than make them wait.
        if (state === 'closed' && timer !== null) {
          clearTimer(timer);
          connect();
        }
      });
    },
    on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = eventListeners.get(name);
      if (!set) {
        set = new Set();
        eventListeners.set(name, set);
      }
      // Payloads were parsed with events[name] before dispatch.
      const wrapped = (payload: unknown) => listener(payload as EventPayload<E>);
      set.add(wrapped);
      return () => {
        set.delete(wrapped);
      };
    },
    state: () => state,
    onState(listener) {
      stateListeners.add(listener);
      return () => {
        stateListeners.delete(listener);
      };
    },
    close() {
      shutDown = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
      const current = socket;
      socket = null;
      failAll();
      setState('closed');
      current?.close();
    },
  };
}
