/**
 * 生成招揽: from the query's customers to a contact list for one channel — how many matched, how many
 * can be reached, and how many were dropped and why — then an ad-hoc campaign on that channel: SMS
 * queued one per recipient (template with merge fields and a live segment counter), phone tasks for the
 * agents' work queue, or letter tasks for the letter batch. Each attempt carries a request id made here,
 * so a double click or a retry never makes the campaign twice.
 */
import { Alert, App, Descriptions, Form, Input, Modal, Radio, Select, Space, Spin, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueryCampaignChannel, QueryGroupShape } from '../../../preload/channels/query';
import type { RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { applyIssues, errorBody, errorText } from '../../app/errors';
import { usePick } from '../../app/language';

type Prepared = RequestOutput<'query.campaign.prepare'>;
type Created = RequestOutput<'query.campaign.create'>;
type SmsPreview = RequestOutput<'query.campaign.previewSms'>;

interface Values {
  name: string;
  body: string;
  templateId?: string;
  assign: 'none' | 'responsible';
}

/** Merge field names the dialog suggests (the host accepts every field of the templates capability). */
const MERGE_HINT = ['客户姓名', '称呼', '车型', '车牌', '会员等级', '经销商', '日期'].map((n) => `{{${n}}}`).join(' ');
const DEFAULT_BODY = '{{称呼}}您好，{{经销商}}提醒您：您的爱车{{车型}}（{{车牌}}）可以来店保养了，欢迎预约。';

/** A fresh id per attempt: the host creates nothing for an id it has seen. */
function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function CampaignModal({ open, tree, savedId, onClose }: { open: boolean; tree: QueryGroupShape; savedId: string | null; onClose(): void }) {
  const { t } = useTranslation();
  const pick = usePick();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [channel, setChannel] = useState<QueryCampaignChannel>('sms');
  const [requestId, setRequestId] = useState(newRequestId);
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [preparing, setPreparing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [body, setBody] = useState(DEFAULT_BODY);
  const [preview, setPreview] = useState<SmsPreview | null>(null);
  const [sending, setSending] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);

  useEffect(() => {
    if (!open) return;
    setCreated(null);
    setPrepared(null);
    setError(null);
    setPreparing(true);
    let live = true;
    call('query.campaign.prepare', savedId ? { savedId, channel } : { tree, channel })
      .then((p) => {
        if (!live) return;
        setPrepared(p);
        if (!form.getFieldValue('name')) form.setFieldValue('name', p.defaultName);
        if (channel === 'letter') form.setFieldValue('templateId', p.templates.find((x) => x.code === 'letter.reminder')?.id ?? p.templates[0]?.id);
      })
      .catch((e: unknown) => live && setError(errorText(e)))
      .finally(() => live && setPreparing(false));
    return () => {
      live = false;
    };
  }, [open, tree, savedId, channel, form]);

  useEffect(() => {
    if (!open || channel !== 'sms') return;
    const timer = setTimeout(() => {
      call('query.campaign.previewSms', { body })
        .then(setPreview)
        .catch(() => setPreview(null));
    }, 250);
    return () => clearTimeout(timer);
  }, [open, channel, body]);

  function changeChannel(next: QueryCampaignChannel) {
    setChannel(next);
    // Another channel is another campaign: a new attempt.
    setRequestId(newRequestId());
  }

  async function send(values: Values) {
    setSending(true);
    try {
      const source = savedId ? { savedId } : { tree };
      const common = { ...source, requestId, channel, name: values.name };
      const input =
        channel === 'sms'
          ? { ...common, body: values.body }
          : channel === 'letter'
            ? { ...common, ...(values.templateId ? { templateId: values.templateId } : {}) }
            : { ...common, assign: values.assign };
      const result = await call('query.campaign.create', input);
      setCreated(result);
      message.success(channel === 'sms' ? t('query.campaign.queued', { count: result.queued }) : t('query.campaign.tasksMade', { count: result.tasks }));
    } catch (e) {
      // The same request id is kept: trying again after a lost answer returns the first result.
      if (!applyIssues(form, errorBody(e), ['name', 'body', 'templateId'])) message.error(errorText(e));
    } finally {
      setSending(false);
    }
  }

  const canSend = prepared !== null && prepared.recipientCount > 0 && created === null;
  const count = prepared?.recipientCount ?? 0;
  const okText = created
    ? t('query.campaign.close')
    : channel === 'sms'
      ? t('query.campaign.send', { count })
      : channel === 'phone'
        ? t('query.campaign.makePhone', { count })
        : t('query.campaign.makeLetters', { count });
  const dropped = created ? created.dropped.reduce((n, d) => n + d.count, 0) : 0;

  return (
    <Modal
      open={open}
      width={760}
      title={t('query.campaign.title')}
      okText={okText}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !created && !canSend }}
      confirmLoading={sending}
      onOk={() => (created ? onClose() : form.submit())}
      onCancel={onClose}
      destroyOnHidden
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Radio.Group
          value={channel}
          onChange={(e) => changeChannel(e.target.value as QueryCampaignChannel)}
          optionType="button"
          disabled={created !== null}
          options={[
            { value: 'sms', label: t('query.campaign.sms') },
            { value: 'phone', label: t('query.campaign.phone') },
            { value: 'letter', label: t('query.campaign.letter') },
          ]}
          aria-label={t('query.campaign.channel')}
        />
        {error && <Alert type="error" title={error} showIcon />}
        <Spin spinning={preparing}>
          {prepared && (
            <>
              <Descriptions size="small" column={2} bordered>
                <Descriptions.Item label={t('query.campaign.matched')}>{prepared.matched.toLocaleString()}</Descriptions.Item>
                <Descriptions.Item label={t('query.campaign.recipients')}>
                  <span data-testid="campaign-recipients">{prepared.recipientCount.toLocaleString()}</span>
                </Descriptions.Item>
              </Descriptions>
              {prepared.dropped.length > 0 && (
                <Table
                  size="small"
                  style={{ marginTop: 12 }}
                  rowKey="code"
                  pagination={false}
                  data-testid="campaign-dropped"
                  dataSource={prepared.dropped}
                  columns={[
                    { title: t('query.campaign.reason'), dataIndex: 'label', render: (_, d) => pick(d.label) },
                    { title: t('query.campaign.dropped'), dataIndex: 'count', width: 120, align: 'right' },
                  ]}
                />
              )}
            </>
          )}
        </Spin>
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={{ body: DEFAULT_BODY, assign: 'none' }}
          onFinish={(values) => void send(values)}
          disabled={created !== null}
        >
          <Form.Item name="name" label={t('query.campaign.name')} extra={t('query.campaign.nameHint')} rules={[{ required: true, whitespace: true, message: t('query.campaign.nameRequired') }]}>
            <Input maxLength={60} data-testid="campaign-name" />
          </Form.Item>
          {channel === 'sms' && (
            <>
              {prepared && prepared.templates.length > 0 && (
                <Form.Item label={t('query.campaign.startFrom')}>
                  <Select
                    allowClear
                    placeholder={t('query.campaign.pickTemplate')}
                    options={prepared.templates.map((x) => ({ value: x.id, label: x.name }))}
                    onChange={(id?: string) => {
                      const picked = prepared.templates.find((x) => x.id === id);
                      if (!picked) return;
                      form.setFieldValue('body', picked.body);
                      setBody(picked.body);
                    }}
                    data-testid="campaign-sms-template"
                  />
                </Form.Item>
              )}
              <Form.Item
                name="body"
                label={t('query.campaign.template')}
                extra={t('query.campaign.fieldsHint') + MERGE_HINT}
                rules={[{ required: true, whitespace: true, message: t('query.campaign.bodyRequired') }]}
              >
                <Input.TextArea rows={4} maxLength={2000} onChange={(e) => setBody(e.target.value)} data-testid="campaign-body" />
              </Form.Item>
              {preview && (
                <Space orientation="vertical" size={2}>
                  <Typography.Text type="secondary" data-testid="campaign-segments">
                    {t('query.campaign.segments', { characters: preview.segments.characters, parts: preview.segments.parts, remaining: preview.segments.remaining })}
                  </Typography.Text>
                  <Typography.Text>
                    {t('query.campaign.sample')}
                    {preview.text}
                  </Typography.Text>
                  {preview.problems.map((p, i) => (
                    <Typography.Text key={i} type="danger">
                      {pick(p)}
                    </Typography.Text>
                  ))}
                </Space>
              )}
            </>
          )}
          {channel === 'letter' && (
            <Form.Item name="templateId" label={t('query.campaign.letterTemplate')} extra={t('query.campaign.letterHint')}>
              <Select options={(prepared?.templates ?? []).map((x) => ({ value: x.id, label: x.name }))} data-testid="campaign-letter-template" />
            </Form.Item>
          )}
          {channel === 'phone' && (
            <Form.Item name="assign" label={t('query.campaign.assign')} extra={t('query.campaign.phoneHint')}>
              <Radio.Group
                options={[
                  { value: 'none', label: t('query.campaign.assignNone') },
                  { value: 'responsible', label: t('query.campaign.assignResponsible') },
                ]}
              />
            </Form.Item>
          )}
        </Form>
        {created && (
          <Alert
            type="success"
            showIcon
            data-testid="campaign-result"
            title={
              created.channel === 'sms'
                ? t('query.campaign.result', { queued: created.queued, dropped, parts: created.segments })
                : t(created.channel === 'phone' ? 'query.campaign.phoneResult' : 'query.campaign.letterResult', { tasks: created.tasks, dropped, name: created.name })
            }
            description={created.repeated ? t('query.campaign.repeated') : undefined}
          />
        )}
      </Space>
    </Modal>
  );
}
