/**
 * The canonical DMS record shapes every connector delivers (REST JSON as is; file rows after column
 * mapping and normalization), and which of their fields the workstation may edit. Editable fields follow
 * the three-way rule in sync/apply.ts: a local edit is never overwritten silently.
 */
import type { DmsEntity } from '../../db/tables/dms';
import type { RepairCategory } from '../../db/schema';

export type { DmsEntity };
export const DMS_ENTITIES = ['customer', 'vehicle', 'repair_order'] as const satisfies readonly DmsEntity[];

interface Stamped {
  dms_id: string;
  /** DMS modification time (ISO-8601 UTC); null when the source has none (file exports). */
  updated_at: string | null;
}

export interface DmsCustomer extends Stamped {
  name: string;
  gender: 'M' | 'F' | null;
  mobile: string | null;
  phone2: string | null;
  birthday: string | null;
  city: string | null;
  address: string | null;
}

export interface DmsVehicle extends Stamped {
  customer_dms_id: string;
  vin: string;
  plate: string | null;
  model: string;
  model_year: number | null;
  color: string | null;
  purchase_date: string | null;
  purchased_here: boolean;
  mileage_km: number | null;
  mileage_date: string | null;
  /** 销售顾问: who sold the car (by name); null when the DMS does not say. */
  sales_consultant: string | null;
}

export interface DmsRepairOrder extends Stamped {
  vehicle_dms_id: string;
  ro_no: string;
  opened_on: string;
  closed_on: string | null;
  category: RepairCategory;
  mileage_km: number | null;
  labor_fen: number;
  parts_fen: number;
  total_fen: number;
  advisor: string | null;
}

export interface DmsRecordOf {
  customer: DmsCustomer;
  vehicle: DmsVehicle;
  repair_order: DmsRepairOrder;
}
export type AnyDmsRecord = DmsCustomer | DmsVehicle | DmsRepairOrder;

/** Content fields in hash order (dms_id and updated_at excluded: a bumped stamp alone is not a change). */
export const CONTENT_FIELDS = {
  customer: ['name', 'gender', 'mobile', 'phone2', 'birthday', 'city', 'address'],
  vehicle: [
    'customer_dms_id',
    'vin',
    'plate',
    'model',
    'model_year',
    'color',
    'purchase_date',
    'purchased_here',
    'mileage_km',
    'mileage_date',
    'sales_consultant',
  ],
  repair_order: [
    'vehicle_dms_id',
    'ro_no',
    'opened_on',
    'closed_on',
    'category',
    'mileage_km',
    'labor_fen',
    'parts_fen',
    'total_fen',
    'advisor',
  ],
} as const satisfies { [E in DmsEntity]: readonly (keyof DmsRecordOf[E])[] };

/**
 * Content fields added after content hashes were first stored (in `dms_record` and by every DMS that
 * implements /keys). The hash leaves them out while they are null, so a record that does not carry one
 * hashes exactly as it did before the field existed and no stored hash goes stale.
 */
export const LATER_FIELDS: ReadonlySet<string> = new Set(['sales_consultant']);

/**
 * Fields people correct in the workstation (customers.update patches these). For them the importer
 * compares against the last DMS value it applied; everything else is DMS-owned and simply follows the DMS.
 */
export const EDITABLE_FIELDS = {
  customer: ['name', 'gender', 'mobile', 'phone2', 'birthday', 'city', 'address'],
  vehicle: ['plate', 'color', 'mileage_km', 'mileage_date'],
  repair_order: [],
} as const satisfies { [E in DmsEntity]: readonly (keyof DmsRecordOf[E])[] };

export type FieldValue = string | number | boolean | null;

export const FIELD_LABELS: Record<string, { zh: string; en: string }> = {
  dms_id: { zh: 'DMS 编号', en: 'DMS id' },
  name: { zh: '客户姓名', en: 'customer name' },
  gender: { zh: '性别', en: 'gender' },
  mobile: { zh: '手机', en: 'mobile' },
  phone2: { zh: '其他电话', en: 'other phone' },
  birthday: { zh: '生日', en: 'birthday' },
  city: { zh: '城市', en: 'city' },
  address: { zh: '地址', en: 'address' },
  customer_dms_id: { zh: '客户编号', en: 'customer id' },
  vin: { zh: 'VIN', en: 'VIN' },
  plate: { zh: '车牌号', en: 'plate' },
  model: { zh: '车型', en: 'model' },
  model_year: { zh: '年款', en: 'model year' },
  color: { zh: '颜色', en: 'color' },
  purchase_date: { zh: '购车日期', en: 'purchase date' },
  purchased_here: { zh: '本店购车', en: 'bought here' },
  mileage_km: { zh: '里程', en: 'mileage' },
  mileage_date: { zh: '里程日期', en: 'mileage date' },
  sales_consultant: { zh: '销售顾问', en: 'sales consultant' },
  vehicle_dms_id: { zh: '车辆编号', en: 'vehicle id' },
  ro_no: { zh: '工单号', en: 'repair order no.' },
  opened_on: { zh: '维修日期', en: 'repair date' },
  closed_on: { zh: '结算日期', en: 'closing date' },
  category: { zh: '维修类别', en: 'repair category' },
  labor_fen: { zh: '工时费', en: 'labour amount' },
  parts_fen: { zh: '材料费', en: 'parts amount' },
  total_fen: { zh: '金额', en: 'amount' },
  advisor: { zh: '服务顾问', en: 'service advisor' },
  updated_at: { zh: '更新时间', en: 'updated at' },
  deleted_at: { zh: '删除时间', en: 'deleted at' },
};
