/**
 * The Honda range a Guangzhou 4S store sells and services: GAC Honda (WMI LHG) and Dongfeng Honda (LVH)
 * models with the years they were on sale, plus plates and colours. Models are stored by English name.
 */
import { buildVin } from './vin';
import { Random, Weighted } from './random';

export interface HondaModel {
  model: string;
  wmi: 'LHG' | 'LVH';
  /** VIN positions 4–8 (body, engine, restraint system): fixed per model in this demo. */
  vds: string;
  from: number;
  to: number;
  /** New-energy vehicles get the 6-character green plate. */
  electric: boolean;
  weight: number;
}

export const HONDA_MODELS: readonly HondaModel[] = [
  { model: 'Accord', wmi: 'LHG', vds: 'CV165', from: 2010, to: 2026, electric: false, weight: 22 },
  { model: 'Fit', wmi: 'LHG', vds: 'GK575', from: 2010, to: 2026, electric: false, weight: 12 },
  { model: 'City', wmi: 'LHG', vds: 'GM655', from: 2010, to: 2024, electric: false, weight: 7 },
  { model: 'Crider', wmi: 'LHG', vds: 'GR435', from: 2013, to: 2026, electric: false, weight: 12 },
  { model: 'Odyssey', wmi: 'LHG', vds: 'RC345', from: 2010, to: 2026, electric: false, weight: 6 },
  { model: 'Avancier', wmi: 'LHG', vds: 'TC365', from: 2017, to: 2026, electric: false, weight: 4 },
  { model: 'Vezel', wmi: 'LHG', vds: 'RU155', from: 2015, to: 2026, electric: false, weight: 8 },
  { model: 'Breeze', wmi: 'LHG', vds: 'RW255', from: 2020, to: 2026, electric: false, weight: 7 },
  { model: 'e:NP1', wmi: 'LHG', vds: 'RS1E5', from: 2022, to: 2026, electric: true, weight: 1 },
  { model: 'Civic', wmi: 'LVH', vds: 'FC165', from: 2010, to: 2026, electric: false, weight: 9 },
  { model: 'CR-V', wmi: 'LVH', vds: 'RW185', from: 2010, to: 2026, electric: false, weight: 10 },
  { model: 'Elysion', wmi: 'LVH', vds: 'RR645', from: 2012, to: 2026, electric: false, weight: 3 },
  { model: 'Envix', wmi: 'LVH', vds: 'GR845', from: 2019, to: 2026, electric: false, weight: 2 },
  { model: 'Inspire', wmi: 'LVH', vds: 'CV365', from: 2018, to: 2026, electric: false, weight: 2 },
  { model: 'XR-V', wmi: 'LVH', vds: 'RU555', from: 2015, to: 2026, electric: false, weight: 4 },
  { model: 'e:NS1', wmi: 'LVH', vds: 'RS2E5', from: 2022, to: 2026, electric: true, weight: 1 },
];

/** Chinese names live in the shared vocabulary so the services and screens read the same ones. */
export { MODEL_NAMES_ZH } from '../../preload/vocabulary';

const BY_WEIGHT = new Weighted<HondaModel>(HONDA_MODELS.map((m) => [m, m.weight] as const));

/** A model that was on sale in `year` (redrawn until one is). */
export function pickModel(rng: Random, year: number): HondaModel {
  for (;;) {
    const m = BY_WEIGHT.pick(rng);
    if (m.from <= year && year <= m.to) return m;
  }
}

export const COLORS = new Weighted<string>([
  ['珍珠白', 30], ['星月白', 12], ['魔力黑', 18], ['水晶黑', 6], ['炫金银', 10], ['钛空灰', 9], ['琉璃灰', 4],
  ['极光蓝', 5], ['宝石红', 4], ['曜石棕', 2],
]);

/** Plant codes (VIN position 11) per manufacturer. */
const PLANTS: Record<HondaModel['wmi'], readonly string[]> = { LHG: ['8', 'N'], LVH: ['2', 'W'] };

/** Issues VINs that are unique by construction: one running serial per manufacturer. */
export class VinIssuer {
  private readonly serial: Record<HondaModel['wmi'], number> = { LHG: 100_000, LVH: 300_000 };

  next(rng: Random, model: HondaModel, modelYear: number): string {
    this.serial[model.wmi] += rng.int(1, 3);
    return buildVin(model.wmi, model.vds, modelYear, rng.pick(PLANTS[model.wmi]), this.serial[model.wmi]);
  }
}

const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/** 5 characters (6 for new energy: D/F then 5 digits), at most two letters, unique in `taken`. */
export function uniquePlate(rng: Random, prefix: string, electric: boolean, taken: Set<string>): string {
  for (;;) {
    let body = '';
    if (electric) {
      body = (rng.chance(0.8) ? 'D' : 'F') + rng.digits(5);
    } else {
      let letters = 0;
      for (let i = 0; i < 5; i++) {
        const letter = letters < 2 && rng.chance(i === 0 ? 0.3 : 0.12);
        if (letter) letters++;
        body += letter ? PLATE_LETTERS.charAt(rng.int(0, PLATE_LETTERS.length - 1)) : String(rng.int(0, 9));
      }
    }
    const plate = prefix + body;
    if (!taken.has(plate)) {
      taken.add(plate);
      return plate;
    }
  }
}
