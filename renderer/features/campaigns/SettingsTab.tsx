/**
 * 活动设置 (supervisors): turn each campaign on or off, its queue priority, its parameters (numbers,
 * yes/no, the 年审 vehicle class, the repair categories that count as a visit, birthday gifts by member
 * tier) and its staged channel plan (offset from the due date + channel); the host validates everything
 * with the kind's schema.
 * Below: the call outcomes, reasons and 年审 table (ListsSettings). Every list of the tab exports to one
 * Excel workbook.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CampaignConfigDto } from '../../../preload/channels/campaign-settings';
import { repairCategorySchema } from '../../../preload/contract';
import { call } from '../../api';
import { applyIssues, errorBody, errorText } from '../../app/errors';
import { ExportExcelButton, useExcelExport, useExportLang } from '../../app/excel';
import { useLanguage, usePick } from '../../app/language';
import { ListsSettings } from './ListsSettings';

const CHANNELS = ['letter', 'sms', 'phone', 'reason_call'] as const;
type Channel = (typeof CHANNELS)[number];
interface StepRow {
  offsetDays: number;
  channel: Channel;
  templateId: string | null;
}
interface EditValues {
  priority: number;
  params: Record<string, unknown>;
  steps: StepRow[];
}

/** Birthday gifts by member tier: a text per tier (empty = no gift). */
type Gifts = Record<string, string>;
type Param =
  | { key: string; kind: 'number'; value: number }
  | { key: string; kind: 'boolean'; value: boolean }
  | { key: string; kind: 'text'; value: string }
  | { key: string; kind: 'categories'; value: string[] }
  | { key: string; kind: 'gifts'; value: Gifts };

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isGifts = (v: unknown): v is Gifts => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/** Every parameter the kind has, by the form it is edited in (the host validates them with the kind's schema). */
function editableParams(params: Record<string, unknown>): Param[] {
  return Object.entries(params).flatMap(([key, value]): Param[] => {
    if (typeof value === 'number') return [{ key, kind: 'number', value }];
    if (typeof value === 'boolean') return [{ key, kind: 'boolean', value }];
    if (typeof value === 'string') return [{ key, kind: 'text', value }];
    if (isStrings(value)) return [{ key, kind: 'categories', value }];
    if (isGifts(value)) return [{ key, kind: 'gifts', value }];
    return [];
  });
}

