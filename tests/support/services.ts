import { randomUUID } from 'node:crypto';
import type { RequestName, RequestOutput, Result } from '../../preload/contract';
import type { CallContext } from '../../main/rpc';
import { createServices, type Services } from '../../main/services';
import type { SeededStaff, TestStore } from './db';

export async function startServices(store: TestStore): Promise<Services> {
  return createServices({ dbFile: store.file, host: 'browser', version: '0.0.0-test', validateOutput: true });
}

export function newContext(): CallContext {
  return { connectionId: randomUUID(), host: 'browser', staff: null };
}

/** Calls a channel exactly as a host would: raw input, one connection context. */
export async function call<N extends RequestName>(
  services: Services,
  ctx: CallContext,
  name: N,
  input: unknown,
): Promise<Result<RequestOutput<N>>> {
  return (await services.dispatcher.dispatch(name, input, ctx)) as Result<RequestOutput<N>>;
}

export async function signIn(services: Services, who: SeededStaff): Promise<CallContext> {
  const ctx = newContext();
  const result = await call(services, ctx, 'auth.login', { username: who.username, password: who.password });
  if (!result.ok) throw new Error(`sign-in failed: ${result.error.code}`);
  return ctx;
}
