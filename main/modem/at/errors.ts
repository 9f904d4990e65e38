/**
 * Final-result errors from the modem, with readable Chinese + English texts, and the retry class of
 * each +CMS code (research/modem.md §1.4: retry only what is transient, pause on SIM/modem state).
 */
import type { Bilingual } from '../../../preload/messages';

type Table = Record<number, [zh: string, en: string]>;

// 3GPP TS 27.007 §9.2: the +CME codes a GSM modem actually returns around calls, SIM and storage.
const CME: Table = {
  0: ['模块故障', 'phone failure'],
  3: ['不允许的操作', 'operation not allowed'],
  4: ['不支持的操作', 'operation not supported'],
  10: ['未插入 SIM 卡', 'SIM not inserted'],
  11: ['SIM 卡需要 PIN 码', 'SIM PIN required'],
  12: ['SIM 卡需要 PUK 码', 'SIM PUK required'],
  13: ['SIM 卡故障', 'SIM failure'],
  14: ['SIM 卡忙', 'SIM busy'],
  15: ['SIM 卡错误', 'SIM wrong'],
  16: ['密码错误', 'incorrect password'],
  20: ['存储已满', 'memory full'],
  21: ['存储位置无效', 'invalid index'],
  22: ['未找到', 'not found'],
  30: ['无网络服务', 'no network service'],
  31: ['网络超时', 'network timeout'],
  32: ['网络不允许，仅限紧急呼叫', 'network not allowed - emergency calls only'],
  100: ['未知错误', 'unknown'],
};

// 3GPP TS 27.005 §3.2.5 and 24.011 cause values, plus the common vendor codes 512–515.
const CMS: Table = {
  1: ['号码不存在', 'unassigned (unallocated) number'],
  8: ['运营商禁止', 'operator determined barring'],
  10: ['呼叫被禁止', 'call barred'],
  21: ['短信被拒收', 'short message transfer rejected'],
  27: ['目标号码停止服务', 'destination out of service'],
  28: ['无法识别的用户', 'unidentified subscriber'],
  29: ['业务被拒绝', 'facility rejected'],
  30: ['未知用户', 'unknown subscriber'],
  38: ['网络故障', 'network out of order'],
  41: ['临时故障', 'temporary failure'],
  42: ['网络拥塞', 'congestion'],
  47: ['资源不可用', 'resources unavailable, unspecified'],
  50: ['未开通该业务', 'requested facility not subscribed'],
  69: ['业务未实现', 'requested facility not implemented'],
  81: ['短信参考号无效', 'invalid short message transfer reference value'],
  95: ['无效短信', 'invalid message, unspecified'],
  96: ['缺少必需信息', 'invalid mandatory information'],
  97: ['消息类型不存在', 'message type non-existent or not implemented'],
  98: ['消息与协议状态不符', 'message not compatible with short message protocol state'],
  99: ['信息单元不存在', 'information element non-existent or not implemented'],
  111: ['协议错误', 'protocol error, unspecified'],
  127: ['网络互通错误', 'interworking, unspecified'],
  192: ['短信中心忙', 'SC busy'],
  193: ['未开通短信中心服务', 'no SC subscription'],
  194: ['短信中心系统故障', 'SC system failure'],
  195: ['无效的接收方地址', 'invalid SME address'],
  196: ['接收方被禁止', 'destination SME barred'],
  197: ['重复短信被拒收', 'SM rejected-duplicate SM'],
  300: ['模块故障', 'ME failure'],
  301: ['模块短信服务被占用', 'SMS service of ME reserved'],
  302: ['不允许的操作', 'operation not allowed'],
  303: ['不支持的操作', 'operation not supported'],
  304: ['PDU 参数无效', 'invalid PDU mode parameter'],
  305: ['文本参数无效', 'invalid text mode parameter'],
  310: ['未插入 SIM 卡', 'SIM not inserted'],
  311: ['SIM 卡需要 PIN 码', 'SIM PIN required'],
  312: ['需要 PH-SIM PIN 码', 'PH-SIM PIN required'],
  313: ['SIM 卡故障', 'SIM failure'],
  314: ['SIM 卡忙', 'SIM busy'],
  315: ['SIM 卡错误', 'SIM wrong'],
  316: ['SIM 卡需要 PUK 码', 'SIM PUK required'],
  320: ['存储故障', 'memory failure'],
  321: ['存储位置无效', 'invalid memory index'],
  322: ['存储已满', 'memory full'],
  330: ['短信中心号码未知', 'SMSC address unknown'],
  331: ['无网络服务', 'no network service'],
  332: ['网络超时', 'network timeout'],
  340: ['无需 +CNMA 确认', 'no +CNMA acknowledgement expected'],
  500: ['未知错误', 'unknown error'],
  512: ['信号弱，建立连接失败', 'MM establishment failure'],
  513: ['无线链路丢失', 'lower layer failure'],
  514: ['网络拥塞', 'congestion'],
  515: ['模块正在初始化', 'initialisation in progress'],
};

