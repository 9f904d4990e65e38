/**
 * Bilingual texts for seat-configuration problems. An IT person reading a log or the settings screen must
 * see which field is wrong ("update.quietHour") and why, in Chinese first and English second.
 */
import type { z } from 'zod';
import { describeIssue, type Bilingual } from '../../preload/messages';

export const configFieldMessages = {
  url: { zh: '不是有效的网址', en: 'Not a valid URL' },
  httpUrl: { zh: '网址必须以 http:// 或 https:// 开头', en: 'The URL must start with http:// or https://' },
  cron: { zh: '计划格式不正确（cron 表达式，如 "30 12 * * *"）', en: 'Not a valid schedule (cron expression, e.g. "30 12 * * *")' },
  clockTime: { zh: '时间格式应为 HH:MM（如 21:00）', en: 'Times are written HH:MM (e.g. 21:00)' },
  range: { zh: '数值超出允许范围', en: 'The number is out of the allowed range' },
  baudRate: { zh: '波特率应为 9600、19200、38400、57600 或 115200', en: 'Baud rate must be 9600, 19200, 38400, 57600 or 115200' },
  pin: { zh: 'PIN 码为 4–8 位数字', en: 'A PIN has 4–8 digits' },
  smsc: { zh: '短信中心号码格式不正确', en: 'Not a valid SMS centre number' },
  semver: { zh: '版本号格式应为 主.次.修订（如 1.4.0）', en: 'Versions are written major.minor.patch (e.g. 1.4.0)' },
  schemaVersion: { zh: '不支持的配置文件版本（应为 1）', en: 'Unsupported configuration file version (expected 1)' },
  dmsBaseUrl: { zh: 'REST 接口方式需要填写 DMS 地址', en: 'The REST adapter needs the DMS base URL' },
  dmsFolder: { zh: '文件导入方式需要填写导入文件夹', en: 'The file adapter needs an import folder' },
  modemPort: { zh: '启用短信猫时必须填写串口（如 COM3）', en: 'An enabled modem needs a serial port (e.g. COM3)' },
  tooMany: { zh: '条目过多', en: 'Too many entries' },
  id: { zh: '编号格式不正确', en: 'Not a valid id' },
  required: { zh: '此项必填', en: 'This field is required' },
  tooLong: { zh: '内容过长', en: 'Too long' },
} as const satisfies Record<string, Bilingual>;

/** Human names of configuration sections, so "dms.baseUrl" also reads as "DMS 连接 / DMS connection". */
const sectionLabels: Record<string, Bilingual> = {
  dealerId: { zh: '经销商编号', en: 'dealer id' },
  seatName: { zh: '座席名称', en: 'seat name' },
  dms: { zh: 'DMS 连接', en: 'DMS connection' },
  modem: { zh: '短信猫', en: 'modem' },
  healthAgents: { zh: '服务器监控代理', en: 'health agents' },
  update: { zh: '自动升级', en: 'auto-update' },
  backup: { zh: '备份', en: 'backup' },
  logging: { zh: '日志', en: 'logging' },
  alarms: { zh: '告警通知', en: 'alarm notification' },
  print: { zh: '信函打印', en: 'letter printing' },
  schemaVersion: { zh: '配置版本', en: 'configuration version' },
};

export interface ConfigIssue {
  /** Dotted path of the bad field, e.g. "update.quietHour" or "healthAgents.0.url". */
  path: string;
  message: Bilingual;
}

export function describeConfigIssue(issue: z.core.$ZodIssue): ConfigIssue {
  const path = issue.path.map(String).join('.') || '(root)';
  const key = issue.message;
  const text = Object.hasOwn(configFieldMessages, key)
    ? configFieldMessages[key as keyof typeof configFieldMessages]
    : issue.code === 'unrecognized_keys'
      ? { zh: `未知的配置项：${issue.keys.join(', ')}`, en: `Unknown option(s): ${issue.keys.join(', ')}` }
      : describeIssue(issue);
  return { path, message: text };
}

export function sectionLabel(path: string): Bilingual | null {
  return sectionLabels[path.split('.')[0] ?? ''] ?? null;
}

/** Thrown when a configuration file cannot be read, parsed or validated; `issues` name each bad field. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly summary: Bilingual,
    readonly issues: ConfigIssue[] = [],
  ) {
    super(formatConfigError(file, summary, issues));
    this.name = 'ConfigError';
  }
}

function formatConfigError(file: string, summary: Bilingual, issues: ConfigIssue[]): string {
  const lines = [`${summary.zh} / ${summary.en}: ${file}`];
  for (const issue of issues) {
    const section = sectionLabel(issue.path);
    const where = section ? `${issue.path} (${section.zh} / ${section.en})` : issue.path;
    lines.push(`  - ${where}: ${issue.message.zh} / ${issue.message.en}`);
  }
  return lines.join('\n');
}
