/**
 * 生成招揽: from the query's customers to a contact list for one channel — how many matched, how many
 * can be reached, and how many were dropped and why — then, for SMS, a template with merge fields and a
 * live segment counter, queued one message per recipient on confirm.
 */
import { Alert, App, Descriptions, Form, Input, Modal, Radio, Space, Spin, Table, Typography } from 'antd';
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

/** Merge field names the dialog suggests (the host accepts every field of the templates capability). */
const MERGE_HINT = ['客户姓名', '称呼', '车型', '车牌', '会员等级', '经销商', '日期'].map((n) => `{{${n}}}`).join(' ');
const DEFAULT_BODY = '{{称呼}}您好，{{经销商}}提醒您：您的爱车{{车型}}（{{车牌}}）可以来店保养了，欢迎预约。';

export function CampaignModal({ open, tree, savedId, onClose }: { open: boolean; tree: QueryGroupShape; savedId: string | null; onClose(): void }) {
  const { t } = useTranslation();
  const pick = usePick();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ body: string }>();
  const [channel, setChannel] = useState<QueryCampaignChannel>('sms');
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
      .then((p) => live && setPrepared(p))
      .catch((e: unknown) => live && setError(errorText(e)))
      .finally(() => live && setPreparing(false));
    return () => {
      live = false;
    };
  }, [open, tree, savedId, channel]);

  useEffect(() => {
    if (!open || channel !== 'sms') return;
    const timer = setTimeout(() => {
      call('query.campaign.previewSms', { body })
        .then(setPreview)
        .catch(() => setPreview(null));
    }, 250);
    return () => clearTimeout(timer);
  }, [open, channel, body]);

  async function send() {
    setSending(true);
    try {
      const result = await call('query.campaign.create', savedId ? { savedId, channel: 'sms', body } : { tree, channel: 'sms', body });
      setCreated(result);
      message.success(t('query.campaign.queued', { count: result.queued }));
    } catch (e) {
      if (!applyIssues(form, errorBody(e), ['body'])) message.error(errorText(e));
    } finally {
      setSending(false);
    }
  }

  const canSend = channel === 'sms' && prepared !== null && prepared.recipientCount > 0 && created === null;

  return (
    <Modal
      open={open}
      width={760}
      title={t('query.campaign.title')}
      okText={created ? t('query.campaign.close') : t('query.campaign.send', { count: prepared?.recipientCount ?? 0 })}
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
          onChange={(e) => setChannel(e.target.value as QueryCampaignChannel)}
          optionType="button"
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
        {channel === 'sms' ? (
          <Form form={form} layout="vertical" initialValues={{ body: DEFAULT_BODY }} onFinish={() => void send()}>
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
          </Form>
        ) : (
          <Alert type="info" showIcon title={t(channel === 'phone' ? 'query.campaign.phoneLater' : 'query.campaign.letterLater')} />
        )}
        {created && (
          <Alert
            type="success"
            showIcon
            data-testid="campaign-result"
            title={t('query.campaign.result', { queued: created.queued, dropped: created.dropped.reduce((n, d) => n + d.count, 0), parts: created.segments })}
          />
        )}
      </Space>
    </Modal>
  );
}
