/** Supervisor view of SMS whose outcome is unknown (interrupted mid-send): resend, mark sent or cancel. */
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Popconfirm, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { errorText } from '../../app/errors';
import { paths } from '../../app/router';
import { useModem } from './store';

type Row = RequestOutput<'sms.uncertain'>[number];
type Action = 'resend' | 'mark_sent' | 'cancel';

export function UncertainPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const tick = useModem((s) => s.smsTick);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setRows(await call('sms.uncertain', {}));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, tick]);

  async function resolve(row: Row, action: Action) {
    setBusy(row.id);
    try {
      await call('sms.resolveUncertain', { messageId: row.id, action });
      message.success(t(`modem.uncertain.done.${action}`));
      await load();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <Card
      title={
        <Space>
          <Button type="text" icon={<ArrowLeftOutlined />} href="#/modem" aria-label={t('modem.back')} />
          {t('modem.uncertain.title')}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('modem.uncertain.explain')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<Row>
        rowKey="id"
        size="small"
        loading={rows === null && !error}
        dataSource={rows ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: t('modem.uncertain.empty') }}
        columns={[
          { title: t('modem.uncertain.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => new Date(v).toLocaleString() },
          {
            title: t('modem.uncertain.to'),
            width: 180,
            render: (_v, r) => (r.customerId ? <a href={paths.customer(r.customerId)}>{r.customerName ?? r.recipient}</a> : r.recipient),
          },
          { title: t('modem.uncertain.body'), dataIndex: 'body', ellipsis: true },
          { title: t('modem.uncertain.error'), dataIndex: 'errorText', width: 160, ellipsis: true },
          {
            title: t('modem.uncertain.actions'),
            width: 260,
            render: (_v, r) => (
              <Space size="small">
                <Popconfirm title={t('modem.uncertain.resendConfirm')} onConfirm={() => void resolve(r, 'resend')}>
                  <Button size="small" loading={busy === r.id}>
                    {t('modem.uncertain.resend')}
                  </Button>
                </Popconfirm>
                <Button size="small" onClick={() => void resolve(r, 'mark_sent')} disabled={busy === r.id}>
                  {t('modem.uncertain.markSent')}
                </Button>
                <Button size="small" danger onClick={() => void resolve(r, 'cancel')} disabled={busy === r.id}>
                  {t('modem.uncertain.cancel')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
