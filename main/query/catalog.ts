/**
 * The field catalog: the only fields and operators a query may use. Each field says what it means
 * (bilingual label), its type (which decides its operators and value shapes), its scope — customer
 * fields test the customer row, vehicle fields test one of the customer's vehicles — and where its data
 * comes from (`source`, read by the compiler). New history sources (campaign results, opt-outs) are new
 * entries with a new source kind; nothing else in the tree format changes.
 */
import { CONTACT_EVENT_KINDS, MEMBER_TIERS, REPAIR_CATEGORIES, type CustomerTable, type VehicleTable } from '../../db/schema';
import type { Bilingual } from '../../preload/messages';
import type { OperatorId } from './operators';

export type FieldType = 'text' | 'enum' | 'boolean' | 'number' | 'date' | 'staff' | 'count' | 'money' | 'categories';
export type FieldScope = 'customer' | 'vehicle';
export type FieldGroupId = 'customer' | 'member' | 'vehicle' | 'repair' | 'contact';

export type FieldSource =
  | { kind: 'customerColumn'; column: keyof CustomerTable & string }
  | { kind: 'vehicleColumn'; column: keyof VehicleTable & string }
  | { kind: 'birthMonth' }
  | { kind: 'isMember' }
  /** Repair orders of the customer (customer scope) or of the vehicle (vehicle scope). */
  | { kind: 'repair'; measure: 'visits' | 'spend' | 'last' | 'category' }
  | { kind: 'contact'; measure: 'count' | 'lastOutbound' };

export interface FieldOption {
  value: string;
  label: Bilingual;
}

export interface FieldDef {
  id: string;
  label: Bilingual;
  group: FieldGroupId;
  type: FieldType;
  scope: FieldScope;
  operators: readonly OperatorId[];
  source: FieldSource;
  /** enum fields: the allowed values; count/categories fields: the filter tags (categories, kinds). */
  options?: readonly FieldOption[];
  unit?: Bilingual;
  /** number fields: allowed range. */
  min?: number;
  max?: number;
  integer?: boolean;
}

export const fieldGroups: Record<FieldGroupId, Bilingual> = {
  customer: { zh: '客户', en: 'Customer' },
  member: { zh: '会员', en: 'Membership' },
  vehicle: { zh: '车辆', en: 'Vehicle' },
  repair: { zh: '维修记录', en: 'Repair history' },
  contact: { zh: '联系记录', en: 'Contact history' },
};

const TEXT_OPS = ['=', '!=', 'contains', 'doesNotContain', 'beginsWith', 'doesNotBeginWith', 'in', 'notIn', 'null', 'notNull'] as const;
const ENUM_OPS = ['=', '!=', 'in', 'notIn', 'null', 'notNull'] as const;
const NUMBER_OPS = ['=', '!=', '<', '<=', '>', '>=', 'between', 'notBetween', 'null', 'notNull'] as const;
const DATE_OPS = ['olderThan', 'withinLast', 'inYear', 'inRelYear', 'between', '<', '>', '=', 'null', 'notNull'] as const;
const COUNT_OPS = ['>=', '>', '=', '!=', '<', '<='] as const;

export const tierOptions: readonly FieldOption[] = MEMBER_TIERS.map((t) => ({
  value: t,
  label: {
    standard: { zh: '普通卡', en: 'Standard' },
    silver: { zh: '银卡', en: 'Silver' },
    gold: { zh: '金卡', en: 'Gold' },
    platinum: { zh: '白金卡', en: 'Platinum' },
  }[t],
}));

export const categoryOptions: readonly FieldOption[] = REPAIR_CATEGORIES.map((c) => ({
  value: c,
  label: {
    first_service: { zh: '首保', en: 'first service' },
    maintenance: { zh: '保养', en: 'maintenance' },
    repair: { zh: '维修', en: 'repair' },
    warranty: { zh: '索赔', en: 'warranty' },
    bodywork: { zh: '钣喷', en: 'bodywork' },
    accessory: { zh: '精品', en: 'accessories' },
    other: { zh: '其他', en: 'other' },
  }[c],
}));

export const contactKindOptions: readonly FieldOption[] = CONTACT_EVENT_KINDS.map((k) => ({
  value: k,
  label: {
    call_in: { zh: '来电', en: 'inbound call' },
    call_out: { zh: '去电', en: 'outbound call' },
    sms_in: { zh: '收到短信', en: 'SMS received' },
    sms_out: { zh: '发出短信', en: 'SMS sent' },
    letter: { zh: '信件', en: 'letter' },
    visit: { zh: '到店', en: 'visit' },
    note: { zh: '备注', en: 'note' },
    survey: { zh: '调查', en: 'survey' },
    complaint: { zh: '投诉', en: 'complaint' },
    profile_change: { zh: '资料变更', en: 'profile change' },
  }[k],
}));

/** Contact kinds that count as the dealer reaching out (for "last contacted"). */
export const OUTBOUND_KINDS = ['call_out', 'sms_out', 'letter'] as const;

const genderOptions: readonly FieldOption[] = [
  { value: 'M', label: { zh: '男', en: 'male' } },
  { value: 'F', label: { zh: '女', en: 'female' } },
];

const text = (column: keyof CustomerTable & string) => ({ kind: 'customerColumn', column }) as const;
const vcol = (column: keyof VehicleTable & string) => ({ kind: 'vehicleColumn', column }) as const;

