/**
 * The query as a sentence a supervisor can read back ("查询条件语言化"), in Chinese or English:
 *   车型为 雅阁 且 在本店购买 且 购车日期 早于 3 年前 且 2025 年进厂次数 ≥ 2 且 是会员
 *   model is Accord and bought here and purchase date more than 3 years ago and visits in 2025 ≥ 2 and is a member
 * Nested groups are bracketed; a negated group reads "不满足（…）" / "not (…)".
 */
import type { FieldDef } from './catalog';
import type { DateUnit } from './dates';
import type { OperatorId } from './operators';
import type { RuleValue, Scalar } from './rule-values';
import type { CheckedGroup, CheckedRule } from './tree';
import type { WindowValue } from './values';

export type Lang = 'zh' | 'en';

export interface SentenceOptions {
  /** Display names for staff ids (responsible agent). */
  staffNames?: ReadonlyMap<string, string>;
  /** Chinese names for vehicle models stored in English (e.g. Accord → 雅阁). */
  modelNamesZh?: Readonly<Record<string, string>>;
}

const UNITS: Record<DateUnit, { zh: string; en: string }> = {
  day: { zh: '天', en: 'day' },
  month: { zh: '个月', en: 'month' },
  year: { zh: '年', en: 'year' },
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function windowPhrase(w: WindowValue, lang: Lang): string {
  const zh = lang === 'zh';
  switch (w.kind) {
    case 'all':
      return zh ? '累计' : 'in total';
    case 'year':
      return zh ? `${w.year} 年` : `in ${w.year}`;
    case 'relYear':
      return relYear(w.offset, lang);
    case 'last':
      return zh ? `最近 ${w.amount} ${UNITS[w.unit].zh}` : `in the last ${plural(w.amount, UNITS[w.unit].en)}`;
    case 'between':
      return zh ? `${w.from} 至 ${w.to} ` : `between ${w.from} and ${w.to}`;
  }
}

function relYear(offset: number, lang: Lang): string {
  if (lang === 'zh') return offset === 0 ? '今年' : offset === -1 ? '去年' : offset === -2 ? '前年' : `${-offset} 年前那一年`;
  return offset === 0 ? 'this year' : offset === -1 ? 'last year' : `the year ${plural(-offset, 'year')} ago`;
}

function optionLabel(field: FieldDef, v: string, lang: Lang): string {
  return field.options?.find((o) => o.value === v)?.label[lang] ?? v;
}

function shown(field: FieldDef, v: Scalar, lang: Lang, opts: SentenceOptions): string {
  const s = String(v);
  if (field.type === 'enum') return optionLabel(field, s, lang);
  if (field.type === 'staff') return opts.staffNames?.get(s) ?? s;
  if (field.id === 'vehicle.model' && lang === 'zh') return opts.modelNamesZh?.[s] ?? s;
  if (field.unit) return lang === 'zh' ? `${s} ${field.unit.zh}` : `${s} ${field.unit.en}`;
  return s;
}

function list(items: string[], lang: Lang, last: 'and' | 'or' = 'or'): string {
  if (lang === 'zh') return items.join('、');
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

const WORDS: Partial<Record<OperatorId, { zh: string; en: string }>> = {
  '=': { zh: '为', en: 'is' },
  '!=': { zh: '不为', en: 'is not' },
  contains: { zh: '包含', en: 'contains' },
  doesNotContain: { zh: '不包含', en: 'does not contain' },
  beginsWith: { zh: '开头为', en: 'begins with' },
  doesNotBeginWith: { zh: '开头不为', en: 'does not begin with' },
  in: { zh: '为', en: 'is' },
  notIn: { zh: '不为', en: 'is not' },
};
const SYMBOLS: Partial<Record<OperatorId, string>> = { '=': '=', '!=': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥' };

function datePhrase(op: OperatorId, value: RuleValue, lang: Lang): string {
  const zh = lang === 'zh';
  if (value.kind === 'relative') {
    const amount = zh ? `${value.amount} ${UNITS[value.unit].zh}` : plural(value.amount, UNITS[value.unit].en);
    if (op === 'olderThan') return zh ? `早于 ${amount}前` : `more than ${amount} ago`;
    return zh ? `在最近 ${amount}内` : `within the last ${amount}`;
  }
  if (value.kind === 'year') return zh ? `在 ${value.year} 年` : `in ${value.year}`;
  if (value.kind === 'relYear') return zh ? `在${relYear(value.offset, lang)}` : `in ${relYear(value.offset, lang)}`;
  if (value.kind === 'range') return zh ? `在 ${value.v[0]} 至 ${value.v[1]} 之间` : `between ${value.v[0]} and ${value.v[1]}`;
  const v = value.kind === 'scalar' ? String(value.v) : '';
  if (op === '<') return zh ? `早于 ${v}` : `before ${v}`;
  if (op === '>') return zh ? `晚于 ${v}` : `after ${v}`;
  return zh ? `为 ${v}` : `is ${v}`;
}

function aggregatePhrase(rule: CheckedRule, lang: Lang): string {
  const { field, operator: op, value } = rule;
  const zh = lang === 'zh';
  if (value.kind === 'tags') {
    const tags = list(value.tags.map((t) => optionLabel(field, t, lang)), lang);
    const w = windowPhrase(value.window, lang);
    if (zh) return `${w}${field.label.zh}${op === 'notIn' ? '不含' : '包含'} ${tags}`;
    return `${field.label.en} ${w} ${op === 'notIn' ? 'includes none of' : 'includes'} ${tags}`;
  }
  if (value.kind !== 'agg') return field.label[lang];
  const amount = field.type === 'money' ? (zh ? `${value.n / 100} 元` : `${value.n / 100} yuan`) : String(value.n);
  const tags = value.tags ? list(value.tags.map((t) => optionLabel(field, t, lang)), lang) : null;
  const w = windowPhrase(value.window, lang);
  const symbol = SYMBOLS[op] ?? op;
  if (zh) return `${w}${field.label.zh}${tags ? `（${tags}）` : ''} ${symbol} ${amount}`;
  return `${field.label.en}${tags ? ` (${tags})` : ''} ${w} ${symbol} ${amount}`;
}

function rulePhrase(rule: CheckedRule, lang: Lang, opts: SentenceOptions): string {
  const { field, operator: op, value } = rule;
  const zh = lang === 'zh';
  const label = field.label[lang];
  if (field.type === 'count' || field.type === 'money' || field.type === 'categories') return aggregatePhrase(rule, lang);
  if (op === 'null') return zh ? `${label}为空` : `${label} is empty`;
  if (op === 'notNull') return zh ? `${label}不为空` : `${label} is not empty`;
  if (value.kind === 'bool') {
    if (value.v) return label;
    return zh ? `不${label}` : label.startsWith('is ') ? `is not ${label.slice(3)}` : `not ${label}`;
  }
  if (field.type === 'date') return `${label} ${datePhrase(op, value, lang)}`;
  if (value.kind === 'list') {
    const items = list(value.v.map((v) => shown(field, v, lang, opts)), lang);
    if (zh) return `${label}${op === 'in' ? '为' : '不为'} ${items}${op === 'in' ? ' 之一' : ' 中任何一个'}`;
    return `${label} ${op === 'in' ? 'is one of' : 'is none of'} ${items}`;
  }
  if (value.kind === 'range') {
    const [a, b] = value.v.map((v) => shown(field, v, lang, opts));
    const neg = op === 'notBetween';
    if (zh) return `${label}${neg ? '不' : ''}在 ${a} 至 ${b} 之间`;
    return `${label} ${neg ? 'not ' : ''}between ${a} and ${b}`;
  }
  const v = value.kind === 'scalar' ? shown(field, value.v, lang, opts) : '';
  const symbol = SYMBOLS[op];
  if (field.type === 'number' && symbol) return `${label} ${symbol} ${v}`;
  const word = WORDS[op];
  return zh ? `${label}${word?.zh ?? op} ${v}` : `${label} ${word?.en ?? op} ${v}`;
}

function groupPhrase(group: CheckedGroup, lang: Lang, opts: SentenceOptions, nested: boolean): string {
  const zh = lang === 'zh';
  const joiner = group.combinator === 'and' ? (zh ? ' 且 ' : ' and ') : zh ? ' 或 ' : ' or ';
  const body = group.children
    .map((c) => (c.kind === 'group' ? groupPhrase(c, lang, opts, true) : rulePhrase(c, lang, opts)))
    .join(joiner);
  const bracketed = zh ? `（${body}）` : `(${body})`;
  if (group.not) return zh ? `不满足${bracketed}` : `not ${bracketed}`;
  return nested && group.children.length > 1 ? bracketed : body;
}

export function renderSentence(tree: CheckedGroup, lang: Lang, opts: SentenceOptions = {}): string {
  if (tree.children.length === 0) return lang === 'zh' ? '全部客户' : 'all customers';
  return groupPhrase(tree, lang, opts, false);
}
