import { Alert, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { requests, type ApiErrorBody } from '../../../preload/contract';
import { call } from '../../api';
import { applyIssues, errorBody, schemaRule } from '../../app/errors';
import { usePick } from '../../app/language';
import { useAlarms, type AlarmDto } from './store';

const commentSchema = requests['alarms.acknowledge'].input.shape.comment;

/** Acknowledge is shared by every seat and needs a comment; Enter in the box submits, Esc closes. */
export function AckModal({ alarm, onClose }: { alarm: AlarmDto | null; onClose(): void }) {
  const { t } = useTranslation();
  const pickText = usePick();
  const [form] = Form.useForm<{ comment: string }>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<ApiErrorBody | null>(null);

  async function submit({ comment }: { comment: string }) {
    if (!alarm) return;
    setSaving(true);
    setProblem(null);
    try {
      useAlarms.getState().upsert(await call('alarms.acknowledge', { id: alarm.id, comment }));
      form.resetFields();
      onClose();
    } catch (error) {
      const body = errorBody(error);
      if (!applyIssues(form, body, ['comment'])) setProblem(body);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={alarm !== null}
      title={alarm ? t('alarms.ackTitle', { name: alarm.server ? `${alarm.server} · ${alarm.name}` : alarm.name }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('alarms.acknowledge')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: saving, ...{ 'data-testid': 'ack-submit' } }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item name="comment" label={t('alarms.ackComment')} rules={[schemaRule((v) => commentSchema.safeParse(v ?? ''))]}>
          <Input autoFocus maxLength={500} placeholder={t('alarms.ackPlaceholder')} data-testid="ack-comment" />
        </Form.Item>
        {problem && <Alert type="error" showIcon role="alert" title={pickText(problem.message)} />}
      </Form>
    </Modal>
  );
}
