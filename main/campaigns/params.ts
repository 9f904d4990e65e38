/**
 * Each campaign kind's parameters (stored as JSON on the campaign row, validated here) and the
 * defaults a new dealer starts with: names, purpose, priority and the staged channel plan.
 */
import { z } from 'zod';
import { REPAIR_CATEGORIES, type RepairCategory } from '../../db/schema';
import type { CampaignKind, ContactPurpose, StepChannel } from '../../db/tables/campaigns';

const days = z.number().int().min(0).max(3650);
const months = z.number().int().min(1).max(600);
const categories = z.array(z.enum(REPAIR_CATEGORIES)).min(1);

const SERVICE: RepairCategory[] = ['first_service', 'maintenance'];

/** Common to every kind: when the result is settled and when an unworked task expires. */
const common = {
  /** Result (came / no-show) is settled this many days after the due date. */
  settleAfterDays: days.default(30),
  /** No task is created, and open ones close as 'expired', this many days after the due date. */
  expireAfterDays: days.default(45),
  /** Repair-order categories that count as "came"; empty = the result is not computed from repair orders. */
  visitCategories: z.array(z.enum(REPAIR_CATEGORIES)).default([]),
};

export const paramSchemas = {
  maintenance: z.object({ ...common, visitCategories: categories.default(SERVICE), intervalMonths: months.default(6), intervalKm: z.number().int().min(500).max(100_000).default(5000) }),
  first_service: z.object({ ...common, visitCategories: categories.default(SERVICE), dueMonths: months.default(3), lastMonths: months.default(12), dueKm: z.number().int().min(100).max(50_000).default(5000), purchasedHereOnly: z.boolean().default(true) }),
  insurance_compulsory: z.object({ ...common }),
  insurance_commercial: z.object({ ...common }),
  inspection: z.object({ ...common, vehicleClass: z.string().min(1).default('private_small') }),
  birthday: z.object({
    ...common,
    settleAfterDays: days.default(0),
    expireAfterDays: days.default(7),
    gifts: z.object({ none: z.string(), standard: z.string(), silver: z.string(), gold: z.string(), platinum: z.string() }).default({
      none: '',
      standard: '精美车载香薰',
      silver: '免费洗车券 2 张',
      gold: '免费保养工时券',
      platinum: '免费保养套餐 + 生日蛋糕',
    }),
  }),
  purchase_thanks: z.object({ ...common, settleAfterDays: days.default(0), expireAfterDays: days.default(14), afterDays: days.default(1) }),
  service_followup: z.object({
    ...common,
    settleAfterDays: days.default(0),
    /** DealerMine's CSI follow-up: appears 3 days after the RO closes and expires after 12 more. */
    afterDays: days.default(3),
    expireAfterDays: days.default(12),
    categories: categories.default(['first_service', 'maintenance', 'repair', 'warranty', 'bodywork']),
  }),
  lapsed_first_service: z.object({ ...common, visitCategories: categories.default([...REPAIR_CATEGORIES]), afterMonths: months.default(12), expireAfterDays: days.default(365) }),
  lapsed_basic: z.object({ ...common, visitCategories: categories.default([...REPAIR_CATEGORIES]), fromMonths: months.default(12), toMonths: months.default(24), expireAfterDays: days.default(365) }),
  lapsed_lost: z.object({ ...common, visitCategories: categories.default([...REPAIR_CATEGORIES]), fromMonths: months.default(24), settleAfterDays: days.default(90), expireAfterDays: days.default(3650) }),
  /** Made once from a query (main/query): any visit within a month counts as came; no rule generates it. */
  adhoc: z.object({ ...common, visitCategories: categories.default([...REPAIR_CATEGORIES]), settleAfterDays: days.default(30), expireAfterDays: days.default(30) }),
} as const satisfies Record<CampaignKind, z.ZodType>;

export type CampaignParams<K extends CampaignKind> = z.output<(typeof paramSchemas)[K]>;

export interface StepDefault {
  offsetDays: number;
  channel: StepChannel;
  template: string | null;
}

export interface CampaignDefault {
  kind: CampaignKind;
  nameZh: string;
  nameEn: string;
  purpose: ContactPurpose;
  priority: number;
  steps: StepDefault[];
}

const letter = (offsetDays: number, template = 'letter.reminder'): StepDefault => ({ offsetDays, channel: 'letter', template });
const sms = (offsetDays: number, template: string): StepDefault => ({ offsetDays, channel: 'sms', template });
const phone = (offsetDays: number): StepDefault => ({ offsetDays, channel: 'phone', template: null });
const reason = (offsetDays: number): StepDefault => ({ offsetDays, channel: 'reason_call', template: null });

