/**
 * The customer page (customer, vehicles, repair history, totals) and edits to contact details. An edit
 * names the version it read (optimistic concurrency) and is written with its 'profile_change' timeline
 * entry in one transaction. Two customers may share a mobile: families and companies do, so a number
 * already on file elsewhere is accepted, not rejected.
 */
import type { Kysely } from 'kysely';
import { newId } from '../../db/ids';
import type { Customer, CustomerTable, CustomerUpdate, Database } from '../../db/schema';
import type { CustomerDto, RequestOutput, RequestParsedInput } from '../../preload/contract';
import { ServiceError } from '../rpc';
import { toCustomerDto, toVehicleDto } from './mappers';

type Patch = RequestParsedInput<'customers.update'>['patch'];
type PatchField = keyof Patch & keyof CustomerTable;

const FIELD_LABELS: Record<PatchField, string> = {
  name: '姓名',
  gender: '性别',
  mobile: '手机',
  phone2: '其他电话',
  birthday: '生日',
  city: '城市',
  address: '地址',
};
const FIELDS = Object.keys(FIELD_LABELS) as PatchField[];

async function loadCustomer(db: Kysely<Database>, dealerId: string, id: string) {
  const row = await db
    .selectFrom('customer as c')
    .leftJoin('staff as s', 's.id', 'c.responsible_staff_id')
    .selectAll('c')
    .select('s.display_name as responsible_name')
    .where('c.id', '=', id)
    .where('c.dealer_id', '=', dealerId)
    .where('c.deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw new ServiceError('NOT_FOUND');
  const { responsible_name, ...customer } = row;
  return { customer: customer satisfies Customer, responsibleName: responsible_name };
}

export async function getCustomer(
  db: Kysely<Database>,
  dealerId: string,
  id: string,
): Promise<RequestOutput<'customers.get'>> {
  const { customer, responsibleName } = await loadCustomer(db, dealerId, id);
  const vehicles = await db
    .selectFrom('vehicle')
    .selectAll()
    .where('customer_id', '=', id)
    .where('dealer_id', '=', dealerId)
    .where('deleted_at', 'is', null)
    .orderBy('purchase_date', 'desc')
    .orderBy('id')
    .execute();
  const orders = await db
    .selectFrom('repair_order as r')
    .innerJoin('vehicle as v', 'v.id', 'r.vehicle_id')
    .select([
      'r.id', 'r.vehicle_id', 'r.ro_no', 'r.opened_on', 'r.closed_on', 'r.category', 'r.mileage_km', 'r.total_fen',
      'r.advisor', 'v.plate', 'v.model',
    ])
    .where('r.customer_id', '=', id)
    .where('r.dealer_id', '=', dealerId)
    .where('r.deleted_at', 'is', null)
    .orderBy('r.opened_on', 'desc')
    .orderBy('r.ro_no', 'desc')
    .execute();
  let totalFen = 0;
  for (const o of orders) totalFen += o.total_fen;
  return {
    customer: toCustomerDto(customer, responsibleName),
    vehicles: vehicles.map(toVehicleDto),
    repairOrders: orders.map((o) => ({
      id: o.id,
      vehicleId: o.vehicle_id,
      roNo: o.ro_no,
      openedOn: o.opened_on,
      closedOn: o.closed_on,
      category: o.category,
      mileageKm: o.mileage_km,
      totalFen: o.total_fen,
      advisor: o.advisor,
      plate: o.plate,
      model: o.model,
    })),
    stats: { visits: orders.length, totalFen, lastVisit: orders[0]?.opened_on ?? null },
  };
}

/** Optional free-text fields store "nothing" as null, never as an empty string. */
function normalized(patch: Patch): Partial<Record<PatchField, string | null>> {
  const out: Partial<Record<PatchField, string | null>> = {};
  for (const field of FIELDS) {
    if (!(field in patch)) continue;
    const value = patch[field];
    out[field] = value === undefined || value === '' ? null : value;
  }
  return out;
}

export interface UpdateRequest {
  dealerId: string;
  staffId: string;
  id: string;
  version: number;
  patch: Patch;
  now: Date;
}

/** Returns the customer as stored after the edit and whether anything changed. */
export async function updateCustomer(
  db: Kysely<Database>,
  req: UpdateRequest,
): Promise<{ customer: CustomerDto; changed: boolean }> {
  return db.transaction().execute(async (trx) => {
    const { customer, responsibleName } = await loadCustomer(trx, req.dealerId, req.id);
    if (customer.version !== req.version) throw new ServiceError('CONFLICT');

    const wanted = normalized(req.patch);
    const changes: Partial<Record<PatchField, { from: string | null; to: string | null }>> = {};
    for (const field of FIELDS) {
      const to = wanted[field];
      if (to === undefined || to === customer[field]) continue;
      changes[field] = { from: customer[field], to };
    }
    const changed = Object.keys(changes) as PatchField[];
    if (changed.length === 0) return { customer: toCustomerDto(customer, responsibleName), changed: false };

    const at = req.now.toISOString();
    const set: CustomerUpdate = { version: customer.version + 1, updated_at: at };
    for (const field of changed) {
      const to = changes[field]?.to ?? null;
      if (field === 'name') set.name = to ?? customer.name;
      else if (field === 'gender') set.gender = toGender(to);
      else set[field] = to;
    }
    const result = await trx
      .updateTable('customer')
      .set(set)
      .where('id', '=', customer.id)
      .where('version', '=', customer.version)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) throw new ServiceError('CONFLICT');
    await trx
      .insertInto('contact_event')
      .values({
        id: newId(req.now.getTime()),
        dealer_id: req.dealerId,
        customer_id: customer.id,
        vehicle_id: null,
        kind: 'profile_change',
        occurred_at: at,
        staff_id: req.staffId,
        summary: `修改了 ${changed.map((f) => FIELD_LABELS[f]).join('、')}`,
        detail: JSON.stringify(changes),
        created_at: at,
      })
      .execute();
    const saved = await loadCustomer(trx, req.dealerId, req.id);
    return { customer: toCustomerDto(saved.customer, saved.responsibleName), changed: true };
  });
}

function toGender(value: string | null): 'M' | 'F' | null {
  return value === 'M' || value === 'F' ? value : null;
}
