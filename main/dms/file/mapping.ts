/**
 * Column mapping of a DMS export: proposes which header holds which canonical field from the headers'
 * wording (Chinese first, English second), which the user confirms or corrects and saves per source.
 */
import { z } from 'zod';
import type { Bilingual } from '../../../preload/messages';

export const FILE_FIELDS = [
  'customer_dms_id', 'name', 'gender', 'mobile', 'phone2', 'birthday', 'city', 'address',
  'vin', 'plate', 'model', 'model_year', 'color', 'purchase_date', 'purchased_here', 'sales_consultant',
  'ro_no', 'opened_on', 'closed_on', 'category', 'mileage_km', 'labor_yuan', 'parts_yuan', 'total_yuan', 'advisor',
] as const;
export type FileField = (typeof FILE_FIELDS)[number];
export type ColumnMapping = Partial<Record<FileField, string>>;

export const columnMappingSchema = z.partialRecord(z.enum(FILE_FIELDS), z.string().min(1));

/** Header wordings seen in DMS exports, most specific first. Compared after normalizeHeader. */
const SYNONYMS: Record<FileField, readonly string[]> = {
  customer_dms_id: ['客户编号', '客户代码', '客户id', '客户号', 'customerid', 'customerno', 'custno'],
  name: ['客户姓名', '客户名称', '车主姓名', '姓名', '车主', '客户', 'customername', 'name'],
  gender: ['性别', 'gender', 'sex'],
  mobile: ['手机', '手机号', '手机号码', '移动电话', '联系手机', 'mobile', 'mobilephone', 'cellphone'],
  phone2: ['电话', '固定电话', '其他电话', '座机', '联系电话', '家庭电话', 'phone', 'telephone', 'tel'],
  birthday: ['生日', '出生日期', 'birthday', 'dateofbirth'],
  city: ['城市', '所在城市', 'city'],
  address: ['地址', '联系地址', '住址', '通讯地址', 'address'],
  vin: ['vin', 'vin码', '车架号', '底盘号', '车辆识别代号', '车辆识别码'],
  plate: ['车牌号', '车牌', '车牌号码', '牌照号', 'plate', 'licenseplate', 'plateno'],
  model: ['车型', '车型名称', '车系', 'model', 'vehiclemodel'],
  model_year: ['年款', '车型年款', 'modelyear', 'year'],
  color: ['颜色', '车身颜色', '车辆颜色', 'color', 'colour'],
  purchase_date: ['购车日期', '购买日期', '销售日期', '开票日期', 'purchasedate', 'saledate'],
  purchased_here: ['本店购车', '是否本店购车', '本店销售', 'purchasedhere'],
  // Not a bare 销售: 销售日期 is the purchase date.
  sales_consultant: ['销售顾问', '销售顾问姓名', '销售员', '销售人员', '销售专员', 'salesconsultant', 'salesperson', 'salesman', 'salesrep'],
  ro_no: ['工单号', '维修单号', '委托书号', '工单编号', '委托书编号', 'rono', 'repairorderno', 'ro'],
  opened_on: ['维修日期', '进厂日期', '开单日期', '来厂日期', 'repairdate', 'openedon', 'servicedate'],
  closed_on: ['结算日期', '出厂日期', '完工日期', 'closedon', 'closedate'],
  category: ['维修类别', '维修类型', '业务类型', '维修性质', 'category', 'repaircategory', 'servicetype'],
  mileage_km: ['里程', '行驶里程', '进厂里程', '公里数', 'mileage', 'odometer', 'km'],
  labor_yuan: ['工时费', '工时金额', 'labor', 'labour'],
  parts_yuan: ['材料费', '配件费', '材料金额', 'parts'],
  total_yuan: ['金额', '总金额', '结算金额', '合计金额', '合计', '维修金额', 'amount', 'total'],
  advisor: ['服务顾问', '接待员', '接待', '服务专员', 'sa', 'advisor', 'serviceadvisor'],
};

/** "客户姓名（必填）" → "客户姓名"; "VIN 码" → "vin码"; "Mobile Phone" → "mobilephone". */
export function normalizeHeader(h: string): string {
  return h
    .replace(/[（(【[].*?[）)】\]]/g, '')
    .replace(/[\s_\-:：*]/g, '')
    .toLowerCase();
}

export interface MappingProposal {
  mapping: ColumnMapping;
  /** Headers no field claimed (shown so the user can assign them or leave them out). */
  unmapped: string[];
  /** Fields an import needs that no header supplies yet. */
  missing: FileField[];
}

/** A customer needs a name and a key (its DMS id or a mobile); vehicles need VIN and model; orders need a date and a category. */
export function missingFields(mapping: ColumnMapping): FileField[] {
  const missing: FileField[] = [];
  if (!mapping.name) missing.push('name');
  if (!mapping.customer_dms_id && !mapping.mobile) missing.push('mobile');
  const wantsVehicle = Boolean(mapping.vin || mapping.plate || mapping.model);
  if (wantsVehicle && !mapping.vin) missing.push('vin');
  if (wantsVehicle && !mapping.model) missing.push('model');
  const wantsOrder = Boolean(mapping.ro_no || mapping.opened_on || mapping.category || mapping.total_yuan);
  if (wantsOrder && !mapping.vin && !missing.includes('vin')) missing.push('vin');
  if (wantsOrder && !mapping.opened_on) missing.push('opened_on');
  if (wantsOrder && !mapping.category) missing.push('category');
  return missing;
}

export function proposeMapping(headers: readonly string[], saved?: ColumnMapping): MappingProposal {
  const mapping: ColumnMapping = {};
  const taken = new Set<string>();
  // A saved mapping wins wherever its headers are still present in this file.
  for (const [field, header] of Object.entries(saved ?? {}) as [FileField, string][]) {
    if (headers.includes(header)) {
      mapping[field] = header;
      taken.add(header);
    }
  }
  const norm = headers.map((h) => [h, normalizeHeader(h)] as const);
  for (const pass of ['exact', 'prefix'] as const) {
    for (const field of FILE_FIELDS) {
      if (mapping[field]) continue;
      for (const word of SYNONYMS[field]) {
        const hit = norm.find(([h, n]) => !taken.has(h) && n !== '' && (pass === 'exact' ? n === word : n.startsWith(word)));
        if (hit) {
          mapping[field] = hit[0];
          taken.add(hit[0]);
          break;
        }
      }
    }
  }
  return { mapping, unmapped: headers.filter((h) => h !== '' && !taken.has(h)), missing: missingFields(mapping) };
}

export function describeMissing(fields: readonly FileField[]): Bilingual {
  const zh: Record<string, string> = { name: '客户姓名', mobile: '手机或客户编号', vin: 'VIN', model: '车型', opened_on: '维修日期', category: '维修类别' };
  const en: Record<string, string> = { name: 'customer name', mobile: 'mobile or customer id', vin: 'VIN', model: 'model', opened_on: 'repair date', category: 'repair category' };
  return {
    zh: `缺少必需的列：${fields.map((f) => zh[f] ?? f).join('、')}`,
    en: `Required columns are missing: ${fields.map((f) => en[f] ?? f).join(', ')}`,
  };
}
