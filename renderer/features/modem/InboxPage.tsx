/** 短信 inbox: threads by customer (unread badges), the selected conversation and a reply box. */
import { ExclamationCircleOutlined, PhoneOutlined, SettingOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Card, Col, Empty, List, Row, Space, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { canAccess, type RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { errorText } from '../../app/errors';
import { paths } from '../../app/router';
import { useRole } from '../../app/session';
import { ModemStatusBadge, SmsComposer, ThreadView, type ThreadKey } from './parts';
import { useModem } from './store';

type Thread = RequestOutput<'sms.threads'>['items'][number];
const keyOf = (t: Thread): ThreadKey => (t.customerId ? { customerId: t.customerId } : { number: t.number });

export function InboxPage() {
  const { t } = useTranslation();
  const role = useRole();
  const tick = useModem((s) => s.smsTick);
  const status = useModem((s) => s.status);
  const refreshUnread = useModem((s) => s.refreshUnread);
  const unreadTotal = useModem((s) => s.unreadTotal);
  const [threads, setThreads] = useState<Thread[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const selectedRef = useRef<string | null>(null);
  selectedRef.current = selected;

  const load = useCallback(async () => {
    try {
      const data = await call('sms.threads', { limit: 200 });
      // A reply landing in the conversation on screen is read as it arrives.
      const open = data.items.find((th) => th.key === selectedRef.current && th.unread > 0);
      if (open) {
        await call('sms.markRead', keyOf(open));
        void refreshUnread();
      }
      setThreads(data.items.map((th) => (th === open ? { ...th, unread: 0 } : th)));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [refreshUnread]);

  useEffect(() => {
    void load();
  }, [load, tick]);

  const current = threads?.find((th) => th.key === selected) ?? null;

  async function open(thread: Thread) {
    setSelected(thread.key);
    if (thread.unread > 0) {
      try {
        await call('sms.markRead', keyOf(thread));
        setThreads((list) => list?.map((th) => (th.key === thread.key ? { ...th, unread: 0 } : th)) ?? null);
        void refreshUnread();
      } catch (e) {
        setError(errorText(e));
      }
    }
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            {t('modem.inbox.title')}
            <Badge count={unreadTotal} overflowCount={999} data-testid="sms-unread-total" />
          </Space>
        }
        extra={
          <Space wrap>
            <ModemStatusBadge />
            <Button href="#/modem/calls" icon={<PhoneOutlined />} data-testid="open-call-log">
              {t('modem.calls.title')}
            </Button>
            {canAccess('sms.uncertain', role) && (
              <Button href="#/modem/uncertain" icon={<ExclamationCircleOutlined />} data-testid="open-uncertain">
                {t('modem.uncertain.title')} {status && status.queue.uncertain > 0 ? `(${status.queue.uncertain})` : ''}
              </Button>
            )}
            {canAccess('modem.configure', role) && (
              <Button href="#/modem/settings" icon={<SettingOutlined />} data-testid="open-modem-settings">
                {t('modem.settings.title')}
              </Button>
            )}
          </Space>
        }
        styles={{ body: { padding: 0 } }}
      >
        {error && <Alert type="error" showIcon title={error} action={<Button onClick={() => void load()}>{t('common.retry')}</Button>} />}
        <Row>
          <Col xs={24} md={9} style={{ borderRight: '1px solid #f0f0f0', maxHeight: 640, overflowY: 'auto' }}>
            <List
              loading={threads === null && !error}
              dataSource={threads ?? []}
              locale={{ emptyText: <Empty description={t('modem.inbox.empty')} /> }}
              renderItem={(thread) => (
                <List.Item
                  key={thread.key}
                  tabIndex={0}
                  role="button"
                  aria-pressed={thread.key === selected}
                  data-testid="sms-thread"
                  data-unread={thread.unread}
                  onClick={() => void open(thread)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      void open(thread);
                    }
                  }}
                  style={{ cursor: 'pointer', padding: '10px 16px', background: thread.key === selected ? '#e6f4ff' : undefined }}
                >
                  <List.Item.Meta
                    title={
                      <Space>
                        <Typography.Text strong={thread.unread > 0}>{thread.customerName ?? t('modem.unknownNumber')}</Typography.Text>
                        <Typography.Text type="secondary">{thread.number}</Typography.Text>
                      </Space>
                    }
                    description={
                      <Typography.Text type="secondary" ellipsis style={{ maxWidth: 260 }}>
                        {thread.lastDirection === 'out' ? `${t('modem.inbox.me')}: ` : ''}
                        {thread.lastText}
                      </Typography.Text>
                    }
                  />
                  <Space orientation="vertical" align="end" size={2}>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {new Date(thread.lastAt).toLocaleString()}
                    </Typography.Text>
                    <Badge count={thread.unread} data-testid="sms-unread" />
                  </Space>
                </List.Item>
              )}
            />
          </Col>
          <Col xs={24} md={15} style={{ padding: 16 }}>
            {current ? (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Space>
                  <Typography.Title level={5} style={{ margin: 0 }}>
                    {current.customerName ?? t('modem.unknownNumber')} · {current.number}
                  </Typography.Title>
                  {current.customerId && (
                    <Button size="small" icon={<UserOutlined />} href={paths.customer(current.customerId)}>
                      {t('modem.openCustomer')}
                    </Button>
                  )}
                </Space>
                <ThreadView threadKey={keyOf(current)} />
                <SmsComposer key={current.key} customerId={current.customerId} number={current.number} onSent={() => void load()} />
              </Space>
            ) : (
              <Empty description={t('modem.inbox.pick')} />
            )}
          </Col>
        </Row>
      </Card>
    </Space>
  );
}
