/**
 * Turns one raw DMS row (REST JSON, or a file row after column mapping: strings, numbers, Dates) into
 * a canonical record, or a bilingual reason why not. Never throws: bad input is data, not a crash.
 */
import { normalizePhone } from '../../preload/contract';
import type { Bilingual } from '../../preload/messages';
import type { RepairCategory } from '../../db/schema';
import { FIELD_LABELS, type DmsEntity, type DmsRecordOf } from './records';

export type Normalized<E extends DmsEntity> = { ok: true; change: Change<E> } | { ok: false; reason: Bilingual };

class FieldProblem extends Error {
  constructor(
    readonly field: string,
    readonly problem: Bilingual,
  ) {
    super(problem.en);
  }
}

function label(field: string): Bilingual {
  return FIELD_LABELS[field] ?? { zh: field, en: field };
}

function fail(field: string, zh: string, en: string): never {
  throw new FieldProblem(field, { zh, en });
}

type Raw = Record<string, unknown>;

function text(raw: Raw, field: string, max: number): string | null {
  const v = raw[field];
  if (v === undefined || v === null) return null;
  let s: string;
  if (typeof v === 'string') s = v.trim();
  else if (typeof v === 'number' && Number.isFinite(v)) s = String(v);
  else return fail(field, '应为文字', 'should be text');
  if (s === '') return null;
  // Control characters never belong in a name or an address; they mark a broken export.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s)) fail(field, '含有非法控制字符', 'contains control characters');
  if (s.length > max) fail(field, `超过 ${max} 个字符`, `is longer than ${max} characters`);
  return s;
}

function required<T>(field: string, v: T | null): T {
  if (v === null) fail(field, '不能为空', 'is missing');
  return v;
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Validates and formats without Date objects: this runs for every date of every imported row. */
function isoFromParts(field: string, y: number, m: number, d: number): string {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 && leap ? 29 : (DAYS_IN_MONTH[m - 1] ?? 0);
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > days) fail(field, '不是有效日期', 'is not a valid date');
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

function fromExcelSerial(field: string, serial: number): string {
  // Serials 20000–80000 span 1954–2119; anything else in a date column is a number typed by mistake.
  if (!Number.isFinite(serial) || serial < 20000 || serial > 80000) fail(field, '不是有效日期', 'is not a valid date');
  return new Date(EXCEL_EPOCH_MS + Math.floor(serial) * 86_400_000).toISOString().slice(0, 10);
}

/** Accepts 2024-01-05, 2024/1/5, 2024.1.5, 20240105, 2024年1月5日, Excel serials and Date cells. */
export function parseDate(field: string, v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) fail(field, '不是有效日期', 'is not a valid date');
    return isoFromParts(field, v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate());
  }
  if (typeof v === 'number') return fromExcelSerial(field, v);
  if (typeof v !== 'string') return fail(field, '不是有效日期', 'is not a valid date');
  const s = v.trim();
  if (s === '') return null;
  const m =
    /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s) ??
    /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$/.exec(s) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return isoFromParts(field, Number(m[1]), Number(m[2]), Number(m[3]));
  if (/^\d{5}(\.\d+)?$/.test(s)) return fromExcelSerial(field, Number(s));
  return fail(field, `日期“${s.slice(0, 20)}”无法识别`, `date "${s.slice(0, 20)}" is not recognised`);
}

function timestamp(raw: Raw, field: string): string | null {
  const v = raw[field];
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') return fail(field, '应为时间', 'should be a timestamp');
  // Already canonical (what the REST API sends): skip the parse/format round trip on the hot path.
  if (v.length === 24 && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v)) return v;
  const t = Date.parse(v);
  if (Number.isNaN(t)) fail(field, '不是有效时间', 'is not a valid timestamp');
  return new Date(t).toISOString();
}

function integer(raw: Raw, field: string, max: number): number | null {
  const v = raw[field];
  if (v === undefined || v === null) return null;
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    const s = v.trim().replace(/,/g, '').replace(/(公里|km|KM)$/, '');
    if (s === '') return null;
    if (!/^\d+$/.test(s)) return fail(field, '应为整数', 'should be a whole number');
    n = Number(s);
  } else return fail(field, '应为整数', 'should be a whole number');
  if (!Number.isSafeInteger(n) || n < 0 || n > max) fail(field, `应为 0–${max} 的整数`, `should be a whole number 0–${max}`);
  return n;
}

