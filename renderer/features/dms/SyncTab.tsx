import { PauseCircleOutlined, SyncOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Progress, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { errorText } from '../../app/errors';
import { usePick } from '../../app/language';
import { formatDateTime } from '../customers/format';
import { SourcePicker } from './DmsPage';
import { useDms } from './store';

type Run = RequestOutput<'dms.runs'>[number];

const STATUS_COLOR: Record<Run['status'], string> = { running: 'processing', succeeded: 'success', failed: 'error', cancelled: 'default', interrupted: 'warning' };

export function RunStatus({ status }: { status: Run['status'] }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`dms.status.${status}`)}</Tag>;
}

/** Sync dashboard: sync now, live progress with rows/s and ETA, cancel, run history with counts. */
export function SyncTab() {
  const { t } = useTranslation();
  const pickText = usePick();
  const { message } = App.useApp();
  const { sources, sourceId, progress, finished, runsVersion, markStarted } = useDms();
  const source = sources.find((s) => s.id === sourceId) ?? null;
  const live = sourceId ? progress[sourceId] : undefined;
  const last = sourceId ? finished[sourceId] : undefined;
  const [runs, setRuns] = useState<Run[]>([]);
  const [loading, setLoading] = useState(false);
  const [starting, setStarting] = useState(false);

  const loadRuns = useCallback(async () => {
    setLoading(true);
    try {
      setRuns(await call('dms.runs', { sourceId, limit: 100 }));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [sourceId, message]);

  useEffect(() => {
    void loadRuns();
  }, [loadRuns, runsVersion]);

  async function syncNow() {
    if (!sourceId) return;
    setStarting(true);
    try {
      await call('dms.syncNow', { sourceId });
      markStarted(sourceId);
      message.info(t('dms.sync.started'));
      void loadRuns();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setStarting(false);
    }
  }

  async function cancel() {
    if (!sourceId) return;
    try {
      const r = await call('dms.cancel', { sourceId });
      message.info(t(r.cancelled ? 'dms.sync.cancelling' : 'dms.sync.notRunning'));
    } catch (e) {
      message.error(errorText(e));
    }
  }

  const running = Boolean(source?.running || live);
  const percent = live?.entityTotal ? Math.min(100, Math.round((live.entityDone / live.entityTotal) * 100)) : undefined;

  const columns: TableColumnsType<Run> = [
    { title: t('dms.runs.startedAt'), dataIndex: 'startedAt', width: 150, render: (v: string) => formatDateTime(v) },
    { title: t('dms.runs.mode'), dataIndex: 'mode', width: 100, render: (v: Run['mode']) => t(`dms.mode.${v}`) },
    { title: t('dms.runs.trigger'), dataIndex: 'trigger', width: 80, render: (v: Run['trigger']) => t(`dms.trigger.${v}`) },
    { title: t('dms.runs.status'), dataIndex: 'status', width: 90, render: (v: Run['status']) => <RunStatus status={v} /> },
    { title: t('dms.counts.fetched'), width: 80, align: 'right', render: (_, r) => r.counts.fetched },
    { title: t('dms.counts.inserted'), width: 80, align: 'right', render: (_, r) => r.counts.inserted },
    { title: t('dms.counts.updated'), width: 80, align: 'right', render: (_, r) => r.counts.updated },
    { title: t('dms.counts.deleted'), width: 80, align: 'right', render: (_, r) => r.counts.deleted },
    { title: t('dms.counts.conflicts'), width: 80, align: 'right', render: (_, r) => r.counts.conflicts },
    { title: t('dms.counts.quarantined'), width: 80, align: 'right', render: (_, r) => r.counts.quarantined },
    { title: t('dms.runs.error'), dataIndex: 'error', render: (v: Run['error']) => (v ? pickText(v) : '') },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <SourcePicker kind="rest" />
        <Button type="primary" icon={<SyncOutlined />} disabled={!source || source.kind !== 'rest' || running} loading={starting} onClick={() => void syncNow()} data-testid="dms-sync-now">
          {t('dms.sync.now')}
        </Button>
        <Button icon={<PauseCircleOutlined />} disabled={!running} onClick={() => void cancel()} data-testid="dms-cancel">
          {t('dms.sync.cancel')}
        </Button>
        {source?.nextRun && <Typography.Text type="secondary">{t('dms.sync.nextRun', { at: formatDateTime(source.nextRun) })}</Typography.Text>}
      </Space>
      {running && (
        <Card size="small" data-testid="dms-progress">
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text>
              {live ? t('dms.sync.progress', { entity: t(`dms.entity.${live.entity}`), done: live.done, rate: Math.round(live.rowsPerSecond) }) : t('dms.sync.starting')}
              {live?.etaSeconds !== null && live?.etaSeconds !== undefined ? ` · ${t('dms.sync.eta', { seconds: Math.ceil(live.etaSeconds) })}` : ''}
            </Typography.Text>
            <Progress percent={percent ?? 0} status="active" showInfo={percent !== undefined} />
          </Space>
        </Card>
      )}
      {!running && last && (
        <Alert
          data-testid="dms-last-run"
          type={last.status === 'succeeded' ? 'success' : last.status === 'cancelled' ? 'info' : 'error'}
          showIcon
          title={t('dms.sync.finished', { status: t(`dms.status.${last.status}`), inserted: last.counts.inserted, updated: last.counts.updated, quarantined: last.counts.quarantined })}
          description={last.error ? pickText(last.error) : undefined}
        />
      )}
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('dms.runs.title')}
      </Typography.Title>
      <Table<Run> rowKey="id" size="small" columns={columns} dataSource={runs} loading={loading} pagination={{ pageSize: 20 }} scroll={{ x: 1100 }} data-testid="dms-runs" />
    </Space>
  );
}
