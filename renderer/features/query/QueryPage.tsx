/**
 * 扩展查询: build a query from the catalog's fields with nested AND/OR groups, read it back as a sentence
 * with a live count, start from the seed's exercises or a saved query, run it into a virtualized list,
 * export it to Excel, save it and turn it into a campaign.
 */
import {
  CloseOutlined,
  DeleteOutlined,
  DownOutlined,
  UpOutlined,
  FileExcelOutlined,
  HolderOutlined,
  NotificationOutlined,
  PlayCircleOutlined,
  SaveOutlined,
  ShareAltOutlined,
  ThunderboltOutlined,
} from '@ant-design/icons';
import { QueryBuilderAntD } from '@react-querybuilder/antd';
import { QueryBuilderDnD } from '@react-querybuilder/dnd';
import { createReactDnDAdapter } from '@react-querybuilder/dnd/react-dnd';
import { Alert, App, Button, Card, Empty, List, Popconfirm, Space, Spin, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import * as ReactDnD from 'react-dnd';
import * as ReactDndHtml5Backend from 'react-dnd-html5-backend';
import { useTranslation } from 'react-i18next';
import { QueryBuilder, type Field, type OptionGroup, type RuleGroupType } from 'react-querybuilder';
import 'react-querybuilder/dist/query-builder.css';
import type { QueryResultRow, SavedQueryDto } from '../../../preload/channels/query';
import { canAccess } from '../../../preload/contract';
import { call } from '../../api';
import { errorText } from '../../app/errors';
import { useLanguage, usePick } from '../../app/language';
import { navigate, paths } from '../../app/router';
import { useRole } from '../../app/session';
import { downloadBase64 } from '../customers/format';
import { TierTag } from '../customers/tier';
import { CampaignModal } from './CampaignModal';
import { SaveModal } from './SaveModal';
import { emptyTree, fromShape, sameTree, toShape, useQueryStore } from './store';
import { defaultValue, QueryValueEditor } from './ValueEditor';

// Drag a rule or group by its handle into another group; the ↑/↓ buttons stay as the keyboard path.
const dnd = createReactDnDAdapter({ ...ReactDnD, ...ReactDndHtml5Backend });

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PAGE = 200;

export function QueryPage() {
  const { t } = useTranslation();
  const pick = usePick();
  const lang = useLanguage((s) => s.lang);
  const role = useRole();
  const { message } = App.useApp();
  const { catalog, entries, tree, loaded, preview, previewing, problemSummary, loadCatalog, setTree, load, refreshPreview } = useQueryStore();
  const [catalogError, setCatalogError] = useState<string | null>(null);
  const [saved, setSaved] = useState<SavedQueryDto[]>([]);
  const [rows, setRows] = useState<QueryResultRow[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [page, setPage] = useState(1);
  const [running, setRunning] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [saving, setSaving] = useState(false);
  const [campaign, setCampaign] = useState(false);
  const supervisor = canAccess('query.saved.create', role);
  const shaped = useMemo(() => toShape(tree), [tree]);
  const loadedUnchanged = loaded && sameTree(shaped, loaded.tree) ? loaded : null;

  const refreshSaved = useCallback(() => {
    call('query.saved.list', {})
      .then(setSaved)
      .catch((e: unknown) => message.error(errorText(e)));
  }, [message]);

  useEffect(() => {
    loadCatalog().catch((e: unknown) => setCatalogError(errorText(e)));
    refreshSaved();
  }, [loadCatalog, refreshSaved]);

  // The live sentence and count follow every edit, a moment after typing stops.
  useEffect(() => {
    if (!catalog) return;
    const timer = setTimeout(() => void refreshPreview(), 300);
    return () => clearTimeout(timer);
  }, [tree, catalog, refreshPreview]);

  const fields = useMemo((): Array<OptionGroup<Field>> => {
    if (!catalog) return [];
    const groups = new Map<string, OptionGroup<Field>>();
    for (const f of catalog.fields) {
      const group = groups.get(f.group) ?? { label: pick(f.groupLabel), options: [] };
      group.options.push({ name: f.id, value: f.id, label: pick(f.label), operators: f.operators.map((o) => ({ name: o.id, value: o.id, label: pick(o.label) })) });
      groups.set(f.group, group);
    }
    return [...groups.values()];
  }, [catalog, pick]);

  async function run(nextPage = 1) {
    setRunning(true);
    try {
      // An unchanged saved query runs as itself, so the list remembers its last count.
      const result = loadedUnchanged
        ? await call('query.saved.run', { id: loadedUnchanged.id, offset: (nextPage - 1) * PAGE, limit: PAGE })
        : await call('query.run', { tree: shaped, offset: (nextPage - 1) * PAGE, limit: PAGE });
      setRows(result.rows);
      setTotal(result.total);
      setPage(nextPage);
      if (loadedUnchanged) refreshSaved();
    } catch (e) {
      message.error(errorText(e));
      void refreshPreview();
    } finally {
      setRunning(false);
    }
  }

  async function exportExcel() {
    setExporting(true);
    try {
      const file = await call('query.export', { tree: toShape(tree), lang: lang === 'zh-CN' ? 'zh' : 'en', ...(loaded ? { title: loaded.name } : {}) });
      downloadBase64(file.fileName, file.base64, XLSX);
      message.success(t('query.exported', { rows: file.rows }));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  }

  async function remove(q: SavedQueryDto) {
    try {
      await call('query.saved.delete', { id: q.id });
      if (loaded?.id === q.id) load(toShape(tree), null);
      refreshSaved();
    } catch (e) {
      message.error(errorText(e));
    }
  }

  function startFrom(next: RuleGroupType | null, savedQuery: SavedQueryDto | null) {
    if (savedQuery) load(savedQuery.tree, savedQuery);
    else if (next) {
      setTree(next);
      useQueryStore.setState({ loaded: null });
    }
    setRows([]);
    setTotal(null);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void run();
    }
  }

  const columns: TableColumnsType<QueryResultRow> = [
    {
      title: t('query.col.name'),
      dataIndex: 'name',
      width: 120,
      render: (_, r) => (
        <a href={paths.customer(r.id)} onClick={(e) => { e.preventDefault(); navigate(paths.customer(r.id)); }}>
          {r.name}
        </a>
      ),
    },
    { title: t('query.col.mobile'), dataIndex: 'mobile', width: 130, render: (v: string | null) => v ?? t('common.none') },
    { title: t('query.col.city'), dataIndex: 'city', width: 90, render: (v: string | null) => v ?? t('common.none') },
    { title: t('query.col.tier'), dataIndex: 'memberTier', width: 100, render: (_, r) => <TierTag tier={r.memberTier === 'standard' || r.memberTier === 'silver' || r.memberTier === 'gold' || r.memberTier === 'platinum' ? r.memberTier : null} /> },
    {
      title: t('query.col.vehicles'),
      dataIndex: 'vehicles',
      render: (_, r) =>
        r.vehicles.map((v, i) => {
          const zh = catalog?.models.find((m) => m.value === v.model)?.zh ?? v.model;
          return <Tag key={i}>{`${lang === 'zh-CN' ? zh : v.model}${v.plate ? ` ${v.plate}` : ''}`}</Tag>;
        }),
    },
    { title: t('query.col.lastVisit'), dataIndex: 'lastVisit', width: 110, render: (v: string | null) => v ?? t('common.none') },
  ];

  if (catalogError) return <Alert type="error" showIcon title={catalogError} />;
  if (!catalog) return <Spin />;

  const mine = saved.filter((q) => q.canEdit);
  const shared = saved.filter((q) => !q.canEdit);
  const sentence = preview ? pick(preview.sentence) : problemSummary ? pick(problemSummary) : '';

  return (
    <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start' }} onKeyDown={onKeyDown}>
      <Space orientation="vertical" size="middle" style={{ width: 260, flex: 'none' }}>
        <Card size="small" title={t('query.starters')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            {catalog.examples.map((ex) => (
              <Button key={ex.key} block icon={<ThunderboltOutlined />} style={{ whiteSpace: 'normal', height: 'auto', textAlign: 'left' }}
                onClick={() => startFrom(fromShape(ex.tree), null)} data-testid={`starter-${ex.key}`}>
                {pick(ex.label)}
              </Button>
            ))}
            <Button block onClick={() => startFrom(emptyTree(), null)} data-testid="query-new">
              {t('query.new')}
            </Button>
          </Space>
        </Card>
        <Card size="small" title={t('query.savedList')} data-testid="saved-queries">
          {saved.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('query.noSaved')} />
          ) : (
            [
              { key: 'mine', title: t('query.mine'), items: mine },
              { key: 'shared', title: t('query.sharedByOthers'), items: shared },
            ]
              .filter((s) => s.items.length > 0)
              .map((s) => (
                <List
                  key={s.key}
                  size="small"
                  header={<Typography.Text type="secondary">{s.title}</Typography.Text>}
                  dataSource={s.items}
                  renderItem={(q) => (
                    <List.Item
                      actions={
                        q.canEdit
                          ? [
                              <Popconfirm key="del" title={t('query.deleteConfirm', { name: q.name })} onConfirm={() => void remove(q)} okText={t('query.delete')} cancelText={t('common.cancel')}>
                                <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('query.delete')} />
                              </Popconfirm>,
                            ]
                          : []
                      }
                    >
                      <a href="#" onClick={(e) => { e.preventDefault(); startFrom(null, q); }} data-testid="saved-query">
                        {q.shared && <ShareAltOutlined style={{ marginRight: 4 }} />}
                        {q.name}
                      </a>
                      <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 4 }}>
                        {q.lastCount !== null ? t('query.lastCount', { count: q.lastCount }) : ''}
                        {q.canEdit ? '' : ` · ${q.ownerName}`}
                      </Typography.Text>
                    </List.Item>
                  )}
                />
              ))
          )}
        </Card>
      </Space>

      <Space orientation="vertical" size="middle" style={{ flex: 1, minWidth: 0 }}>
        <Card size="small" title={loaded ? t('query.editing', { name: loaded.name }) : t('query.title')}>
          <QueryBuilderDnD dnd={dnd}>
            <QueryBuilderAntD>
              <QueryBuilder
                fields={fields}
                query={tree}
                onQueryChange={setTree}
                combinators={[
                  { name: 'and', value: 'and', label: t('query.and') },
                  { name: 'or', value: 'or', label: t('query.or') },
                ]}
                controlElements={{ valueEditor: QueryValueEditor }}
                getDefaultValue={(rule) => defaultValue(entries.get(rule.field), rule.operator, catalog.models)}
                getDefaultField={catalog.fields[0]?.id ?? ''}
                resetOnOperatorChange
                showShiftActions
                showNotToggle
                translations={{
                  addRule: { label: t('query.addRule'), title: t('query.addRule') },
                  addGroup: { label: t('query.addGroup'), title: t('query.addGroup') },
                  removeRule: { label: <CloseOutlined />, title: t('query.remove') },
                  removeGroup: { label: <CloseOutlined />, title: t('query.remove') },
                  notToggle: { label: t('query.not'), title: t('query.not') },
                  shiftActionUp: { label: <UpOutlined />, title: t('query.shiftUp') },
                  shiftActionDown: { label: <DownOutlined />, title: t('query.shiftDown') },
                  dragHandle: { label: <HolderOutlined />, title: t('query.drag') },
                  fields: { title: t('query.field'), placeholderLabel: t('query.field') },
                  operators: { title: t('query.operator'), placeholderLabel: t('query.operator') },
                  combinators: { title: t('query.combinator') },
                }}
              />
            </QueryBuilderAntD>
          </QueryBuilderDnD>
        </Card>

        <Alert
          type={preview ? 'info' : problemSummary ? 'error' : 'info'}
          showIcon
          data-testid="query-sentence"
          title={
            <Space wrap>
              <span>{sentence || t('query.everyone')}</span>
              {preview && (
                <Tag color="blue" data-testid="query-count">
                  {t('query.count', { count: preview.count })}
                </Tag>
              )}
              {previewing && <Spin size="small" />}
            </Space>
          }
        />

        <Space wrap>
          <Button type="primary" icon={<PlayCircleOutlined />} loading={running} onClick={() => void run()} data-testid="query-run" title="Ctrl+Enter">
            {t('query.run')}
          </Button>
          {supervisor && (
            <Button icon={<SaveOutlined />} onClick={() => setSaving(true)} data-testid="query-save">
              {t('query.save')}
            </Button>
          )}
          {canAccess('query.export', role) && (
            <Button icon={<FileExcelOutlined />} loading={exporting} onClick={() => void exportExcel()} data-testid="query-export">
              {t('query.export')}
            </Button>
          )}
          {canAccess('query.campaign.create', role) && (
            <Button icon={<NotificationOutlined />} onClick={() => setCampaign(true)} disabled={!preview || preview.count === 0} data-testid="query-campaign">
              {t('query.makeCampaign')}
            </Button>
          )}
          <Typography.Text type="secondary">{t('query.keys')}</Typography.Text>
        </Space>

        {total !== null && (
          <Table
            size="small"
            rowKey="id"
            virtual
            scroll={{ y: 480, x: 900 }}
            loading={running}
            columns={columns}
            dataSource={rows}
            data-testid="query-results"
            pagination={{ current: page, pageSize: PAGE, total, showSizeChanger: false, onChange: (p) => void run(p), showTotal: (n) => t('query.count', { count: n }) }}
          />
        )}
      </Space>

      <SaveModal
        open={saving}
        onClose={() => setSaving(false)}
        onSaved={(q) => {
          setSaving(false);
          useQueryStore.setState({ loaded: q });
          refreshSaved();
        }}
      />
      {campaign && <CampaignModal open={campaign} tree={shaped} savedId={loadedUnchanged?.id ?? null} onClose={() => setCampaign(false)} />}
    </div>
  );
}
