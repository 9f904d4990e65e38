/** On the customer page: click-to-dial and an SMS composer with the customer's conversation. */
import { MessageOutlined, PhoneOutlined } from '@ant-design/icons';
import { App, Button, Modal, Space, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api';
import { errorText } from '../../app/errors';
import { SmsFromTemplate } from '../templates';
import { SmsComposer, ThreadView } from './parts';
import { useModem } from './store';

export function CustomerPhoneBar({ customerId, number, name = null }: { customerId: string; number: string | null; name?: string | null }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const busy = useModem((s) => s.call !== null);
  const setCall = useModem((s) => s.setCall);
  const [dialing, setDialing] = useState(false);
  const [smsOpen, setSmsOpen] = useState(false);

  async function dial() {
    if (!number) return;
    setDialing(true);
    try {
      const { callId } = await call('calls.dial', { number, customerId });
      // The host's call.state may already have shown this call (with the customer's name).
      if (useModem.getState().call?.callId !== callId) setCall({ callId, direction: 'out', number, customerId, customerName: name, phase: 'dialing', endReason: null });
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setDialing(false);
    }
  }

  return (
    <Space size="small">
      <Button size="small" icon={<PhoneOutlined />} disabled={!number || busy} loading={dialing} onClick={() => void dial()} data-testid="customer-dial">
        {t('modem.dial')}
      </Button>
      <Button size="small" icon={<MessageOutlined />} disabled={!number} onClick={() => setSmsOpen(true)} data-testid="customer-sms">
        {t('modem.sms')}
      </Button>
      <Modal open={smsOpen} title={t('modem.composer.title')} onCancel={() => setSmsOpen(false)} footer={null} width={560} destroyOnHidden>
        <ThreadView threadKey={{ customerId }} height={300} />
        <Tabs
          size="small"
          destroyOnHidden
          items={[
            { key: 'type', label: t('templates.send.tabFree'), children: <SmsComposer customerId={customerId} number={number} autoFocus /> },
            { key: 'template', label: <span data-testid="customer-sms-template-tab">{t('templates.send.tabTemplate')}</span>, children: <SmsFromTemplate customerId={customerId} /> },
          ]}
        />
      </Modal>
    </Space>
  );
}