export function SettingsTab() {
  const { t } = useTranslation();
  const lang = useLanguage((s) => s.lang);
  const pick = usePick();
  const { message } = App.useApp();
  const [rows, setRows] = useState<CampaignConfigDto[]>([]);
  const [loading, setLoading] = useState(false);
  const [editing, setEditing] = useState<CampaignConfigDto | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<EditValues>();
  const name = (c: CampaignConfigDto) => (lang === 'zh-CN' ? c.nameZh : c.nameEn);
  const exportLang = useExportLang();
  const excel = useExcelExport();
  const paramLabel = (key: string) => t(`campaigns.settings.param.${key}`, { defaultValue: key });

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setRows(await call('campaigns.config.list', {}));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setLoading(false);
    }
  }, [message]);
  useEffect(() => {
    void load();
  }, [load]);

  async function toggle(c: CampaignConfigDto, enabled: boolean) {
    try {
      const updated = await call('campaigns.config.update', { id: c.id, enabled });
      setRows((list) => list.map((x) => (x.id === c.id ? updated : x)));
    } catch (error) {
      message.error(errorText(error));
    }
  }

  function edit(c: CampaignConfigDto) {
    setEditing(c);
    form.resetFields();
    form.setFieldsValue({ priority: c.priority, params: Object.fromEntries(editableParams(c.params).map((p) => [p.key, p.value])), steps: c.steps });
  }

  async function save() {
    if (!editing) return;
    let v: EditValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      const updated = await call('campaigns.config.update', {
        id: editing.id,
        priority: v.priority,
        params: v.params,
        steps: v.steps.map((s) => ({ offsetDays: s.offsetDays, channel: s.channel, templateId: s.templateId ?? null })),
      });
      setRows((list) => list.map((x) => (x.id === updated.id ? updated : x)));
      message.success(t('campaigns.settings.saved'));
      setEditing(null);
    } catch (error) {
      const body = errorBody(error);
      const issue = body.issues?.[0];
      if (!applyIssues(form, body, ['priority'])) message.error(issue ? `${pick(body.message)}：${pick(issue.message)}` : errorText(error));
    } finally {
      setSaving(false);
    }
  }

  const plan = (c: CampaignConfigDto) =>
    c.steps.map((s, i) => (
      <Tag key={i}>
        {s.offsetDays > 0 ? `+${s.offsetDays}` : s.offsetDays} {t('campaigns.settings.days')} {t(`campaigns.channel.${s.channel}`)}
      </Tag>
    ));

  return (
    <>
      <Flex justify="flex-end" style={{ marginBottom: 12 }}>
        <ExportExcelButton
          label={t('campaigns.settings.export')}
          exporting={excel.exporting}
          onClick={() => void excel.run(() => call('campaigns.config.export', { lang: exportLang }))}
          testId="settings-export"
        />
      </Flex>
      <Table<CampaignConfigDto>
        size="small"
        rowKey="id"
        loading={loading}
        pagination={false}
        dataSource={rows}
        onRow={(c) => ({ id: `setting-${c.kind}`, 'data-testid': 'campaign-setting' })}
        columns={[
          {
            title: t('campaigns.settings.enabled'),
            key: 'enabled',
            width: 80,
            render: (_, c) => <Switch checked={c.enabled} onChange={(on) => void toggle(c, on)} aria-label={`${name(c)} ${t('campaigns.settings.enabled')}`} />,
          },
          { title: t('campaigns.col.campaign'), key: 'name', render: (_, c) => name(c) },
          { title: t('campaigns.settings.priority'), dataIndex: 'priority', width: 80 },
          { title: t('campaigns.settings.plan'), key: 'plan', render: (_, c) => plan(c) },
          { title: '', key: 'edit', width: 90, render: (_, c) => <Button onClick={() => edit(c)}>{t('campaigns.settings.edit')}</Button> },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing ? t('campaigns.settings.editTitle', { name: name(editing) }) : ''}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        okText={t('campaigns.settings.save')}
        confirmLoading={saving}
        width={640}
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={() => void save()}>
          <Form.Item name="priority" label={t('campaigns.settings.priority')} extra={t('campaigns.settings.priorityHint')}>
            <InputNumber min={0} max={100} />
          </Form.Item>
          <Typography.Title level={5}>{t('campaigns.settings.params')}</Typography.Title>
          <Space wrap>
            {editing &&
              editableParams(editing.params)
                .filter((p) => p.kind === 'number' || p.kind === 'boolean' || p.kind === 'text')
                .map((p) => (
                  <Form.Item key={p.key} name={['params', p.key]} label={paramLabel(p.key)} valuePropName={p.kind === 'boolean' ? 'checked' : 'value'}>
                    {p.kind === 'boolean' ? <Switch /> : p.kind === 'text' ? <Input style={{ width: 160 }} maxLength={40} /> : <InputNumber min={0} style={{ width: 140 }} />}
                  </Form.Item>
                ))}
          </Space>
          {editing &&
            editableParams(editing.params).map((p) =>
              p.kind === 'categories' ? (
                <Form.Item key={p.key} name={['params', p.key]} label={paramLabel(p.key)}>
                  <Select mode="multiple" options={repairCategorySchema.options.map((c) => ({ value: c, label: t(`categories.${c}`) }))} />
                </Form.Item>
              ) : p.kind === 'gifts' ? (
                <Form.Item key={p.key} label={paramLabel(p.key)} extra={t('campaigns.settings.giftsHint')}>
                  <Space wrap>
                    {Object.keys(p.value).map((tier) => (
                      <Form.Item key={tier} name={['params', p.key, tier]} label={tier === 'none' ? t('campaigns.settings.noTier') : t(`tiers.${tier}`)} style={{ marginBottom: 0 }}>
                        <Input style={{ width: 200 }} maxLength={60} />
                      </Form.Item>
                    ))}
                  </Space>
                </Form.Item>
              ) : null,
            )}
          <Typography.Title level={5}>{t('campaigns.settings.plan')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('campaigns.settings.planHint')}</Typography.Paragraph>
          <Form.List name="steps">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Space key={field.key} align="baseline">
                    <Form.Item name={[field.name, 'offsetDays']} label={t('campaigns.settings.offset')} rules={[{ required: true, message: t('campaigns.settings.offsetRequired') }]}>
                      <InputNumber min={-365} max={365} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'channel']} label={t('campaigns.col.channel')}>
                      <Select style={{ width: 140 }} options={CHANNELS.map((c) => ({ value: c, label: t(`campaigns.channel.${c}`) }))} />
                    </Form.Item>
                    <Button icon={<DeleteOutlined />} aria-label={t('campaigns.settings.removeStep')} disabled={fields.length <= 1} onClick={() => remove(field.name)} />
                  </Space>
                ))}
                <Button icon={<PlusOutlined />} disabled={fields.length >= 10} onClick={() => add({ offsetDays: 0, channel: 'phone', templateId: null })}>
                  {t('campaigns.settings.addStep')}
                </Button>
              </>
            )}
          </Form.List>
        </Form>
      </Modal>
      <ListsSettings />
    </>
  );
}
