/** Pieces the inbox and the customer page share: modem status badge, SMS state tag, thread, composer. */
import { SendOutlined } from '@ant-design/icons';
import { App, Badge, Button, Empty, Form, Input, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { applyIssues, errorBody, errorText } from '../../app/errors';
import { usePick } from '../../app/language';
import { createSmsSender, type SmsSender, type SmsSendInput, type SmsSent } from './sms-send';
import { useModem } from './store';

export type ThreadKey = { customerId: string } | { number: string };
type ThreadItems = RequestOutput<'sms.thread'>;

const STATE_COLOR: Record<string, string> = {
  queued: 'default',
  sending: 'processing',
  sent: 'blue',
  delivered: 'green',
  failed: 'red',
  uncertain: 'orange',
  cancelled: 'default',
  received: 'purple',
};

export function SmsStateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLOR[state] ?? 'default'} data-testid="sms-state" data-state={state}>
      {t(`modem.state.${state}`, { defaultValue: state })}
    </Tag>
  );
}

/** Signal, registration and queue in one line; red when the line is down or sending is paused. */
export function ModemStatusBadge() {
  const { t } = useTranslation();
  const pickText = usePick();
  const status = useModem((s) => s.status);
  if (!status) return <Badge status="default" text={t('modem.status.unknown')} />;
  const ok = status.link === 'ready' && !status.paused;
  const signal = status.signal ? `${status.signal.dbm} dBm (${status.signal.csq}/31)` : t('modem.status.noSignal');
  const detail = [
    `${t('modem.status.port')}: ${status.port || t('modem.status.noPort')}`,
    `SIM: ${t(`modem.sim.${status.sim}`)}`,
    status.paused ? pickText(status.paused) : null,
    status.lastError ? pickText(status.lastError) : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Tooltip title={detail}>
      <Space size="small" data-testid="modem-status" data-link={status.link}>
        <Badge status={ok ? 'success' : status.link === 'connecting' ? 'processing' : 'error'} text={t(`modem.link.${status.link}`)} />
        <Tag>{t('modem.status.signal')}: {signal}</Tag>
        <Tag>{t(`modem.reg.${status.registration}`)}</Tag>
        <Tag color={status.queue.uncertain > 0 ? 'orange' : 'default'}>
          {t('modem.status.queue', { queued: status.queue.queued, uncertain: status.queue.uncertain })}
        </Tag>
      </Space>
    </Tooltip>
  );
}

const keyOf = (k: ThreadKey) => ('customerId' in k ? k.customerId : k.number);

/** One conversation, oldest first, with delivery states that follow the host's events. */
export function ThreadView({ threadKey, onLoaded, height = 420 }: { threadKey: ThreadKey; onLoaded?: () => void; height?: number }) {
  const { t } = useTranslation();
  const tick = useModem((s) => s.smsTick);
  const [items, setItems] = useState<ThreadItems | null>(null);
  const [error, setError] = useState<string | null>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const id = keyOf(threadKey);

  useEffect(() => {
    let live = true;
    call('sms.thread', threadKey)
      .then((data) => {
        if (!live) return;
        setItems(data);
        setError(null);
        onLoaded?.();
      })
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
    // threadKey is compared by its id; onLoaded may change identity each render.
  }, [id, tick]);

  // A block body: newer Chromium returns a promise from scrollIntoView, which must not become the cleanup.
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [items?.length]);

  if (error) return <Typography.Text type="danger">{error}</Typography.Text>;
  if (!items) return <Spin />;
  if (items.length === 0) return <Empty description={t('modem.thread.empty')} />;
  return (
    <div style={{ maxHeight: height, overflowY: 'auto', padding: '4px 8px' }} data-testid="sms-thread-view">
      {items.map((m) => (
        <div key={m.id} style={{ display: 'flex', justifyContent: m.direction === 'out' ? 'flex-end' : 'flex-start', margin: '6px 0' }} data-testid="sms-message" data-direction={m.direction}>
          <div style={{ maxWidth: '75%', background: m.direction === 'out' ? '#e6f4ff' : '#f5f5f5', borderRadius: 8, padding: '6px 10px' }}>
            <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{m.body}</div>
            <Space size={4} style={{ marginTop: 4, fontSize: 12 }}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {new Date(m.at).toLocaleString()}
                {m.parts > 1 ? ` · ${t('modem.composer.parts', { parts: m.parts })}` : ''}
              </Typography.Text>
              {m.direction === 'out' && <SmsStateTag state={m.state} />}
            </Space>
          </div>
        </div>
      ))}
      <div ref={bottom} />
    </div>
  );
}

