/**
 * SMS from a template, for any screen that has a customer (customer page, work-queue task): pick an
 * active SMS template, the host fills it for the customer (and vehicle), the agent may edit the text
 * while the part counter follows, and it goes out through the modem's `sms.send` like any other SMS.
 */
import { SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Select, Space, Spin, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MERGE_FIELDS, type TemplateRow } from '../../../preload/channels/templates';
import type { RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { applyIssues, errorBody, errorText } from '../../app/errors';
import { useLanguage } from '../../app/language';
import { useSmsCount, useSmsSend } from '../modem/parts';

/** A choice of the active templates of one kind (SMS by default); `value` is the template id. */
export function TemplatePicker(props: {
  value?: string | null;
  onChange?: (id: string, template: TemplateRow) => void;
  kind?: TemplateRow['kind'];
  autoFocus?: boolean;
  /** Called once with the list, e.g. to preselect a template. */
  onLoaded?: (templates: TemplateRow[]) => void;
}) {
  const { t } = useTranslation();
  const [templates, setTemplates] = useState<TemplateRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const kind = props.kind ?? 'sms';
  const onLoaded = useRef(props.onLoaded);
  onLoaded.current = props.onLoaded;

  useEffect(() => {
    call('templates.list', { kind, activeOnly: true })
      .then((rows) => {
        setTemplates(rows);
        onLoaded.current?.(rows);
      })
      .catch((e: unknown) => setError(errorText(e)));
  }, [kind]);

  if (error) return <Alert type="error" showIcon title={error} />;
  return (
    <Select
      showSearch={{ optionFilterProp: 'label' }}
      autoFocus={props.autoFocus}
      style={{ width: '100%' }}
      loading={templates === null}
      value={props.value ?? undefined}
      placeholder={t('templates.send.choose')}
      notFoundContent={templates ? t('templates.send.noTemplates') : <Spin size="small" />}
      aria-label={t('templates.send.template')}
      options={(templates ?? []).map((tpl) => ({ value: tpl.id, label: tpl.name }))}
      onChange={(id: string) => {
        const chosen = templates?.find((tpl) => tpl.id === id);
        if (chosen) props.onChange?.(id, chosen);
      }}
      data-testid="template-picker"
    />
  );
}

export interface SmsFromTemplateProps {
  customerId: string;
  vehicleId?: string | null;
  /** After the message was queued: its outbox id and the text sent. */
  onSent?: (sent: { id: string; body: string; parts: number }) => void;
}

export function SmsFromTemplate({ customerId, vehicleId = null, onSent }: SmsFromTemplateProps) {
  const { t } = useTranslation();
  const lang = useLanguage((s) => s.lang);
  const { message } = App.useApp();
  const [form] = Form.useForm<{ body: string }>();
  const body = Form.useWatch('body', form) ?? '';
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [filled, setFilled] = useState<RequestOutput<'templates.renderFor'> | null>(null);
  const [filling, setFilling] = useState(false);
  // The agent may edit the filled text: count the parts of what will actually be sent.
  const count = useSmsCount(body);
  const sms = useSmsSend();

  useEffect(() => {
    if (!templateId) return;
    let stale = false;
    setFilling(true);
    call('templates.renderFor', { templateId, customerId, vehicleId })
      .then((out) => {
        if (stale) return;
        setFilled(out);
        form.setFieldsValue({ body: out.text });
      })
      .catch((e: unknown) => {
        if (!stale) message.error(errorText(e));
      })
      .finally(() => {
        if (!stale) setFilling(false);
      });
    return () => {
      stale = true;
    };
  }, [templateId, customerId, vehicleId, form, message]);

  async function send({ body: text }: { body: string }) {
    if (!filled) return;
    try {
      const sent = await sms.send({ customerId, recipient: null, body: text ?? '', kind: filled.kind });
      if (!sent) return;
      message.success(t('templates.send.sent', { parts: sent.parts }));
      onSent?.({ id: sent.id, body: text, parts: sent.parts });
    } catch (error) {
      if (!applyIssues(form, errorBody(error), ['body'])) message.error(errorText(error));
    }
  }

  const missing = (filled?.missing ?? []).map((key) => {
    const field = MERGE_FIELDS.find((f) => f.key === key);
    return field ? (lang === 'en' ? field.en : field.zh) : key;
  });
  const noMobile = filled !== null && !filled.mobile;

  return (
    <Form form={form} layout="vertical" onFinish={(v) => void send(v)} requiredMark={false} data-testid="sms-from-template">
      <Form.Item label={t('templates.send.template')}>
        <TemplatePicker value={templateId} onChange={(id) => setTemplateId(id)} autoFocus />
      </Form.Item>
      {filling && <Typography.Text type="secondary">{t('templates.send.loading')}</Typography.Text>}
      {missing.length > 0 && <Alert type="warning" showIcon style={{ marginBottom: 8 }} title={t('templates.send.missing', { fields: missing.join('、') })} data-testid="sms-template-missing" />}
      {noMobile && <Alert type="error" showIcon style={{ marginBottom: 8 }} title={t('templates.send.noMobile')} />}
      <Form.Item
        name="body"
        label={filled?.mobile ? `${t('templates.send.text')} · ${t('templates.send.to', { mobile: filled.mobile })}` : t('templates.send.text')}
        style={{ marginBottom: 8 }}
      >
        <Input.TextArea
          autoSize={{ minRows: 3, maxRows: 8 }}
          maxLength={1000}
          disabled={!filled}
          data-testid="sms-template-body"
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              form.submit();
            }
          }}
        />
      </Form.Item>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text type="secondary" data-testid="sms-template-segments">
          {count ? t('templates.editor.counter', { parts: count.parts, chars: Array.from(body).length, encoding: t(`templates.editor.encoding.${count.encoding}`) }) : ''}
        </Typography.Text>
        <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={sms.sending} disabled={!filled || noMobile || !body.trim()} data-testid="sms-template-send">
          {t('templates.send.send')}
        </Button>
      </Space>
    </Form>
  );
}
