/**
 * A vehicle's visits to the workshop: first service 3–12 months after a sale here, maintenance every
 * 5–8 months, repairs, warranty, bodywork and accessories in between, until the owner lapses (goes to an
 * independent garage, sells the car) or today is reached. Dates and odometer readings only ever increase.
 */
import type { RepairCategory } from '../schema';
import { Random, Weighted } from './random';

export const SERVICE_ADVISORS = ['黄志强', '陈嘉欣', '刘振华', '梁淑仪', '何俊杰', '李文龙', '吴晓彤', '郑家豪'] as const;

export interface RoDraft {
  openedDay: number;
  closedDay: number | null;
  category: RepairCategory;
  mileageKm: number;
  laborFen: number;
  partsFen: number;
  advisor: string;
}

export interface HistoryInput {
  purchaseDay: number;
  purchasedHere: boolean;
  todayDay: number;
  /** Average kilometres a day this owner drives (about 8 000–20 000 a year). */
  dailyKm: number;
}

const WARRANTY_DAYS = 3 * 365;
const EXTRA_KINDS = new Weighted<RepairCategory>([
  ['repair', 45],
  ['bodywork', 22],
  ['accessory', 18],
  ['warranty', 15],
]);

const yuan = (rng: Random, min: number, max: number) => rng.int(min, max) * 100;

function amounts(rng: Random, category: RepairCategory, visit: number): { laborFen: number; partsFen: number } {
  switch (category) {
    case 'first_service':
      return { laborFen: rng.chance(0.7) ? 0 : yuan(rng, 80, 200), partsFen: yuan(rng, 150, 400) };
    case 'maintenance': {
      // Every fourth visit is the big one: spark plugs, brake fluid, transmission oil.
      const major = visit % 4 === 0;
      return { laborFen: yuan(rng, 150, major ? 800 : 400), partsFen: yuan(rng, 250, major ? 2500 : 1200) };
    }
    case 'repair':
      return { laborFen: yuan(rng, 200, 1500), partsFen: yuan(rng, 200, 6000) };
    case 'warranty':
      return { laborFen: yuan(rng, 200, 800), partsFen: yuan(rng, 300, 4000) };
    case 'bodywork':
      return { laborFen: yuan(rng, 500, 3000), partsFen: yuan(rng, 300, 8000) };
    case 'accessory':
      return { laborFen: rng.chance(0.5) ? 0 : yuan(rng, 50, 200), partsFen: yuan(rng, 200, 3000) };
    case 'other':
      return { laborFen: yuan(rng, 50, 300), partsFen: 0 };
  }
}

const WORKSHOP_DAYS: Record<RepairCategory, readonly [number, number]> = {
  first_service: [0, 0],
  maintenance: [0, 0],
  accessory: [0, 1],
  repair: [0, 2],
  warranty: [0, 3],
  bodywork: [1, 5],
  other: [0, 0],
};

export function serviceHistory(rng: Random, input: HistoryInput): RoDraft[] {
  const { purchaseDay, todayDay, dailyKm } = input;
  // How likely this owner is to stop coming after any visit; one in ten owners never does.
  const lapseChance = rng.chance(0.1) ? 0 : 0.04 + rng.next() * 0.16;
  const drafts: RoDraft[] = [];
  let lastKm = input.purchasedHere ? rng.int(5, 60) : 0;
  const odometer = (day: number) => {
    const estimate = Math.round(dailyKm * (day - purchaseDay) * (0.95 + rng.next() * 0.1));
    lastKm = Math.max(lastKm + rng.int(50, 300), estimate);
    return lastKm;
  };
  const add = (day: number, category: RepairCategory, visit: number) => {
    const [minDays, maxDays] = WORKSHOP_DAYS[category];
    const closedDay = day + rng.int(minDays, maxDays);
    drafts.push({
      openedDay: day,
      closedDay: closedDay <= todayDay ? closedDay : null,
      category,
      mileageKm: odometer(day),
      ...amounts(rng, category, visit),
      advisor: rng.pick(SERVICE_ADVISORS),
    });
  };

  let day = input.purchasedHere ? purchaseDay + rng.int(90, 365) : purchaseDay + rng.int(365, 5 * 365);
  let category: RepairCategory = input.purchasedHere ? 'first_service' : 'maintenance';
  // Someone who bought elsewhere is only in this database because they came at least once.
  if (!input.purchasedHere && day > todayDay) day = Math.max(purchaseDay + 30, todayDay - rng.int(0, 60));
  for (let visit = 1; day <= todayDay; visit++) {
    add(day, category, visit);
    category = 'maintenance';
    const next = day + rng.int(150, 240);
    if (rng.chance(0.3)) {
      const extraDay = day + rng.int(15, next - day - 15);
      let kind = EXTRA_KINDS.pick(rng);
      if (kind === 'warranty' && extraDay - purchaseDay > WARRANTY_DAYS) kind = 'repair';
      if (extraDay <= todayDay) add(extraDay, kind, visit);
    }
    if (rng.chance(lapseChance)) break;
    day = next;
  }
  return drafts;
}

/** Numbers repair orders per day of opening, as the DMS does: RO + YYYYMMDD + 4-digit running number. */
export class RoNumbers {
  private readonly perDay = new Map<number, number>();

  next(day: number, date: string): string {
    const n = (this.perDay.get(day) ?? 0) + 1;
    this.perDay.set(day, n);
    return `RO${date.replaceAll('-', '')}${String(n).padStart(4, '0')}`;
  }
}
