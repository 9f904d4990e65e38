/**
 * Operator ids. Where react-querybuilder has a default operator with the same meaning we use its name
 * ('=', 'beginsWith', 'between', 'null' …) so its default editors work; the relative-date operators
 * are ours and need custom value editors in the UI.
 */
import type { Bilingual } from '../../preload/messages';

export const OPERATOR_IDS = [
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'contains',
  'doesNotContain',
  'beginsWith',
  'doesNotBeginWith',
  'in',
  'notIn',
  'between',
  'notBetween',
  'null',
  'notNull',
  'olderThan',
  'withinLast',
  'inYear',
  'inRelYear',
] as const;
export type OperatorId = (typeof OPERATOR_IDS)[number];

export function isOperatorId(s: string): s is OperatorId {
  return (OPERATOR_IDS as readonly string[]).includes(s);
}

/** Labels for the operator picker (the sentence renderer words each operator per field type). */
export const operatorLabels: Record<OperatorId, Bilingual> = {
  '=': { zh: '等于', en: 'is' },
  '!=': { zh: '不等于', en: 'is not' },
  '<': { zh: '小于', en: 'less than' },
  '<=': { zh: '小于等于', en: 'at most' },
  '>': { zh: '大于', en: 'more than' },
  '>=': { zh: '大于等于', en: 'at least' },
  contains: { zh: '包含', en: 'contains' },
  doesNotContain: { zh: '不包含', en: 'does not contain' },
  beginsWith: { zh: '开头是', en: 'begins with' },
  doesNotBeginWith: { zh: '开头不是', en: 'does not begin with' },
  in: { zh: '属于', en: 'is one of' },
  notIn: { zh: '不属于', en: 'is not one of' },
  between: { zh: '介于', en: 'between' },
  notBetween: { zh: '不介于', en: 'not between' },
  null: { zh: '为空', en: 'is empty' },
  notNull: { zh: '不为空', en: 'is not empty' },
  olderThan: { zh: '早于…前', en: 'more than … ago' },
  withinLast: { zh: '在最近…内', en: 'within the last …' },
  inYear: { zh: '在某年', en: 'in year' },
  inRelYear: { zh: '在今年/去年…', en: 'this year / last year …' },
};

/**
 * Operators that are the complement of a positive one. They match rows where the value is missing
 * too, so "城市 不等于 广州" is exactly NOT "城市 等于 广州" — what a supervisor expects from a list.
 */
export const NEGATIONS: Partial<Record<OperatorId, OperatorId>> = {
  '!=': '=',
  doesNotContain: 'contains',
  doesNotBeginWith: 'beginsWith',
  notIn: 'in',
  notBetween: 'between',
};
