/**
 * Value shapes a rule can carry, as zod schemas. They are what react-querybuilder's value editors must
 * produce (custom editors for the relative-date and window values). Lists also accept the comma string
 * react-querybuilder's default editors emit, so a query typed in its stock widgets still parses.
 */
import { z } from 'zod';
import { isIsoDate, type DateUnit } from './dates';

export const isoDateValue = z.string().refine(isIsoDate, 'date');

const splitComma = (v: unknown) =>
  typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s.length > 0) : v;

export function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess(splitComma, z.array(item).min(1, 'listEmpty').max(100, 'listLong'));
}

export function pairOf<T extends z.ZodType<string | number>>(item: T) {
  return z
    .preprocess(splitComma, z.tuple([item, item]))
    .refine(([a, b]) => (typeof a === 'number' && typeof b === 'number' ? a <= b : String(a) <= String(b)), 'rangeOrder');
}

export const textValue = z.string().trim().min(1, 'required').max(100, 'tooLong');

/** Accepts numbers and numeric strings (text inputs hand numbers over as strings). */
export function numberValue(min: number, max: number, integer = false) {
  const base = integer ? z.number().int('integer') : z.number();
  return z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v),
    base.min(min, 'range').max(max, 'range'),
  );
}

export const DATE_UNITS = ['day', 'month', 'year'] as const satisfies readonly DateUnit[];
export const relativeValue = z
  .object({ amount: numberValue(0, 100, true), unit: z.enum(DATE_UNITS) })
  .strict();
export type RelativeValue = z.infer<typeof relativeValue>;

export const yearValue = numberValue(1900, 2200, true);
/** 0 = this year, -1 = last year: a saved "lapsed last year" query keeps its meaning next year. */
export const relYearValue = numberValue(-50, 0, true);

/** The time window an aggregate (visits, spend, contacts) is counted over. */
export const windowValue = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('year'), year: yearValue }).strict(),
  z.object({ kind: z.literal('relYear'), offset: relYearValue }).strict(),
  z.object({ kind: z.literal('last'), amount: numberValue(1, 100, true), unit: z.enum(DATE_UNITS) }).strict(),
  z
    .object({ kind: z.literal('between'), from: isoDateValue, to: isoDateValue })
    .strict()
    .refine((w) => w.from <= w.to, 'rangeOrder'),
]);
export type WindowValue = z.infer<typeof windowValue>;

/** Anything: operators like 'null' ignore their value (react-querybuilder leaves '' there). */
export const ignoredValue = z.unknown().transform(() => null);
