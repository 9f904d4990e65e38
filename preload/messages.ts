/**
 * Bilingual texts for validation and errors. Schemas in the contract carry a message *key*
 * (e.g. 'mobile'); hosts and forms turn keys into {zh, en} with `describeIssue`, so the renderer shows
 * the same field message whether it validated locally or the host rejected the call.
 */
export interface Bilingual {
  zh: string;
  en: string;
}

export const fieldMessages = {
  required: { zh: '此项必填', en: 'This field is required' },
  mobile: { zh: '手机号应为 11 位，以 1 开头（如 13812345678）', en: 'Mobile numbers have 11 digits starting with 1 (e.g. 13812345678)' },
  phone: { zh: '电话号码格式不正确（手机 11 位，座机如 020-12345678）', en: 'Not a valid phone number (mobile: 11 digits; landline e.g. 020-12345678)' },
  date: { zh: '日期格式应为 YYYY-MM-DD', en: 'Dates are written YYYY-MM-DD' },
  birthday: { zh: '生日不能晚于今天，也不能早于 1900 年', en: 'A birthday must be between 1900 and today' },
  name: { zh: '姓名为 1–40 个字符', en: 'A name has 1–40 characters' },
  tooLong: { zh: '内容过长', en: 'Too long' },
  noteText: { zh: '备注为 1–2000 个字符', en: 'A note has 1–2000 characters' },
  username: { zh: '用户名为 3–32 位字母、数字、点、下划线或连字符', en: 'A username has 3–32 letters, digits, dots, underscores or hyphens' },
  password: { zh: '密码至少 8 位', en: 'A password has at least 8 characters' },
  query: { zh: '请输入 1–64 个字符', en: 'Type 1–64 characters' },
  id: { zh: '编号格式不正确', en: 'Not a valid id' },
  emptyPatch: { zh: '没有要保存的修改', en: 'There is nothing to save' },
  querySource: { zh: '请选择当前查询或一个已保存的查询（二选一）', en: 'Give either the query on screen or a saved query, not both' },
  requestId: { zh: '请求编号格式不正确，请关闭对话框后重试', en: 'Not a valid request id: close the dialog and try again' },
  ackComment: { zh: '请填写确认说明（1–500 个字符）', en: 'Write a comment of 1–500 characters' },
  silencePattern: { zh: '请填写对象范围，如 backup-01/*', en: 'Give a target pattern, e.g. backup-01/*' },
  silenceReason: { zh: '请填写原因（1–500 个字符）', en: 'Give a reason of 1–500 characters' },
  silenceEnds: { zh: '结束时间须晚于开始时间和现在，且不超过 7 天', en: 'The end must be after the start and now, at most 7 days on' },
  agentName: { zh: '服务器名称为 1–64 个字符', en: 'A server name has 1–64 characters' },
  agentUrl: { zh: '地址应为 http(s)://主机:端口', en: 'The address is http(s)://host:port' },
  agentSecret: { zh: '密钥至少 8 位', en: 'A secret has at least 8 characters' },
  agentPeriod: { zh: '检查周期为 1 秒至 1 小时', en: 'The period is between 1 s and 1 h' },
  agentTimeout: { zh: '超时为 0.2–60 秒，且不超过检查周期', en: 'The timeout is 0.2–60 s and no longer than the period' },
  smsBody: { zh: '请填写短信内容（1–1000 个字符）', en: 'Write a message of 1–1000 characters' },
  modemPort: { zh: '启用短信猫时必须选择串口', en: 'Choose a serial port to enable the modem' },
  baudRate: { zh: '波特率应为 9600、19200、38400、57600 或 115200', en: 'The baud rate is 9600, 19200, 38400, 57600 or 115200' },
  clockTime: { zh: '时间格式应为 HH:MM（如 21:00）', en: 'Times are written HH:MM (e.g. 21:00)' },
  range: { zh: '数值超出允许范围', en: 'The value is out of range' },
  backupFile: { zh: '请从列表中选择一个备份文件', en: 'Choose a backup file from the list' },
  confirmRestore: { zh: '恢复前必须确认', en: 'A restore must be confirmed' },
  cron: { zh: '计划格式不正确（cron 表达式，如 0 2 * * * 表示每天 2 点）', en: 'Not a valid schedule (a cron pattern, e.g. 0 2 * * * = daily at 2:00)' },
  dmsSourceName: { zh: '数据源名称为 1–60 个字符', en: 'A source name has 1–60 characters' },
  dmsBaseUrl: { zh: '请输入完整的接口地址（如 http://10.0.0.5:8080）', en: 'Enter the full API address (e.g. http://10.0.0.5:8080)' },
  dmsFile: { zh: '请选择要导入的 CSV 或 Excel 文件', en: 'Choose a CSV or Excel file to import' },
  dmsDiffSelection: { zh: '请勾选要导入的记录，或选择“全部导入 DMS 较新”', en: 'Tick the records to import, or choose "import all DMS-newer"' },
  dateTime: { zh: '请选择日期和时间', en: 'Choose a date and time' },
  dateRange: { zh: '结束日期不能早于开始日期', en: 'The end date cannot be before the start date' },
  month: { zh: '月份格式应为 YYYY-MM', en: 'Months are written YYYY-MM' },
  monthRange: { zh: '结束月份不能早于开始月份，且最多 120 个月', en: 'The last month cannot be before the first, and at most 120 months' },
  prefReason: { zh: '请填写原因（1–200 个字符）', en: 'Give a reason of 1–200 characters' },
  lettersNone: { zh: '请至少勾选一封信件', en: 'Tick at least one letter' },
  lettersTooMany: { zh: '一次最多 1000 封信件，请按活动分批生成', en: 'At most 1000 letters at a time; print campaign by campaign' },
  templateCode: { zh: '编码为小写字母开头的字母、数字、下划线，可用点分段（如 sms.birthday），最多 40 位', en: 'A code starts with a lowercase letter; letters, digits, underscores and dots (e.g. sms.birthday), at most 40' },
  templateName: { zh: '模板名称为 1–60 个字符', en: 'A template name has 1–60 characters' },
  templateBody: { zh: '模板内容最多 20000 个字符', en: 'A template has at most 20,000 characters' },
  pageSize: { zh: '请选择纸张尺寸', en: 'Choose a paper size' },
  servicePhone: {
    zh: '服务热线应为座机（区号-号码，如 0755-83451234）、400/800 电话（如 400-888-6666）或 11 位手机号',
    en: 'A hotline is a landline with its area code (e.g. 0755-83451234), a 400/800 number (e.g. 400-888-6666) or an 11-digit mobile',
  },
  dealerAddress: { zh: '地址为 4–100 个字符', en: 'An address has 4–100 characters' },
  dealerShortName: { zh: '简称为 2–12 个字符，不含空格和【】', en: 'A short name has 2–12 characters, without spaces or 【】' },
  settingCode: { zh: '编码为小写字母开头的 2–40 位字母、数字或下划线（如 no_answer）', en: 'A code has 2–40 lowercase letters, digits or underscores, starting with a letter (e.g. no_answer)' },
  settingLabel: { zh: '名称为 1–40 个字符', en: 'A name has 1–40 characters' },
  reachedOrUnreachable: { zh: '“已接通”和“联系不上”不能同时选', en: 'An outcome cannot be both reached and unreachable' },
  ruleMonths: { zh: '截止月数不能小于起始月数', en: 'The last month cannot be before the first' },
  salesTeamName: { zh: '团队名称为 1–40 个字符', en: 'A team name has 1–40 characters' },
  salesConsultant: { zh: '销售顾问姓名为 1–40 个字符', en: 'A consultant name has 1–40 characters' },
} as const satisfies Record<string, Bilingual>;

