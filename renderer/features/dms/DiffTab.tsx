import { CloudDownloadOutlined, DiffOutlined, FileExcelOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Input, Popconfirm, Segmented, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, RequestInput, RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { errorBody } from '../../app/errors';
import { usePick } from '../../app/language';
import { downloadBase64, formatDateTime } from '../customers/format';
import { SourcePicker } from './DmsPage';
import { formatValue, useDms } from './store';

type DiffResult = RequestOutput<'dms.diff'>;
type Item = DiffResult['items'][number];
type Bucket = Item['bucket'];
type Entity = Item['entity'];
const BUCKETS: Bucket[] = ['dms_newer', 'ws_newer', 'only_dms', 'only_ws'];
const PAGE = 50;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The seed's V1.6 reconciliation: four buckets with field-level differences, search, import selected / all DMS-newer. */
export function DiffTab() {
  const { t } = useTranslation();
  const pickText = usePick();
  const { message } = App.useApp();
  const { sources, sourceId } = useDms();
  const source = sources.find((s) => s.id === sourceId);
  const [bucket, setBucket] = useState<Bucket>('dms_newer');
  const [entity, setEntity] = useState<Entity | 'all'>('all');
  const [q, setQ] = useState('');
  const [applied, setApplied] = useState('');
  const [pageNo, setPageNo] = useState(1);
  const [result, setResult] = useState<DiffResult | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [selected, setSelected] = useState<Item[]>([]);
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState(false);

  const load = useCallback(
    async (refresh: boolean) => {
      if (!sourceId || source?.kind !== 'rest') return;
      setLoading(true);
      try {
        const input: RequestInput<'dms.diff'> = { sourceId, refresh, bucket, entity: entity === 'all' ? null : entity, q: applied, offset: (pageNo - 1) * PAGE, limit: PAGE };
        setResult(await call('dms.diff', input));
        setError(null);
      } catch (e) {
        setError(errorBody(e));
      } finally {
        setLoading(false);
      }
    },
    [sourceId, source?.kind, bucket, entity, applied, pageNo],
  );

  useEffect(() => {
    if (result) void load(false);
    // Paging and filters read the last comparison; comparing again is the user's explicit action.
  }, [bucket, entity, applied, pageNo]);

  useEffect(() => {
    setResult(null);
    setSelected([]);
  }, [sourceId]);

  async function importItems(input: RequestInput<'dms.diff.import'>) {
    setImporting(true);
    try {
      const run = await call('dms.diff.import', input);
      if (run.error) message.error(pickText(run.error));
      else message.success(t('dms.diff.imported', { inserted: run.counts.inserted, updated: run.counts.updated }));
      setSelected([]);
      await load(true);
    } catch (e) {
      const body = errorBody(e);
      message.error(pickText(body.issues?.[0]?.message ?? body.message));
    } finally {
      setImporting(false);
    }
  }

  async function exportList() {
    if (!sourceId) return;
    setExporting(true);
    try {
      const file = await call('dms.diff.export', { sourceId, bucket, entity: entity === 'all' ? null : entity, q: applied });
      downloadBase64(file.fileName, file.base64, XLSX);
      message.success(t('dms.diff.exported', { rows: file.rows }));
    } catch (e) {
      message.error(pickText(errorBody(e).message));
    } finally {
      setExporting(false);
    }
  }

  const importable = bucket === 'dms_newer' || bucket === 'only_dms';
  const columns: TableColumnsType<Item> = [
    { title: t('dms.diff.entity'), dataIndex: 'entity', width: 80, render: (v: Entity) => <Tag>{t(`dms.entity.${v}`)}</Tag> },
    { title: t('dms.diff.record'), dataIndex: 'label', width: 240 },
    { title: t('dms.diff.dmsId'), dataIndex: 'dmsId', width: 110, render: (v: string | null) => v ?? '—' },
    {
      title: t('dms.diff.fields'),
      key: 'fields',
      render: (_, item) =>
        item.fields.length === 0 ? (
          <Typography.Text type="secondary">{t(`dms.diff.noFields.${item.bucket}`)}</Typography.Text>
        ) : (
          <Space orientation="vertical" size={0}>
            {item.fields.slice(0, bucket === 'only_dms' ? 4 : 20).map((f) => (
              <span key={f.field} data-testid="dms-diff-field">
                <Typography.Text strong>{pickText(f.label)}</Typography.Text>
                {'：'}
                <Typography.Text type="secondary" delete={bucket === 'dms_newer'}>
                  {formatValue(f.local)}
                </Typography.Text>
                {' → '}
                <Typography.Text>{formatValue(f.dms)}</Typography.Text>
              </span>
            ))}
          </Space>
        ),
    },
    { title: t('dms.diff.dmsUpdatedAt'), dataIndex: 'dmsUpdatedAt', width: 150, render: (v: string | null) => (v ? formatDateTime(v) : '—') },
  ];

  if (source && source.kind !== 'rest') return <Alert type="info" showIcon title={t('dms.diff.restOnly')} />;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <SourcePicker kind="rest" />
        <Button type="primary" icon={<DiffOutlined />} loading={loading && !result} disabled={!sourceId} onClick={() => void load(true)} data-testid="dms-diff-compare">
          {result ? t('dms.diff.compareAgain') : t('dms.diff.compare')}
        </Button>
        {result && <Typography.Text type="secondary">{t('dms.diff.comparedAt', { at: formatDateTime(result.comparedAt) })}</Typography.Text>}
      </Space>
      {error && <Alert type="error" showIcon role="alert" title={pickText(error.message)} />}
      {!result && !error && <Alert type="info" showIcon title={t('dms.diff.intro')} />}
      {result && (
        <>
          <Tabs
            activeKey={bucket}
            onChange={(k) => {
              setBucket(k as Bucket);
              setPageNo(1);
              setSelected([]);
            }}
            items={BUCKETS.map((b) => ({
              key: b,
              label: (
                <span data-testid={`dms-bucket-${b}`}>
                  {t(`dms.diff.bucket.${b}`)} <Badge count={result.counts[b]} showZero overflowCount={99999} color={b === 'dms_newer' ? 'blue' : 'gray'} />
                </span>
              ),
            }))}
          />
          <Space wrap>
            <Input
              allowClear
              prefix={<SearchOutlined />}
              placeholder={t('dms.diff.search')}
              value={q}
              onChange={(e) => {
                setQ(e.target.value);
                if (e.target.value === '') {
                  setApplied('');
                  setPageNo(1);
                }
              }}
              onPressEnter={() => {
                setApplied(q.trim());
                setPageNo(1);
              }}
              style={{ width: 260 }}
              aria-label={t('dms.diff.search')}
              data-testid="dms-diff-search"
            />
            <Segmented<Entity | 'all'>
              value={entity}
              onChange={(v) => {
                setEntity(v);
                setPageNo(1);
              }}
              options={[
                { value: 'all', label: t('dms.diff.allEntities') },
                ...(['customer', 'vehicle', 'repair_order'] as const).map((e) => ({ value: e, label: t(`dms.entity.${e}`) })),
              ]}
            />
            <Button icon={<FileExcelOutlined />} disabled={result.total === 0} loading={exporting} onClick={() => void exportList()} data-testid="dms-diff-export">
              {t('dms.diff.export')}
            </Button>
            {importable && (
              <Button icon={<CloudDownloadOutlined />} disabled={selected.length === 0} loading={importing} onClick={() => void importItems({ sourceId: sourceId ?? '', items: selected.flatMap((i) => (i.dmsId ? [{ entity: i.entity, dmsId: i.dmsId }] : [])) })} data-testid="dms-diff-import-selected">
                {t('dms.diff.importSelected', { count: selected.length })}
              </Button>
            )}
            {bucket === 'dms_newer' && (
              <Popconfirm title={t('dms.diff.importAllConfirm', { count: result.counts.dms_newer })} onConfirm={() => void importItems({ sourceId: sourceId ?? '', all: true })} okText={t('dms.diff.importAll')} cancelText={t('common.cancel')}>
                <Button type="primary" disabled={result.counts.dms_newer === 0} loading={importing} data-testid="dms-diff-import-all">
                  {t('dms.diff.importAll')}
                </Button>
              </Popconfirm>
            )}
          </Space>
          {bucket === 'ws_newer' && <Alert type="info" showIcon title={t('dms.diff.wsNewerHint')} />}
          {bucket === 'only_ws' && <Alert type="info" showIcon title={t('dms.diff.onlyWsHint')} />}
          <Table<Item>
            rowKey="key"
            size="small"
            columns={columns}
            dataSource={result.items}
            loading={loading}
            data-testid="dms-diff-table"
            rowSelection={importable ? { selectedRowKeys: selected.map((s) => s.key), onChange: (_, rows) => setSelected(rows), preserveSelectedRowKeys: true } : undefined}
            pagination={{ current: pageNo, pageSize: PAGE, total: result.total, showSizeChanger: false, onChange: setPageNo, showTotal: (n) => t('dms.diff.total', { count: n }) }}
          />
        </>
      )}
    </Space>
  );
}
