/**
 * 活动设置, lower half (supervisors): the lists the campaigns run on — call outcomes (what each does:
 * reached, unreachable toward the SMS/letter fallback, hide days, call back), the feedback and close
 * reasons agents choose from, the 年审 rule table, which changes with the regulations, and the sales teams
 * 按销售团队分配 assigns by (SalesTeamsCard). Codes are
 * fixed once saved (reports and tasks keep them); names and switches change freely.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, InputNumber, Modal, Segmented, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DispositionConfigDto, InspectionRuleDto, ReasonConfigDto } from '../../../preload/channels/campaign-settings';
import { call } from '../../api';
import { applyIssues, errorBody, errorText } from '../../app/errors';
import { useLanguage, usePick } from '../../app/language';
import { SalesTeamsCard } from './SalesTeamsCard';
import { useCampaignLists } from './store';

const DISPOSITION_FIELDS = ['code', 'labelZh', 'labelEn', 'reached', 'unreachable', 'hideDays', 'callback', 'active'] as const;
const REASON_FIELDS = ['code', 'labelZh', 'labelEn', 'active'] as const;
const RULE_FIELDS = ['vehicleClass', 'fromMonths', 'toMonths', 'everyMonths', 'onSite', 'noteZh'] as const;
type RuleField = (typeof RULE_FIELDS)[number];

export function ListsSettings() {
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%', marginTop: 16 }}>
      <DispositionsCard />
      <ReasonsCard />
      <InspectionRulesCard />
      <SalesTeamsCard />
    </Space>
  );
}

function useLabel() {
  const lang = useLanguage((s) => s.lang);
  return (x: { labelZh: string; labelEn: string }) => (lang === 'zh-CN' ? x.labelZh : x.labelEn);
}

function DispositionsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const label = useLabel();
  const [rows, setRows] = useState<DispositionConfigDto[]>([]);
  const [editing, setEditing] = useState<{ adding: boolean } | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<DispositionConfigDto>();

  useEffect(() => {
    call('campaigns.config.dispositions', {})
      .then(setRows)
      .catch((error: unknown) => message.error(errorText(error)));
  }, [message]);

  async function save(values: DispositionConfigDto): Promise<boolean> {
    setSaving(true);
    try {
      setRows(await call('campaigns.config.saveDisposition', values));
      message.success(t('campaigns.lists.saved'));
      void useCampaignLists.getState().reload();
      return true;
    } catch (error) {
      if (!applyIssues(form, errorBody(error), DISPOSITION_FIELDS)) message.error(errorText(error));
      return false;
    } finally {
      setSaving(false);
    }
  }

  function open(row: DispositionConfigDto | null) {
    form.resetFields();
    form.setFieldsValue(row ?? { code: '', labelZh: '', labelEn: '', reached: false, unreachable: true, hideDays: 0, callback: false, active: true });
    setEditing({ adding: row === null });
  }

  async function submit() {
    let v: DispositionConfigDto;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (await save({ ...v, hideDays: v.hideDays ?? 0 })) setEditing(null);
  }

  return (
    <Card
      size="small"
      title={t('campaigns.lists.dispositions')}
      extra={
        <Button icon={<PlusOutlined />} onClick={() => open(null)} data-testid="disposition-add">
          {t('campaigns.lists.addDisposition')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('campaigns.lists.dispositionsHint')}</Typography.Paragraph>
      <Table<DispositionConfigDto>
        size="small"
        rowKey="code"
        pagination={false}
        dataSource={rows}
        onRow={(d) => ({ id: `disposition-${d.code}`, 'data-testid': 'disposition-row', 'data-code': d.code })}
        columns={[
          { title: t('campaigns.lists.key'), key: 'key', width: 60, render: (_, d) => (d.active ? rows.filter((x) => x.active).indexOf(d) + 1 : '—') },
          { title: t('campaigns.lists.name'), key: 'name', render: (_, d) => label(d) },
          { title: t('campaigns.lists.code'), dataIndex: 'code', width: 140 },
          {
            title: t('campaigns.lists.effect'),
            key: 'effect',
            render: (_, d) => (
              <>
                {d.reached && <Tag color="green">{t('campaigns.lists.reached')}</Tag>}
                {d.unreachable && <Tag color="orange">{t('campaigns.lists.unreachable')}</Tag>}
                {d.callback && <Tag color="blue">{t('campaigns.lists.callback')}</Tag>}
                {d.hideDays > 0 && <Tag>{t('campaigns.lists.hides', { count: d.hideDays })}</Tag>}
                {d.code === 'not_owner' && <Tag color="red">{t('campaigns.lists.marksSold')}</Tag>}
              </>
            ),
          },
          {
            title: t('campaigns.lists.active'),
            key: 'active',
            width: 80,
            render: (_, d) => <Switch size="small" checked={d.active} aria-label={`${label(d)} ${t('campaigns.lists.active')}`} onChange={(on) => void save({ ...d, active: on })} />,
          },
          { title: '', key: 'edit', width: 90, render: (_, d) => <Button onClick={() => open(d)}>{t('campaigns.settings.edit')}</Button> },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing?.adding ? t('campaigns.lists.addDisposition') : t('campaigns.lists.editDisposition')}
        onCancel={() => setEditing(null)}
        onOk={() => void submit()}
        okText={t('campaigns.settings.save')}
        confirmLoading={saving}
        forceRender
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={() => void submit()}
          onValuesChange={(changed: Partial<DispositionConfigDto>) => form.setFields(DISPOSITION_FIELDS.filter((n) => n in changed).map((name) => ({ name, errors: [] })))}
        >
          <Form.Item name="code" label={t('campaigns.lists.code')} extra={t('campaigns.lists.codeHint')}>
            <Input disabled={!editing?.adding} maxLength={40} />
          </Form.Item>
          <Space wrap>
            <Form.Item name="labelZh" label={t('campaigns.lists.labelZh')}>
              <Input maxLength={40} />
            </Form.Item>
            <Form.Item name="labelEn" label={t('campaigns.lists.labelEn')}>
              <Input maxLength={40} />
            </Form.Item>
          </Space>
          <Space wrap size="large">
            <Form.Item name="reached" label={t('campaigns.lists.reached')} valuePropName="checked" tooltip={t('campaigns.lists.reachedHint')}>
              <Switch />
            </Form.Item>
            <Form.Item name="unreachable" label={t('campaigns.lists.unreachable')} valuePropName="checked" tooltip={t('campaigns.lists.unreachableHint')}>
              <Switch />
            </Form.Item>
            <Form.Item name="callback" label={t('campaigns.lists.callback')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="hideDays" label={t('campaigns.lists.hideDays')}>
              <InputNumber min={0} max={3650} />
            </Form.Item>
            <Form.Item name="active" label={t('campaigns.lists.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </Card>
  );
}

type ReasonRow = Omit<ReasonConfigDto, 'kind'>;

function ReasonsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const label = useLabel();
  const [kind, setKind] = useState<'feedback' | 'close'>('feedback');
  const [rows, setRows] = useState<ReasonRow[]>([]);
  const [editing, setEditing] = useState<{ adding: boolean } | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<ReasonRow>();

  const load = useCallback(async () => {
    try {
      setRows(await call('campaigns.config.reasons', { kind }));
    } catch (error) {
      message.error(errorText(error));
    }
  }, [kind, message]);
  useEffect(() => {
    void load();
  }, [load]);

  async function save(values: Omit<ReasonRow, 'automatic'>): Promise<boolean> {
    setSaving(true);
    try {
      setRows(await call('campaigns.config.saveReason', { kind, code: values.code, labelZh: values.labelZh, labelEn: values.labelEn, active: values.active }));
      message.success(t('campaigns.lists.saved'));
      void useCampaignLists.getState().reload();
      return true;
    } catch (error) {
      if (!applyIssues(form, errorBody(error), REASON_FIELDS)) message.error(errorText(error));
      return false;
    } finally {
      setSaving(false);
    }
  }

  function open(row: ReasonRow | null) {
    form.resetFields();
    form.setFieldsValue(row ?? { code: '', labelZh: '', labelEn: '', active: true, automatic: false });
    setEditing({ adding: row === null });
  }

  async function submit() {
    let v: ReasonRow;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (await save(v)) setEditing(null);
  }

  const automatic = Form.useWatch('automatic', form);

  return (
    <Card
      size="small"
      title={t('campaigns.lists.reasons')}
      extra={
        <Space>
          <Segmented
            value={kind}
            onChange={(v) => setKind(v === 'close' ? 'close' : 'feedback')}
            options={[
              { value: 'feedback', label: t('campaigns.lists.feedback') },
              { value: 'close', label: t('campaigns.lists.close') },
            ]}
            data-testid="reason-kind"
          />
          <Button icon={<PlusOutlined />} onClick={() => open(null)} data-testid="reason-add">
            {t('campaigns.lists.addReason')}
          </Button>
        </Space>
      }
    >
      <Table<ReasonRow>
        size="small"
        rowKey="code"
        pagination={false}
        dataSource={rows}
        onRow={(r) => ({ id: `reason-${kind}-${r.code}`, 'data-testid': 'reason-row', 'data-code': r.code })}
        columns={[
          { title: t('campaigns.lists.name'), key: 'name', render: (_, r) => label(r) },
          { title: t('campaigns.lists.code'), dataIndex: 'code', width: 180 },
          {
            title: t('campaigns.lists.active'),
            key: 'active',
            width: 120,
            render: (_, r) =>
              r.automatic ? (
                <Tooltip title={t('campaigns.lists.automaticHint')}>
                  <Tag>{t('campaigns.lists.automatic')}</Tag>
                </Tooltip>
              ) : (
                <Switch size="small" checked={r.active} aria-label={`${label(r)} ${t('campaigns.lists.active')}`} onChange={(on) => void save({ ...r, active: on })} />
              ),
          },
          { title: '', key: 'edit', width: 90, render: (_, r) => <Button onClick={() => open(r)}>{t('campaigns.settings.edit')}</Button> },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing?.adding ? t('campaigns.lists.addReason') : t('campaigns.lists.editReason')}
        onCancel={() => setEditing(null)}
        onOk={() => void submit()}
        okText={t('campaigns.settings.save')}
        confirmLoading={saving}
        forceRender
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={() => void submit()}
          onValuesChange={(changed: Partial<ReasonRow>) => form.setFields(REASON_FIELDS.filter((n) => n in changed).map((name) => ({ name, errors: [] })))}
        >
          <Form.Item name="automatic" hidden valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="code" label={t('campaigns.lists.code')} extra={t('campaigns.lists.codeHint')}>
            <Input disabled={!editing?.adding} maxLength={40} />
          </Form.Item>
          <Form.Item name="labelZh" label={t('campaigns.lists.labelZh')}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="labelEn" label={t('campaigns.lists.labelEn')}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="active" label={t('campaigns.lists.active')} valuePropName="checked">
            <Switch disabled={automatic === true} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

function InspectionRulesCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const pick = usePick();
  const [rows, setRows] = useState<InspectionRuleDto[]>([]);
  const [editing, setEditing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ rules: InspectionRuleDto[] }>();

  useEffect(() => {
    call('campaigns.config.inspectionRules', {})
      .then(setRows)
      .catch((error: unknown) => message.error(errorText(error)));
  }, [message]);

  function open() {
    form.resetFields();
    form.setFieldsValue({ rules: rows });
    setEditing(true);
  }

  async function submit() {
    let v: { rules?: InspectionRuleDto[] };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      const rules = (v.rules ?? []).map((r) => ({ ...r, onSite: r.onSite === true, noteZh: r.noteZh?.trim() ? r.noteZh : null }));
      setRows(await call('campaigns.config.saveInspectionRules', { rules }));
      message.success(t('campaigns.lists.saved'));
      setEditing(false);
    } catch (error) {
      // Issues name their row: rules.<index>.<field>.
      const issues = (errorBody(error).issues ?? []).flatMap((issue) => {
        const [head, index, name] = issue.path.split('.');
        const field = RULE_FIELDS.find((f) => f === name);
        return head === 'rules' && field ? [{ name: ['rules', Number(index), field] as ['rules', number, RuleField], errors: [pick(issue.message)] }] : [];
      });
      if (issues.length > 0) form.setFields(issues);
      else message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  }

  const months = (n: number) => t('campaigns.lists.months', { count: n });

  return (
    <Card
      size="small"
      title={t('campaigns.lists.inspection')}
      extra={
        <Button onClick={open} data-testid="inspection-edit">
          {t('campaigns.lists.editRules')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('campaigns.lists.inspectionHint')}</Typography.Paragraph>
      <Table<InspectionRuleDto>
        size="small"
        rowKey={(r) => `${r.vehicleClass}:${r.fromMonths}`}
        pagination={false}
        dataSource={rows}
        onRow={(r) => ({ id: `inspection-${r.vehicleClass}-${r.fromMonths}`, 'data-testid': 'inspection-row' })}
        columns={[
          { title: t('campaigns.lists.vehicleClass'), dataIndex: 'vehicleClass', width: 140 },
          { title: t('campaigns.lists.ageRange'), key: 'range', render: (_, r) => `${months(r.fromMonths)} – ${months(r.toMonths)}` },
          { title: t('campaigns.lists.every'), key: 'every', render: (_, r) => months(r.everyMonths) },
          { title: t('campaigns.lists.onSite'), key: 'onSite', width: 100, render: (_, r) => (r.onSite ? t('campaigns.lists.yes') : t('campaigns.lists.no')) },
          { title: t('campaigns.lists.note'), dataIndex: 'noteZh', render: (v: string | null) => v ?? '—' },
        ]}
      />
      <Modal
        open={editing}
        title={t('campaigns.lists.editRules')}
        onCancel={() => setEditing(false)}
        onOk={() => void submit()}
        okText={t('campaigns.settings.save')}
        confirmLoading={saving}
        width={900}
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={() => void submit()}>
          <Form.List name="rules">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Space key={field.key} align="baseline" wrap>
                    <Form.Item name={[field.name, 'vehicleClass']} label={t('campaigns.lists.vehicleClass')}>
                      <Input style={{ width: 130 }} maxLength={40} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'fromMonths']} label={t('campaigns.lists.fromMonths')}>
                      <InputNumber min={1} max={600} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'toMonths']} label={t('campaigns.lists.toMonths')}>
                      <InputNumber min={1} max={600} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'everyMonths']} label={t('campaigns.lists.everyMonths')}>
                      <InputNumber min={1} max={120} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'onSite']} label={t('campaigns.lists.onSite')} valuePropName="checked">
                      <Switch />
                    </Form.Item>
                    <Form.Item name={[field.name, 'noteZh']} label={t('campaigns.lists.note')}>
                      <Input style={{ width: 200 }} maxLength={100} />
                    </Form.Item>
                    <Button icon={<DeleteOutlined />} aria-label={t('campaigns.lists.removeRule')} onClick={() => remove(field.name)} />
                  </Space>
                ))}
                <Button
                  icon={<PlusOutlined />}
                  disabled={fields.length >= 50}
                  onClick={() => add({ vehicleClass: 'private_small', fromMonths: 12, toMonths: 600, everyMonths: 12, onSite: true, noteZh: null })}
                >
                  {t('campaigns.lists.addRule')}
                </Button>
              </>
            )}
          </Form.List>
        </Form>
      </Modal>
    </Card>
  );
}
