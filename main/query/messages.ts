/** Bilingual texts for query validation problems (keys used by the value schemas and the tree checker). */
import { describeIssue, type Bilingual } from '../../preload/messages';

export const queryMessages = {
  invalidQuery: { zh: '查询条件有误，请检查标出的条件', en: 'The query has problems; check the marked conditions' },
  notObject: { zh: '条件格式不正确', en: 'A condition is not in the expected format' },
  combinator: { zh: '组合方式只能是“且”或“或”', en: 'A group combines its conditions with AND or OR only' },
  unknownField: { zh: '没有这个查询字段', en: 'There is no such field' },
  unknownOperator: { zh: '该字段不支持这个运算符', en: 'This field does not support that operator' },
  valueSource: { zh: '只支持与具体数值比较', en: 'Only comparisons with a value are supported' },
  tooDeep: { zh: '条件分组嵌套过深（最多 8 层）', en: 'Groups are nested too deeply (8 levels at most)' },
  tooMany: { zh: '条件过多（最多 200 条）', en: 'Too many conditions (200 at most)' },
  listEmpty: { zh: '请至少选择一项', en: 'Choose at least one value' },
  listLong: { zh: '最多选择 100 项', en: 'Choose at most 100 values' },
  rangeOrder: { zh: '起始值不能大于结束值', en: 'The start cannot be after the end' },
  integer: { zh: '请输入整数', en: 'Enter a whole number' },
  range: { zh: '数值超出允许范围', en: 'The number is out of range' },
  option: { zh: '不是可选的取值', en: 'Not one of the choices' },
  boolean: { zh: '请选择是或否', en: 'Choose yes or no' },
  date: { zh: '日期格式应为 YYYY-MM-DD', en: 'Dates are written YYYY-MM-DD' },
  required: { zh: '此项必填', en: 'This field is required' },
  tooLong: { zh: '内容过长', en: 'Too long' },
} as const satisfies Record<string, Bilingual>;

export function describeQueryIssue(issue: { code: string; message: string }): Bilingual {
  if (Object.hasOwn(queryMessages, issue.message)) return queryMessages[issue.message as keyof typeof queryMessages];
  return describeIssue(issue);
}