/** Money as integer fen: `<name>_fen` (integer, REST) or `<name>_yuan` (decimal text or number, files). */
function money(raw: Raw, name: string): number | null {
  const fenField = `${name}_fen`;
  const fen = raw[fenField];
  if (fen !== undefined && fen !== null && fen !== '') {
    if (typeof fen !== 'number' || !Number.isSafeInteger(fen)) fail(fenField, '应为整数（分）', 'should be whole fen');
    if (Math.abs(fen) > 1e11) fail(fenField, '金额过大', 'is too large');
    return fen;
  }
  const yuan = raw[`${name}_yuan`];
  if (yuan === undefined || yuan === null) return null;
  const s = (typeof yuan === 'number' ? yuan.toFixed(2) : typeof yuan === 'string' ? yuan : '')
    .trim()
    .replace(/[,，\s]/g, '')
    .replace(/^[¥￥]/, '')
    .replace(/元$/, '');
  if (s === '') return null;
  const m = /^(-?)(\d{1,9})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return fail(fenField, `金额“${String(yuan).slice(0, 20)}”无法识别`, `amount "${String(yuan).slice(0, 20)}" is not recognised`);
  const value = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -value : value;
}

function mobile(raw: Raw, field: string): string | null {
  const s = text(raw, field, 40);
  if (s === null) return null;
  const n = normalizePhone(s);
  if (!/^1[3-9]\d{9}$/.test(n)) fail(field, `手机号“${s}”应为 11 位，以 1 开头`, `mobile "${s}" should have 11 digits starting with 1`);
  return n;
}

function phone(raw: Raw, field: string): string | null {
  const s = text(raw, field, 40);
  if (s === null) return null;
  const n = normalizePhone(s);
  if (!/^(1[3-9]\d{9}|0\d{2,3}\d{7,8}|\d{7,8})$/.test(n)) fail(field, `电话“${s}”格式不正确`, `phone "${s}" is not valid`);
  return n;
}

function gender(raw: Raw): 'M' | 'F' | null {
  const s = text(raw, 'gender', 8);
  if (s === null) return null;
  if (['M', 'm', '男', 'male', 'Male'].includes(s)) return 'M';
  if (['F', 'f', '女', 'female', 'Female'].includes(s)) return 'F';
  return fail('gender', `“${s}”应为 男/女`, `"${s}" should be M/F (男/女)`);
}

const CATEGORY_WORDS: Record<string, RepairCategory> = {
  first_service: 'first_service', 首保: 'first_service', 首次保养: 'first_service',
  maintenance: 'maintenance', 保养: 'maintenance', 定保: 'maintenance', 定期保养: 'maintenance',
  repair: 'repair', 维修: 'repair', 一般维修: 'repair', 机修: 'repair',
  warranty: 'warranty', 保修: 'warranty', 索赔: 'warranty', 三包: 'warranty',
  bodywork: 'bodywork', 钣喷: 'bodywork', 钣金: 'bodywork', 喷漆: 'bodywork', 事故车: 'bodywork',
  accessory: 'accessory', 精品: 'accessory', 附件: 'accessory', 加装: 'accessory',
  other: 'other', 其他: 'other', 其它: 'other',
};

function category(raw: Raw): RepairCategory {
  const s = required('category', text(raw, 'category', 20));
  const c = CATEGORY_WORDS[s];
  if (!c) fail('category', `维修类别“${s}”无法识别`, `repair category "${s}" is not known`);
  return c;
}

function bool(raw: Raw, field: string): boolean {
  const v = raw[field];
  if (v === undefined || v === null || v === '') return false;
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v === 'string' && ['是', 'Y', 'y', '1', 'true', '本店'].includes(v.trim())) return true;
  if (typeof v === 'string' && ['否', 'N', 'n', '0', 'false', '外店'].includes(v.trim())) return false;
  return fail(field, '应为 是/否', 'should be yes/no (是/否)');
}

