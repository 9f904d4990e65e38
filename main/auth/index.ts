import type { DbHandle } from '../../db/connection';
import type { Session } from '../../preload/contract';
import { ServiceError } from '../rpc';
import type { CallContext, HandlerMap, SignedInStaff } from '../rpc';
import { hashPassword, verifyPassword } from './password';
import { LoginThrottle, SessionStore } from './sessions';

export { hashPassword, verifyPassword } from './password';

export interface AuthDeps {
  handle: DbHandle;
  now?: () => number;
  /** Sessions end after this much inactivity; a seat left overnight asks for the password again. */
  idleMs?: number;
}

export interface Auth {
  handlers: HandlerMap;
  /** Ends every session of a staff member; their open connections are signed out on their next call. */
  revokeStaff(staffId: string): void;
  /** True while the connection's session is open; slides its expiry. Clears ctx.staff when it is not. */
  checkSession(ctx: CallContext): boolean;
}

// Compared against when the username is unknown, so a wrong username costs as long as a wrong password.
const decoyHash = hashPassword('decoy password that matches nothing');

export function createAuth(deps: AuthDeps): Auth {
  const now = deps.now ?? Date.now;
  const sessions = new SessionStore(deps.idleMs ?? 12 * 60 * 60 * 1000, now);
  const throttle = new LoginThrottle(5, 5 * 60 * 1000, now);
  const { db } = deps.handle;

  async function loadStaff(where: { id: string } | { username: string }) {
    let query = db
      .selectFrom('staff')
      .innerJoin('dealer', 'dealer.id', 'staff.dealer_id')
      .select([
        'staff.id',
        'staff.dealer_id',
        'staff.username',
        'staff.display_name',
        'staff.role',
        'staff.password_hash',
        'staff.active',
        'dealer.name as dealer_name',
        'dealer.brand as dealer_brand',
      ]);
    query =
      'id' in where
        ? query.where('staff.id', '=', where.id)
        : query.where((eb) => eb(eb.fn('lower', ['staff.username']), '=', where.username.toLowerCase()));
    return query.executeTakeFirst();
  }

  type StaffRow = NonNullable<Awaited<ReturnType<typeof loadStaff>>>;

  function bind(ctx: CallContext, row: StaffRow, token: string): Session {
    const staff: SignedInStaff = {
      staffId: row.id,
      dealerId: row.dealer_id,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      sessionToken: token,
    };
    ctx.staff = staff;
    return {
      token,
      staff: { id: row.id, username: row.username, displayName: row.display_name, role: row.role },
      dealer: { id: row.dealer_id, name: row.dealer_name, brand: row.dealer_brand },
    };
  }

  const handlers: HandlerMap = {
    'auth.login': async ({ username, password }, ctx) => {
      if (throttle.isLocked(username)) throw new ServiceError('RATE_LIMITED');
      const row = await loadStaff({ username });
      const ok = await verifyPassword(password, row?.password_hash ?? (await decoyHash));
      if (!row || !ok || row.active !== 1) {
        throttle.fail(username);
        throw new ServiceError('BAD_CREDENTIALS');
      }
      throttle.succeed(username);
      return bind(ctx, row, sessions.open(row.id));
    },
    'auth.resume': async ({ token }, ctx) => {
      const record = sessions.touch(token);
      const row = record ? await loadStaff({ id: record.staffId }) : undefined;
      if (!row || row.active !== 1) {
        sessions.close(token);
        throw new ServiceError('UNAUTHENTICATED');
      }
      return bind(ctx, row, token);
    },
    'auth.logout': (_input, ctx) => {
      if (ctx.staff) sessions.close(ctx.staff.sessionToken);
      ctx.staff = null;
      return { ok: true };
    },
  };

  return {
    handlers,
    revokeStaff(staffId) {
      sessions.closeAllFor(staffId);
    },
    checkSession(ctx) {
      if (!ctx.staff) return false;
      if (sessions.touch(ctx.staff.sessionToken)) return true;
      ctx.staff = null;
      return false;
    },
  };
}

