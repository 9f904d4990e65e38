/**
 * Kysely table types: the one description of the SQLite store that queries are typed against.
 * Conventions: ULID text keys made on the client; timestamps are ISO-8601 UTC strings; calendar dates
 * are 'YYYY-MM-DD'; money is integer fen (1/100 yuan) so sums never drift; booleans are 0/1.
 * Every row carries dealer_id, the partition key of the later multi-dealer hub.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { DmsTables } from './tables/dms';
import type { AlarmTables } from './tables/alarms';
import type { ModemTables } from './tables/modem';
import type { QueryTables } from './tables/query';
import type { CampaignTables } from './tables/campaigns';
import type { VehicleFactTables } from './tables/vehicle-facts';

type Timestamp = string;
type IsoDate = string;

export type StaffRole = 'agent' | 'supervisor' | 'admin';
export const STAFF_ROLES = ['agent', 'supervisor', 'admin'] as const satisfies readonly StaffRole[];

export type MemberTier = 'standard' | 'silver' | 'gold' | 'platinum';
export const MEMBER_TIERS = ['standard', 'silver', 'gold', 'platinum'] as const satisfies readonly MemberTier[];

export type RepairCategory =
  | 'first_service'
  | 'maintenance'
  | 'repair'
  | 'warranty'
  | 'bodywork'
  | 'accessory'
  | 'other';
export const REPAIR_CATEGORIES = [
  'first_service',
  'maintenance',
  'repair',
  'warranty',
  'bodywork',
  'accessory',
  'other',
] as const satisfies readonly RepairCategory[];

export type ContactEventKind =
  | 'call_in'
  | 'call_out'
  | 'sms_in'
  | 'sms_out'
  | 'letter'
  | 'visit'
  | 'note'
  | 'survey'
  | 'complaint'
  | 'profile_change';
export const CONTACT_EVENT_KINDS = [
  'call_in',
  'call_out',
  'sms_in',
  'sms_out',
  'letter',
  'visit',
  'note',
  'survey',
  'complaint',
  'profile_change',
] as const satisfies readonly ContactEventKind[];

export interface DealerTable {
  id: string;
  code: string;
  name: string;
  brand: string;
  city: string | null;
  /** Service phone and address quoted by templates ({{经销商电话}}, {{经销商地址}}); migration 0013. */
  phone: string | null;
  address: string | null;
  /** SMS signature (简称, e.g. 花城本田) between 【】; migration 0015. */
  short_name: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StaffTable {
  id: string;
  dealer_id: string;
  username: string;
  display_name: string;
  role: StaffRole;
  /** scrypt$N$r$p$salt$hash, all base64 */
  password_hash: string;
  active: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CustomerTable {
  /** Stable integer key, used as the rowid of the customer_search FTS index (VACUUM cannot renumber it). */
  seq: Generated<number>;
  id: string;
  dealer_id: string;
  /** Key in the DMS (system of record); null for customers created in the workstation. */
  dms_id: string | null;
  name: string;
  gender: 'M' | 'F' | null;
  mobile: string | null;
  phone2: string | null;
  birthday: IsoDate | null;
  city: string | null;
  address: string | null;
  member_tier: MemberTier | null;
  member_no: string | null;
  member_since: IsoDate | null;
  responsible_staff_id: string | null;
  /** Optimistic concurrency: every update must name the version it read. */
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
}

export interface VehicleTable {
  id: string;
  dealer_id: string;
  customer_id: string;
  dms_id: string | null;
  vin: string;
  plate: string | null;
  model: string;
  model_year: number | null;
  color: string | null;
  purchase_date: IsoDate | null;
  purchased_here: number;
  mileage_km: number | null;
  mileage_date: IsoDate | null;
  /** 销售顾问 as the DMS names him or her (migration 0019); campaigns assign tasks by the consultant's sales team. */
  sales_consultant: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
}

export interface RepairOrderTable {
  id: string;
  dealer_id: string;
  vehicle_id: string;
  customer_id: string;
  dms_id: string | null;
  ro_no: string;
  opened_on: IsoDate;
  closed_on: IsoDate | null;
  category: RepairCategory;
  mileage_km: number | null;
  labor_fen: number;
  parts_fen: number;
  total_fen: number;
  advisor: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
}

/** Append-only timeline of everything that happened between the dealer and the customer. */
export interface ContactEventTable {
  id: string;
  dealer_id: string;
  customer_id: string;
  vehicle_id: string | null;
  kind: ContactEventKind;
  occurred_at: Timestamp;
  staff_id: string | null;
  summary: string;
  /** JSON object with kind-specific detail (e.g. the fields a profile change touched). */
  detail: string | null;
  created_at: Timestamp;
}

/** FTS5 trigram index over name, phones, plates and VINs; rowid = customer.seq; kept by triggers. */
export interface CustomerSearchTable {
  rowid: number;
  body: string;
}

/**
 * The whole store. Capabilities that add tables declare them in db/tables/<capability>.ts as an
 * interface and extend this one, so each feature's tables live beside nothing else's.
 */
export interface Database extends CoreTables, DmsTables, AlarmTables, ModemTables, QueryTables, CampaignTables, VehicleFactTables {}

export interface CoreTables {
  dealer: DealerTable;
  staff: StaffTable;
  customer: CustomerTable;
  vehicle: VehicleTable;
  repair_order: RepairOrderTable;
  contact_event: ContactEventTable;
  customer_search: CustomerSearchTable;
}

export type Dealer = Selectable<DealerTable>;
export type Staff = Selectable<StaffTable>;
export type Customer = Selectable<CustomerTable>;
export type NewCustomer = Insertable<CustomerTable>;
export type CustomerUpdate = Updateable<CustomerTable>;
export type Vehicle = Selectable<VehicleTable>;
export type NewVehicle = Insertable<VehicleTable>;
export type RepairOrder = Selectable<RepairOrderTable>;
export type NewRepairOrder = Insertable<RepairOrderTable>;
export type ContactEvent = Selectable<ContactEventTable>;
export type NewContactEvent = Insertable<ContactEventTable>;
