import { CloudDownloadOutlined, FileZipOutlined, ReloadOutlined, SyncOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Progress, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { canAccess, type ApiErrorBody } from '../../../preload/contract';
import type { UpdateStatusDto } from '../../../preload/channels/ops';
import { call, getApi } from '../../api';
import { errorBody } from '../../app/errors';
import { usePick } from '../../app/language';
import { useRole } from '../../app/session';
import { downloadBase64, formatDateTime } from '../customers/format';

const PHASE_COLOR: Record<UpdateStatusDto['phase'], string> = {
  disabled: 'default',
  idle: 'default',
  checking: 'processing',
  'up-to-date': 'success',
  'not-in-rollout': 'default',
  downloading: 'processing',
  downloaded: 'warning',
  installing: 'processing',
  error: 'error',
};

const when = (iso: string | null) => (iso ? formatDateTime(iso) : '—');

/** 关于 / 更新: version and auto-update status for everyone; check, install and diagnostics by role. */
export function AboutPage() {
  const { t } = useTranslation();
  const pickText = usePick();
  const { message, modal } = App.useApp();
  const role = useRole();
  const [status, setStatus] = useState<UpdateStatusDto | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState<'check' | 'install' | 'diagnostics' | null>(null);

  const load = useCallback(async () => {
    try {
      setStatus(await call('updates.status', {}));
      setError(null);
    } catch (e) {
      setError(errorBody(e));
    }
  }, []);

  useEffect(() => {
    void load();
    return getApi().on('updates.status', (next) => setStatus(next));
  }, [load]);

  async function checkNow() {
    setBusy('check');
    try {
      const next = await call('updates.check', {});
      setStatus(next);
      message.info(t(`about.phase.${next.phase}`));
    } catch (e) {
      setError(errorBody(e));
    } finally {
      setBusy(null);
    }
  }

  function install() {
    modal.confirm({
      title: t('about.installConfirm'),
      content: t('about.installHint'),
      okText: t('about.install'),
      cancelText: t('about.cancel'),
      onOk: async () => {
        setBusy('install');
        try {
          await call('updates.install', {});
        } catch (e) {
          setError(errorBody(e));
        } finally {
          setBusy(null);
        }
      },
    });
  }

  async function exportDiagnostics() {
    setBusy('diagnostics');
    try {
      const bundle = await call('diagnostics.export', {});
      downloadBase64(bundle.fileName, bundle.base64, 'application/zip');
      message.success(t('about.exported', { name: bundle.fileName }));
    } catch (e) {
      setError(errorBody(e));
    } finally {
      setBusy(null);
    }
  }

  const canCheck = canAccess('updates.check', role);
  const canInstall = canAccess('updates.install', role);
  const canExport = canAccess('diagnostics.export', role);

  return (
    <Card
      title={t('about.title')}
      extra={
        <Space>
          {canCheck && (
            <Button icon={<SyncOutlined />} loading={busy === 'check'} onClick={() => void checkNow()} data-testid="update-check">
              {t('about.check')}
            </Button>
          )}
          {canInstall && (
            <Button
              type="primary"
              icon={<CloudDownloadOutlined />}
              disabled={status?.phase !== 'downloaded'}
              loading={busy === 'install'}
              onClick={install}
              data-testid="update-install"
            >
              {t('about.install')}
            </Button>
          )}
          {canExport && (
            <Button icon={<FileZipOutlined />} loading={busy === 'diagnostics'} onClick={() => void exportDiagnostics()} data-testid="export-diagnostics">
              {t('about.diagnostics')}
            </Button>
          )}
          <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('about.refresh')} />
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={pickText(error.message)} style={{ marginBottom: 16 }} closable onClose={() => setError(null)} />}
      {status?.disabledReason && (
        <Alert type="info" showIcon title={t('about.disabled')} description={pickText(status.disabledReason)} style={{ marginBottom: 16 }} data-testid="update-disabled-reason" />
      )}
      {status?.mandatory && <Alert type="warning" showIcon title={t('about.mandatory')} style={{ marginBottom: 16 }} />}
      {status?.lastError && (
        <Alert
          type="error"
          showIcon
          title={t('about.lastError', { at: when(status.lastError.at), count: status.consecutiveFailures })}
          description={status.lastError.message}
          style={{ marginBottom: 16 }}
        />
      )}
      {status && (
        <Descriptions column={2} bordered size="small" data-testid="update-status">
          <Descriptions.Item label={t('about.version')}>{status.currentVersion}</Descriptions.Item>
          <Descriptions.Item label={t('about.channel')}>{t(`about.channels.${status.channel}`)}</Descriptions.Item>
          <Descriptions.Item label={t('about.phaseLabel')}>
            <Tag color={PHASE_COLOR[status.phase]} data-testid="update-phase">
              {t(`about.phase.${status.phase}`)}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('about.available')}>
            {status.availableVersion ?? '—'}
            {status.stagingPercent !== null && ` · ${t('about.staging', { percent: status.stagingPercent })}`}
          </Descriptions.Item>
          <Descriptions.Item label={t('about.lastCheck')}>{when(status.lastCheckAt)}</Descriptions.Item>
          <Descriptions.Item label={t('about.nextCheck')}>{when(status.nextCheckAt)}</Descriptions.Item>
          <Descriptions.Item label={t('about.feed')} span={2}>
            {status.feedUrl ?? t('about.noFeed')}
          </Descriptions.Item>
          {status.installPlan && (
            <Descriptions.Item label={t('about.plan')} span={2}>
              {t(`about.plans.${status.installPlan.kind}`, { at: when(status.installPlan.at) })}
            </Descriptions.Item>
          )}
          {status.progress && (
            <Descriptions.Item label={t('about.progress')} span={2}>
              <Progress percent={Math.round(status.progress.percent)} status={status.phase === 'downloading' ? 'active' : 'normal'} />
            </Descriptions.Item>
          )}
          {status.releaseNotes && (
            <Descriptions.Item label={t('about.notes')} span={2}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{status.releaseNotes}</Typography.Paragraph>
            </Descriptions.Item>
          )}
          {status.warnings.length > 0 && (
            <Descriptions.Item label={t('about.warnings')} span={2}>
              {status.warnings.join('; ')}
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
    </Card>
  );
}
