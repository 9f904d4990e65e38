/**
 * A small deterministic DMS data set in the canonical record shapes (Chinese names, Honda models,
 * plates, VINs), for the reference server when the demo generator is not wanted, for tests and the bench.
 */
import type { DmsCustomer, DmsRepairOrder, DmsVehicle } from '../../main/dms/records';
import type { RepairCategory } from '../../db/schema';

export interface Fixture {
  customers: DmsCustomer[];
  vehicles: DmsVehicle[];
  repairOrders: DmsRepairOrder[];
}

export interface FixtureOptions {
  customers: number;
  seed?: number;
  /** Vehicles per customer on average (default 1.5) and repair orders per vehicle (default 6.67). */
  vehiclesPerCustomer?: number;
  ordersPerVehicle?: number;
  /** First updated_at; stamps advance in 1-second steps with deliberate ties. */
  startAt?: string;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '华', '建国', '晓东', '文静'];
const MODELS = ['雅阁', '思域', '飞度', '缤智', 'CR-V', '奥德赛', '凌派', '冠道', 'XR-V', '锋范'];
const COLORS = ['白', '黑', '银', '红', '灰', '蓝'];
const CITIES = ['广州', '佛山', '深圳', '东莞', '珠海'];
const ADVISORS = ['陈顾问', '李顾问', '黄顾问', '吴顾问'];
/** Sales consultants (销售顾问) of the cars sold here. */
export const SALES_CONSULTANTS = ['何俊杰', '刘嘉欣', '周志强', '郑婉婷', '谢文博', '罗佩琪'];
const CATEGORIES: RepairCategory[] = ['first_service', 'maintenance', 'maintenance', 'maintenance', 'repair', 'warranty', 'bodywork', 'accessory'];
const VIN_CHARS = [...'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'];
const PLATE_CHARS = [...'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'];

function pick<T>(rand: () => number, list: readonly T[]): T {
  const v = list[Math.floor(rand() * list.length)];
  if (v === undefined) throw new Error('empty list');
  return v;
}

function isoDay(base: number, days: number): string {
  return new Date(base + days * 86_400_000).toISOString().slice(0, 10);
}

export function buildFixture(options: FixtureOptions): Fixture {
  const rand = mulberry32(options.seed ?? 1);
  const vpc = options.vehiclesPerCustomer ?? 1.5;
  const opv = options.ordersPerVehicle ?? 20 / 3;
  let stamp = Date.parse(options.startAt ?? '2025-01-01T00:00:00.000Z');
  // Two or three records share each stamp so that paging must handle ties at page boundaries.
  const nextStamp = () => {
    if (rand() < 0.6) stamp += 1000;
    return new Date(stamp).toISOString();
  };
  const customers: DmsCustomer[] = [];
  const vehicles: DmsVehicle[] = [];
  const repairOrders: DmsRepairOrder[] = [];
  const day0 = Date.UTC(2015, 0, 1);
  let vinSeq = 0;
  for (let c = 1; c <= options.customers; c++) {
    const cid = `C${String(c).padStart(7, '0')}`;
    customers.push({
      dms_id: cid,
      name: pick(rand, SURNAMES) + pick(rand, GIVEN),
      gender: rand() < 0.5 ? 'M' : 'F',
      mobile: `1${pick(rand, ['3', '5', '8', '9'])}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`,
      phone2: rand() < 0.2 ? `020${String(Math.floor(rand() * 1e8)).padStart(8, '0')}` : null,
      birthday: rand() < 0.7 ? isoDay(Date.UTC(1960, 0, 1), Math.floor(rand() * 14000)) : null,
      city: pick(rand, CITIES),
      address: rand() < 0.5 ? `${pick(rand, CITIES)}市天河区${Math.floor(rand() * 300) + 1}号` : null,
      updated_at: nextStamp(),
    });
    const nVehicles = Math.max(1, Math.round(vpc + (rand() - 0.5) * 2 * Math.min(vpc - 1, 1)));
    for (let v = 0; v < nVehicles; v++) {
      vinSeq += 1;
      let vin = 'LHG';
      for (let i = 0; i < 8; i++) vin += pick(rand, VIN_CHARS);
      vin += String(vinSeq).padStart(6, '0');
      const vid = `V${String(vinSeq).padStart(7, '0')}`;
      const purchaseDay = Math.floor(rand() * 3600);
      const vehicle: DmsVehicle = {
        dms_id: vid,
        customer_dms_id: cid,
        vin,
        plate: `粤${pick(rand, ['A', 'B', 'E', 'S'])}${Array.from({ length: 5 }, () => pick(rand, PLATE_CHARS)).join('')}`,
        model: pick(rand, MODELS),
        model_year: 2015 + Math.floor(purchaseDay / 365),
        color: pick(rand, COLORS),
        purchase_date: isoDay(day0, purchaseDay),
        purchased_here: rand() < 0.8,
        mileage_km: Math.floor(rand() * 150_000),
        mileage_date: isoDay(day0, purchaseDay + 300),
        sales_consultant: null,
        updated_at: nextStamp(),
      };
      // Cars sold here name their consultant; taken from the serial, not the generator, so the rest of the data set stays as it was.
      if (vehicle.purchased_here) vehicle.sales_consultant = SALES_CONSULTANTS[vinSeq % SALES_CONSULTANTS.length] ?? null;
      vehicles.push(vehicle);
      const nOrders = Math.floor(rand() * 2 * opv + 0.5);
      for (let o = 0; o < nOrders; o++) {
        const opened = purchaseDay + 30 + Math.floor(rand() * 1500);
        const labor = Math.floor(rand() * 80_000);
        const parts = Math.floor(rand() * 150_000);
        repairOrders.push({
          dms_id: `R${String(repairOrders.length + 1).padStart(8, '0')}`,
          vehicle_dms_id: vid,
          ro_no: `RO${String(repairOrders.length + 1).padStart(8, '0')}`,
          opened_on: isoDay(day0, opened),
          closed_on: isoDay(day0, opened + Math.floor(rand() * 3)),
          category: o === 0 ? 'first_service' : pick(rand, CATEGORIES),
          mileage_km: 1000 + o * 5000 + Math.floor(rand() * 3000),
          labor_fen: labor,
          parts_fen: parts,
          total_fen: labor + parts,
          advisor: pick(rand, ADVISORS),
          updated_at: nextStamp(),
        });
      }
    }
  }
  return { customers, vehicles, repairOrders };
}
