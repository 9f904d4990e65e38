/**
 * The global call pop and call bar (mounted once in the shell): an incoming call shows the matched
 * customer (open their page) or "未知号码" with quick create; answer / hang up; an outgoing call shows
 * the bar until it ends. Esc hides the pop without ending the call.
 */
import { PhoneOutlined, UserAddOutlined, UserOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api';
import { applyIssues, errorBody, errorText } from '../../app/errors';
import { navigate, paths } from '../../app/router';
import { useModem, useModemEvents, type CallDto } from './store';

function useElapsed(active: boolean): string {
  const [start, setStart] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) {
      setStart(null);
      return;
    }
    setStart(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  if (start === null) return '';
  const s = Math.max(0, Math.floor((now - start) / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function QuickCreate({ number, open, onClose }: { number: string; open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string }>();
  const [saving, setSaving] = useState(false);
  async function save({ name }: { name: string }) {
    setSaving(true);
    try {
      const { id } = await call('calls.quickCreate', { name: name ?? '', number });
      message.success(t('modem.call.created'));
      onClose();
      navigate(paths.customer(id));
    } catch (error) {
      if (!applyIssues(form, errorBody(error), ['name'])) message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal open={open} title={t('modem.call.quickCreate')} onCancel={onClose} onOk={() => form.submit()} okButtonProps={{ loading: saving }} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={save} requiredMark={false}>
        <Form.Item label={t('modem.call.number')}>
          <Input value={number} disabled />
        </Form.Item>
        <Form.Item name="name" label={t('modem.call.name')}>
          <Input autoFocus maxLength={40} data-testid="quick-create-name" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function CallCenter() {
  useModemEvents();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const current = useModem((s) => s.call);
  const setCall = useModem((s) => s.setCall);
  const [hidden, setHidden] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const elapsed = useElapsed(current?.phase === 'active');

  useEffect(() => {
    if (!current) return;
    function onKey(e: KeyboardEvent) {
      if (e.key === 'Escape' && current && !document.querySelector('.ant-modal-wrap')) setHidden(current.callId);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [current]);

  if (!current || hidden === current.callId) return null;

  async function act(kind: 'answer' | 'hangup', c: CallDto) {
    try {
      if (kind === 'answer') await call('calls.answer', {});
      else {
        await call('calls.hangup', {});
        setCall({ ...c, phase: 'ended' });
      }
    } catch (e) {
      message.error(errorText(e));
    }
  }

  const incoming = current.direction === 'in';
  const who = current.customerName ?? t('modem.unknownNumber');
  const phaseText = t(`modem.call.phase.${incoming && current.phase === 'ringing' ? 'incoming' : current.phase}`);
  return (
    <>
      <Card
        size="small"
        data-testid="call-pop"
        data-phase={current.phase}
        role="dialog"
        aria-label={phaseText}
        // Above drawers and dialogs (antd: 1000): a call dialled from the work-queue drawer must stay in reach.
        style={{ position: 'fixed', right: 24, bottom: 24, width: 340, zIndex: 1040, boxShadow: '0 6px 24px rgba(0,0,0,.2)' }}
        title={
          <Space>
            <PhoneOutlined style={{ color: current.phase === 'ringing' ? '#fa8c16' : '#52c41a' }} />
            {phaseText}
            {elapsed && <Tag>{elapsed}</Tag>}
          </Space>
        }
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="call-pop-name">
            {who}
          </Typography.Title>
          <Typography.Text type="secondary" data-testid="call-pop-number">
            {current.number ?? t('modem.call.hiddenNumber')}
          </Typography.Text>
          <Space wrap>
            {incoming && current.phase === 'ringing' && (
              <Button type="primary" icon={<PhoneOutlined />} onClick={() => void act('answer', current)} data-testid="call-answer">
                {t('modem.call.answer')}
              </Button>
            )}
            <Button danger onClick={() => void act('hangup', current)} data-testid="call-hangup">
              {t('modem.call.hangup')}
            </Button>
            {current.customerId ? (
              <Button icon={<UserOutlined />} onClick={() => current.customerId && navigate(paths.customer(current.customerId))} data-testid="call-open-customer">
                {t('modem.openCustomer')}
              </Button>
            ) : (
              current.number && (
                <Button icon={<UserAddOutlined />} onClick={() => setCreating(true)} data-testid="call-quick-create">
                  {t('modem.call.quickCreate')}
                </Button>
              )
            )}
          </Space>
        </Space>
      </Card>
      {current.number && <QuickCreate number={current.number} open={creating} onClose={() => setCreating(false)} />}
    </>
  );
}
