import { Alert, Button, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePick } from '../../app/language';
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

/** Why the host sent no popup for this alarm: a silence / maintenance window, or a failing parent. */
export function HeldTag({ alarm }: { alarm: AlarmDto }) {
  const { t } = useTranslation();
  if (alarm.silenceId) {
    return (
      <Tooltip title={t('alarms.silencedHelp')}>
        <Tag color="blue" data-testid="alarm-silenced">
          {t('alarms.silenced')}
        </Tag>
      </Tooltip>
    );
  }
  if (alarm.suppressedBy) {
    return (
      <Tooltip title={t('alarms.suppressedHelp', { parent: alarm.suppressedBy.replace(/^parent:/, '') })}>
        <Tag data-testid="alarm-suppressed">{t('alarms.suppressed')}</Tag>
      </Tooltip>
    );
  }
  return null;
}

export function alarmColumns(t: (key: string, options?: Record<string, unknown>) => string): TableColumnsType<AlarmDto> {
  return [
    { title: t('alarms.col.severity'), dataIndex: 'severity', width: 80, render: (_, a) => <SeverityTag severity={a.severity} /> },
    {
      title: t('alarms.col.state'),
      dataIndex: 'state',
      width: 150,
      render: (_, a) => (
        <Space size={0}>
          <StateTag state={a.state} />
          {a.state !== 'resolved' && <HeldTag alarm={a} />}
        </Space>
      ),
    },
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
  const pickText = usePick();
  const open = useAlarms((s) => s.open);
  const loaded = useAlarms((s) => s.loaded);
  const loading = useAlarms((s) => s.loading);
  const loadError = useAlarms((s) => s.loadError);
  const load = useAlarms((s) => s.load);
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
      {loadError && (
        // Without this a failed first read left the table spinning until the next reconnect.
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid="alarms-load-error"
          style={{ marginBottom: 12 }}
          title={loaded ? t('alarms.staleList', { reason: pickText(loadError.message) }) : pickText(loadError.message)}
          action={
            <Button size="small" loading={loading} onClick={() => void load()} data-testid="alarms-load-retry">
              {t('common.retry')}
            </Button>
          }
        />
      )}
      <Table<AlarmDto>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={open}
        loading={!loaded && (loading || !loadError)}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: loaded ? t('alarms.noneOpen') : t('alarms.notLoaded') }}
        onRow={(a) => ({ id: `alarm-${a.id}`, 'data-testid': 'alarm-row', 'data-fingerprint': a.fingerprint, 'data-state': a.state, 'data-held': a.silenceId ? 'silence' : a.suppressedBy ? 'parent' : undefined })}
      />
      <AckModal alarm={acking} onClose={() => setAcking(null)} />
    </>
  );
}
