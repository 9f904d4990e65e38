import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { requests, type ApiErrorBody, type RequestOutput } from '../../../preload/contract';
import { call, getApi } from '../../api';
import { applyIssues, errorBody, errorText, schemaRule } from '../../app/errors';
import { usePick } from '../../app/language';
import { formatDateTime } from '../customers/format';

type Silence = RequestOutput<'alarms.silences.list'>[number];
interface Values {
  kind: Silence['kind'];
  pattern: string;
  reason: string;
  startsAt: Dayjs | null;
  endsAt: Dayjs | null;
}
const shape = requests['alarms.silences.create'].input.shape;
const FIELDS = ['kind', 'pattern', 'reason', 'startsAt', 'endsAt'] as const;

function SilenceModal({ open, onClose, onCreated }: { open: boolean; onClose(): void; onCreated(): void }) {
  const { t } = useTranslation();
  const pickText = usePick();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<ApiErrorBody | null>(null);

  async function submit(values: Values) {
    setSaving(true);
    setProblem(null);
    try {
      await call('alarms.silences.create', {
        kind: values.kind,
        pattern: values.pattern,
        reason: values.reason,
        startsAt: values.startsAt ? values.startsAt.toISOString() : null,
        endsAt: (values.endsAt ?? dayjs()).toISOString(),
      });
      message.success(t('alarms.silences.created'));
      form.resetFields();
      onCreated();
      onClose();
    } catch (error) {
      const body = errorBody(error);
      if (!applyIssues(form, body, FIELDS)) setProblem(body);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={open}
      title={t('alarms.silences.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: saving }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        requiredMark={false}
        initialValues={{ kind: 'silence', startsAt: null, endsAt: dayjs().add(1, 'hour') }}
      >
        <Form.Item name="kind" label={t('alarms.silences.kind')}>
          <Select options={(['silence', 'maintenance'] as const).map((k) => ({ value: k, label: t(`alarms.silences.kinds.${k}`) }))} />
        </Form.Item>
        <Form.Item
          name="pattern"
          label={t('alarms.silences.pattern')}
          extra={t('alarms.silences.patternHelp')}
          rules={[schemaRule((v) => shape.pattern.safeParse(v ?? ''))]}
        >
          <Input autoFocus maxLength={200} placeholder="backup-01/*" data-testid="silence-pattern" />
        </Form.Item>
        <Form.Item name="reason" label={t('alarms.silences.reason')} rules={[schemaRule((v) => shape.reason.safeParse(v ?? ''))]}>
          <Input maxLength={500} data-testid="silence-reason" />
        </Form.Item>
        <Space>
          <Form.Item name="startsAt" label={t('alarms.silences.startsAt')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          <Form.Item name="endsAt" label={t('alarms.silences.endsAt')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" allowClear={false} />
          </Form.Item>
        </Space>
        {problem && <Alert type="error" showIcon role="alert" title={pickText(problem.message)} />}
      </Form>
    </Modal>
  );
}

/** Silences and maintenance windows: time-boxed, who/why recorded; checks keep running underneath. */
export function SilencesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [rows, setRows] = useState<Silence[]>([]);
  const [loading, setLoading] = useState(true);
  const [includeOver, setIncludeOver] = useState(false);
  const [creating, setCreating] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setRows(await call('alarms.silences.list', { includeOver }));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setLoading(false);
    }
  }, [includeOver, message]);

  useEffect(() => {
    void load();
    return getApi().on('alarms.silencesChanged', () => void load());
  }, [load]);

  async function end(row: Silence) {
    try {
      await call('alarms.silences.end', { id: row.id });
      message.success(t('alarms.silences.ended'));
      await load();
    } catch (error) {
      message.error(errorText(error));
    }
  }

  const columns: TableColumnsType<Silence> = [
    { title: t('alarms.silences.kind'), dataIndex: 'kind', width: 110, render: (_, r) => t(`alarms.silences.kinds.${r.kind}`) },
    { title: t('alarms.silences.pattern'), dataIndex: 'pattern' },
    { title: t('alarms.silences.reason'), dataIndex: 'reason' },
    { title: t('alarms.silences.startsAt'), dataIndex: 'startsAt', width: 140, render: (v: string) => formatDateTime(v) },
    { title: t('alarms.silences.endsAt'), dataIndex: 'endsAt', width: 140, render: (_, r) => formatDateTime(r.endedAt ?? r.endsAt) },
    { title: t('alarms.silences.createdBy'), dataIndex: 'createdByName', width: 100 },
    {
      title: t('alarms.col.state'),
      key: 'status',
      width: 90,
      render: (_, r) =>
        r.active ? (
          <Tag color="blue">{t('alarms.silences.active')}</Tag>
        ) : r.endedAt ? (
          <Tag>{t('alarms.silences.over')}</Tag>
        ) : (
          <Tag color="default">{t('alarms.silences.scheduled')}</Tag>
        ),
    },
    {
      title: t('alarms.col.actions'),
      key: 'actions',
      width: 110,
      render: (_, r) =>
        !r.endedAt && (
          <Popconfirm title={t('alarms.silences.endConfirm')} onConfirm={() => void end(r)}>
            <Button size="small" data-testid="silence-end">
              {t('alarms.silences.end')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="silence-create">
          {t('alarms.silences.create')}
        </Button>
        <Switch checked={includeOver} onChange={setIncludeOver} aria-label={t('alarms.silences.includeOver')} data-testid="silence-include-over" />{' '}
        {t('alarms.silences.includeOver')}
      </Space>
      <Table<Silence>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={loading}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        onRow={(r) => ({
          id: `silence-${r.id}`,
          'data-testid': 'silence-row',
          'data-pattern': r.pattern,
          'data-status': r.active ? 'active' : r.endedAt ? 'over' : 'scheduled',
        })}
      />
      <SilenceModal open={creating} onClose={() => setCreating(false)} onCreated={() => void load()} />
    </Space>
  );
}
