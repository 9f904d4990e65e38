/** Save the query on screen: a new saved query, or an update of the loaded one when the viewer may edit it. */
import { App, Checkbox, Form, Input, Modal, Radio } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SavedQueryDto } from '../../../preload/channels/query';
import { call } from '../../api';
import { applyIssues, errorBody, errorText } from '../../app/errors';
import { toShape, useQueryStore } from './store';

interface Values {
  name: string;
  description: string;
  shared: boolean;
  mode: 'new' | 'update';
}

export function SaveModal({ open, onClose, onSaved }: { open: boolean; onClose(): void; onSaved(saved: SavedQueryDto): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const loaded = useQueryStore((s) => s.loaded);
  const canUpdate = loaded?.canEdit ?? false;

  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue({
        name: loaded?.name ?? '',
        description: loaded?.description ?? '',
        shared: loaded?.shared ?? true,
        mode: canUpdate ? 'update' : 'new',
      });
    }
  }, [open, loaded, canUpdate, form]);

  async function submit(values: Values) {
    setSaving(true);
    const tree = toShape(useQueryStore.getState().tree);
    const fields = { name: values.name, description: values.description.trim() || null, shared: values.shared };
    try {
      const saved =
        values.mode === 'update' && loaded
          ? await call('query.saved.update', { id: loaded.id, patch: { ...fields, tree } })
          : await call('query.saved.create', { ...fields, tree });
      message.success(t('query.saved.done', { name: saved.name }));
      onSaved(saved);
    } catch (e) {
      const body = errorBody(e);
      if (!applyIssues(form, body, ['name', 'description'], values.mode === 'update' ? 'patch.' : '')) message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={open}
      title={t('query.saved.title')}
      okText={t('query.saved.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="save-query-form">
        {canUpdate && (
          <Form.Item name="mode">
            <Radio.Group
              options={[
                { value: 'update', label: t('query.saved.update') },
                { value: 'new', label: t('query.saved.asNew') },
              ]}
            />
          </Form.Item>
        )}
        <Form.Item name="name" label={t('query.saved.name')} rules={[{ required: true, whitespace: true, message: t('query.saved.nameRequired') }, { max: 60 }]}>
          <Input autoFocus maxLength={60} />
        </Form.Item>
        <Form.Item name="description" label={t('query.saved.description')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name="shared" valuePropName="checked">
          <Checkbox>{t('query.saved.shared')}</Checkbox>
        </Form.Item>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}
