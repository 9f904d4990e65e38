import type { DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';
import { hashPassword } from '../auth';
import { fieldError, ServiceError, type CallContext, type HandlerMap, type SignedInStaff } from '../rpc';

export interface StaffDeps {
  handle: DbHandle;
  /** Called when an account is deactivated so its sessions end at once. */
  onDeactivated: (staffId: string) => void;
}

function signedIn(ctx: CallContext): SignedInStaff {
  if (!ctx.staff) throw new ServiceError('UNAUTHENTICATED');
  return ctx.staff;
}

export function createStaff(deps: StaffDeps): HandlerMap {
  const { db } = deps.handle;
  return {
    'staff.list': async (_input, ctx) => {
      const me = signedIn(ctx);
      const rows = await db
        .selectFrom('staff')
        .select(['id', 'username', 'display_name', 'role', 'active', 'created_at'])
        .where('dealer_id', '=', me.dealerId)
        .orderBy('role')
        .orderBy('username')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        username: r.username,
        displayName: r.display_name,
        role: r.role,
        active: r.active === 1,
        createdAt: r.created_at,
      }));
    },
    'staff.create': async (input, ctx) => {
      const me = signedIn(ctx);
      const taken = await db
        .selectFrom('staff')
        .select('id')
        .where('dealer_id', '=', me.dealerId)
        .where((eb) => eb(eb.fn('lower', ['username']), '=', input.username.toLowerCase()))
        .executeTakeFirst();
      if (taken) {
        throw fieldError('DUPLICATE', 'username', { zh: '该用户名已被使用', en: 'This username is already taken' });
      }
      const id = newId();
      const at = nowIso();
      await db
        .insertInto('staff')
        .values({
          id,
          dealer_id: me.dealerId,
          username: input.username,
          display_name: input.displayName,
          role: input.role,
          password_hash: await hashPassword(input.password),
          active: 1,
          created_at: at,
          updated_at: at,
        })
        .execute();
      return { id, username: input.username, displayName: input.displayName, role: input.role };
    },
    'staff.setActive': async ({ id, active }, ctx) => {
      const me = signedIn(ctx);
      if (id === me.staffId && !active) {
        throw fieldError('VALIDATION', 'id', { zh: '不能停用自己的账号', en: 'You cannot deactivate your own account' });
      }
      const result = await db
        .updateTable('staff')
        .set({ active: active ? 1 : 0, updated_at: nowIso() })
        .where('id', '=', id)
        .where('dealer_id', '=', me.dealerId)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new ServiceError('NOT_FOUND');
      if (!active) deps.onDeactivated(id);
      return { ok: true };
    },
  };
}