export const FIELDS: readonly FieldDef[] = [
  { id: 'customer.name', label: { zh: '姓名', en: 'name' }, group: 'customer', type: 'text', scope: 'customer', operators: TEXT_OPS, source: text('name') },
  { id: 'customer.gender', label: { zh: '性别', en: 'gender' }, group: 'customer', type: 'enum', scope: 'customer', operators: ENUM_OPS, source: text('gender'), options: genderOptions },
  {
    id: 'customer.birthMonth', label: { zh: '生日月份', en: 'birthday month' }, group: 'customer', type: 'number', scope: 'customer',
    operators: ['=', '!=', 'in', 'notIn', 'between', 'null', 'notNull'], source: { kind: 'birthMonth' }, min: 1, max: 12, integer: true,
  },
  { id: 'customer.city', label: { zh: '城市', en: 'city' }, group: 'customer', type: 'text', scope: 'customer', operators: TEXT_OPS, source: text('city') },
  { id: 'customer.mobile', label: { zh: '手机', en: 'mobile' }, group: 'customer', type: 'text', scope: 'customer', operators: ['=', 'beginsWith', 'null', 'notNull'], source: text('mobile') },
  { id: 'customer.staff', label: { zh: '负责专员', en: 'responsible agent' }, group: 'customer', type: 'staff', scope: 'customer', operators: ENUM_OPS, source: text('responsible_staff_id') },

  { id: 'member.isMember', label: { zh: '是会员', en: 'is a member' }, group: 'member', type: 'boolean', scope: 'customer', operators: ['='], source: { kind: 'isMember' } },
  { id: 'member.tier', label: { zh: '会员等级', en: 'member tier' }, group: 'member', type: 'enum', scope: 'customer', operators: ENUM_OPS, source: text('member_tier'), options: tierOptions },
  { id: 'member.since', label: { zh: '入会日期', en: 'member since' }, group: 'member', type: 'date', scope: 'customer', operators: DATE_OPS, source: text('member_since') },

  { id: 'vehicle.model', label: { zh: '车型', en: 'model' }, group: 'vehicle', type: 'text', scope: 'vehicle', operators: TEXT_OPS, source: vcol('model') },
  { id: 'vehicle.purchasedHere', label: { zh: '在本店购买', en: 'bought here' }, group: 'vehicle', type: 'boolean', scope: 'vehicle', operators: ['='], source: vcol('purchased_here') },
  { id: 'vehicle.purchaseDate', label: { zh: '购车日期', en: 'purchase date' }, group: 'vehicle', type: 'date', scope: 'vehicle', operators: DATE_OPS, source: vcol('purchase_date') },
  {
    id: 'vehicle.mileage', label: { zh: '行驶里程', en: 'mileage' }, group: 'vehicle', type: 'number', scope: 'vehicle', operators: NUMBER_OPS,
    source: vcol('mileage_km'), unit: { zh: '公里', en: 'km' }, min: 0, max: 5_000_000, integer: true,
  },
  { id: 'vehicle.plate', label: { zh: '车牌', en: 'plate' }, group: 'vehicle', type: 'text', scope: 'vehicle', operators: TEXT_OPS, source: vcol('plate') },
  {
    id: 'vehicle.modelYear', label: { zh: '年款', en: 'model year' }, group: 'vehicle', type: 'number', scope: 'vehicle', operators: NUMBER_OPS,
    source: vcol('model_year'), min: 1950, max: 2200, integer: true,
  },
  {
    id: 'vehicle.visits', label: { zh: '该车进厂次数', en: "this vehicle's visits" }, group: 'vehicle', type: 'count', scope: 'vehicle', operators: COUNT_OPS,
    source: { kind: 'repair', measure: 'visits' }, options: categoryOptions, unit: { zh: '次', en: 'times' },
  },
  { id: 'vehicle.lastVisit', label: { zh: '该车最近进厂日期', en: "this vehicle's last visit" }, group: 'vehicle', type: 'date', scope: 'vehicle', operators: DATE_OPS, source: { kind: 'repair', measure: 'last' } },

  {
    id: 'repair.visits', label: { zh: '进厂次数', en: 'visits' }, group: 'repair', type: 'count', scope: 'customer', operators: COUNT_OPS,
    source: { kind: 'repair', measure: 'visits' }, options: categoryOptions, unit: { zh: '次', en: 'times' },
  },
  {
    id: 'repair.spend', label: { zh: '消费金额', en: 'spend' }, group: 'repair', type: 'money', scope: 'customer', operators: COUNT_OPS,
    source: { kind: 'repair', measure: 'spend' }, options: categoryOptions, unit: { zh: '元', en: 'yuan' },
  },
  { id: 'repair.lastVisit', label: { zh: '最近进厂日期', en: 'last visit' }, group: 'repair', type: 'date', scope: 'customer', operators: DATE_OPS, source: { kind: 'repair', measure: 'last' } },
  {
    id: 'repair.category', label: { zh: '进厂项目', en: 'visit type' }, group: 'repair', type: 'categories', scope: 'customer', operators: ['in', 'notIn'],
    source: { kind: 'repair', measure: 'category' }, options: categoryOptions,
  },

  {
    id: 'contact.count', label: { zh: '联系次数', en: 'contacts' }, group: 'contact', type: 'count', scope: 'customer', operators: COUNT_OPS,
    source: { kind: 'contact', measure: 'count' }, options: contactKindOptions, unit: { zh: '次', en: 'times' },
  },
  {
    id: 'contact.lastOutbound', label: { zh: '最近主动联系日期', en: 'last contacted' }, group: 'contact', type: 'date', scope: 'customer', operators: DATE_OPS,
    source: { kind: 'contact', measure: 'lastOutbound' },
  },
];

const byId = new Map(FIELDS.map((f) => [f.id, f]));

export function findField(id: string): FieldDef | undefined {
  return byId.get(id);
}