export type FieldMessageKey = keyof typeof fieldMessages;

export const errorMessages = {
  VALIDATION: { zh: '输入有误，请检查标红的字段', en: 'Some input is not valid; check the highlighted fields' },
  UNAUTHENTICATED: { zh: '请先登录', en: 'Please sign in first' },
  BAD_CREDENTIALS: { zh: '用户名或密码错误', en: 'Wrong username or password' },
  FORBIDDEN: { zh: '您的角色无权执行此操作', en: 'Your role is not allowed to do this' },
  NOT_FOUND: { zh: '记录不存在或已被删除', en: 'The record does not exist or was deleted' },
  CONFLICT: { zh: '该记录已被他人修改，请刷新后重试', en: 'Someone else changed this record; reload and try again' },
  DUPLICATE: { zh: '记录已存在', en: 'This record already exists' },
  UNKNOWN_CHANNEL: { zh: '未知的请求', en: 'Unknown request' },
  RATE_LIMITED: { zh: '尝试次数过多，请稍后再试', en: 'Too many attempts; try again later' },
  UNAVAILABLE: { zh: '服务暂不可用，请稍后再试', en: 'The service is unavailable; try again later' },
  INTERNAL: { zh: '系统内部错误，已记录日志', en: 'Internal error; it has been logged' },
} as const satisfies Record<string, Bilingual>;

export type ErrorCode = keyof typeof errorMessages;
export const ERROR_CODES = Object.keys(errorMessages) as [ErrorCode, ...ErrorCode[]];

interface IssueLike {
  code: string;
  message: string;
}

/** Turns one zod issue into a bilingual message: our keys first, then a generic text per issue code. */
export function describeIssue(issue: IssueLike): Bilingual {
  if (Object.hasOwn(fieldMessages, issue.message)) return fieldMessages[issue.message as FieldMessageKey];
  switch (issue.code) {
    case 'invalid_type':
      return { zh: '类型不正确或缺失', en: 'Missing or of the wrong type' };
    case 'too_small':
      return { zh: '内容过短或数值过小', en: 'Too short or too small' };
    case 'too_big':
      return { zh: '内容过长或数值过大', en: 'Too long or too large' };
    case 'invalid_value':
      return { zh: '不是允许的取值', en: 'Not one of the allowed values' };
    case 'unrecognized_keys':
      return { zh: '包含不允许的字段', en: 'Contains fields that are not allowed' };
    default:
      return { zh: '格式不正确', en: 'Not in the expected format' };
  }
}
