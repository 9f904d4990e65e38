/**
 * Vehicle identification numbers as ISO 3779 / GB 16735 define them: 17 characters without I, O and Q,
 * position 9 a check digit (weighted sum of transliterated values mod 11, 10 written as 'X').
 */
const TRANSLITERATION: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8,
  J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

export const VIN_PATTERN = /^[A-HJ-NPR-Z0-9]{17}$/;

function value(ch: string): number {
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  const v = TRANSLITERATION[ch];
  if (v === undefined) throw new Error(`not a VIN character: ${ch}`);
  return v;
}

/** The check digit for a 17-character VIN (the character at position 9 is ignored: its weight is 0). */
export function vinCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += value(vin.charAt(i)) * (WEIGHTS[i] ?? 0);
  const rest = sum % 11;
  return rest === 10 ? 'X' : String(rest);
}

export function isValidVin(vin: string): boolean {
  return VIN_PATTERN.test(vin) && vin.charAt(8) === vinCheckDigit(vin);
}

/** Model-year code at position 10 (2010 = A … 2030 = Y, skipping I, O, Q, U and Z). */
const YEAR_CODES = 'ABCDEFGHJKLMNPRSTVWXY';
export function modelYearCode(year: number): string {
  const code = YEAR_CODES.charAt(year - 2010);
  if (!code) throw new Error(`no VIN year code for ${year}`);
  return code;
}

/** Builds a valid VIN from its parts; `vds` is 5 characters, `plant` 1, `serial` 6 digits. */
export function buildVin(wmi: string, vds: string, year: number, plant: string, serial: number): string {
  const draft = `${wmi}${vds}0${modelYearCode(year)}${plant}${String(serial).padStart(6, '0')}`;
  if (!VIN_PATTERN.test(draft)) throw new Error(`bad VIN parts: ${draft}`);
  return draft.slice(0, 8) + vinCheckDigit(draft) + draft.slice(9);
}
