/** A tiny hand-built dealer: customers, vehicles and repair orders with known dates, for rule tests. */
import { newId } from '../../../db/ids';
import type { DbHandle } from '../../../db/connection';
import type { MemberTier, RepairCategory } from '../../../db/schema';

const AT = '2026-01-01T00:00:00.000Z';
let plateNo = 0;

export interface FixtureCustomer {
  name?: string;
  mobile?: string | null;
  /** A second number (a landline): callable, but no SMS goes to it. */
  phone2?: string | null;
  birthday?: string | null;
  memberTier?: MemberTier | null;
  address?: string | null;
  gender?: 'M' | 'F' | null;
  responsibleStaffId?: string | null;
}

export function addCustomer(h: DbHandle, dealerId: string, c: FixtureCustomer = {}): string {
  const id = newId();
  h.sqlite
    .prepare(`insert into customer (id, dealer_id, name, gender, mobile, phone2, birthday, member_tier, address, responsible_staff_id, created_at, updated_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(id, dealerId, c.name ?? '张伟', c.gender === undefined ? 'M' : c.gender, c.mobile === undefined ? `139${String(10000000 + plateNo).slice(-8)}` : c.mobile, c.phone2 ?? null, c.birthday ?? null, c.memberTier ?? null, c.address ?? null, c.responsibleStaffId ?? null, AT, AT);
  return id;
}

export interface FixtureVehicle {
  purchaseDate?: string | null;
  purchasedHere?: boolean;
  mileageKm?: number | null;
  mileageDate?: string | null;
  model?: string;
}

export function addVehicle(h: DbHandle, dealerId: string, customerId: string, v: FixtureVehicle = {}): string {
  const id = newId();
  plateNo += 1;
  h.sqlite
    .prepare(`insert into vehicle (id, dealer_id, customer_id, vin, plate, model, purchase_date, purchased_here, mileage_km, mileage_date, created_at, updated_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(id, dealerId, customerId, `LHGTEST${String(plateNo).padStart(10, '0')}`, `粤A${String(plateNo).padStart(5, '0')}`, v.model ?? '雅阁', v.purchaseDate === undefined ? '2020-01-15' : v.purchaseDate, v.purchasedHere === false ? 0 : 1, v.mileageKm ?? null, v.mileageDate ?? null, AT, AT);
  return id;
}

export function addRepairOrder(
  h: DbHandle,
  dealerId: string,
  vehicleId: string,
  ro: { openedOn: string; closedOn?: string | null; category?: RepairCategory; mileageKm?: number | null },
): string {
  const id = newId();
  const customerId = h.sqlite.prepare('select customer_id from vehicle where id = ?').pluck().get(vehicleId);
  h.sqlite
    .prepare(`insert into repair_order (id, dealer_id, vehicle_id, customer_id, ro_no, opened_on, closed_on, category, mileage_km, created_at, updated_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(id, dealerId, vehicleId, customerId, `RO${id.slice(-8)}`, ro.openedOn, ro.closedOn === undefined ? ro.openedOn : ro.closedOn, ro.category ?? 'maintenance', ro.mileageKm ?? null, AT, AT);
  return id;
}
