/** Row actions shared by the day view and the list: reschedule, cancel with a reason, mark arrived. */
import { App, Button, Form, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppointmentDto } from '../../../preload/channels/appointments';
import { call } from '../../api';
import { applyIssues, errorBody, errorText } from '../../app/errors';
import { BookAppointmentModal } from './BookAppointmentModal';

export function AppointmentActions(props: { appointment: AppointmentDto; today: string; onChanged: () => void }) {
  const { appointment: a, today } = props;
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [moving, setMoving] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ reason?: string }>();

  async function arrived() {
    try {
      await call('appointments.markArrived', { id: a.id });
      message.success(t('appointments.arrivedDone'));
      props.onChanged();
    } catch (error) {
      message.error(errorText(error));
    }
  }

  async function cancel() {
    let v: { reason?: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      await call('appointments.cancel', { id: a.id, reason: v.reason ?? '' });
      message.success(t('appointments.cancel.done'));
      setCancelling(false);
      props.onChanged();
    } catch (error) {
      if (!applyIssues(form, errorBody(error), ['reason'])) message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  }

  const booked = a.status === 'booked';
  return (
    <Space size={4} wrap>
      {booked && (
        <Button size="small" onClick={() => setMoving(true)} data-testid="appt-reschedule">
          {t('appointments.action.reschedule')}
        </Button>
      )}
      {booked && (
        <Button size="small" danger onClick={() => setCancelling(true)} data-testid="appt-cancel">
          {t('appointments.action.cancel')}
        </Button>
      )}
      {(booked || a.status === 'no_show') && a.date <= today && (
        <Button size="small" onClick={() => void arrived()} data-testid="appt-arrived">
          {t('appointments.action.arrived')}
        </Button>
      )}
      {moving && <BookAppointmentModal open customerId={a.customerId} reschedule={a} onClose={() => setMoving(false)} onBooked={() => props.onChanged()} />}
      <Modal
        open={cancelling}
        title={t('appointments.cancel.title', { name: a.customerName, date: a.date, time: a.startTime })}
        onCancel={() => setCancelling(false)}
        destroyOnHidden
        okText={t('appointments.cancel.ok')}
        okButtonProps={{ danger: true, loading: saving }}
        cancelText={t('common.close')}
        onOk={() => void cancel()}
      >
        <Form form={form} layout="vertical" requiredMark={false} onFinish={() => void cancel()}>
          <Form.Item name="reason" label={t('appointments.cancel.reason')} rules={[{ required: true, whitespace: true, message: t('appointments.cancel.reasonRequired') }]}>
            <Input autoFocus maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
