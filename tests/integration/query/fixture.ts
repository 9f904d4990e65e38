/** Compact builders for hand-made query fixtures: customers with vehicles, repair orders and contacts. */
import type { DbHandle } from '../../../db/connection';
import { newId } from '../../../db/ids';
import type { ContactEventKind, MemberTier, RepairCategory } from '../../../db/schema';

export interface FxRepair {
  on: string;
  category?: RepairCategory;
  fen?: number;
  deleted?: boolean;
}
export interface FxVehicle {
  model: string;
  here?: boolean;
  bought?: string | null;
  mileage?: number | null;
  plate?: string | null;
  year?: number | null;
  deleted?: boolean;
  ros?: Array<string | FxRepair>;
}
export interface FxCustomer {
  key: string;
  name?: string;
  gender?: 'M' | 'F' | null;
  mobile?: string | null;
  phone2?: string | null;
  birthday?: string | null;
  city?: string | null;
  address?: string | null;
  tier?: MemberTier | null;
  memberSince?: string | null;
  staffId?: string | null;
  deleted?: boolean;
  vehicles?: FxVehicle[];
  contacts?: Array<{ kind: ContactEventKind; at: string }>;
}

const AT = '2026-01-01T00:00:00.000Z';
let vinSerial = 0;

/** Inserts the customers for `dealerId`; returns key → customer id. */
export function insertFixture(handle: DbHandle, dealerId: string, customers: FxCustomer[]): Map<string, string> {
  const ids = new Map<string, string>();
  const base = { dealer_id: dealerId, created_at: AT, updated_at: AT };
  handle.sqlite.transaction(() => {
    const insC = handle.sqlite.prepare(`insert into customer (id, dealer_id, name, gender, mobile, phone2, birthday, city, address,
      member_tier, member_no, member_since, responsible_staff_id, created_at, updated_at, deleted_at)
      values (@id, @dealer_id, @name, @gender, @mobile, @phone2, @birthday, @city, @address, @tier, @no, @since, @staff, @created_at, @updated_at, @deleted_at)`);
    const insV = handle.sqlite.prepare(`insert into vehicle (id, dealer_id, customer_id, vin, plate, model, model_year, purchase_date,
      purchased_here, mileage_km, created_at, updated_at, deleted_at)
      values (@id, @dealer_id, @customer_id, @vin, @plate, @model, @year, @bought, @here, @mileage, @created_at, @updated_at, @deleted_at)`);
    const insR = handle.sqlite.prepare(`insert into repair_order (id, dealer_id, vehicle_id, customer_id, ro_no, opened_on, category,
      total_fen, created_at, updated_at, deleted_at)
      values (@id, @dealer_id, @vehicle_id, @customer_id, @ro_no, @on, @category, @fen, @created_at, @updated_at, @deleted_at)`);
    const insE = handle.sqlite.prepare(`insert into contact_event (id, dealer_id, customer_id, kind, occurred_at, summary, created_at)
      values (@id, @dealer_id, @customer_id, @kind, @at, 'fixture', @created_at)`);
    for (const c of customers) {
      const id = newId();
      ids.set(c.key, id);
      insC.run({
        ...base, id, name: c.name ?? c.key, gender: c.gender ?? null, mobile: c.mobile ?? null, phone2: c.phone2 ?? null,
        birthday: c.birthday ?? null, city: c.city ?? null, address: c.address ?? null, tier: c.tier ?? null,
        no: c.tier ? `M-${c.key}` : null, since: c.memberSince ?? null, staff: c.staffId ?? null, deleted_at: c.deleted ? AT : null,
      });
      for (const v of c.vehicles ?? []) {
        const vid = newId();
        insV.run({
          ...base, id: vid, customer_id: id, vin: `LHGTEST${String(++vinSerial).padStart(10, '0')}`, plate: v.plate ?? null,
          model: v.model, year: v.year ?? null, bought: v.bought ?? null, here: v.here ? 1 : 0, mileage: v.mileage ?? null,
          deleted_at: v.deleted ? AT : null,
        });
        for (const raw of v.ros ?? []) {
          const ro = typeof raw === 'string' ? { on: raw } : raw;
          insR.run({
            ...base, id: newId(), vehicle_id: vid, customer_id: id, ro_no: `RO${vinSerial}-${ro.on}`, on: ro.on,
            category: ro.category ?? 'maintenance', fen: ro.fen ?? 50_000, deleted_at: ro.deleted ? AT : null,
          });
        }
      }
      for (const e of c.contacts ?? []) insE.run({ ...base, id: newId(), customer_id: id, kind: e.kind, at: e.at });
    }
  })();
  return ids;
}
