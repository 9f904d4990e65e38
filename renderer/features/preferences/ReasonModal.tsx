/**
 * Every preference change asks why: one reason field (focused, Enter saves, Esc cancels) whose error
 * reads the same whether the form or the host refused it.
 */
import { App, Form, Input, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { preferenceReasonSchema } from '../../../preload/channels/preferences';
import { applyIssues, errorBody, errorText, schemaRule } from '../../app/errors';

export interface ReasonRequest {
  title: string;
  description?: string;
  /** Typed in one click for the usual cases. */
  suggestions?: readonly string[];
  submit(reason: string): Promise<void>;
}

export function ReasonModal({ request, onClose }: { request: ReasonRequest | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (request) form.resetFields();
  }, [request, form]);

  async function save() {
    if (!request) return;
    let reason: string;
    try {
      ({ reason } = await form.validateFields());
    } catch {
      return;
    }
    setSaving(true);
    try {
      await request.submit(reason.trim());
      onClose();
    } catch (error) {
      if (!applyIssues(form, errorBody(error), ['reason'])) message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={request !== null}
      title={request?.title}
      okText={t('preferences.reason.save')}
      onOk={() => void save()}
      confirmLoading={saving}
      onCancel={onClose}
      destroyOnHidden
      data-testid="pref-reason-modal"
    >
      {request?.description && <Typography.Paragraph type="secondary">{request.description}</Typography.Paragraph>}
      <Form form={form} layout="vertical" onFinish={() => void save()} requiredMark={false}>
        <Form.Item
          name="reason"
          label={t('preferences.reason.label')}
          rules={[schemaRule((v) => preferenceReasonSchema.safeParse(v ?? ''))]}
          extra={
            request?.suggestions?.length ? (
              <span>
                {t('preferences.reason.suggest')}{' '}
                {request.suggestions.map((s, i) => (
                  <Typography.Link key={s} onClick={() => form.setFieldsValue({ reason: s })} style={{ marginInlineEnd: 8 }} data-testid={`pref-reason-suggest-${i}`}>
                    {s}
                  </Typography.Link>
                ))}
              </span>
            ) : undefined
          }
        >
          <Input autoFocus maxLength={200} placeholder={t('preferences.reason.placeholder')} data-testid="pref-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