interface ComposerProps {
  customerId: string | null;
  /** Used when the thread has no customer (an unknown number). */
  number: string | null;
  onSent?(id: string): void;
  autoFocus?: boolean;
}

/** The parts and encoding of what is being typed, counted by the host a moment after typing stops. */
export function useSmsCount(body: string): RequestOutput<'sms.count'> | null {
  const [count, setCount] = useState<RequestOutput<'sms.count'> | null>(null);
  useEffect(() => {
    if (!body) {
      setCount(null);
      return;
    }
    const timer = setTimeout(() => {
      call('sms.count', { text: body.slice(0, 2000) })
        .then(setCount)
        .catch(() => setCount(null));
    }, 150);
    return () => clearTimeout(timer);
  }, [body]);
  return count;
}

/**
 * Sends an SMS through the outbox at most once per message (see sms-send.ts): `send` resolves to null,
 * sending nothing, while a send is in flight; errors are thrown for the caller's form to show.
 */
export function useSmsSend(): { send: (input: SmsSendInput) => Promise<SmsSent | null>; sending: boolean } {
  const sender = useRef<SmsSender | null>(null);
  sender.current ??= createSmsSender((input) => call('sms.send', input));
  const [sending, setSending] = useState(false);
  const send = useCallback(async (input: SmsSendInput) => {
    const s = sender.current;
    if (!s || s.inFlight) return null;
    setSending(true);
    try {
      return await s.send(input);
    } finally {
      setSending(false);
    }
  }, []);
  return { send, sending };
}

/** Reply box with a live segment counter; Ctrl+Enter sends (Enter alone starts a new line). */
export function SmsComposer({ customerId, number, onSent, autoFocus }: ComposerProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ body: string }>();
  const body = Form.useWatch('body', form) ?? '';
  const count = useSmsCount(body);
  const sms = useSmsSend();

  async function send({ body: text }: { body: string }) {
    try {
      // A conversation reply is the agent answering one customer: a service message, at any hour.
      const sent = await sms.send({ customerId, recipient: customerId ? null : number, body: text ?? '', kind: 'service' });
      if (!sent) return;
      message.success(t('modem.composer.queued', { parts: sent.parts }));
      form.resetFields();
      onSent?.(sent.id);
    } catch (error) {
      if (!applyIssues(form, errorBody(error), ['body'])) message.error(errorText(error));
    }
  }

  const limit = count?.encoding === 'ucs2' ? (count.parts > 1 ? 67 : 70) : count && count.parts > 1 ? 153 : 160;
  return (
    <Form form={form} onFinish={send} layout="vertical" requiredMark={false} data-testid="sms-composer">
      <Form.Item name="body" label={t('modem.composer.label')} style={{ marginBottom: 8 }}>
        <Input.TextArea
          autoFocus={autoFocus}
          autoSize={{ minRows: 3, maxRows: 8 }}
          maxLength={1000}
          placeholder={t('modem.composer.placeholder')}
          data-testid="sms-body"
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              form.submit();
            }
          }}
        />
      </Form.Item>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text type="secondary" data-testid="sms-segments">
          {count
            ? t('modem.composer.counter', { chars: body.length, parts: count.parts, perPart: limit, encoding: t(`modem.encoding.${count.encoding}`) })
            : t('modem.composer.hint')}
        </Typography.Text>
        <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={sms.sending} data-testid="sms-send">
          {t('modem.composer.send')}
        </Button>
      </Space>
    </Form>
  );
}
