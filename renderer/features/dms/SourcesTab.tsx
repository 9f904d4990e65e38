import { ApiOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { requests, type ApiErrorBody, type RequestInput } from '../../../preload/contract';
import { call } from '../../api';
import { applyIssues, errorBody, errorText, schemaRule } from '../../app/errors';
import { usePick } from '../../app/language';
import { formatDateTime } from '../customers/format';
import { useDms, type DmsSource } from './store';

type Values = {
  name: string;
  kind: 'rest' | 'file';
  baseUrl?: string;
  apiKey?: string;
  attempts?: number | null;
  timeoutMs?: number | null;
  schedule?: string;
  reconcileSchedule?: string;
  enabled: boolean;
};
const FIELDS = ['name', 'kind', 'baseUrl', 'apiKey', 'attempts', 'timeoutMs', 'schedule', 'reconcileSchedule', 'enabled', 'id'] as const;
const shape = requests['dms.sources.save'].input.shape;

function toInput(values: Values, id: string | undefined): RequestInput<'dms.sources.save'> {
  const rest = values.kind === 'rest';
  return {
    ...(id ? { id } : {}),
    name: values.name,
    kind: values.kind,
    baseUrl: rest && values.baseUrl ? values.baseUrl.trim() : null,
    ...(rest && values.apiKey ? { apiKey: values.apiKey } : {}),
    attempts: rest ? (values.attempts ?? null) : null,
    timeoutMs: rest ? (values.timeoutMs ?? null) : null,
    schedule: rest && values.schedule?.trim() ? values.schedule.trim() : null,
    reconcileSchedule: rest && values.reconcileSchedule?.trim() ? values.reconcileSchedule.trim() : null,
    enabled: values.enabled,
  };
}

function SourceModal({ source, open, onClose }: { source: DmsSource | null; open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const pickText = usePick();
  const { message } = App.useApp();
  const load = useDms((s) => s.load);
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [problem, setProblem] = useState<ApiErrorBody | null>(null);
  const [tested, setTested] = useState<{ ok: boolean; text: string } | null>(null);

  async function save(values: Values) {
    setSaving(true);
    setProblem(null);
    try {
      const saved = await call('dms.sources.save', toInput(values, source?.id));
      message.success(t('dms.sources.saved', { name: saved.name }));
      await load();
      onClose();
    } catch (e) {
      const body = errorBody(e);
      if (!applyIssues(form, body, FIELDS)) setProblem(body);
    } finally {
      setSaving(false);
    }
  }

  async function test() {
    setTesting(true);
    setTested(null);
    try {
      const values = form.getFieldsValue();
      const r = await call('dms.sources.test', { ...(source ? { id: source.id } : {}), baseUrl: (values.baseUrl ?? '').trim(), ...(values.apiKey ? { apiKey: values.apiKey } : {}) });
      setTested({ ok: r.ok, text: pickText(r.message) });
    } catch (e) {
      const body = errorBody(e);
      if (!applyIssues(form, body, FIELDS)) setTested({ ok: false, text: errorText(e) });
    } finally {
      setTesting(false);
    }
  }

  return (
    <Modal
      open={open}
      title={source ? t('dms.sources.edit') : t('dms.sources.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: saving }}
      destroyOnHidden
      width={600}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={save}
        requiredMark={false}
        initialValues={
          source
            ? { name: source.name, kind: source.kind, baseUrl: source.baseUrl ?? '', attempts: source.attempts, timeoutMs: source.timeoutMs, schedule: source.schedule ?? '', reconcileSchedule: source.reconcileSchedule ?? '', enabled: source.enabled }
            : { kind: 'rest', enabled: true }
        }
      >
        <Form.Item name="name" label={t('dms.sources.name')} rules={[schemaRule((v) => shape.name.safeParse(v ?? ''))]}>
          <Input autoFocus maxLength={60} data-testid="dms-source-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('dms.sources.kind')}>
          <Select disabled={Boolean(source)} options={(['rest', 'file'] as const).map((k) => ({ value: k, label: t(`dms.kind.${k}`) }))} />
        </Form.Item>
        {kind !== 'file' && (
          <>
            <Form.Item name="baseUrl" label={t('dms.sources.baseUrl')} extra={t('dms.sources.baseUrlHint')}>
              <Input placeholder="http://10.0.0.5:8080" data-testid="dms-source-url" />
            </Form.Item>
            <Form.Item name="apiKey" label={t('dms.sources.apiKey')} extra={source?.hasApiKey ? t('dms.sources.apiKeyKept') : undefined}>
              <Input.Password autoComplete="off" data-testid="dms-source-key" />
            </Form.Item>
            <Space size="large" wrap>
              <Form.Item name="schedule" label={t('dms.sources.schedule')} extra={t('dms.sources.scheduleHint')}>
                <Input placeholder="*/30 * * * *" style={{ width: 200 }} data-testid="dms-source-schedule" />
              </Form.Item>
              <Form.Item name="reconcileSchedule" label={t('dms.sources.reconcileSchedule')} extra={t('dms.sources.reconcileHint')}>
                <Input placeholder="0 2 * * *" style={{ width: 200 }} />
              </Form.Item>
            </Space>
            <Space size="large" wrap>
              <Form.Item name="attempts" label={t('dms.sources.attempts')}>
                <InputNumber min={1} max={20} />
              </Form.Item>
              <Form.Item name="timeoutMs" label={t('dms.sources.timeoutMs')}>
                <InputNumber min={100} max={600000} step={1000} />
              </Form.Item>
            </Space>
            <Space>
              <Button icon={<ApiOutlined />} loading={testing} onClick={() => void test()} data-testid="dms-source-test">
                {t('dms.sources.test')}
              </Button>
              {tested && <Tag color={tested.ok ? 'success' : 'error'} data-testid="dms-source-test-result">{tested.text}</Tag>}
            </Space>
          </>
        )}
        <Form.Item name="enabled" label={t('dms.sources.enabled')} valuePropName="checked" style={{ marginTop: 16 }}>
          <Switch />
        </Form.Item>
        {problem && <Alert type="error" showIcon role="alert" title={pickText(problem.message)} />}
        {/* Enter in any field submits, as in every form of the workstation. */}
        <button type="submit" hidden aria-hidden />
      </Form>
    </Modal>
  );
}

/** Sources list; adding and editing (REST address, key, schedules, test connection) is for administrators. */
export function SourcesTab({ editable }: { editable: boolean }) {
  const { t } = useTranslation();
  const { sources, loading } = useDms();
  const [editing, setEditing] = useState<DmsSource | null>(null);
  const [open, setOpen] = useState(false);

  const columns: TableColumnsType<DmsSource> = [
    { title: t('dms.sources.name'), dataIndex: 'name', width: 180 },
    { title: t('dms.sources.kind'), dataIndex: 'kind', width: 90, render: (v: DmsSource['kind']) => t(`dms.kind.${v}`) },
    { title: t('dms.sources.baseUrl'), dataIndex: 'baseUrl', render: (v: string | null) => v ?? '—' },
    { title: t('dms.sources.apiKey'), dataIndex: 'hasApiKey', width: 90, render: (v: boolean) => (v ? t('dms.sources.keySet') : '—') },
    { title: t('dms.sources.schedule'), dataIndex: 'schedule', width: 140, render: (v: string | null) => v ?? t('dms.sources.manualOnly') },
    { title: t('dms.sources.nextRun'), dataIndex: 'nextRun', width: 150, render: (v: string | null) => (v ? formatDateTime(v) : '—') },
    { title: t('dms.sources.enabled'), dataIndex: 'enabled', width: 80, render: (v: boolean) => (v ? t('common.yes') : t('common.no')) },
    ...(editable
      ? [
          {
            title: '',
            width: 90,
            render: (_: unknown, s: DmsSource) => (
              <Button
                size="small"
                onClick={() => {
                  setEditing(s);
                  setOpen(true);
                }}
              >
                {t('common.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {editable ? (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            setEditing(null);
            setOpen(true);
          }}
          data-testid="dms-source-add"
        >
          {t('dms.sources.add')}
        </Button>
      ) : (
        <Alert type="info" showIcon title={t('dms.sources.adminsOnly')} />
      )}
      <Table<DmsSource> rowKey="id" size="small" columns={columns} dataSource={sources} loading={loading} pagination={false} data-testid="dms-sources" />
      {open && <SourceModal source={editing} open={open} onClose={() => setOpen(false)} />}
    </Space>
  );
}
