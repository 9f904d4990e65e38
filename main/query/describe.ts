/**
 * The catalog as plain JSON for the renderer: react-querybuilder `fields` (name, label, operators,
 * values) are built from this, and `editor` tells the UI which value editor each operator needs.
 */
import type { Bilingual } from '../../preload/messages';
import { FIELDS, fieldGroups, type FieldDef, type FieldGroupId, type FieldScope, type FieldType } from './catalog';
import { operatorLabels, type OperatorId } from './operators';
import { tagKey } from './rule-values';

export type ValueEditor =
  | 'none'
  | 'boolean'
  | 'text'
  | 'textList'
  | 'option'
  | 'optionList'
  | 'staff'
  | 'staffList'
  | 'number'
  | 'numberList'
  | 'numberRange'
  | 'date'
  | 'dateRange'
  /** {amount, unit: 'day'|'month'|'year'} */
  | 'relative'
  /** a year number */
  | 'year'
  /** 0 = this year, -1 = last year … */
  | 'relYear'
  /** {window, count, categories?|kinds?} */
  | 'windowCount'
  /** {window, yuan, categories?} */
  | 'windowMoney'
  /** {window, categories} */
  | 'windowTags';

export interface CatalogEntry {
  id: string;
  label: Bilingual;
  group: FieldGroupId;
  groupLabel: Bilingual;
  type: FieldType;
  scope: FieldScope;
  operators: Array<{ id: OperatorId; label: Bilingual; editor: ValueEditor }>;
  options?: Array<{ value: string; label: Bilingual }>;
  /** Aggregates: the key their tag filter uses in the value. */
  tagKey?: 'categories' | 'kinds';
  unit?: Bilingual;
  min?: number;
  max?: number;
}

export function editorFor(field: FieldDef, op: OperatorId): ValueEditor {
  if (op === 'null' || op === 'notNull') return 'none';
  if (field.type === 'count') return 'windowCount';
  if (field.type === 'money') return 'windowMoney';
  if (field.type === 'categories') return 'windowTags';
  if (field.type === 'boolean') return 'boolean';
  if (op === 'olderThan' || op === 'withinLast') return 'relative';
  if (op === 'inYear') return 'year';
  if (op === 'inRelYear') return 'relYear';
  const many = op === 'in' || op === 'notIn';
  const range = op === 'between' || op === 'notBetween';
  switch (field.type) {
    case 'enum':
      return many ? 'optionList' : 'option';
    case 'staff':
      return many ? 'staffList' : 'staff';
    case 'number':
      return many ? 'numberList' : range ? 'numberRange' : 'number';
    case 'date':
      return range ? 'dateRange' : 'date';
    default:
      return many ? 'textList' : 'text';
  }
}

export function describeCatalog(): CatalogEntry[] {
  return FIELDS.map((f) => ({
    id: f.id,
    label: f.label,
    group: f.group,
    groupLabel: fieldGroups[f.group],
    type: f.type,
    scope: f.scope,
    operators: f.operators.map((op) => ({ id: op, label: operatorLabels[op], editor: editorFor(f, op) })),
    ...(f.options ? { options: f.options.map((o) => ({ value: o.value, label: o.label })) } : {}),
    ...(f.type === 'count' || f.type === 'money' || f.type === 'categories' ? { tagKey: tagKey(f) } : {}),
    ...(f.unit ? { unit: f.unit } : {}),
    ...(f.min !== undefined ? { min: f.min } : {}),
    ...(f.max !== undefined ? { max: f.max } : {}),
  }));
}
