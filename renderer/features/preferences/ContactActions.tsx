/**
 * One-key contact actions for a campaign task (the work-queue drawer): 拨打 dials the customer through the
 * modem (Alt+D), 发短信 opens an SMS from a template (Alt+S). Each is disabled, with the reason on hover,
 * when it must not happen: no number, the car was sold, the customer refuses that channel for this
 * campaign's purpose or opted out of SMS, the modem is offline, or a call is already on.
 */
import { MessageOutlined, PhoneOutlined } from '@ant-design/icons';
import { App, Button, Modal, Space, Tooltip } from 'antd';
import { useEffect, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { errorText } from '../../app/errors';
import { useModem } from '../modem/store';
import { SmsFromTemplate } from '../templates';

type TaskCheck = RequestOutput<'preferences.forTask'>;

export interface ContactTask {
  taskId: string;
  customerId: string;
  customerName: string;
  vehicleId: string | null;
  mobile: string | null;
}

export interface ContactActions {
  /** The two buttons, for the drawer's body. */
  bar: ReactNode;
  /** The SMS dialog; render it outside any element whose key handler would also see its keys. */
  modal: ReactNode;
  /** Alt+D / Alt+S; true when the key was one of them. */
  onKeyDown(event: KeyboardEvent): boolean;
}

export function useContactActions(task: ContactTask): ContactActions {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const link = useModem((s) => s.status?.link ?? null);
  const onCall = useModem((s) => s.call !== null);
  const setCall = useModem((s) => s.setCall);
  const [check, setCheck] = useState<TaskCheck | null>(null);
  const [dialing, setDialing] = useState(false);
  const [smsOpen, setSmsOpen] = useState(false);

  useEffect(() => {
    let stale = false;
    setCheck(null);
    call('preferences.forTask', { taskId: task.taskId })
      .then((c) => {
        if (!stale) setCheck(c);
      })
      .catch((e: unknown) => {
        if (!stale) message.error(errorText(e));
      });
    return () => {
      stale = true;
    };
  }, [task.taskId, message]);

  const purpose = check ? t(`preferences.purpose.${check.purpose}`) : '';
  const dialBlocked: string | null = !task.mobile
    ? t('preferences.actions.noNumber')
    : !check
      ? t('preferences.actions.checking')
      : check.vehicleSold
        ? t('preferences.actions.sold')
        : !check.phone
          ? t('preferences.actions.refusesCall', { purpose })
          : link !== 'ready'
            ? t('preferences.actions.offline')
            : onCall
              ? t('preferences.actions.onCall')
              : null;
  const smsBlocked: string | null = !task.mobile
    ? t('preferences.actions.noNumber')
    : !check
      ? t('preferences.actions.checking')
      : check.vehicleSold
        ? t('preferences.actions.sold')
        : check.smsOptOut
          ? t('preferences.actions.optedOut')
          : !check.sms
            ? t('preferences.actions.refusesSms', { purpose })
            : null;

  async function dial() {
    if (dialBlocked || !task.mobile || dialing) return;
    const number = task.mobile;
    setDialing(true);
    try {
      const { callId } = await call('calls.dial', { number, customerId: task.customerId });
      // The host's call.state may already have put this call on screen (with the customer's name).
      if (useModem.getState().call?.callId !== callId) {
        setCall({ callId, direction: 'out', number, customerId: task.customerId, customerName: task.customerName, phase: 'dialing', endReason: null });
      }
      message.info(t('preferences.actions.dialing', { number }));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setDialing(false);
    }
  }

  function openSms() {
    if (!smsBlocked) setSmsOpen(true);
  }

  const bar = (
    <Space wrap data-testid="contact-actions">
      <Tooltip title={dialBlocked ?? t('preferences.actions.dialKey')}>
        <Button icon={<PhoneOutlined />} disabled={dialBlocked !== null} loading={dialing} onClick={() => void dial()} data-testid="task-dial">
          {t('preferences.actions.dial')}
        </Button>
      </Tooltip>
      <Tooltip title={smsBlocked ?? t('preferences.actions.smsKey')}>
        <Button icon={<MessageOutlined />} disabled={smsBlocked !== null} onClick={openSms} data-testid="task-sms">
          {t('preferences.actions.sms')}
        </Button>
      </Tooltip>
    </Space>
  );

  const modal = (
    <Modal open={smsOpen} title={t('preferences.actions.smsTitle', { name: task.customerName })} onCancel={() => setSmsOpen(false)} footer={null} width={560} destroyOnHidden>
      <SmsFromTemplate customerId={task.customerId} vehicleId={task.vehicleId} onSent={() => setSmsOpen(false)} />
    </Modal>
  );

  function onKeyDown(event: KeyboardEvent): boolean {
    if (!event.altKey || event.ctrlKey || event.metaKey) return false;
    // By physical key: Alt+letter types other characters on some layouts (macOS).
    if (event.code === 'KeyD') {
      event.preventDefault();
      void dial();
      return true;
    }
    if (event.code === 'KeyS') {
      event.preventDefault();
      openSms();
      return true;
    }
    return false;
  }

  return { bar, modal, onKeyDown };
}
