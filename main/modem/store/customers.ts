import type { DbHandle } from '../../../db/connection';
import { crmNumber } from '../phone';

export interface CustomerMatch {
  id: string;
  name: string;
}

/** The customer whose mobile or second phone is this number (most recently updated wins), or null. */
export async function findCustomerByNumber(handle: DbHandle, dealerId: string, raw: string | null): Promise<CustomerMatch | null> {
  if (!raw) return null;
  const n = crmNumber(raw);
  if (!n) return null;
  const row = await handle.db
    .selectFrom('customer')
    .select(['id', 'name'])
    .where('dealer_id', '=', dealerId)
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('mobile', '=', n), eb('phone2', '=', n)]))
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

export async function isOptedOut(handle: DbHandle, customerId: string): Promise<boolean> {
  const row = await handle.db.selectFrom('contact_preference').select('sms_opt_out').where('customer_id', '=', customerId).executeTakeFirst();
  return row?.sms_opt_out === 1;
}
