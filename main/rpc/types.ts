import type {
  EventName,
  EventPayload,
  RequestName,
  RequestOutput,
  RequestParsedInput,
  Role,
} from '../../preload/contract';

export interface SignedInStaff {
  staffId: string;
  dealerId: string;
  username: string;
  displayName: string;
  role: Role;
  sessionToken: string;
}

/** Per-connection state a host keeps: one per WebSocket, one per Electron webContents. */
export interface CallContext {
  connectionId: string;
  host: 'electron' | 'browser';
  staff: SignedInStaff | null;
}

export type Handler<N extends RequestName> = (
  input: RequestParsedInput<N>,
  ctx: CallContext,
) => RequestOutput<N> | Promise<RequestOutput<N>>;

/** What a capability module contributes: handlers for some channels of the contract. */
export type HandlerMap = { [N in RequestName]?: Handler<N> };
export type Handlers = { [N in RequestName]: Handler<N> };

export type EventSink = <E extends EventName>(name: E, payload: EventPayload<E>) => void;