function vin(raw: Raw): string {
  const s = required('vin', text(raw, 'vin', 40)).replace(/\s/g, '').toUpperCase();
  // ISO 3779: 17 characters, never I, O or Q.
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(s)) fail('vin', `VIN“${s}”应为 17 位字母数字（不含 I、O、Q）`, `VIN "${s}" should be 17 letters/digits without I, O, Q`);
  return s;
}

function dmsId(raw: Raw, field: string): string {
  const s = required(field, text(raw, field, 64));
  return s;
}

const builders: { [E in DmsEntity]: (raw: Raw) => DmsRecordOf[E] } = {
  customer: (raw) => ({
    dms_id: dmsId(raw, 'dms_id'),
    name: required('name', text(raw, 'name', 40)),
    gender: gender(raw),
    mobile: mobile(raw, 'mobile'),
    phone2: phone(raw, 'phone2'),
    birthday: parseDate('birthday', raw['birthday']),
    city: text(raw, 'city', 40),
    address: text(raw, 'address', 200),
    updated_at: timestamp(raw, 'updated_at'),
  }),
  vehicle: (raw) => ({
    dms_id: dmsId(raw, 'dms_id'),
    customer_dms_id: dmsId(raw, 'customer_dms_id'),
    vin: vin(raw),
    plate: text(raw, 'plate', 12)?.toUpperCase() ?? null,
    model: required('model', text(raw, 'model', 60)),
    model_year: integer(raw, 'model_year', 2100),
    color: text(raw, 'color', 20),
    purchase_date: parseDate('purchase_date', raw['purchase_date']),
    purchased_here: bool(raw, 'purchased_here'),
    mileage_km: integer(raw, 'mileage_km', 3_000_000),
    mileage_date: parseDate('mileage_date', raw['mileage_date']),
    sales_consultant: text(raw, 'sales_consultant', 40),
    updated_at: timestamp(raw, 'updated_at'),
  }),
  repair_order: (raw) => {
    const labor = money(raw, 'labor') ?? 0;
    const parts = money(raw, 'parts') ?? 0;
    return {
      dms_id: dmsId(raw, 'dms_id'),
      vehicle_dms_id: dmsId(raw, 'vehicle_dms_id'),
      ro_no: required('ro_no', text(raw, 'ro_no', 40)),
      opened_on: required('opened_on', parseDate('opened_on', raw['opened_on'])),
      closed_on: parseDate('closed_on', raw['closed_on']),
      category: category(raw),
      mileage_km: integer(raw, 'mileage_km', 3_000_000),
      labor_fen: labor,
      parts_fen: parts,
      total_fen: money(raw, 'total') ?? labor + parts,
      advisor: text(raw, 'advisor', 40),
      updated_at: timestamp(raw, 'updated_at'),
      };
  },
};

export interface Tombstone {
  dms_id: string;
  deleted_at: string;
  updated_at: string | null;
}
export type Change<E extends DmsEntity> = { op: 'upsert'; record: DmsRecordOf[E] } | { op: 'delete'; tombstone: Tombstone };

/** A deletion needs only its id and time: a deleted record's other fields may already be gone in the DMS. */
export function normalizeRecord<E extends DmsEntity>(entity: E, raw: unknown): Normalized<E> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: { zh: '不是一条记录（应为对象）', en: 'not a record (expected an object)' } };
  }
  const row = raw as Raw;
  try {
    const deletedAt = timestamp(row, 'deleted_at');
    if (deletedAt !== null) {
      return { ok: true, change: { op: 'delete', tombstone: { dms_id: dmsId(row, 'dms_id'), deleted_at: deletedAt, updated_at: timestamp(row, 'updated_at') } } };
    }
    return { ok: true, change: { op: 'upsert', record: builders[entity](row) } };
  } catch (e) {
    if (e instanceof FieldProblem) {
      const l = label(e.field);
      return { ok: false, reason: { zh: `${l.zh}：${e.problem.zh}`, en: `${l.en}: ${e.problem.en}` } };
    }
    throw e;
  }
}
