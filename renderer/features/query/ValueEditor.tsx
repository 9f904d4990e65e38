/**
 * Value editors for the catalog's value shapes: plain values with antd controls, and the custom ones —
 * relative dates ("more than 3 years ago"), relative years, time windows with counts, amounts in yuan
 * and category filters. The catalog says which editor an operator needs; the host re-checks every value.
 */
import { DatePicker, InputNumber, Select, Space, Typography, Input } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ValueEditorProps } from 'react-querybuilder';
import type { QueryCatalogEntry, QueryValueEditor } from '../../../preload/channels/query';
import { usePick } from '../../app/language';
import { useQueryStore } from './store';

type Unit = 'day' | 'month' | 'year';
type Window =
  | { kind: 'all' }
  | { kind: 'year'; year: number }
  | { kind: 'relYear'; offset: number }
  | { kind: 'last'; amount: number; unit: Unit }
  | { kind: 'between'; from: string; to: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): Array<string | number> =>
  Array.isArray(v) ? v.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number') : [];
const unitOf = (v: unknown): Unit => (v === 'day' || v === 'month' || v === 'year' ? v : 'year');

function windowOf(v: unknown): Window {
  if (!isRecord(v)) return { kind: 'relYear', offset: -1 };
  switch (v.kind) {
    case 'all':
      return { kind: 'all' };
    case 'year':
      return { kind: 'year', year: num(v.year, new Date().getFullYear()) };
    case 'relYear':
      return { kind: 'relYear', offset: num(v.offset, -1) };
    case 'last':
      return { kind: 'last', amount: num(v.amount, 12), unit: unitOf(v.unit) };
    case 'between':
      return { kind: 'between', from: str(v.from), to: str(v.to) };
    default:
      return { kind: 'relYear', offset: -1 };
  }
}

/** Default value for a (field, operator) pair, so a new rule is valid as soon as it appears. */
export function defaultValue(entry: QueryCatalogEntry | undefined, operator: string, models: ReadonlyArray<{ value: string }>): unknown {
  const editor = entry?.operators.find((o) => o.id === operator)?.editor ?? 'text';
  const firstOption = entry?.options?.[0]?.value ?? '';
  const today = dayjs().format('YYYY-MM-DD');
  const window = { kind: 'relYear', offset: -1 };
  const byEditor: Record<QueryValueEditor, unknown> = {
    none: null,
    boolean: true,
    text: entry?.id === 'vehicle.model' ? (models[0]?.value ?? '') : '',
    textList: [],
    option: firstOption,
    optionList: [],
    staff: '',
    staffList: [],
    number: entry?.min ?? 0,
    numberList: [],
    numberRange: [entry?.min ?? 0, entry?.max ?? 0],
    date: today,
    dateRange: [dayjs().startOf('year').format('YYYY-MM-DD'), today],
    relative: { amount: 3, unit: 'year' },
    year: new Date().getFullYear(),
    relYear: -1,
    windowCount: { window, count: 1 },
    windowMoney: { window, yuan: 1000 },
    windowTags: { window, categories: [entry?.options?.[0]?.value ?? 'maintenance'] },
  };
  return byEditor[editor];
}

