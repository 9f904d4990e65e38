/**
 * The dealer's own profile (经销店信息) as contract channels: every seat reads it, administrators set the
 * service hotline, address and SMS short name that templates quote. Campaign steps, letters, appointment
 * confirmations and template previews read the saved row through main/campaigns/merge (dealerProfileFrom)
 * when they render, so a change applies to the next message without restarting anything.
 */
import type { DbHandle } from '../../db/connection';
import { nowIso } from '../../db/ids';
import type { DealerProfileDto } from '../../preload/channels/dealer';
import { ServiceError, staffOf, type HandlerMap } from '../rpc';

export interface DealerDeps {
  handle: DbHandle;
}

export function createDealerHandlers(deps: DealerDeps): HandlerMap {
  const { db } = deps.handle;

  async function read(dealerId: string): Promise<DealerProfileDto> {
    const row = await db
      .selectFrom('dealer')
      .select(['id', 'code', 'name', 'brand', 'city', 'phone', 'address', 'short_name', 'updated_at'])
      .where('id', '=', dealerId)
      .executeTakeFirst();
    if (!row) throw new ServiceError('NOT_FOUND');
    return {
      id: row.id,
      code: row.code,
      name: row.name,
      brand: row.brand,
      city: row.city,
      servicePhone: row.phone,
      address: row.address,
      shortName: row.short_name,
      updatedAt: row.updated_at,
    };
  }

  return {
    'dealer.get': (_input, ctx) => read(staffOf(ctx).dealerId),

    'dealer.save': async (input, ctx) => {
      const { dealerId } = staffOf(ctx);
      const result = await db
        .updateTable('dealer')
        .set({ phone: input.servicePhone, address: input.address, short_name: input.shortName, updated_at: nowIso() })
        .where('id', '=', dealerId)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new ServiceError('NOT_FOUND');
      return read(dealerId);
    },
  };
}
