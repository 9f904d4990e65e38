import { FileExcelOutlined, SearchOutlined } from '@ant-design/icons';
import { App, Alert, Button, Input, Space, Table, Tag, Typography, type InputRef, type TableColumnsType, type TableRef } from 'antd';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerHit } from '../../../preload/contract';
import { call } from '../../api';
import { errorText } from '../../app/errors';
import { usePick } from '../../app/language';
import { navigate, paths } from '../../app/router';
import { useUi } from '../../app/ui';
import { downloadBase64 } from './format';
import { useModelLabel } from './modelLabel';
import { Highlight } from './Highlight';
import { useSearch } from './searchStore';
import { TierTag } from './tier';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The list fills the window below the search box; virtual tables need a pixel height. */
function useListHeight(offset: number): number {
  const [height, setHeight] = useState(() => Math.max(240, window.innerHeight - offset));
  useEffect(() => {
    const onResize = () => setHeight(Math.max(240, window.innerHeight - offset));
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, [offset]);
  return height;
}

export function SearchPage() {
  const { t } = useTranslation();
  const modelLabel = useModelLabel();
  const pickText = usePick();
  const { message } = App.useApp();
  const { query, answered, hits, more, loading, error, selected, setQuery, select, clear } = useSearch();
  const focusRequest = useUi((s) => s.focusSearchRequest);
  const inputRef = useRef<InputRef>(null);
  const tableRef = useRef<TableRef>(null);
  const [exporting, setExporting] = useState(false);
  const height = useListHeight(300);

  useEffect(() => {
    inputRef.current?.focus({ cursor: 'end' });
  }, [focusRequest]);

  function open(hit: CustomerHit | undefined) {
    if (hit) navigate(paths.customer(hit.id));
  }

  function move(delta: number) {
    const next = Math.max(0, Math.min(hits.length - 1, selected + delta));
    select(next);
    tableRef.current?.scrollTo({ index: next, align: 'nearest' });
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      move(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      open(hits[selected]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      clear();
    }
  }

  async function exportResults() {
    setExporting(true);
    try {
      const file = await call('customers.exportSearch', { q: answered });
      downloadBase64(file.fileName, file.base64, XLSX);
      message.success(t('search.exported', { rows: file.rows }));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  }

  const columns: TableColumnsType<CustomerHit> = [
    {
      title: t('search.name'),
      dataIndex: 'name',
      width: 160,
      render: (_, hit) => (
        <a href={paths.customer(hit.id)} tabIndex={-1}>
          <Highlight text={hit.name} query={answered} />
        </a>
      ),
    },
    {
      title: t('search.mobile'),
      dataIndex: 'mobile',
      width: 150,
      render: (_, hit) => (hit.mobile ? <Highlight text={hit.mobile} query={answered} /> : t('common.none')),
    },
    { title: t('search.tier'), dataIndex: 'memberTier', width: 110, render: (_, hit) => <TierTag tier={hit.memberTier} /> },
    {
      title: t('search.plates'),
      dataIndex: 'plates',
      width: 260,
      render: (_, hit) =>
        hit.plates.map((plate) => (
          <Tag key={plate}>
            <Highlight text={plate} query={answered} />
          </Tag>
        )),
    },
    { title: t('search.models'), dataIndex: 'models', width: 240, render: (_, hit) => hit.models.map(modelLabel).join('、') },
  ];

  const status = error
    ? null
    : answered && !loading
      ? more
        ? t('search.more', { count: hits.length })
        : hits.length > 0
          ? t('search.count', { count: hits.length })
          : t('search.empty')
      : query.trim()
        ? t('common.loading')
        : t('search.start');

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          ref={inputRef}
          size="large"
          allowClear
          autoFocus
          maxLength={64}
          prefix={<SearchOutlined />}
          placeholder={t('search.placeholder')}
          aria-label={t('search.label')}
          aria-controls="customer-results"
          aria-activedescendant={hits[selected] ? `hit-${hits[selected].id}` : undefined}
          data-testid="customer-search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <Button
          size="large"
          icon={<FileExcelOutlined />}
          disabled={!answered || hits.length === 0}
          loading={exporting}
          onClick={() => void exportResults()}
          data-testid="export-excel"
        >
          {t('search.export')}
        </Button>
      </Space.Compact>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Text type="secondary" aria-live="polite" data-testid="search-status">
          {status}
        </Typography.Text>
        <Typography.Text type="secondary">{t('search.keys')}</Typography.Text>
      </Space>
      {error && <Alert type="error" showIcon title={pickText(error.message)} />}
      <Table<CustomerHit>
        ref={tableRef}
        id="customer-results"
        className="search-results"
        aria-label={t('search.results')}
        virtual
        size="middle"
        rowKey="id"
        columns={columns}
        dataSource={hits}
        pagination={false}
        loading={loading && hits.length === 0 && Boolean(query.trim())}
        scroll={{ x: 920, y: height }}
        rowClassName={(_, index) => (index === selected ? 'row-selected' : '')}
        onRow={(hit, index) => ({
          id: `hit-${hit.id}`,
          'aria-selected': index === selected,
          'data-testid': 'search-hit',
          // No selection on hover: results re-rendering under a resting mouse must not move the keyboard's row.
          onClick: () => open(hit),
        })}
        locale={{ emptyText: answered ? t('search.empty') : t('search.start') }}
      />
    </Space>
  );
}
