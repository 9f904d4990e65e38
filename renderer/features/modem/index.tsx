/** Telephony and SMS over the GSM modem (短信): menu entry, texts and screens. */
import { MessageOutlined } from '@ant-design/icons';
import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { canAccess, type RequestName } from '../../../preload/contract';
import type { Feature } from '../../app/features';
import { useRole } from '../../app/session';
import { CallLogPage } from './CallLogPage';
import { InboxPage } from './InboxPage';
import { SettingsPage } from './SettingsPage';
import { UncertainPage } from './UncertainPage';

export { CallCenter } from './CallCenter';
export { CustomerPhoneBar } from './CustomerPhoneBar';

const zh = {
  nav: '短信',
  back: '返回短信',
  dial: '拨打',
  sms: '发短信',
  openCustomer: '打开客户资料',
  unknownNumber: '未知号码',
  inbox: { title: '短信收件箱', empty: '还没有短信', pick: '从左侧选择一个会话', me: '我' },
  thread: { empty: '还没有与该客户的短信' },
  composer: {
    title: '发送短信',
    label: '短信内容',
    placeholder: '输入短信内容，Ctrl+Enter 发送',
    hint: 'Ctrl+Enter 发送',
    counter: '{{chars}} 字 · 共 {{parts}} 条（每条 {{perPart}} 字，{{encoding}}）',
    parts: '{{parts}} 条',
    send: '发送',
    queued: '已加入发送队列（{{parts}} 条）',
  },
  encoding: { gsm7: '英文 GSM', ucs2: '中文 UCS2' },
  state: { queued: '排队中', sending: '发送中', sent: '已发送', delivered: '已送达', failed: '发送失败', expired: '已过期', uncertain: '结果未知', cancelled: '已取消', received: '已收到' },
  status: { unknown: '短信猫状态未知', noSignal: '无信号', signal: '信号', port: '串口', noPort: '未设置', queue: '待发 {{queued}} · 未知 {{uncertain}}' },
  link: { stopped: '未启用', connecting: '连接中', ready: '已连接', disconnected: '已断开' },
  reg: { home: '已注册', roaming: '漫游', searching: '搜索网络', denied: '注册被拒', not_registered: '未注册', unknown: '网络未知' },
  sim: { ready: '正常', pin: '需要 PIN', puk: '需要 PUK', absent: '未插卡', error: '故障', unknown: '未知' },
  call: {
    phase: { incoming: '来电', ringing: '振铃中', dialing: '正在呼叫', active: '通话中', ended: '已结束' },
    answer: '接听',
    hangup: '挂断',
    hiddenNumber: '号码未显示',
    quickCreate: '新建客户',
    created: '已新建客户',
    number: '电话号码',
    name: '客户姓名',
  },
  uncertain: {
    title: '结果未知的短信',
    explain: '这些短信在发送过程中被中断（如断电、拔线），无法确认运营商是否已收到。请核实后选择：重发（可能重复）、标记为已发送或取消。',
    empty: '没有结果未知的短信',
    createdAt: '创建时间',
    to: '收件人',
    body: '内容',
    error: '原因',
    actions: '处理',
    resend: '重发',
    resendConfirm: '客户可能会收到两次，确定重发？',
    markSent: '标记已发送',
    cancel: '取消发送',
    done: { resend: '已重新排队', mark_sent: '已标记为已发送', cancel: '已取消' },
  },
  calls: {
    title: '通话记录',
    export: '导出 Excel',
    direction: '方向',
    in: '呼入',
    out: '呼出',
    number: '号码',
    customer: '客户',
    staff: '坐席',
    started: '开始时间',
    duration: '通话时长',
    result: '结果',
    missed: '未接',
    abandoned: '未接（对方放弃）',
    reason: { local_hangup: '本方挂断', remote_hangup: '对方挂断', busy: '忙线', no_answer: '无人接听', no_dialtone: '无拨号音', ring_timeout: '振铃超时', port_lost: '线路中断' },
  },
  settings: {
    title: '短信猫设置',
    enabled: '启用短信猫',
    port: '串口',
    portHint: '从检测到的串口中选择，或直接输入（如 COM3、/dev/ttyUSB2）；无硬件演示时输入 sim://demo 使用内置模拟器',
    scan: '重新检测',
    baudRate: '波特率',
    rate: '每分钟最多发送（条）',
    rateHint: '普通 GSM 短信猫每分钟约 6–12 条',
    dailyCap: '每位客户每天最多（条）',
    dailyCapHint: '自动短信（招揽提醒、扩展查询群发、预约确认）最多用到 {{automated}} 条，超出的顺延到次日 9:00；最后 {{kept}} 条留给坐席手工发送',
    dailyCapHintNone: '上限为 1 时不留余量：当天第一条短信（自动或手工）发出后，其余的都要等到次日',
    quiet: '夜间免打扰（营销短信）',
    quietHint: '免打扰时段内营销短信等待，服务短信照常发送',
    quietStart: '开始',
    quietEnd: '结束',
    save: '保存并连接',
    saved: '已保存，正在连接短信猫',
  },
  demo: {
    title: '演示：模拟客户来信 / 来电',
    hint: '串口为 sim://demo 时，短信猫使用内置模拟器，无需硬件',
    kind: '类型',
    sms: '来信',
    call: '来电',
    from: '客户号码',
    text: '短信内容',
    send: '模拟',
    sent: '已模拟，稍候在短信收件箱或来电弹屏中查看',
  },
};

