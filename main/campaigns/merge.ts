/** Merge values for a task's customer, vehicle and dealer: what SMS, letters and cards are filled with. */
import type { DbHandle } from '../../db/connection';
import type { MergeValues } from '../templates';

export interface DealerProfile {
  name: string;
  /** 简称, the SMS signature; null when not set (templates then sign with the full name). */
  shortName: string | null;
  /** The service hotline (服务热线). */
  phone: string | null;
  address: string | null;
  /**
   * The brand's model names in the templates' language: stored (English) model → 雅阁 …. Templates are
   * written in Chinese, so an SMS or letter says 雅阁, not Accord; a model not listed is merged as stored.
   */
  modelNames?: Readonly<Record<string, string>>;
}

export interface MergeRow {
  customer_name: string;
  gender: 'M' | 'F' | null;
  address: string | null;
  member_tier: string | null;
  plate: string | null;
  model: string | null;
  vin: string | null;
  mileage_km: number | null;
  due_on: string;
  gift: string | null;
  campaign_name: string;
}

const TIER_ZH: Record<string, string> = { standard: '普通会员', silver: '银卡会员', gold: '金卡会员', platinum: '白金会员' };

export function salutation(name: string, gender: 'M' | 'F' | null): string {
  const family = name.length >= 2 && name.length <= 4 ? name.slice(0, 1) : name;
  if (gender === 'M') return `${family}先生`;
  if (gender === 'F') return `${family}女士`;
  return `${name}`;
}

/** How a list reads in Chinese SMS and letters: 粤A12345、粤B67890. */
const LIST_SEPARATOR = '、';

/** "雅阁 粤A12345" (or whichever of the two is known); null when neither is. */
function carLabel(model: string | null, plate: string | null): string | null {
  const label = [model, plate].filter((s): s is string => Boolean(s?.trim())).join(' ');
  return label || null;
}

const joined = (values: ReadonlyArray<string | null>): string | null => {
  const present = values.filter((v): v is string => Boolean(v?.trim()));
  return present.length > 0 ? present.join(LIST_SEPARATOR) : null;
};

/**
 * Cars one SMS names at most. A fleet customer with dozens of cars due the same day gets a message that
 * names the first few and says how many there are (…等30辆): listing all of them would make an SMS of ten
 * or more parts that nobody reads (and past 255 parts one the modem cannot send at all).
 */
export const MAX_LISTED_CARS = 5;

/** Each car's value in order, cut to MAX_LISTED_CARS with the count of all `cars` after it. */
const listedCars = (values: ReadonlyArray<string | null>, cars: number): string | null => {
  if (cars <= MAX_LISTED_CARS) return joined(values);
  const first = joined(values.slice(0, MAX_LISTED_CARS));
  return first === null ? null : `${first}等${cars}辆`;
};

export function mergeValues(row: MergeRow, dealer: DealerProfile, today: string): MergeValues {
  const model = row.model === null ? null : (dealer.modelNames?.[row.model] ?? row.model);
  return {
    customerName: row.customer_name,
    salutation: salutation(row.customer_name, row.gender),
    plate: row.plate,
    model,
    vehicleList: carLabel(model, row.plate),
    vin: row.vin,
    mileage: row.mileage_km === null ? null : String(row.mileage_km),
    dueDate: row.due_on,
    campaignName: row.campaign_name,
    ...dealerValues(dealer),
    gift: row.gift,
    memberTier: row.member_tier ? (TIER_ZH[row.member_tier] ?? row.member_tier) : null,
    address: row.address,
    today,
  };
}

/**
 * Merge values for one SMS about several of a customer's cars (rows: one per car, the most urgent first):
 * 车辆列表 lists "车型 车牌" of each, 车牌 / 车型 / 车架号 / 里程 list each car's value in the same order (models
 * once each), so a template written for one car ("您的爱车{{车牌}}…") names them all — the first
 * MAX_LISTED_CARS of them and "等N辆" when there are more; 到期日, 礼品 and the customer's fields come from
 * the first (most urgent) row. One row gives exactly mergeValues(row).
 */
export function mergeValuesForCars(rows: readonly [MergeRow, ...MergeRow[]], dealer: DealerProfile, today: string): MergeValues {
  const first = mergeValues(rows[0], dealer, today);
  if (rows.length === 1) return first;
  const each = rows.map((r) => mergeValues(r, dealer, today));
  const cars = each.length;
  const models = [...new Set(each.map((v) => v.model ?? null))];
  return {
    ...first,
    plate: listedCars(each.map((v) => v.plate ?? null), cars),
    model: models.length > MAX_LISTED_CARS ? `${joined(models.slice(0, MAX_LISTED_CARS)) ?? ''}等` : joined(models),
    vehicleList: listedCars(each.map((v) => v.vehicleList ?? null), cars),
    vin: listedCars(each.map((v) => v.vin ?? null), cars),
    mileage: listedCars(each.map((v) => v.mileage ?? null), cars),
  };
}

/** SQL selecting a MergeRow for task `t` (joined as t, customer c, vehicle v, campaign cp). */
export const MERGE_COLUMNS = `c.name as customer_name, c.gender, c.address, c.member_tier, v.plate, v.model, v.vin, v.mileage_km,
  t.due_on, t.gift, cp.name_zh as campaign_name`;

/** The dealer's merge fields; the signature falls back to the full name until a short name is set. */
export function dealerValues(dealer: DealerProfile): MergeValues {
  return { dealerName: dealer.name, dealerShortName: dealer.shortName ?? dealer.name, dealerPhone: dealer.phone, dealerAddress: dealer.address };
}

/**
 * The one reader of the dealer's profile (经销店信息, saved by dealer.save): every campaign step, letter,
 * query campaign, appointment confirmation and template preview merges what is stored at that moment.
 */
export function dealerProfileFrom(handle: DbHandle, dealerId: string): DealerProfile {
  const row = handle.sqlite
    .prepare<[string], { name: string; short_name: string | null; phone: string | null; address: string | null }>(
      'select name, short_name, phone, address from dealer where id = ?',
    )
    .get(dealerId);
  return { name: row?.name ?? '', shortName: row?.short_name ?? null, phone: row?.phone ?? null, address: row?.address ?? null };
}
