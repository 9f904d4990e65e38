/**
 * Per-vehicle facts the reminder rules read, kept current by triggers (migration 0012). Readings are
 * packed 'YYYY-MM-DD|km'; the derived columns are stored generated columns, read-only here.
 */
import type { ColumnType } from 'kysely';

type Derived<T> = ColumnType<T, never, never>;

export interface VehicleFactTable {
  vehicle_id: string;
  dealer_id: string;
  customer_id: string;
  purchase_date: string | null;
  purchased_here: number;
  /** The vehicle's own odometer reading and its date. */
  vehicle_km: number | null;
  vehicle_km_on: string | null;
  /** Latest first-service or maintenance order, 'YYYY-MM-DD|km' (km may be empty). */
  svc: string | null;
  last_visit_on: string | null;
  /** Latest and earliest repair-order odometer readings, 'YYYY-MM-DD|km'. */
  km_last: string | null;
  km_first: string | null;
  last_service_on: Derived<string | null>;
  last_service_km: Derived<number | null>;
  /** The newest reading of all (the vehicle's own or a repair order's). */
  ref_on: Derived<string | null>;
  ref_km: Derived<number | null>;
  km_per_day: Derived<number | null>;
}

export interface VehicleFactTables {
  vehicle_fact: VehicleFactTable;
}
