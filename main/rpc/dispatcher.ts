import { ZodError } from 'zod';
import {
  canAccess,
  isRequestName,
  requests,
  type RequestName,
  type Result,
} from '../../preload/contract';
import { describeIssue } from '../../preload/messages';
import { ServiceError } from './errors';
import type { CallContext, Handler, Handlers } from './types';

export interface DispatcherOptions {
  /** Also validate what handlers return; on in development and tests, where a drift must fail loudly. */
  validateOutput?: boolean;
  onInternalError?: (channel: string, error: unknown) => void;
  /** Re-checks a connection's session before each non-public call (it may have expired or been revoked). */
  checkSession?: (ctx: CallContext) => boolean;
}

export interface Dispatcher {
  dispatch(channel: unknown, rawInput: unknown, ctx: CallContext): Promise<Result<unknown>>;
}

function zodIssues(error: ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: describeIssue(issue) }));
}

/**
 * The one place where a call from any host meets the services: unknown channel → UNKNOWN_CHANNEL,
 * role check → UNAUTHENTICATED/FORBIDDEN, zod input validation → VALIDATION with field issues,
 * ServiceError → its code, anything else → INTERNAL without a stack trace.
 */
export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatcher {
  async function run<N extends RequestName>(name: N, rawInput: unknown, ctx: CallContext): Promise<unknown> {
    const def = requests[name];
    if (def.roles !== 'public' && (!ctx.staff || (options.checkSession && !options.checkSession(ctx)))) {
      throw new ServiceError('UNAUTHENTICATED');
    }
    if (!canAccess(name, ctx.staff?.role ?? null)) throw new ServiceError('FORBIDDEN');
    const parsed = def.input.safeParse(rawInput ?? {});
    if (!parsed.success) throw new ServiceError('VALIDATION', undefined, zodIssues(parsed.error));
    const handler = handlers[name] as Handler<N>;
    const output = await handler(parsed.data as Parameters<Handler<N>>[0], ctx);
    if (options.validateOutput) {
      const checked = def.output.safeParse(output);
      if (!checked.success) throw new Error(`Output of ${name} breaks the contract: ${checked.error.message}`);
    }
    return output;
  }

  return {
    async dispatch(channel, rawInput, ctx) {
      if (!isRequestName(channel)) return { ok: false, error: new ServiceError('UNKNOWN_CHANNEL').toBody() };
      try {
        return { ok: true, data: await run(channel, rawInput, ctx) };
      } catch (error) {
        if (error instanceof ServiceError) return { ok: false, error: error.toBody() };
        options.onInternalError?.(channel, error);
        return { ok: false, error: new ServiceError('INTERNAL').toBody() };
      }
    },
  };
}
