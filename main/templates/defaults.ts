import type { PageSize, TemplateKind } from '../../db/tables/campaigns';

export interface DefaultTemplate {
  code: string;
  kind: TemplateKind;
  name: string;
  page: PageSize | null;
  body: string;
  /** The purpose the campaign SMS queue gives what this template sends (appointments send the confirmations); unset: marketing. */
  purpose?: 'appointment';
}

const SMS_FOOTER = '回复TD退订';

/**
 * Starting templates a dealer edits; codes are what campaigns and appointments refer to. SMS sign with
 * the short name carriers register ({{经销商简称}}, the full name until one is set).
 */
export const DEFAULT_TEMPLATES: readonly DefaultTemplate[] = [
  {
    code: 'sms.maintenance',
    kind: 'sms',
    name: '定保提醒短信',
    page: null,
    body: `【{{经销商简称}}】尊敬的{{称呼}}，您的爱车{{车牌}}将于{{到期日}}前后到定期保养时间，欢迎致电{{经销商电话}}预约，我们将竭诚为您服务。${SMS_FOOTER}`,
  },
  {
    code: 'sms.first_service',
    kind: 'sms',
    name: '首保提醒短信',
    page: null,
    body: `【{{经销商简称}}】尊敬的{{称呼}}，您的{{车型}}（{{车牌}}）首次保养请于{{到期日}}前后回店，首保免费，预约电话{{经销商电话}}。${SMS_FOOTER}`,
  },
  {
    code: 'sms.insurance',
    kind: 'sms',
    name: '保险续保提醒短信',
    page: null,
    body: `【{{经销商简称}}】尊敬的{{称呼}}，您的爱车{{车牌}}保险将于{{到期日}}到期，续保咨询请致电{{经销商电话}}。${SMS_FOOTER}`,
  },
  {
    code: 'sms.inspection',
    kind: 'sms',
    name: '年审提醒短信',
    page: null,
    body: `【{{经销商简称}}】尊敬的{{称呼}}，您的爱车{{车牌}}将于{{到期日}}到年审时间，本店可代办年审，详询{{经销商电话}}。${SMS_FOOTER}`,
  },
  {
    code: 'sms.birthday',
    kind: 'sms',
    name: '生日祝福短信',
    page: null,
    body: `【{{经销商简称}}】亲爱的{{称呼}}，今天是您的生日，全体员工祝您生日快乐、一路平安！凭此短信到店可领取{{礼品}}。${SMS_FOOTER}`,
  },
  {
    code: 'sms.thanks',
    kind: 'sms',
    name: '购车感谢短信',
    page: null,
    body: `【{{经销商简称}}】尊敬的{{称呼}}，感谢您选购{{车型}}！用车中有任何问题请致电{{经销商电话}}，祝您用车愉快。${SMS_FOOTER}`,
  },
  {
    code: 'sms.followup',
    kind: 'sms',
    name: '售后回访短信',
    page: null,
    body: `【{{经销商简称}}】尊敬的{{称呼}}，感谢您近日到店维修保养，如对服务有任何意见请致电{{经销商电话}}。${SMS_FOOTER}`,
  },
  {
    code: 'sms.winback',
    kind: 'sms',
    name: '流失招揽短信',
    page: null,
    body: `【{{经销商简称}}】尊敬的{{称呼}}，好久不见！您的爱车{{车牌}}已较长时间未保养，本月回店享专属关怀，预约{{经销商电话}}。${SMS_FOOTER}`,
  },
  {
    code: 'sms.appointment_day_before',
    kind: 'sms',
    purpose: 'appointment',
    name: '预约前一天确认短信',
    page: null,
    body: `【{{经销商简称}}】尊敬的{{称呼}}，提醒您已预约{{预约日期}} {{预约时间}}到店为{{车牌}}服务，如需改期请致电{{经销商电话}}。`,
  },
  {
    code: 'sms.appointment_hour_before',
    kind: 'sms',
    purpose: 'appointment',
    name: '预约前一小时提醒短信',
    page: null,
    body: `【{{经销商简称}}】尊敬的{{称呼}}，您预约的{{预约时间}}服务即将开始，我们已为您做好准备，期待您的光临。`,
  },
  {
    code: 'letter.reminder',
    kind: 'letter',
    name: '招揽信件 (A4)',
    page: 'A4',
    body: `<p>尊敬的{{称呼}}：</p>
<p>您好！感谢您一直以来对{{经销商}}的支持。根据您的爱车 {{车型}}（车牌 {{车牌}}）的维修记录，
{{活动名称}}将于 <strong>{{到期日}}</strong> 前后到期。为保障您的行车安全，请您拨打 {{经销商电话}} 预约回店。</p>
<p style="text-align:right">{{经销商}}<br>{{日期}}</p>`,
  },
  {
    code: 'card.birthday',
    kind: 'card',
    name: '生日贺卡 (A6)',
    page: 'A6',
    body: `<h2 style="text-align:center">生日快乐</h2>
<p>亲爱的{{称呼}}：</p>
<p>值此生日之际，{{经销商}}全体员工祝您生日快乐！诚邀您到店领取生日礼品：{{礼品}}。</p>`,
  },
  {
    code: 'envelope.dl',
    kind: 'envelope',
    name: '信封 (DL)',
    page: 'DL',
    body: `<div style="margin-top:40mm;margin-left:90mm;font-size:14pt">{{地址}}<br><strong>{{客户姓名}}</strong> 收</div>
<div style="position:absolute;bottom:8mm;right:12mm;font-size:9pt">{{经销商}} {{经销商地址}}</div>`,
  },
];

/**
 * What an SMS template is sent for, in the campaign SMS queue's terms, so an agent sending it by hand
 * gets the outbox kind a campaign would: the appointment confirmations, and marketing for every other
 * template, a supervisor's own included.
 */
export function smsPurposeOf(code: string): string {
  return DEFAULT_TEMPLATES.find((t) => t.code === code)?.purpose ?? 'marketing';
}
