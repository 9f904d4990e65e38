/**
 * Which value a (field, operator) pair takes, and its normalized form. The normalized `RuleValue` is what
 * the compiler and sentence renderer read, so neither re-parses the loose editor output.
 */
import { z } from 'zod';
import { idSchema } from '../../preload/contract';
import type { FieldDef } from './catalog';
import type { DateUnit } from './dates';
import type { OperatorId } from './operators';
import {
  ignoredValue,
  isoDateValue,
  listOf,
  numberValue,
  pairOf,
  relativeValue,
  relYearValue,
  textValue,
  windowValue,
  yearValue,
  type WindowValue,
} from './values';

export type Scalar = string | number;

export type RuleValue =
  | { kind: 'none' }
  | { kind: 'scalar'; v: Scalar }
  | { kind: 'bool'; v: boolean }
  | { kind: 'list'; v: Scalar[] }
  | { kind: 'range'; v: [Scalar, Scalar] }
  | { kind: 'relative'; amount: number; unit: DateUnit }
  | { kind: 'year'; year: number }
  | { kind: 'relYear'; offset: number }
  /** count / money aggregates: `n` is a count, or fen for money; `tags` filters categories or kinds. */
  | { kind: 'agg'; window: WindowValue; n: number; tags: string[] | null }
  | { kind: 'tags'; window: WindowValue; tags: string[] };

type Schema = z.ZodType<RuleValue>;

function scalarItem(field: FieldDef): z.ZodType<Scalar> {
  switch (field.type) {
    case 'enum': {
      const values = (field.options ?? []).map((o) => o.value);
      return z.string().refine((v) => values.includes(v), 'option');
    }
    case 'staff':
      return idSchema;
    case 'number':
      return numberValue(field.min ?? -1e12, field.max ?? 1e12, field.integer ?? false);
    case 'date':
      return isoDateValue;
    default:
      return textValue;
  }
}

function tagList(field: FieldDef) {
  const values = (field.options ?? []).map((o) => o.value);
  return listOf(z.string().refine((v) => values.includes(v), 'option'));
}

/** Key under which an aggregate value carries its tag filter: repair categories or contact kinds. */
export function tagKey(field: FieldDef): 'categories' | 'kinds' {
  return field.source.kind === 'contact' ? 'kinds' : 'categories';
}

function aggregateSchema(field: FieldDef): Schema {
  const tags = tagList(field);
  if (field.type === 'categories') {
    return z
      .object({ window: windowValue, categories: tags })
      .strict()
      .transform((o): RuleValue => ({ kind: 'tags', window: o.window, tags: o.categories }));
  }
  if (field.type === 'money') {
    return z
      .object({ window: windowValue, yuan: numberValue(0, 1e9), categories: tags.optional() })
      .strict()
      .transform((o): RuleValue => ({ kind: 'agg', window: o.window, n: Math.round(o.yuan * 100), tags: o.categories ?? null }));
  }
  const count = numberValue(0, 100_000, true);
  if (tagKey(field) === 'kinds') {
    return z
      .object({ window: windowValue, count, kinds: tags.optional() })
      .strict()
      .transform((o): RuleValue => ({ kind: 'agg', window: o.window, n: o.count, tags: o.kinds ?? null }));
  }
  return z
    .object({ window: windowValue, count, categories: tags.optional() })
    .strict()
    .transform((o): RuleValue => ({ kind: 'agg', window: o.window, n: o.count, tags: o.categories ?? null }));
}

/** The schema for the value of `field` under `op` (the pair is already known to be in the catalog). */
export function valueSchema(field: FieldDef, op: OperatorId): Schema {
  if (op === 'null' || op === 'notNull') return ignoredValue.transform((): RuleValue => ({ kind: 'none' }));
  if (field.type === 'count' || field.type === 'money' || field.type === 'categories') return aggregateSchema(field);
  if (field.type === 'boolean') return z.boolean('boolean').transform((v): RuleValue => ({ kind: 'bool', v }));
  const item = scalarItem(field);
  switch (op) {
    case 'in':
    case 'notIn':
      return listOf(item).transform((v): RuleValue => ({ kind: 'list', v }));
    case 'between':
    case 'notBetween':
      return pairOf(item).transform((v): RuleValue => ({ kind: 'range', v: [v[0], v[1]] }));
    case 'olderThan':
    case 'withinLast':
      return relativeValue.transform((v): RuleValue => ({ kind: 'relative', amount: v.amount, unit: v.unit }));
    case 'inYear':
      return yearValue.transform((year): RuleValue => ({ kind: 'year', year }));
    case 'inRelYear':
      return relYearValue.transform((offset): RuleValue => ({ kind: 'relYear', offset }));
    default:
      return item.transform((v): RuleValue => ({ kind: 'scalar', v }));
  }
}
