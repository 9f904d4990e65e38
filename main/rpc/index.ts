export { createDispatcher, type Dispatcher, type DispatcherOptions } from './dispatcher';
export { assembleHandlers } from './assemble';
export { ServiceError, fieldError } from './errors';
export { staffOf } from './staff';
export type { CallContext, EventSink, Handler, HandlerMap, Handlers, SignedInStaff } from './types';
