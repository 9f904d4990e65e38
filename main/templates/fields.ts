/**
 * The merge fields templates may use. Writers type the Chinese name ({{客户姓名}}); the English key
 * ({{customerName}}) works too so bilingual staff and imported templates both render.
 */
export const MERGE_FIELDS = [
  { key: 'customerName', zh: '客户姓名', en: 'Customer name', sample: '张伟' },
  { key: 'salutation', zh: '称呼', en: 'Salutation', sample: '张先生' },
  { key: 'plate', zh: '车牌', en: 'Plate', sample: '粤A12345' },
  { key: 'model', zh: '车型', en: 'Model', sample: '雅阁' },
  { key: 'vin', zh: '车架号', en: 'VIN', sample: 'LHGCV1658M8000001' },
  { key: 'mileage', zh: '里程', en: 'Mileage (km)', sample: '15000' },
  { key: 'dueDate', zh: '到期日', en: 'Due date', sample: '2026-06-30' },
  { key: 'campaignName', zh: '活动名称', en: 'Campaign', sample: '定期保养提醒' },
  { key: 'dealerName', zh: '经销商', en: 'Dealer', sample: '广州本田某某 4S 店' },
  { key: 'dealerPhone', zh: '经销商电话', en: 'Dealer phone', sample: '020-12345678' },
  { key: 'dealerAddress', zh: '经销商地址', en: 'Dealer address', sample: '广州市天河区某某路 1 号' },
  { key: 'advisorName', zh: '顾问', en: 'Advisor', sample: '黄志强' },
  { key: 'advisorPhone', zh: '顾问电话', en: 'Advisor phone', sample: '13800000000' },
  { key: 'appointmentDate', zh: '预约日期', en: 'Appointment date', sample: '2026-06-28' },
  { key: 'appointmentTime', zh: '预约时间', en: 'Appointment time', sample: '09:30' },
  { key: 'gift', zh: '礼品', en: 'Gift', sample: '精美车载香薰' },
  { key: 'memberTier', zh: '会员等级', en: 'Member tier', sample: '金卡' },
  { key: 'address', zh: '地址', en: 'Address', sample: '广州市越秀区某某街 8 号' },
  { key: 'today', zh: '日期', en: 'Date', sample: '2026-06-01' },
] as const;

export type MergeFieldKey = (typeof MERGE_FIELDS)[number]['key'];
export type MergeValues = Partial<Record<MergeFieldKey, string | null>>;

const byName = new Map<string, MergeFieldKey>();
for (const f of MERGE_FIELDS) {
  byName.set(f.key, f.key);
  byName.set(f.zh, f.key);
}

/** The canonical key for a name written in a template, or null when no such field exists. */
export function resolveField(name: string): MergeFieldKey | null {
  return byName.get(name.trim()) ?? null;
}

export function sampleValues(): MergeValues {
  const out: MergeValues = {};
  for (const f of MERGE_FIELDS) out[f.key] = f.sample;
  return out;
}
