/**
 * Shared vocabulary both the services and the screens may import (no Node, no main/): the vehicle models
 * a Guangzhou Honda 4S store sells and services. Models are stored by English name and shown in Chinese.
 */
export const VEHICLE_MODELS = [
  { model: 'Accord', zh: '雅阁' },
  { model: 'Fit', zh: '飞度' },
  { model: 'City', zh: '锋范' },
  { model: 'Crider', zh: '凌派' },
  { model: 'Odyssey', zh: '奥德赛' },
  { model: 'Avancier', zh: '冠道' },
  { model: 'Vezel', zh: '缤智' },
  { model: 'Breeze', zh: '皓影' },
  { model: 'e:NP1', zh: '极湃1' },
  { model: 'Civic', zh: '思域' },
  { model: 'CR-V', zh: 'CR-V' },
  { model: 'Elysion', zh: '艾力绅' },
  { model: 'Envix', zh: '享域' },
  { model: 'Inspire', zh: '英仕派' },
  { model: 'XR-V', zh: 'XR-V' },
  { model: 'e:NS1', zh: 'e:NS1' },
] as const satisfies ReadonlyArray<{ model: string; zh: string }>;

export type VehicleModel = (typeof VEHICLE_MODELS)[number]['model'];

/** English model name → Chinese name (雅阁 for Accord); unknown models are shown as stored. */
export const MODEL_NAMES_ZH: Readonly<Record<string, string>> = Object.fromEntries(VEHICLE_MODELS.map((m) => [m.model, m.zh]));

/**
 * Why a campaign made no task for a vehicle or skipped a step (campaign_run.stats, campaign_touch
 * .skipped_reason), as 生成与分配 and the Excel exports name them. Unknown codes are shown as stored.
 */
export const SKIP_REASON_LABELS: Readonly<Record<string, { zh: string; en: string }>> = {
  vehicle_sold: { zh: '车辆已售', en: 'Car sold' },
  turned_off: { zh: '客户免打扰', en: 'Customer do-not-contact' },
  vehicle_turned_off: { zh: '车辆免打扰', en: 'Vehicle do-not-contact' },
  no_contact: { zh: '无联系方式', en: 'No contact details' },
  sms_opt_out: { zh: '客户拒收短信/已退订', en: 'Refuses SMS / opted out' },
  no_mobile: { zh: '无手机号', en: 'No mobile number' },
  invalid_mobile: { zh: '手机号无效', en: 'Invalid mobile number' },
  no_template: { zh: '无短信模板', en: 'No SMS template' },
  // A queued SMS the hand-off dropped before it reached the modem (main/campaigns/sms-handoff.ts DROP_SKIP_REASON).
  sms_expired: { zh: '短信过期未发出', en: 'SMS expired before it went' },
  customer_gone: { zh: '客户已删除', en: 'Customer deleted' },
  sms_unsendable: { zh: '短信过长，无法发送', en: 'SMS too long to send' },
  sms_superseded: { zh: '已由同活动更新的短信代替', en: 'Replaced by a newer SMS of the campaign' },
  letter_opt_out: { zh: '客户拒收信件', en: 'Refuses letters' },
  no_address: { zh: '无地址', en: 'No address' },
  phone_opt_out: { zh: '客户拒接电话', en: 'Refuses calls' },
  no_phone: { zh: '无电话号码', en: 'No phone number' },
};
