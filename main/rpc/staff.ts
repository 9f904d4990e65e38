import { ServiceError } from './errors';
import type { CallContext, SignedInStaff } from './types';

/**
 * The signed-in staff member of a call. The dispatcher already refuses staff-only channels without a
 * session, so this only narrows the type for handlers (and refuses if a channel was declared public).
 */
export function staffOf(ctx: CallContext): SignedInStaff {
  if (!ctx.staff) throw new ServiceError('UNAUTHENTICATED');
  return ctx.staff;
}
