/**
 * The contact timeline, newest first, paged by keyset on (occurred_at, id) so a page never repeats or
 * skips an entry while others append, each outgoing SMS with its state now (sms-state.ts); and notes,
 * the one kind of entry an agent writes by hand.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { newId } from '../../db/ids';
import type { Database } from '../../db/schema';
import { idSchema, type ContactEventDto, type RequestOutput } from '../../preload/contract';
import { fieldError, ServiceError, type SignedInStaff } from '../rpc';
import { parseDetail, toContactEventDto } from './mappers';
import { parseSmsLink, smsStates } from './sms-state';

const cursorSchema = z.tuple([z.string().min(1), idSchema]);

/**
 * Opaque to the renderer: base64url of "<occurred_at>|<id>" of the last entry it has (68 characters for
 * a UTC timestamp, inside the contract's 80).
 */
export function encodeCursor(occurredAt: string, id: string): string {
  return Buffer.from(`${occurredAt}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const cut = text.lastIndexOf('|');
  const parsed = cursorSchema.safeParse([text.slice(0, Math.max(cut, 0)), text.slice(cut + 1)]);
  if (cut > 0 && parsed.success) return parsed.data;
  throw fieldError('VALIDATION', 'cursor', { zh: '翻页位置无效，请刷新后重试', en: 'Invalid page position; reload and try again' });
}

async function assertCustomer(db: Kysely<Database>, dealerId: string, customerId: string): Promise<void> {
  const found = await db
    .selectFrom('customer')
    .select('id')
    .where('id', '=', customerId)
    .where('dealer_id', '=', dealerId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!found) throw new ServiceError('NOT_FOUND');
}

export async function timeline(
  db: Kysely<Database>,
  dealerId: string,
  input: { customerId: string; cursor: string | null; limit: number },
): Promise<RequestOutput<'customers.timeline'>> {
  const after = input.cursor === null ? null : decodeCursor(input.cursor);
  await assertCustomer(db, dealerId, input.customerId);
  let query = db
    .selectFrom('contact_event as e')
    .leftJoin('staff as s', 's.id', 'e.staff_id')
    .select(['e.id', 'e.kind', 'e.occurred_at', 's.display_name as staff_name', 'e.summary', 'e.vehicle_id', 'e.detail'])
    .where('e.customer_id', '=', input.customerId)
    .where('e.dealer_id', '=', dealerId);
  if (after) query = query.where((eb) => eb(eb.refTuple('e.occurred_at', 'e.id'), '<', eb.tuple(after[0], after[1])));
  const rows = await query
    .orderBy('e.occurred_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(input.limit + 1)
    .execute();
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const links = page.flatMap((r) => {
    const link = r.kind === 'sms_out' ? parseSmsLink(parseDetail(r.detail)) : null;
    return link ? [{ id: r.id, link }] : [];
  });
  const sms = await smsStates(db, dealerId, links);
  return {
    items: page.map((r) => toContactEventDto(r, sms.get(r.id) ?? null)),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.occurred_at, last.id) : null,
  };
}

export async function addNote(
  db: Kysely<Database>,
  staff: SignedInStaff,
  input: { customerId: string; vehicleId: string | null; text: string },
  now: Date,
): Promise<ContactEventDto> {
  await assertCustomer(db, staff.dealerId, input.customerId);
  if (input.vehicleId !== null) {
    const vehicle = await db
      .selectFrom('vehicle')
      .select('id')
      .where('id', '=', input.vehicleId)
      .where('customer_id', '=', input.customerId)
      .where('dealer_id', '=', staff.dealerId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!vehicle) {
      throw fieldError('VALIDATION', 'vehicleId', { zh: '该车辆不属于此客户', en: 'This vehicle does not belong to this customer' });
    }
  }
  const at = now.toISOString();
  const id = newId(now.getTime());
  await db
    .insertInto('contact_event')
    .values({
      id,
      dealer_id: staff.dealerId,
      customer_id: input.customerId,
      vehicle_id: input.vehicleId,
      kind: 'note',
      occurred_at: at,
      staff_id: staff.staffId,
      summary: input.text,
      detail: null,
      created_at: at,
    })
    .execute();
  return toContactEventDto({
    id,
    kind: 'note',
    occurred_at: at,
    staff_name: staff.displayName,
    summary: input.text,
    vehicle_id: input.vehicleId,
    detail: null,
  });
}
