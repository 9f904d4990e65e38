export { createDispatcher, type Dispatcher, type DispatcherOptions } from './dispatcher';
export { ServiceError, fieldError } from './errors';
export type { CallContext, EventSink, Handler, HandlerMap, Handlers, SignedInStaff } from './types';