export type AtErrorKind = 'error' | 'cme' | 'cms' | 'timeout' | 'prompt-timeout' | 'closed' | 'call-ended';

export class AtError extends Error {
  constructor(
    readonly kind: AtErrorKind,
    readonly command: string,
    readonly code: number | null,
    readonly userMessage: Bilingual,
    /** True when the PDU and Ctrl-Z had been written: the SMS may have left. */
    readonly submitted = false,
  ) {
    super(`${command}: ${userMessage.en}${code !== null ? ` (${code})` : ''}`);
  }
}

function lookupText(table: Table, text: string): number | null {
  const wanted = text.trim().toLowerCase();
  for (const [code, [, en]] of Object.entries(table)) if (en.toLowerCase() === wanted) return Number(code);
  return null;
}

/**
 * Parses a final error line; null if the line is not one. With AT+CMEE=2 modems send the text instead
 * of the number, so the text is mapped back to the code through the same standard tables.
 */
export function parseErrorLine(line: string, command: string): AtError | null {
  if (line === 'ERROR') return new AtError('error', command, null, { zh: '模块返回错误', en: 'the modem answered ERROR' });
  const m = /^\+(CME|CMS) ERROR:\s*(.*)$/.exec(line);
  if (!m) return null;
  const kind = m[1] === 'CME' ? 'cme' : 'cms';
  const table = kind === 'cme' ? CME : CMS;
  const raw = (m[2] ?? '').trim();
  const code = /^\d+$/.test(raw) ? Number(raw) : lookupText(table, raw);
  const known = code !== null ? table[code] : undefined;
  const label = kind === 'cme' ? '设备错误' : '短信错误';
  const message: Bilingual = known
    ? { zh: `${label} ${code}：${known[0]}`, en: `${kind === 'cme' ? 'device' : 'SMS'} error ${code}: ${known[1]}` }
    : { zh: `${label}：${raw || '未知'}`, en: `${kind === 'cme' ? 'device' : 'SMS'} error: ${raw || 'unknown'}` };
  return new AtError(kind, command, code, message);
}

export type CmsClass = 'transient' | 'permanent' | 'modem' | 'duplicate';

const TRANSIENT = new Set([38, 41, 42, 47, 192, 194, 331, 332, 500, 512, 513, 514, 515]);
const MODEM_STATE = new Set([300, 301, 302, 310, 311, 312, 313, 314, 315, 316, 320, 322, 330, 340]);

/**
 * What an error means for the SMS it hit. An explicit error after Ctrl-Z proves the SMSC refused it,
 * so retrying a transient one cannot duplicate. 500 (common on Huawei) is retried like a transient.
 */
export function classifySendError(error: AtError): CmsClass {
  if (error.kind === 'cms' && error.code !== null) {
    if (error.code === 197) return 'duplicate';
    if (TRANSIENT.has(error.code)) return 'transient';
    if (MODEM_STATE.has(error.code)) return 'modem';
    return 'permanent';
  }
  if (error.kind === 'cme') return 'modem';
  // Plain ERROR (no CMEE) says nothing about the cause: retry, bounded by the attempt limit.
  return 'transient';
}