const en: typeof zh = {
  nav: 'SMS',
  back: 'Back to SMS',
  dial: 'Call',
  sms: 'SMS',
  openCustomer: 'Open customer',
  unknownNumber: 'Unknown number',
  inbox: { title: 'SMS inbox', empty: 'No messages yet', pick: 'Pick a conversation on the left', me: 'Me' },
  thread: { empty: 'No messages with this customer yet' },
  composer: {
    title: 'Send SMS',
    label: 'Message',
    placeholder: 'Type the message; Ctrl+Enter sends',
    hint: 'Ctrl+Enter sends',
    counter: '{{chars}} characters · {{parts}} part(s) ({{perPart}} each, {{encoding}})',
    parts: '{{parts}} parts',
    send: 'Send',
    queued: 'Queued for sending ({{parts}} part(s))',
  },
  encoding: { gsm7: 'GSM 7-bit', ucs2: 'UCS2 (Chinese)' },
  state: { queued: 'Queued', sending: 'Sending', sent: 'Sent', delivered: 'Delivered', failed: 'Failed', expired: 'Expired', uncertain: 'Unknown', cancelled: 'Cancelled', received: 'Received' },
  status: { unknown: 'Modem status unknown', noSignal: 'no signal', signal: 'Signal', port: 'Port', noPort: 'not set', queue: 'Queued {{queued}} · unknown {{uncertain}}' },
  link: { stopped: 'Off', connecting: 'Connecting', ready: 'Connected', disconnected: 'Disconnected' },
  reg: { home: 'Registered', roaming: 'Roaming', searching: 'Searching', denied: 'Denied', not_registered: 'Not registered', unknown: 'Network unknown' },
  sim: { ready: 'ready', pin: 'PIN needed', puk: 'PUK needed', absent: 'no SIM', error: 'error', unknown: 'unknown' },
  call: {
    phase: { incoming: 'Incoming call', ringing: 'Ringing', dialing: 'Calling', active: 'In call', ended: 'Ended' },
    answer: 'Answer',
    hangup: 'Hang up',
    hiddenNumber: 'Number withheld',
    quickCreate: 'New customer',
    created: 'Customer created',
    number: 'Phone number',
    name: 'Customer name',
  },
  uncertain: {
    title: 'SMS with unknown outcome',
    explain: 'These messages were interrupted while sending (power cut, cable pulled); nobody knows whether the network took them. Check, then resend (may duplicate), mark as sent, or cancel.',
    empty: 'No messages with an unknown outcome',
    createdAt: 'Created',
    to: 'To',
    body: 'Text',
    error: 'Reason',
    actions: 'Decide',
    resend: 'Resend',
    resendConfirm: 'The customer may get it twice. Resend?',
    markSent: 'Mark sent',
    cancel: 'Cancel',
    done: { resend: 'Queued again', mark_sent: 'Marked as sent', cancel: 'Cancelled' },
  },
  calls: {
    title: 'Call log',
    export: 'Export Excel',
    direction: 'Direction',
    in: 'In',
    out: 'Out',
    number: 'Number',
    customer: 'Customer',
    staff: 'Agent',
    started: 'Started',
    duration: 'Talk time',
    result: 'Result',
    missed: 'Missed',
    abandoned: 'Missed (caller gave up)',
    reason: { local_hangup: 'We hung up', remote_hangup: 'They hung up', busy: 'Busy', no_answer: 'No answer', no_dialtone: 'No dial tone', ring_timeout: 'Ring timeout', port_lost: 'Line lost' },
  },
  settings: {
    title: 'Modem settings',
    enabled: 'Use the modem',
    port: 'Serial port',
    portHint: 'Pick a detected port or type one (e.g. COM3, /dev/ttyUSB2); for a demo without hardware type sim://demo (built-in simulator)',
    scan: 'Detect again',
    baudRate: 'Baud rate',
    rate: 'SMS per minute at most',
    rateHint: 'A GSM modem manages about 6–12 a minute',
    dailyCap: 'SMS per customer per day at most',
    dailyCapHint: "Automated SMS (campaign reminders, query campaigns, appointment confirmations) may use {{automated}} of them, the rest wait until 09:00 the next day; the last {{kept}} is kept for an agent's own SMS",
    dailyCapHintNone: "With a cap of 1 nothing is kept back: once the day's first SMS (automated or hand-written) went, the rest wait until the next day",
    quiet: 'Quiet hours (marketing SMS)',
    quietHint: 'Marketing SMS wait out the quiet hours; service SMS go at once',
    quietStart: 'From',
    quietEnd: 'To',
    save: 'Save and connect',
    saved: 'Saved; connecting to the modem',
  },
  demo: {
    title: 'Demo: a customer texts or calls',
    hint: 'With the port sim://demo the modem runs on the built-in simulator, no hardware needed',
    kind: 'Kind',
    sms: 'Text',
    call: 'Call',
    from: 'Customer number',
    text: 'Message',
    send: 'Simulate',
    sent: 'Done: see the SMS inbox or the call pop-up in a moment',
  },
};

function ModemScreen({ rest }: { rest: string[] }) {
  const { t } = useTranslation();
  const role = useRole();
  const gated = (channel: RequestName, screen: React.ReactNode) =>
    canAccess(channel, role) ? screen : <Result status="403" title="403" subTitle={t('common.forbidden')} />;
  if (rest[0] === 'settings') return gated('modem.configure', <SettingsPage />);
  if (rest[0] === 'uncertain') return gated('sms.uncertain', <UncertainPage />);
  if (rest[0] === 'calls') return <CallLogPage />;
  return <InboxPage />;
}

export const modemFeature: Feature = {
  key: 'modem',
  channel: 'sms.threads',
  nav: { icon: <MessageOutlined />, order: 40 },
  texts: { 'zh-CN': zh, en },
  render: (rest) => <ModemScreen rest={rest} />,
};
