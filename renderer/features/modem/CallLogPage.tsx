/** 通话记录: every call with direction, times, talk time, agent and missed/abandoned; Excel for supervisors. */
import { ArrowLeftOutlined, FileExcelOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { canAccess, type RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { errorText } from '../../app/errors';
import { paths } from '../../app/router';
import { useRole } from '../../app/session';
import { downloadBase64 } from '../customers/format';
import { useModem } from './store';

type Row = RequestOutput<'calls.log'>[number];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '');

export function CallLogPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const role = useRole();
  const current = useModem((s) => s.call);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);

  const load = useCallback(async () => {
    try {
      setRows(await call('calls.log', { limit: 1000 }));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, []);
  // Reload when a call starts or ends.
  useEffect(() => {
    void load();
  }, [load, current?.callId, current?.phase]);

  async function exportLog() {
    setExporting(true);
    try {
      const file = await call('calls.exportLog', {});
      downloadBase64(file.fileName, file.base64, XLSX);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  }

  return (
    <Card
      title={
        <Space>
          <Button type="text" icon={<ArrowLeftOutlined />} href="#/modem" aria-label={t('modem.back')} />
          {t('modem.calls.title')}
        </Space>
      }
      extra={
        canAccess('calls.exportLog', role) && (
          <Button icon={<FileExcelOutlined />} loading={exporting} onClick={() => void exportLog()} data-testid="calls-export">
            {t('modem.calls.export')}
          </Button>
        )
      }
    >
      {error && <Alert type="error" showIcon title={error} />}
      <Table<Row>
        rowKey="id"
        size="small"
        data-testid="call-log"
        loading={rows === null && !error}
        dataSource={rows ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        columns={[
          { title: t('modem.calls.direction'), dataIndex: 'direction', width: 80, render: (d: Row['direction']) => <Tag color={d === 'in' ? 'blue' : 'green'}>{t(`modem.calls.${d}`)}</Tag> },
          { title: t('modem.calls.number'), dataIndex: 'number', width: 140, render: (n: string | null) => n ?? t('modem.call.hiddenNumber') },
          { title: t('modem.calls.customer'), width: 120, render: (_v, r) => (r.customerId ? <a href={paths.customer(r.customerId)}>{r.customerName}</a> : t('modem.unknownNumber')) },
          { title: t('modem.calls.staff'), dataIndex: 'staffName', width: 100 },
          { title: t('modem.calls.started'), dataIndex: 'startedAt', width: 170, render: time },
          { title: t('modem.calls.duration'), dataIndex: 'durationS', width: 90, render: (s: number | null) => (s === null ? '' : `${s}s`) },
          {
            title: t('modem.calls.result'),
            render: (_v, r) =>
              r.missed ? <Tag color="red">{t(r.abandoned ? 'modem.calls.abandoned' : 'modem.calls.missed')}</Tag> : r.endReason ? t(`modem.calls.reason.${r.endReason}`, { defaultValue: r.endReason }) : '',
          },
        ]}
      />
    </Card>
  );
}