/** The seed's proven plan for 定保: letter −30, SMS −7, phone +2 overdue, reason call +30. */
export const CAMPAIGN_DEFAULTS: readonly CampaignDefault[] = [
  { kind: 'maintenance', nameZh: '定期保养招揽', nameEn: 'Scheduled maintenance', purpose: 'maintenance', priority: 50, steps: [letter(-30), sms(-7, 'sms.maintenance'), phone(2), reason(30)] },
  { kind: 'first_service', nameZh: '首保提醒', nameEn: 'First service', purpose: 'maintenance', priority: 60, steps: [letter(-30), sms(-7, 'sms.first_service'), phone(2), reason(30)] },
  { kind: 'insurance_compulsory', nameZh: '交强险续保提醒', nameEn: 'Compulsory insurance renewal', purpose: 'insurance', priority: 40, steps: [sms(-45, 'sms.insurance'), phone(-30), phone(-10)] },
  { kind: 'insurance_commercial', nameZh: '商业险续保提醒', nameEn: 'Commercial insurance renewal', purpose: 'insurance', priority: 40, steps: [sms(-45, 'sms.insurance'), phone(-30), phone(-10)] },
  { kind: 'inspection', nameZh: '年审提醒', nameEn: 'Annual inspection', purpose: 'maintenance', priority: 30, steps: [sms(-30, 'sms.inspection'), phone(-14)] },
  { kind: 'birthday', nameZh: '生日关怀', nameEn: 'Birthday care', purpose: 'marketing', priority: 20, steps: [letter(-5, 'card.birthday'), sms(0, 'sms.birthday')] },
  { kind: 'purchase_thanks', nameZh: '购车感谢', nameEn: 'Purchase thanks', purpose: 'marketing', priority: 20, steps: [sms(0, 'sms.thanks'), letter(0)] },
  { kind: 'service_followup', nameZh: '售后回访', nameEn: 'After-service follow-up', purpose: 'survey', priority: 70, steps: [phone(0)] },
  { kind: 'lapsed_first_service', nameZh: '首保流失招揽', nameEn: 'Lapsed first service', purpose: 'maintenance', priority: 35, steps: [sms(0, 'sms.winback'), phone(7)] },
  { kind: 'lapsed_basic', nameZh: '基础流失招揽', nameEn: 'Lapsing customers (12–24 months)', purpose: 'maintenance', priority: 30, steps: [letter(0), sms(7, 'sms.winback'), phone(14)] },
  { kind: 'lapsed_lost', nameZh: '流失客户招揽', nameEn: 'Lost customers (24+ months)', purpose: 'marketing', priority: 10, steps: [sms(0, 'sms.winback'), phone(14)] },
];

export const DISPOSITION_DEFAULTS = [
  { code: 'reached', zh: '已接通', en: 'Reached', reached: 1, unreachable: 0, hideDays: 0, callback: 0 },
  { code: 'callback', zh: '预约回电', en: 'Call back at …', reached: 0, unreachable: 0, hideDays: 0, callback: 1 },
  { code: 'no_answer', zh: '无人接听', en: 'No answer', reached: 0, unreachable: 1, hideDays: 1, callback: 0 },
  { code: 'busy', zh: '占线', en: 'Busy', reached: 0, unreachable: 1, hideDays: 0, callback: 0 },
  { code: 'powered_off', zh: '关机/停机', en: 'Phone off', reached: 0, unreachable: 1, hideDays: 1, callback: 0 },
  { code: 'wrong_number', zh: '号码错误', en: 'Wrong number', reached: 0, unreachable: 1, hideDays: 7, callback: 0 },
  { code: 'not_owner', zh: '非车主/已卖车', en: 'Not the owner any more', reached: 1, unreachable: 0, hideDays: 365, callback: 0 },
] as const;

/**
 * The outcome that says the customer no longer owns the car. Recording it marks the vehicle sold
 * through the preferences module (main/preferences), so every campaign stops, not only this one.
 * Matched by code: supervisors may relabel dispositions, the code stays.
 */
export const NOT_OWNER_DISPOSITION = 'not_owner';

export const FEEDBACK_REASON_DEFAULTS = [
  { code: 'mileage_not_reached', zh: '未到保养里程', en: 'Mileage not reached yet' },
  { code: 'serviced_elsewhere', zh: '在其他店保养', en: 'Serviced elsewhere' },
  { code: 'too_busy', zh: '工作忙没时间', en: 'Too busy' },
  { code: 'price', zh: '价格太贵', en: 'Too expensive' },
  { code: 'too_far', zh: '距离太远', en: 'Too far away' },
  { code: 'dissatisfied', zh: '对服务不满意', en: 'Dissatisfied with service' },
  { code: 'car_sold', zh: '车已卖出', en: 'Car sold' },
  { code: 'other', zh: '其他原因', en: 'Other' },
] as const;

export const CLOSE_REASON_DEFAULTS = [
  { code: 'came_early', zh: '提前来厂', en: 'Came early' },
  { code: 'expired', zh: '已过期', en: 'Expired' },
  { code: 'unreachable', zh: '多次联系不上', en: 'Unreachable' },
  { code: 'duplicate', zh: '重复任务', en: 'Duplicate' },
  { code: 'car_sold', zh: '车已卖出', en: 'Car sold' },
  { code: 'other', zh: '其他原因', en: 'Other' },
] as const;

/**
 * 年审 rules for private small passenger cars after the 2022 reform: inspection-exempt label every two
 * years through year 10 (on-site checks in years 6 and 10), yearly from 11 to 15, then every six months.
 * Kept as rows because the rules change and other vehicle classes differ.
 */
export const INSPECTION_RULE_DEFAULTS = [
  { vehicleClass: 'private_small', fromMonths: 24, toMonths: 120, everyMonths: 24, onSite: 0, note: '10 年内每 2 年申领免检标志（第 6、10 年上线检验）' },
  { vehicleClass: 'private_small', fromMonths: 132, toMonths: 180, everyMonths: 12, onSite: 1, note: '10–15 年每年检验' },
  { vehicleClass: 'private_small', fromMonths: 186, toMonths: 600, everyMonths: 6, onSite: 1, note: '15 年以上每 6 个月检验' },
] as const;
