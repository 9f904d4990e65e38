import { Button, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../customers/format';
import { AckModal } from './AckModal';
import { isSnoozed, isUnacknowledged, useAlarms, type AlarmDto } from './store';

export function SeverityTag({ severity }: { severity: AlarmDto['severity'] }) {
  const { t } = useTranslation();
  return <Tag color={severity === 'critical' ? 'red' : 'orange'}>{t(`alarms.severity.${severity}`)}</Tag>;
}

const STATE_COLOR: Record<AlarmDto['state'], string> = {
  pending: 'default',
  firing: 'red',
  flapping: 'purple',
  acknowledged: 'gold',
  resolved: 'green',
};
export function StateTag({ state }: { state: AlarmDto['state'] }) {
  const { t } = useTranslation();
  return <Tag color={STATE_COLOR[state]}>{t(`alarms.state.${state}`)}</Tag>;
}

export function alarmColumns(t: (key: string, options?: Record<string, unknown>) => string): TableColumnsType<AlarmDto> {
  return [
    { title: t('alarms.col.severity'), dataIndex: 'severity', width: 80, render: (_, a) => <SeverityTag severity={a.severity} /> },
    { title: t('alarms.col.state'), dataIndex: 'state', width: 90, render: (_, a) => <StateTag state={a.state} /> },
    { title: t('alarms.col.server'), dataIndex: 'server', width: 120, render: (v: string | null) => v ?? t('alarms.local') },
    { title: t('alarms.col.name'), dataIndex: 'name' },
    { title: t('alarms.col.detail'), dataIndex: 'detail', ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: t('alarms.col.firstSeen'), dataIndex: 'firstSeenAt', width: 140, render: (v: string) => formatDateTime(v) },
    { title: t('alarms.col.occurrences'), dataIndex: 'occurrences', width: 70 },
  ];
}

/** Open alarms, newest first, kept live by the store; acknowledge (shared) or mute here (local). */
export function LiveTab() {
  const { t } = useTranslation();
  const open = useAlarms((s) => s.open);
  const loaded = useAlarms((s) => s.loaded);
  const snoozed = useAlarms((s) => s.snoozed);
  const now = useAlarms((s) => s.now);
  const snooze = useAlarms((s) => s.snooze);
  const [acking, setAcking] = useState<AlarmDto | null>(null);

  const columns: TableColumnsType<AlarmDto> = [
    ...alarmColumns(t),
    {
      title: t('alarms.col.actions'),
      key: 'actions',
      width: 220,
      render: (_, a) =>
        a.ack ? (
          <Typography.Text type="secondary" data-testid="ack-note">
            {t('alarms.ackedBy', { name: a.ack.byName, at: formatDateTime(a.ack.at), comment: a.ack.comment })}
          </Typography.Text>
        ) : (
          <Space>
            {isUnacknowledged(a) && (
              <Button size="small" type="primary" onClick={() => setAcking(a)} data-testid="ack-open">
                {t('alarms.acknowledge')}
              </Button>
            )}
            {isUnacknowledged(a) &&
              (isSnoozed({ snoozed, now }, a.id) ? (
                <Tag>{t('alarms.snoozed')}</Tag>
              ) : (
                <Button size="small" onClick={() => snooze([a.id])}>
                  {t('alarms.snoozeForMe')}
                </Button>
              ))}
          </Space>
        ),
    },
  ];

  return (
    <>
      <Table<AlarmDto>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={open}
        loading={!loaded}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: t('alarms.noneOpen') }}
        onRow={(a) => ({ id: `alarm-${a.id}`, 'data-testid': 'alarm-row', 'data-fingerprint': a.fingerprint, 'data-state': a.state })}
      />
      <AckModal alarm={acking} onClose={() => setAcking(null)} />
    </>
  );
}
