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

/** The data of a call that has to succeed; otherwise the test fails with the error it got. */
export function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${JSON.stringify(r.error)}`);
  return r.data;
}

/** A call's outcome: 'ok' or its error code. */
export const code = (r: Result<unknown>): string => (r.ok ? 'ok' : r.error.code);
