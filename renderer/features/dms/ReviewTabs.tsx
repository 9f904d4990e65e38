import { Alert, App, Button, Segmented, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { errorBody, errorText } from '../../app/errors';
import { usePick } from '../../app/language';
import { formatDateTime } from '../customers/format';
import { useDms } from './store';

type Conflict = RequestOutput<'dms.conflicts.list'>[number];
type Quarantined = RequestOutput<'dms.quarantine.list'>[number];

/** Records edited here and changed in the DMS: keep the workstation value or take the DMS one. */
export function ConflictsTab() {
  const { t } = useTranslation();
  const pickText = usePick();
  const { message } = App.useApp();
  const runsVersion = useDms((s) => s.runsVersion);
  const [status, setStatus] = useState<'open' | 'all'>('open');
  const [rows, setRows] = useState<Conflict[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setRows(await call('dms.conflicts.list', { status }));
      setError(null);
    } catch (e) {
      setError(errorBody(e));
    } finally {
      setLoading(false);
    }
  }, [status]);

  useEffect(() => {
    void load();
  }, [load, runsVersion]);

  async function resolve(row: Conflict, choice: 'kept_local' | 'took_dms') {
    setBusy(row.id);
    try {
      await call('dms.conflicts.resolve', { id: row.id, choice });
      message.success(t(choice === 'took_dms' ? 'dms.conflicts.tookDms' : 'dms.conflicts.keptLocal'));
      await load();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  const columns: TableColumnsType<Conflict> = [
    { title: t('dms.diff.entity'), dataIndex: 'entity', width: 80, render: (v: Conflict['entity']) => <Tag>{t(`dms.entity.${v}`)}</Tag> },
    { title: t('dms.diff.record'), dataIndex: 'label', width: 200 },
    { title: t('dms.conflicts.field'), dataIndex: 'fieldLabel', width: 100, render: (v: Conflict['fieldLabel']) => pickText(v) },
    { title: t('dms.conflicts.local'), dataIndex: 'localValue', render: (v: string | null) => <Typography.Text strong>{v ?? '—'}</Typography.Text> },
    { title: t('dms.conflicts.dms'), dataIndex: 'dmsValue', render: (v: string | null) => <Typography.Text strong>{v ?? '—'}</Typography.Text> },
    { title: t('dms.conflicts.base'), dataIndex: 'baseValue', render: (v: string | null) => <Typography.Text type="secondary">{v ?? '—'}</Typography.Text> },
    { title: t('dms.conflicts.at'), dataIndex: 'createdAt', width: 150, render: (v: string) => formatDateTime(v) },
    {
      title: '',
      width: 220,
      render: (_, row) =>
        row.status === 'open' ? (
          <Space>
            <Button size="small" loading={busy === row.id} onClick={() => void resolve(row, 'kept_local')}>
              {t('dms.conflicts.keep')}
            </Button>
            <Button size="small" type="primary" loading={busy === row.id} onClick={() => void resolve(row, 'took_dms')}>
              {t('dms.conflicts.take')}
            </Button>
          </Space>
        ) : (
          <Tag>{t(`dms.conflicts.status.${row.status}`)}</Tag>
        ),
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('dms.conflicts.intro')} />
      <Segmented<'open' | 'all'> value={status} onChange={setStatus} options={[{ value: 'open', label: t('dms.conflicts.open') }, { value: 'all', label: t('dms.conflicts.all') }]} />
      {error && <Alert type="error" showIcon title={pickText(error.message)} />}
      <Table<Conflict> rowKey="id" size="small" columns={columns} dataSource={rows} loading={loading} pagination={{ pageSize: 50 }} data-testid="dms-conflicts" />
    </Space>
  );
}

/** Rows a run could not take: the reason in both languages, the raw row, dismiss when dealt with. */
export function QuarantineTab() {
  const { t } = useTranslation();
  const pickText = usePick();
  const { message } = App.useApp();
  const runsVersion = useDms((s) => s.runsVersion);
  const [status, setStatus] = useState<'open' | 'dismissed'>('open');
  const [rows, setRows] = useState<Quarantined[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiErrorBody | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setRows(await call('dms.quarantine.list', { status }));
      setError(null);
    } catch (e) {
      setError(errorBody(e));
    } finally {
      setLoading(false);
    }
  }, [status]);

  useEffect(() => {
    void load();
  }, [load, runsVersion]);

  async function dismiss(ids: string[]) {
    try {
      const r = await call('dms.quarantine.dismiss', { ids });
      message.success(t('dms.quarantine.dismissed', { count: r.dismissed }));
      setSelected([]);
      await load();
    } catch (e) {
      message.error(errorText(e));
    }
  }

  const columns: TableColumnsType<Quarantined> = [
    { title: t('dms.quarantine.at'), dataIndex: 'createdAt', width: 150, render: (v: string) => formatDateTime(v) },
    { title: t('dms.quarantine.where'), dataIndex: 'ref', width: 150 },
    { title: t('dms.diff.entity'), dataIndex: 'entity', width: 80, render: (v: Quarantined['entity']) => (v ? <Tag>{t(`dms.entity.${v}`)}</Tag> : '—') },
    { title: t('dms.quarantine.reason'), dataIndex: 'reason', render: (v: Quarantined['reason']) => <Typography.Text type="danger" data-testid="dms-quarantine-reason">{pickText(v)}</Typography.Text> },
    {
      title: t('dms.quarantine.raw'),
      dataIndex: 'raw',
      width: 320,
      render: (v: string) => (
        <Typography.Text code ellipsis={{ tooltip: v }} style={{ maxWidth: 300 }}>
          {v}
        </Typography.Text>
      ),
    },
    ...(status === 'open'
      ? [
          {
            title: '',
            width: 90,
            render: (_: unknown, row: Quarantined) => (
              <Button size="small" onClick={() => void dismiss([row.id])}>
                {t('dms.quarantine.dismiss')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('dms.quarantine.intro')} />
      <Space>
        <Segmented<'open' | 'dismissed'>
          value={status}
          onChange={(v) => {
            setStatus(v);
            setSelected([]);
          }}
          options={[{ value: 'open', label: t('dms.quarantine.open') }, { value: 'dismissed', label: t('dms.quarantine.dismissedList') }]}
        />
        {status === 'open' && (
          <Button disabled={selected.length === 0} onClick={() => void dismiss(selected)}>
            {t('dms.quarantine.dismissSelected', { count: selected.length })}
          </Button>
        )}
      </Space>
      {error && <Alert type="error" showIcon title={pickText(error.message)} />}
      <Table<Quarantined>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={loading}
        pagination={{ pageSize: 50 }}
        rowSelection={status === 'open' ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) } : undefined}
        data-testid="dms-quarantine"
      />
    </Space>
  );
}