function WindowEditor({ value, onChange, disabled }: { value: Window; onChange(w: Window): void; disabled: boolean }) {
  const { t } = useTranslation();
  const thisYear = new Date().getFullYear();
  const kindValue = value.kind === 'relYear' ? `rel${value.offset}` : value.kind;
  const kinds = [
    { value: 'rel0', label: t('query.window.thisYear') },
    { value: 'rel-1', label: t('query.window.lastYear') },
    { value: 'rel-2', label: t('query.window.yearBefore') },
    { value: 'last', label: t('query.window.last') },
    { value: 'year', label: t('query.window.year') },
    { value: 'between', label: t('query.window.between') },
    { value: 'all', label: t('query.window.all') },
  ];
  function pickKind(k: string) {
    if (k.startsWith('rel')) onChange({ kind: 'relYear', offset: Number(k.slice(3)) });
    else if (k === 'last') onChange({ kind: 'last', amount: 12, unit: 'month' });
    else if (k === 'year') onChange({ kind: 'year', year: thisYear - 1 });
    else if (k === 'between') onChange({ kind: 'between', from: dayjs().startOf('year').format('YYYY-MM-DD'), to: dayjs().format('YYYY-MM-DD') });
    else onChange({ kind: 'all' });
  }
  return (
    <Space.Compact>
      <Select
        aria-label={t('query.window.label')}
        style={{ width: 130 }}
        value={kinds.some((k) => k.value === kindValue) ? kindValue : undefined}
        placeholder={t('query.window.label')}
        options={kinds}
        onChange={pickKind}
        disabled={disabled}
        data-testid="window-kind"
      />
      {value.kind === 'last' && (
        <>
          <InputNumber aria-label={t('query.amount')} min={1} max={100} value={value.amount} onChange={(n) => onChange({ ...value, amount: n ?? 1 })} disabled={disabled} style={{ width: 70 }} />
          <UnitSelect value={value.unit} onChange={(unit) => onChange({ ...value, unit })} disabled={disabled} />
        </>
      )}
      {value.kind === 'year' && (
        <InputNumber aria-label={t('query.window.year')} min={1900} max={2200} value={value.year} onChange={(n) => onChange({ kind: 'year', year: n ?? thisYear })} disabled={disabled} />
      )}
      {value.kind === 'between' && (
        <DatePicker.RangePicker
          value={value.from && value.to ? [dayjs(value.from), dayjs(value.to)] : null}
          onChange={(range) => {
            if (range?.[0] && range[1]) onChange({ kind: 'between', from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') });
          }}
          disabled={disabled}
        />
      )}
    </Space.Compact>
  );
}

function UnitSelect({ value, onChange, disabled }: { value: Unit; onChange(u: Unit): void; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <Select
      aria-label={t('query.unit.label')}
      style={{ width: 80 }}
      value={value}
      onChange={onChange}
      disabled={disabled}
      options={(['day', 'month', 'year'] as const).map((u) => ({ value: u, label: t(`query.unit.${u}`) }))}
    />
  );
}

export function QueryValueEditor(props: ValueEditorProps) {
  const { t } = useTranslation();
  const pick = usePick();
  const entries = useQueryStore((s) => s.entries);
  const catalog = useQueryStore((s) => s.catalog);
  const problems = useQueryStore((s) => s.problems.get(props.path.join('.')));
  const entry = entries.get(props.field);
  const editor: QueryValueEditor = entry?.operators.find((o) => o.id === props.operator)?.editor ?? 'text';
  const value: unknown = props.value;
  const disabled = props.disabled ?? false;
  const onChange = (v: unknown) => props.handleOnChange(v);
  const options = (entry?.options ?? []).map((o) => ({ value: o.value, label: pick(o.label) }));
  const staff = (catalog?.staff ?? []).map((s) => ({ value: s.id, label: s.name }));
  const models = (catalog?.models ?? []).map((m) => ({ value: m.value, label: m.zh === m.value ? m.value : `${m.zh} ${m.value}` }));
  const isModel = entry?.id === 'vehicle.model';
  const unit = entry?.unit ? pick(entry.unit) : null;
  const aria = entry ? pick(entry.label) : t('query.value');
  const tagLabel = entry?.tagKey === 'kinds' ? t('query.anyKind') : t('query.anyCategory');

  let control: ReactNode;
  switch (editor) {
    case 'none':
      control = null;
      break;
    case 'boolean':
      control = (
        <Select aria-label={aria} style={{ width: 90 }} value={value === false ? 'no' : 'yes'} onChange={(v) => onChange(v === 'yes')} disabled={disabled}
          options={[{ value: 'yes', label: t('query.yes') }, { value: 'no', label: t('query.no') }]} />
      );
      break;
    case 'text':
      control = isModel ? (
        <Select aria-label={aria} showSearch optionFilterProp="label" style={{ width: 160 }} value={str(value) || undefined} onChange={onChange} options={models} disabled={disabled} data-testid="value-model" />
      ) : (
        <Input aria-label={aria} style={{ width: 180 }} value={str(value)} onChange={(e) => onChange(e.target.value)} disabled={disabled} />
      );
      break;
    case 'textList':
      control = (
        <Select aria-label={aria} mode={isModel ? 'multiple' : 'tags'} style={{ minWidth: 200 }} value={list(value)} onChange={onChange} options={isModel ? models : []} disabled={disabled} tokenSeparators={[',', '，']} />
      );
      break;
    case 'option':
      control = <Select aria-label={aria} style={{ width: 140 }} value={str(value) || undefined} onChange={onChange} options={options} disabled={disabled} />;
      break;
    case 'optionList':
      control = <Select aria-label={aria} mode="multiple" style={{ minWidth: 200 }} value={list(value)} onChange={onChange} options={options} disabled={disabled} />;
      break;
    case 'staff':
      control = <Select aria-label={aria} showSearch optionFilterProp="label" style={{ width: 160 }} value={str(value) || undefined} onChange={onChange} options={staff} disabled={disabled} />;
      break;
    case 'staffList':
      control = <Select aria-label={aria} mode="multiple" optionFilterProp="label" style={{ minWidth: 200 }} value={list(value)} onChange={onChange} options={staff} disabled={disabled} />;
      break;
    case 'number':
      control = <InputNumber aria-label={aria} min={entry?.min} max={entry?.max} value={typeof value === 'number' ? value : null} onChange={onChange} disabled={disabled} suffix={unit} />;
      break;
    case 'numberList':
      control = (
        <Select aria-label={aria} mode="tags" style={{ minWidth: 160 }} value={list(value).map(String)} disabled={disabled} tokenSeparators={[',', '，']}
          onChange={(vs: string[]) => onChange(vs.map(Number).filter((n) => !Number.isNaN(n)))} />
      );
      break;
    case 'numberRange': {
      const [a, b] = list(value);
      control = (
        <Space.Compact>
          <InputNumber aria-label={t('query.from')} min={entry?.min} max={entry?.max} value={typeof a === 'number' ? a : null} onChange={(n) => onChange([n, b])} disabled={disabled} />
          <InputNumber aria-label={t('query.to')} min={entry?.min} max={entry?.max} value={typeof b === 'number' ? b : null} onChange={(n) => onChange([a, n])} disabled={disabled} suffix={unit} />
        </Space.Compact>
      );
      break;
    }
    case 'date':
      control = <DatePicker aria-label={aria} value={str(value) ? dayjs(str(value)) : null} onChange={(d) => onChange(d ? d.format('YYYY-MM-DD') : '')} disabled={disabled} />;
      break;
    case 'dateRange': {
      const [from, to] = list(value).map(String);
      control = (
        <DatePicker.RangePicker value={from && to ? [dayjs(from), dayjs(to)] : null} disabled={disabled}
          onChange={(range) => onChange(range?.[0] && range[1] ? [range[0].format('YYYY-MM-DD'), range[1].format('YYYY-MM-DD')] : [])} />
      );
      break;
    }
    case 'relative': {
      const v = isRecord(value) ? value : {};
      control = (
        <Space.Compact>
          <InputNumber aria-label={t('query.amount')} min={0} max={100} style={{ width: 70 }} value={num(v.amount, 1)} onChange={(n) => onChange({ amount: n ?? 0, unit: unitOf(v.unit) })} disabled={disabled} data-testid="relative-amount" />
          <UnitSelect value={unitOf(v.unit)} onChange={(u) => onChange({ amount: num(v.amount, 1), unit: u })} disabled={disabled} />
        </Space.Compact>
      );
      break;
    }
    case 'year':
      control = <InputNumber aria-label={aria} min={1900} max={2200} value={num(value, new Date().getFullYear())} onChange={onChange} disabled={disabled} />;
      break;
    case 'relYear':
      control = (
        <Select aria-label={aria} style={{ width: 110 }} value={num(value, -1)} onChange={onChange} disabled={disabled}
          options={[0, -1, -2, -3, -4, -5].map((o) => ({ value: o, label: t('query.relYear', { count: -o }) }))} />
      );
      break;
    case 'windowCount':
    case 'windowMoney':
    case 'windowTags': {
      const v = isRecord(value) ? value : {};
      const key = entry?.tagKey ?? 'categories';
      const base = { window: windowOf(v.window) };
      const tags = list(v[key]);
      const withTags = (next: Record<string, unknown>, nextTags: Array<string | number>) =>
        onChange(editor === 'windowTags' || nextTags.length > 0 ? { ...next, [key]: nextTags } : next);
      const amountKey = editor === 'windowMoney' ? 'yuan' : 'count';
      const own = editor === 'windowTags' ? {} : { [amountKey]: num(v[amountKey], editor === 'windowMoney' ? 1000 : 1) };
      control = (
        <Space wrap size={4}>
          <WindowEditor value={base.window} onChange={(w) => withTags({ window: w, ...own }, tags)} disabled={disabled} />
          {editor !== 'windowTags' && (
            <InputNumber aria-label={editor === 'windowMoney' ? t('query.yuan') : t('query.times')} min={0} style={{ width: 120 }} value={num(v[amountKey], 0)} disabled={disabled}
              onChange={(n) => withTags({ ...base, [amountKey]: n ?? 0 }, tags)} suffix={unit} data-testid="window-amount" />
          )}
          <Select aria-label={tagLabel} mode="multiple" style={{ minWidth: 150 }} placeholder={tagLabel} value={tags.map(String)} options={options} disabled={disabled}
            onChange={(ts: string[]) => withTags({ ...base, ...own }, ts)} />
        </Space>
      );
      break;
    }
  }
  if (!control && !problems) return null;
  return (
    <span className="query-value">
      {control}
      {problems?.map((p, i) => (
        <Typography.Text key={i} type="danger" style={{ marginLeft: 8 }} data-testid="rule-problem">
          {pick(p)}
        </Typography.Text>
      ))}
    </span>
  );
}
