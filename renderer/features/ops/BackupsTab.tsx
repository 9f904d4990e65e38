import { CloudUploadOutlined, ReloadOutlined, SafetyCertificateOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Descriptions, Modal, Result, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, RequestOutput } from '../../../preload/contract';
import type { BackupItem } from '../../../preload/channels/ops';
import { call, getApi } from '../../api';
import { errorBody } from '../../app/errors';
import { pick, usePick } from '../../app/language';
import { formatDateTime } from '../customers/format';

type Listing = RequestOutput<'backups.list'>;
type Verified = RequestOutput<'backups.verify'>;
type Restored = RequestOutput<'backups.restore'>;

const FRESHNESS_COLOR = { ok: 'success', warning: 'warning', critical: 'error' } as const;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Backups: freshness, "back up now", verify one copy, restore one copy after an explicit confirmation. */
export function BackupsTab() {
  const { t } = useTranslation();
  const pickText = usePick();
  const { message } = App.useApp();
  const [listing, setListing] = useState<Listing | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [running, setRunning] = useState(false);
  const [checks, setChecks] = useState<Record<string, Verified>>({});
  const [verifying, setVerifying] = useState<string | null>(null);
  const [restoreOf, setRestoreOf] = useState<BackupItem | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [restoring, setRestoring] = useState(false);
  const [restored, setRestored] = useState<Restored | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setListing(await call('backups.list', {}));
      setError(null);
    } catch (e) {
      setError(errorBody(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
    return getApi().on('backups.status', (status) => setListing((prev) => (prev ? { ...prev, status } : prev)));
  }, [load]);

  async function runNow() {
    setRunning(true);
    try {
      const made = await call('backups.run', {});
      message.success(t('settings.backups.done', { file: made.file }));
      await load();
    } catch (e) {
      setError(errorBody(e));
    } finally {
      setRunning(false);
    }
  }

  async function verify(item: BackupItem) {
    setVerifying(item.file);
    try {
      const result = await call('backups.verify', { file: item.file });
      setChecks((prev) => ({ ...prev, [item.file]: result }));
      if (result.ok) message.success(t('settings.backups.verifiedOk', { file: item.file }));
      else message.error(result.problem ? pick(result.problem) : t('settings.backups.verifyFailed'));
    } catch (e) {
      setError(errorBody(e));
    } finally {
      setVerifying(null);
    }
  }

  async function restore() {
    if (!restoreOf || !confirmed) return;
    setRestoring(true);
    try {
      setRestored(await call('backups.restore', { file: restoreOf.file, confirm: true }));
      setRestoreOf(null);
    } catch (e) {
      setError(errorBody(e));
      setRestoreOf(null);
    } finally {
      setRestoring(false);
    }
  }

  if (restored) {
    return (
      <Result
        status="success"
        title={t('settings.backups.restored', { file: restored.file })}
        subTitle={
          <>
            <div>{t(restored.restarting ? 'settings.backups.restarting' : 'settings.backups.restartNow')}</div>
            {restored.previousFile && <div>{t('settings.backups.previousKept', { file: restored.previousFile })}</div>}
            {restored.migrated.length > 0 && <div>{t('settings.backups.migrated', { list: restored.migrated.join(', ') })}</div>}
          </>
        }
        extra={
          <Button type="primary" onClick={() => window.location.reload()}>
            {t('settings.backups.signInAgain')}
          </Button>
        }
        data-testid="restore-result"
      />
    );
  }

  const columns: TableColumnsType<BackupItem> = [
    { title: t('settings.backups.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v), width: 150 },
    { title: t('settings.backups.file'), dataIndex: 'file', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: t('settings.backups.size'), dataIndex: 'bytes', render: (v: number) => mb(v), width: 90 },
    { title: t('settings.backups.trigger'), dataIndex: 'trigger', render: (v: BackupItem['trigger']) => t(`settings.backups.triggers.${v}`), width: 100 },
    { title: t('settings.backups.version'), dataIndex: 'appVersion', width: 90 },
    {
      title: t('settings.backups.integrity'),
      key: 'integrity',
      width: 140,
      render: (_, row) => {
        const check = checks[row.file];
        if (check && !check.ok) return <Tag color="error">{t('settings.backups.damaged')}</Tag>;
        return (
          <Tag color="success" data-testid="backup-integrity">
            {check ? t('settings.backups.verified') : t('settings.backups.integrityOk')}
          </Tag>
        );
      },
    },
    {
      title: t('settings.backups.actions'),
      key: 'actions',
      width: 200,
      render: (_, row) => (
        <Space>
          <Button size="small" icon={<SafetyCertificateOutlined />} loading={verifying === row.file} onClick={() => void verify(row)}>
            {t('settings.backups.verify')}
          </Button>
          <Button
            size="small"
            danger
            icon={<UndoOutlined />}
            onClick={() => {
              setConfirmed(false);
              setRestoreOf(row);
            }}
          >
            {t('settings.backups.restore')}
          </Button>
        </Space>
      ),
    },
  ];

  const freshness = listing?.freshness;
  const status = listing?.status;
  return (
    <>
      {error && <Alert type="error" showIcon title={pickText(error.message)} style={{ marginBottom: 16 }} closable onClose={() => setError(null)} />}
      <Space style={{ marginBottom: 16 }} wrap>
        <Button type="primary" icon={<CloudUploadOutlined />} loading={running || status?.running} onClick={() => void runNow()} data-testid="backup-now">
          {t('settings.backups.runNow')}
        </Button>
        <Button icon={<ReloadOutlined />} onClick={() => void load()}>
          {t('settings.reload')}
        </Button>
        {freshness && (
          <Tag color={FRESHNESS_COLOR[freshness.level]} data-testid="backup-freshness">
            {t(`settings.backups.freshness.${freshness.level}`)} · {pickText(freshness.message)}
          </Tag>
        )}
      </Space>
      {status && (
        <Descriptions size="small" column={3} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t('settings.backups.folder')}>
            <Typography.Text code>{status.folder}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('settings.backups.nextRun')}>{status.nextRunAt ? formatDateTime(status.nextRunAt) : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('settings.backups.lastRun')}>
            {status.lastRun ? `${formatDateTime(status.lastRun.at)} · ${status.lastRun.ok ? t('settings.backups.ok') : (status.lastRun.error ?? '')}` : '—'}
          </Descriptions.Item>
        </Descriptions>
      )}
      <Table<BackupItem>
        rowKey="file"
        columns={columns}
        dataSource={listing?.items ?? []}
        loading={loading}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        size="small"
        data-testid="backup-table"
      />
      <Modal
        open={restoreOf !== null}
        title={t('settings.backups.restoreTitle')}
        okText={t('settings.backups.restore')}
        cancelText={t('settings.cancel')}
        okButtonProps={{ danger: true, disabled: !confirmed, loading: restoring }}
        onOk={() => void restore()}
        onCancel={() => setRestoreOf(null)}
        destroyOnHidden
      >
        <Alert type="warning" showIcon title={t('settings.backups.restoreWarning')} style={{ marginBottom: 12 }} />
        <p>
          <Typography.Text code>{restoreOf?.file}</Typography.Text> · {restoreOf ? formatDateTime(restoreOf.createdAt) : ''}
        </p>
        <Checkbox checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} autoFocus>
          {t('settings.backups.restoreConfirm')}
        </Checkbox>
      </Modal>
    </>
  );
}
