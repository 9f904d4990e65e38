/** 短信猫设置 (admin): port (picked from the detected ports or typed), baud, pace, quiet hours, daily cap. */
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, AutoComplete, Button, Card, Form, Input, InputNumber, Select, Skeleton, Space, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { automatedDailyAllowance } from '../../../preload/channels/modem';
import type { RequestInput, RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { applyIssues, errorBody, errorText } from '../../app/errors';
import { DemoInject } from './DemoInject';
import { ModemStatusBadge } from './parts';
import { useModem } from './store';

type Settings = RequestOutput<'modem.settings'>;
type Port = RequestOutput<'modem.ports'>[number];
interface Values {
  enabled: boolean;
  port: string;
  baudRate: number;
  maxSmsPerMinute: number;
  quiet: boolean;
  quietStart: string;
  quietEnd: string;
  perCustomerDailyCap: number;
}
const FIELDS = ['enabled', 'port', 'baudRate', 'maxSmsPerMinute', 'quietStart', 'quietEnd', 'perCustomerDailyCap'];

const toValues = (s: Settings): Values => ({
  enabled: s.enabled,
  port: s.port ?? '',
  baudRate: s.baudRate,
  maxSmsPerMinute: s.maxSmsPerMinute,
  quiet: s.quietHours !== null,
  quietStart: s.quietHours?.start ?? '21:00',
  quietEnd: s.quietHours?.end ?? '08:00',
  perCustomerDailyCap: s.perCustomerDailyCap,
});

/** The cap's rule in words for the number being typed: how many automated SMS, how many kept for agents. */
function capHint(t: TFunction, cap: number | null | undefined): string {
  const n = typeof cap === 'number' && cap >= 1 ? cap : 5;
  const automated = automatedDailyAllowance(n);
  return automated < n ? t('modem.settings.dailyCapHint', { automated, kept: n - automated }) : t('modem.settings.dailyCapHintNone');
}

export function SettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const quiet = Form.useWatch('quiet', form);
  const cap = Form.useWatch('perCustomerDailyCap', form);
  const refreshStatus = useModem((s) => s.refreshStatus);
  const [loaded, setLoaded] = useState(false);
  const [ports, setPorts] = useState<Port[]>([]);
  const [scanning, setScanning] = useState(false);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function scan() {
    setScanning(true);
    try {
      setPorts(await call('modem.ports', {}));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setScanning(false);
    }
  }

  useEffect(() => {
    call('modem.settings', {})
      .then((s) => {
        form.setFieldsValue(toValues(s));
        setLoaded(true);
      })
      .catch((e: unknown) => setProblem(errorText(e)));
    void scan();
  }, []);

  async function save(v: Values) {
    setSaving(true);
    setProblem(null);
    const input: RequestInput<'modem.configure'> = {
      enabled: v.enabled,
      port: v.port.trim() || null,
      baudRate: v.baudRate,
      maxSmsPerMinute: v.maxSmsPerMinute,
      quietHours: v.quiet ? { start: v.quietStart, end: v.quietEnd } : null,
      perCustomerDailyCap: v.perCustomerDailyCap,
    };
    try {
      const saved = await call('modem.configure', input);
      form.setFieldsValue(toValues(saved));
      message.success(t('modem.settings.saved'));
      void refreshStatus();
    } catch (error) {
      const body = errorBody(error);
      const renamed = { ...body, issues: body.issues?.map((i) => ({ ...i, path: i.path.replace(/^quietHours\.(start|end)$/, (_m, p: string) => (p === 'start' ? 'quietStart' : 'quietEnd')) })) };
      if (!applyIssues(form, renamed, FIELDS)) setProblem(errorText(error));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Card
      title={
        <Space>
          <Button type="text" icon={<ArrowLeftOutlined />} href="#/modem" aria-label={t('modem.back')} />
          {t('modem.settings.title')}
        </Space>
      }
      extra={<ModemStatusBadge />}
      style={{ maxWidth: 720 }}
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} />}
      {!loaded && !problem ? (
        <Skeleton active />
      ) : (
        <Form form={form} layout="vertical" onFinish={save} requiredMark={false} data-testid="modem-settings-form">
          <Form.Item name="enabled" label={t('modem.settings.enabled')} valuePropName="checked">
            <Switch data-testid="modem-enabled" />
          </Form.Item>
          <Form.Item label={t('modem.settings.port')} extra={t('modem.settings.portHint')} required>
            <Space.Compact style={{ width: '100%' }}>
              <Form.Item name="port" noStyle>
                <AutoComplete
                  options={ports.map((p) => ({ value: p.path, label: `${p.path}${p.manufacturer ? ` · ${p.manufacturer}` : ''}` }))}
                  placeholder="COM3 / /dev/ttyUSB2"
                  style={{ width: '100%' }}
                >
                  <Input aria-label={t('modem.settings.port')} data-testid="modem-port" />
                </AutoComplete>
              </Form.Item>
              <Button icon={<ReloadOutlined />} loading={scanning} onClick={() => void scan()}>
                {t('modem.settings.scan')}
              </Button>
            </Space.Compact>
          </Form.Item>
          <Form.Item name="baudRate" label={t('modem.settings.baudRate')}>
            <Select options={[9600, 19200, 38400, 57600, 115200].map((b) => ({ value: b, label: String(b) }))} />
          </Form.Item>
          <Form.Item name="maxSmsPerMinute" label={t('modem.settings.rate')} extra={t('modem.settings.rateHint')}>
            <InputNumber min={1} max={12} />
          </Form.Item>
          <Form.Item name="perCustomerDailyCap" label={t('modem.settings.dailyCap')} extra={<span data-testid="modem-cap-hint">{capHint(t, cap)}</span>}>
            <InputNumber min={1} max={50} aria-label={t('modem.settings.dailyCap')} />
          </Form.Item>
          <Form.Item name="quiet" label={t('modem.settings.quiet')} valuePropName="checked" extra={t('modem.settings.quietHint')}>
            <Switch />
          </Form.Item>
          {quiet && (
            <Space>
              <Form.Item name="quietStart" label={t('modem.settings.quietStart')}>
                <Input style={{ width: 100 }} placeholder="21:00" />
              </Form.Item>
              <Form.Item name="quietEnd" label={t('modem.settings.quietEnd')}>
                <Input style={{ width: 100 }} placeholder="08:00" />
              </Form.Item>
            </Space>
          )}
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={saving} data-testid="modem-save">
              {t('modem.settings.save')}
            </Button>
          </Form.Item>
        </Form>
      )}
      <DemoInject port={Form.useWatch('port', form)} />
    </Card>
  );
}
