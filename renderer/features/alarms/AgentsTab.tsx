import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Form, Input, InputNumber, Modal, Popconfirm, Space, Switch, Table, Tag, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { requests, type ApiErrorBody, type RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { applyIssues, errorBody, errorText, schemaRule } from '../../app/errors';
import { pick, usePick } from '../../app/language';

type Agent = RequestOutput<'alarms.agents.list'>[number];
interface Values {
  name: string;
  url: string;
  secret?: string;
  clearSecret?: boolean;
  periodS: number;
  timeoutS: number;
  channel?: string;
  enabled: boolean;
}
const shape = requests['alarms.agents.test'].input.shape;
const FIELDS = ['name', 'url', 'secret', 'periodS', 'timeoutS', 'channel'] as const;
/** Host issue paths are the contract's; the form shows seconds. */
const PATH_TO_FIELD: Record<string, string> = { periodMs: 'periodS', timeoutMs: 'timeoutS' };

function AgentModal({ agent, open, onClose, onSaved }: { agent: Agent | null; open: boolean; onClose(): void; onSaved(): void }) {
  const { t } = useTranslation();
  const pickText = usePick();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [problem, setProblem] = useState<ApiErrorBody | null>(null);

  function showError(error: unknown) {
    const body = errorBody(error);
    const mapped = { ...body, issues: body.issues?.map((i) => ({ ...i, path: PATH_TO_FIELD[i.path] ?? i.path })) };
    if (!applyIssues(form, mapped, FIELDS)) setProblem(body);
  }

  function secretOf(v: Values): string | null | undefined {
    if (v.secret) return v.secret;
    if (agent && !v.clearSecret) return undefined;
    return null;
  }

  async function save(v: Values) {
    setSaving(true);
    setProblem(null);
    const fields = {
      name: v.name,
      url: v.url.trim(),
      periodMs: Math.round(v.periodS * 1000),
      timeoutMs: Math.round(v.timeoutS * 1000),
      channel: v.channel?.trim() ? v.channel.trim() : null,
      enabled: v.enabled,
    };
    const secret = secretOf(v);
    const withSecret = secret === undefined ? fields : { ...fields, secret };
    try {
      if (agent) await call('alarms.agents.update', { id: agent.id, agent: withSecret });
      else await call('alarms.agents.add', withSecret);
      message.success(t('alarms.agents.saved'));
      onSaved();
      onClose();
    } catch (error) {
      showError(error);
    } finally {
      setSaving(false);
    }
  }

  async function test() {
    setTesting(true);
    setProblem(null);
    try {
      const v = await form.validateFields(['url', 'secret']);
      const r = await call('alarms.agents.test', { url: v.url.trim(), secret: v.secret ? v.secret : null, id: agent?.id ?? null });
      message.success(t('alarms.agents.testOk', { name: r.agent.name, host: r.agent.hostname, count: r.checks.length }));
    } catch (error) {
      if (error instanceof Error && error.name === 'ApiError') showError(error);
    } finally {
      setTesting(false);
    }
  }

  return (
    <Modal
      open={open}
      title={agent ? t('alarms.agents.edit') : t('alarms.agents.add')}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="test" loading={testing} onClick={() => void test()} data-testid="agent-test">
          {t('alarms.agents.test')}
        </Button>,
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="save" type="primary" loading={saving} onClick={() => form.submit()} data-testid="agent-save">
          {t('common.save')}
        </Button>,
      ]}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={save}
        requiredMark={false}
        initialValues={
          agent
            ? { name: agent.name, url: agent.url, periodS: agent.periodMs / 1000, timeoutS: agent.timeoutMs / 1000, channel: agent.channel ?? '', enabled: agent.enabled }
            : { periodS: 10, timeoutS: 5, enabled: true }
        }
      >
        <Form.Item name="name" label={t('alarms.agents.name')} rules={[{ required: true, message: pick({ zh: '服务器名称为 1–64 个字符', en: 'A server name has 1–64 characters' }) }]}>
          <Input autoFocus maxLength={64} placeholder="备份服务器 / backup-01" data-testid="agent-name" />
        </Form.Item>
        <Form.Item name="url" label={t('alarms.agents.url')} rules={[schemaRule((v) => shape.url.safeParse(v ?? ''))]}>
          <Input maxLength={300} placeholder="http://192.168.1.20:7801" data-testid="agent-url" />
        </Form.Item>
        <Form.Item name="secret" label={t('alarms.agents.secret')} extra={agent?.hasSecret ? t('alarms.agents.secretKeep') : undefined}>
          <Input.Password autoComplete="new-password" maxLength={256} />
        </Form.Item>
        {agent?.hasSecret && (
          <Form.Item name="clearSecret" valuePropName="checked">
            <Checkbox>{t('alarms.agents.clearSecret')}</Checkbox>
          </Form.Item>
        )}
        <Space>
          <Form.Item name="periodS" label={t('alarms.agents.period')}>
            <InputNumber min={1} max={3600} step={1} data-testid="agent-period" />
          </Form.Item>
          <Form.Item name="timeoutS" label={t('alarms.agents.timeout')}>
            <InputNumber min={0.2} max={60} step={0.5} data-testid="agent-timeout" />
          </Form.Item>
          <Form.Item name="enabled" label={t('alarms.agents.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Form.Item name="channel" label={t('alarms.agents.channel')}>
          <Input maxLength={32} placeholder="sms" />
        </Form.Item>
        {problem && <Alert type="error" showIcon role="alert" title={pickText(problem.message)} data-testid="agent-problem" />}
      </Form>
    </Modal>
  );
}

/** The health agents IT points this workstation at (administrators). */
export function AgentsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [rows, setRows] = useState<Agent[]>([]);
  const [loading, setLoading] = useState(true);
  const [editing, setEditing] = useState<{ agent: Agent | null } | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setRows(await call('alarms.agents.list', {}));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setLoading(false);
    }
  }, [message]);

  useEffect(() => {
    void load();
  }, [load]);

  async function remove(agent: Agent) {
    try {
      await call('alarms.agents.remove', { id: agent.id });
      message.success(t('alarms.agents.removed'));
      await load();
    } catch (error) {
      message.error(errorText(error));
    }
  }

  const columns: TableColumnsType<Agent> = [
    { title: t('alarms.agents.name'), dataIndex: 'name' },
    { title: t('alarms.agents.url'), dataIndex: 'url' },
    { title: t('alarms.agents.period'), dataIndex: 'periodMs', width: 110, render: (v: number) => v / 1000 },
    { title: t('alarms.agents.timeout'), dataIndex: 'timeoutMs', width: 100, render: (v: number) => v / 1000 },
    {
      title: t('alarms.col.state'),
      key: 'flags',
      render: (_, a) => (
        <Space size={4}>
          <Tag color={a.enabled ? 'green' : 'default'}>{a.enabled ? t('alarms.agents.enabled') : '—'}</Tag>
          {a.streaming && <Tag color="blue">{t('alarms.agents.streaming')}</Tag>}
          {a.hasSecret && <Tag>{t('alarms.agents.hasSecret')}</Tag>}
          {a.channel && <Tag>{a.channel}</Tag>}
        </Space>
      ),
    },
    {
      title: t('alarms.col.actions'),
      key: 'actions',
      width: 160,
      render: (_, a) => (
        <Space>
          <Button size="small" onClick={() => setEditing({ agent: a })}>
            {t('alarms.agents.edit')}
          </Button>
          <Popconfirm title={t('alarms.agents.removeConfirm', { name: a.name })} onConfirm={() => void remove(a)}>
            <Button size="small" danger data-testid="agent-remove">
              {t('alarms.agents.remove')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ agent: null })} data-testid="agent-add">
        {t('alarms.agents.add')}
      </Button>
      <Table<Agent>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={loading}
        pagination={false}
        onRow={(a) => ({ id: `agent-${a.id}`, 'data-testid': 'agent-row', 'data-name': a.name })}
      />
      {editing && <AgentModal open agent={editing.agent} onClose={() => setEditing(null)} onSaved={() => void load()} />}
    </Space>
  );
}
