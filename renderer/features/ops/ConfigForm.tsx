import { CheckOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Row, Select, Space, Switch, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { mobileSchema, type ApiErrorBody, type RequestOutput } from '../../../preload/contract';
import type { SeatConfigView } from '../../../preload/channels/ops';
import { describeIssue, type Bilingual } from '../../../preload/messages';
import { call } from '../../api';
import { errorBody } from '../../app/errors';
import { pick, usePick } from '../../app/language';

type View = RequestOutput<'config.get'>;
/** 'mobiles': a list of mobile numbers typed on one line, separated by commas (the seat file holds an array). */
type Kind = 'text' | 'secret' | 'nullableText' | 'number' | 'switch' | 'mobiles' | { options: readonly (string | number)[] };

/** The seat file accepts at most this many escalation mobiles (main/config/schema.ts). */
const MAX_MOBILES = 10;

/** Every editable field: [section, key, kind]. Health agents are managed in 告警 → 监控代理. */
const FIELDS: ReadonlyArray<{ section: string; fields: ReadonlyArray<readonly [string, Kind]> }> = [
  { section: 'seat', fields: [['seatName', 'text'], ['dealerId', 'nullableText']] },
  {
    section: 'dms',
    fields: [
      ['kind', { options: ['none', 'rest', 'file'] }],
      ['baseUrl', 'nullableText'],
      ['username', 'text'],
      ['password', 'secret'],
      ['apiKey', 'secret'],
      ['importFolder', 'nullableText'],
      ['schedule', 'text'],
      ['timeoutSeconds', 'number'],
    ],
  },
  {
    section: 'modem',
    fields: [
      ['enabled', 'switch'],
      ['port', 'nullableText'],
      ['baudRate', { options: [9600, 19200, 38400, 57600, 115200] }],
      ['pin', 'secret'],
      ['smsc', 'text'],
      ['maxSmsPerMinute', 'number'],
      ['perCustomerDailyCap', 'number'],
    ],
  },
  {
    section: 'update',
    fields: [
      ['enabled', 'switch'],
      ['feedUrl', 'nullableText'],
      ['channel', { options: ['stable', 'beta'] }],
      ['checkIntervalHours', 'number'],
      ['install', { options: ['on-quit', 'quiet-hour', 'manual'] }],
      ['quietHour', 'number'],
      ['minimumVersion', 'nullableText'],
      ['allowDowngrade', 'switch'],
      ['multiRangeRequests', 'switch'],
      ['authToken', 'secret'],
    ],
  },
  {
    section: 'backup',
    fields: [
      ['enabled', 'switch'],
      ['folder', 'nullableText'],
      ['schedule', 'text'],
      ['keepDaily', 'number'],
      ['keepWeekly', 'number'],
      ['maxAgeHours', 'number'],
    ],
  },
  { section: 'logging', fields: [['level', { options: ['debug', 'info', 'warn', 'error'] }], ['maxFileMb', 'number'], ['maxFiles', 'number']] },
  { section: 'alarms', fields: [['escalationMobiles', 'mobiles']] },
  { section: 'print', fields: [['browserPath', 'nullableText'], ['timeoutSeconds', 'number']] },
];

type FormValues = Record<string, Record<string, unknown>>;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where a field lives in the seat configuration ('seat' fields are top-level). */
const configPath = (section: string, key: string) => (section === 'seat' ? [key] : [section, key]);

function readPath(config: unknown, path: string[]): unknown {
  let at: unknown = config;
  for (const key of path) at = isRecord(at) ? at[key] : undefined;
  return at;
}

function toForm(config: SeatConfigView): FormValues {
  const values: FormValues = {};
  for (const { section, fields } of FIELDS) {
    values[section] = {};
    for (const [key, kind] of fields) {
      const value = readPath(config, configPath(section, key));
      (values[section] as Record<string, unknown>)[key] =
        kind === 'nullableText' ? (value ?? '') : kind === 'mobiles' ? (Array.isArray(value) ? value.join(', ') : '') : value;
    }
  }
  return values;
}

/** "139 0000 2222，13700001111" → ['139 0000 2222', '13700001111']; spaces stay inside a number (+86 139 …). */
export function splitMobiles(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(/[,，;；、\n]+/)
    .map((m) => m.trim())
    .filter((m) => m !== '');
}

/**
 * The field's own check, with the seat file's rules (the contract's mobileSchema, at most 10), so a wrong
 * number is named by its position before anything is sent. Returns the bilingual message or null.
 */
export function mobilesProblem(value: unknown): { kind: 'entry'; position: number; message: Bilingual } | { kind: 'tooMany'; max: number } | null {
  const mobiles = splitMobiles(value);
  for (const [i, raw] of mobiles.entries()) {
    const parsed = mobileSchema.safeParse(raw);
    const issue = parsed.success ? undefined : parsed.error.issues[0];
    if (issue) return { kind: 'entry', position: i + 1, message: describeIssue(issue) };
  }
  return mobiles.length > MAX_MOBILES ? { kind: 'tooMany', max: MAX_MOBILES } : null;
}

/** Form value → configuration value: an empty optional text is null ("not set"). */
function fromForm(kind: Kind, value: unknown): unknown {
  if (kind === 'nullableText') return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  if (kind === 'mobiles') return splitMobiles(value);
  if (kind === 'text') return typeof value === 'string' ? value : '';
  return value ?? null;
}

/**
 * The configuration to send: the newest one from the host with only the fields the admin changed on top,
 * so a setting changed meanwhile elsewhere (the modem screen, a file IT pushed) is not overwritten.
 */
function overlay(latest: SeatConfigView, loaded: SeatConfigView, values: FormValues): Record<string, unknown> {
  const out = structuredClone(latest) as unknown as Record<string, unknown>;
  for (const { section, fields } of FIELDS) {
    for (const [key, kind] of fields) {
      const path = configPath(section, key);
      const next = fromForm(kind, values[section]?.[key]);
      if (JSON.stringify(next) === JSON.stringify(readPath(loaded, path))) continue;
      let target: Record<string, unknown> = out;
      for (const step of path.slice(0, -1)) {
        const child = target[step];
        if (!isRecord(child)) break;
        target = child;
      }
      target[path[path.length - 1] ?? key] = next;
    }
  }
  return out;
}

/** Seat configuration by section; bad values come back from the host with bilingual errors at the field. */
export function ConfigForm() {
  const { t, i18n } = useTranslation();
  const pickText = usePick();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [view, setView] = useState<View | null>(null);
  const [problem, setProblem] = useState<{ body: ApiErrorBody; unplaced: string[] } | null>(null);
  const [busy, setBusy] = useState<'validate' | 'save' | null>(null);

  const load = useCallback(async () => {
    try {
      const loaded = await call('config.get', {});
      setView(loaded);
      form.resetFields();
      form.setFieldsValue(toForm(loaded.config));
      setProblem(null);
    } catch (e) {
      setProblem({ body: errorBody(e), unplaced: [] });
    }
  }, [form]);

  useEffect(() => {
    void load();
  }, [load]);

  function clearErrors() {
    form.setFields(FIELDS.flatMap(({ section, fields }) => fields.map(([key]) => ({ name: [section, key], errors: [] }))));
  }

  /** Puts each issue (config.update.quietHour) on its field; the rest is listed above the form. */
  function showIssues(body: ApiErrorBody) {
    const unplaced: string[] = [];
    const placed: Array<{ name: string[]; errors: string[] }> = [];
    for (const issue of body.issues ?? []) {
      const path = issue.path.replace(/^config\.?/, '').split('.').filter(Boolean);
      const [first, second] = path;
      const field = FIELDS.find(({ section, fields }) =>
        section === 'seat'
          ? path.length === 1 && fields.some(([k]) => k === first)
          : section === first && fields.some(([k, kind]) => k === second && (path.length === 2 || (kind === 'mobiles' && path.length === 3))),
      );
      // An issue on one entry of a list field ("alarms.escalationMobiles.1") names the entry by its position.
      const index = path.length === 3 ? Number(path[2]) : NaN;
      const text = Number.isInteger(index) ? t('settings.entryProblem', { n: index + 1, message: pick(issue.message) }) : pick(issue.message);
      if (field && first) placed.push({ name: field.section === 'seat' ? ['seat', first] : [first, second ?? ''], errors: [text] });
      else unplaced.push(`${issue.path}: ${pick(issue.message)}`);
    }
    form.setFields(placed);
    setProblem({ body, unplaced });
  }

  async function submit(save: boolean) {
    if (!view) return;
    // Fields with their own check (the mobiles) are checked here too when only validating.
    if (!save && !(await form.validateFields().then(() => true, () => false))) return;
    setBusy(save ? 'save' : 'validate');
    clearErrors();
    setProblem(null);
    try {
      const latest = await call('config.get', {});
      const config = overlay(latest.config, view.config, form.getFieldsValue(true));
      if (save) {
        const saved = await call('config.save', { config });
        setView(saved);
        form.setFieldsValue(toForm(saved.config));
        // One keyed notice: saving twice in a row replaces it instead of stacking two identical lines.
        message.success({ key: 'config-result', content: t('settings.saved') });
      } else {
        await call('config.validate', { config });
        message.success({ key: 'config-result', content: t('settings.valid') });
      }
    } catch (e) {
      showIssues(errorBody(e));
    } finally {
      setBusy(null);
    }
  }

  const mobilesRule = {
    validator: (_rule: unknown, value: unknown) => {
      const problem = mobilesProblem(value);
      if (!problem) return Promise.resolve();
      const text =
        problem.kind === 'tooMany' ? t('settings.tooManyMobiles', { max: problem.max }) : t('settings.entryProblem', { n: problem.position, message: pick(problem.message) });
      return Promise.reject(new Error(text));
    },
  };

  const input = (section: string, key: string, kind: Kind): ReactNode => {
    if (kind === 'switch') return <Switch aria-label={t(`settings.fields.${section}.${key}`)} />;
    if (kind === 'number') return <InputNumber style={{ width: '100%' }} />;
    if (kind === 'mobiles') return <Input autoComplete="off" inputMode="tel" placeholder={t('settings.mobilesHint')} />;
    if (typeof kind === 'object') {
      return <Select options={kind.options.map((o) => ({ value: o, label: typeof o === 'number' ? String(o) : t(`settings.options.${o}`, { defaultValue: o }) }))} />;
    }
    return <Input autoComplete="off" placeholder={kind === 'secret' ? t('settings.secretHint') : undefined} />;
  };

  return (
    <Form form={form} layout="vertical" onFinish={() => void submit(true)} disabled={!view} data-testid="config-form">
      <Space style={{ marginBottom: 16 }} wrap>
        {view && (
          <Typography.Text type="secondary">
            {t('settings.file')}: <Typography.Text code>{view.file}</Typography.Text>{' '}
            <Tag color={view.source === 'file' ? 'blue' : 'default'}>{t(`settings.source.${view.source}`)}</Tag>
          </Typography.Text>
        )}
      </Space>
      {problem && (
        <Alert
          type="error"
          showIcon
          title={pickText(problem.body.message)}
          description={problem.unplaced.length > 0 ? problem.unplaced.join('\n') : undefined}
          style={{ marginBottom: 16, whiteSpace: 'pre-wrap' }}
          data-testid="config-error"
        />
      )}
      <Row gutter={16}>
        {FIELDS.map(({ section, fields }) => (
          <Col xs={24} xl={12} key={section}>
            <Card size="small" title={t(`settings.sections.${section}`)} style={{ marginBottom: 16 }}>
              <Row gutter={12}>
                {fields.map(([key, kind]) => (
                  // A field with a help text (escalation mobiles, the print browser) gets the card's full width.
                  <Col span={i18n.exists(`settings.help.${section}.${key}`) ? 24 : 12} key={key}>
                    <Form.Item
                      name={[section, key]}
                      label={t(`settings.fields.${section}.${key}`)}
                      valuePropName={kind === 'switch' ? 'checked' : 'value'}
                      style={{ marginBottom: 12 }}
                      extra={i18n.exists(`settings.help.${section}.${key}`) ? t(`settings.help.${section}.${key}`) : undefined}
                      validateTrigger={kind === 'mobiles' ? 'onBlur' : undefined}
                      rules={kind === 'mobiles' ? [mobilesRule] : undefined}
                    >
                      {input(section, key, kind)}
                    </Form.Item>
                  </Col>
                ))}
              </Row>
            </Card>
          </Col>
        ))}
      </Row>
      <Space>
        <Button icon={<CheckOutlined />} loading={busy === 'validate'} onClick={() => void submit(false)} data-testid="config-validate">
          {t('settings.validate')}
        </Button>
        <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy === 'save'} data-testid="config-save">
          {t('settings.save')}
        </Button>
        <Button onClick={() => void load()}>{t('settings.reload')}</Button>
        <Typography.Text type="secondary">{t('settings.keys')}</Typography.Text>
      </Space>
    </Form>
  );
}
