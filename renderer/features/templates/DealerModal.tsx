/** The dealer's service phone and address, which templates merge as 经销商电话 and 经销商地址. */
import { App, Form, Input, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DealerContact } from '../../../preload/channels/templates';
import { requests } from '../../../preload/contract';
import { call } from '../../api';
import { applyIssues, errorBody, errorText, schemaRule } from '../../app/errors';

const shape = requests['templates.saveDealer'].input.shape;
const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : (v ?? null));

export function DealerModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ phone: string; address: string }>();
  const [dealer, setDealer] = useState<DealerContact | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!open) return;
    call('templates.dealer', {})
      .then((d) => {
        setDealer(d);
        form.setFieldsValue({ phone: d.phone ?? '', address: d.address ?? '' });
      })
      .catch((e: unknown) => message.error(errorText(e)));
  }, [open, form, message]);

  async function save(values: { phone: string; address: string }) {
    setSaving(true);
    try {
      const phone = blankToNull(values.phone);
      const address = blankToNull(values.address);
      setDealer(
        await call('templates.saveDealer', {
          phone: typeof phone === 'string' ? phone : null,
          address: typeof address === 'string' ? address : null,
        }),
      );
      message.success(t('templates.dealer.saved'));
      onClose();
    } catch (error) {
      if (!applyIssues(form, errorBody(error), ['phone', 'address'])) message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={open}
      title={t('templates.dealer.title')}
      okText={t('templates.dealer.save')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('templates.dealer.hint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)} requiredMark={false} data-testid="dealer-form">
        <Form.Item label={t('templates.dealer.name')}>
          <Input value={dealer?.name ?? ''} disabled />
        </Form.Item>
        <Form.Item name="phone" label={t('templates.dealer.phone')} rules={[schemaRule((v) => shape.phone.safeParse(blankToNull(v)))]}>
          <Input maxLength={24} placeholder="020-38886666" autoFocus data-testid="dealer-phone" />
        </Form.Item>
        <Form.Item name="address" label={t('templates.dealer.address')} rules={[schemaRule((v) => shape.address.safeParse(blankToNull(v)))]}>
          <Input maxLength={200} data-testid="dealer-address" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
