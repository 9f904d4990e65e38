/**
 * 模板管理: templates by kind (短信/信函/生日贺卡/信封) with Excel export; `#/templates/<id>` edits one,
 * `#/templates/new/<kind>` starts a new one. ↑/↓ pick a row and Enter opens it.
 */
import { FileExcelOutlined, PlusOutlined, ReloadOutlined, ShopOutlined } from '@ant-design/icons';
import { App, Button, Card, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TEMPLATE_KINDS, type TemplateRow } from '../../../preload/channels/templates';
import { call } from '../../api';
import { errorText } from '../../app/errors';
import { navigate } from '../../app/router';
import { downloadBase64, formatDateTime } from '../customers/format';
import { DealerModal } from './DealerModal';
import { TemplateEditor } from './TemplateEditor';
import { useTemplatesUi, type TemplateKind } from './store';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const isKind = (s: string | undefined): s is TemplateKind => TEMPLATE_KINDS.some((k) => k === s);

export const templatePath = (id: string) => `#/templates/${id}`;
export const newTemplatePath = (kind: TemplateKind) => `#/templates/new/${kind}`;

export function TemplatesPage({ rest }: { rest: string[] }) {
  const [first, second] = rest;
  if (first === 'new' && isKind(second)) return <TemplateEditor key={`new-${second}`} id={null} kind={second} />;
  if (first && first !== 'new') return <TemplateEditor key={first} id={first} kind={null} />;
  return <TemplateList />;
}

function TemplateList() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const kind = useTemplatesUi((s) => s.kind);
  const setKind = useTemplatesUi((s) => s.setKind);
  const [rows, setRows] = useState<TemplateRow[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState(0);
  const [exporting, setExporting] = useState(false);
  const [dealerOpen, setDealerOpen] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setRows(await call('templates.list', { kind }));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setLoading(false);
    }
  }, [kind, message]);

  useEffect(() => {
    setSelected(0);
    void load();
  }, [load]);

  async function exportList() {
    setExporting(true);
    try {
      const file = await call('templates.export', { kind });
      downloadBase64(file.fileName, file.base64, XLSX);
      message.success(t('templates.exported', { rows: file.rows }));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setExporting(false);
    }
  }

  const items = rows ?? [];
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      const el = event.target;
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || (el instanceof HTMLElement && el.isContentEditable)) return;
      if (event.ctrlKey || event.altKey || event.metaKey || items.length === 0) return;
      if (event.key === 'ArrowDown' || event.key === 'j') {
        event.preventDefault();
        setSelected((s) => Math.min(items.length - 1, s + 1));
      } else if (event.key === 'ArrowUp' || event.key === 'k') {
        event.preventDefault();
        setSelected((s) => Math.max(0, s - 1));
      } else if (event.key === 'Enter' && !(el instanceof HTMLButtonElement) && !(el instanceof HTMLAnchorElement)) {
        const row = items[selected];
        if (row) {
          event.preventDefault();
          navigate(templatePath(row.id));
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items, selected]);

  return (
    <Card
      title={t('templates.title')}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading}>
            {t('templates.refresh')}
          </Button>
          <Button icon={<ShopOutlined />} onClick={() => setDealerOpen(true)} data-testid="templates-dealer">
            {t('templates.dealer.button')}
          </Button>
          <Button icon={<FileExcelOutlined />} loading={exporting} onClick={() => void exportList()} data-testid="templates-export">
            {t('templates.export')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} href={newTemplatePath(kind)} data-testid="template-new">
            {t('templates.create')}
          </Button>
        </Space>
      }
    >
      <Tabs
        activeKey={kind}
        onChange={(k) => {
          if (isKind(k)) setKind(k);
        }}
        items={TEMPLATE_KINDS.map((k) => ({ key: k, label: <span data-testid={`templates-tab-${k}`}>{t(`templates.kind.${k}`)}</span> }))}
        tabBarExtraContent={<Typography.Text type="secondary">{t('templates.keys')}</Typography.Text>}
      />
      <Table<TemplateRow>
        rowKey="id"
        size="middle"
        data-testid="templates-list"
        loading={loading && rows === null}
        dataSource={items}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: t('templates.empty') }}
        onRow={(row, index) => ({
          'data-testid': 'template-row',
          'data-code': row.code,
          'aria-selected': index === selected,
          style: { cursor: 'pointer', ...(index === selected ? { outline: '2px solid #1677ff', outlineOffset: -2 } : {}) },
          onClick: () => navigate(templatePath(row.id)),
        })}
        columns={[
          {
            title: t('templates.col.name'),
            dataIndex: 'name',
            width: 220,
            render: (name: string, row) => (
              <Space size={4}>
                <a href={templatePath(row.id)} onClick={(e) => e.stopPropagation()}>
                  {name}
                </a>
                {row.builtIn && <Tag>{t('templates.builtIn')}</Tag>}
              </Space>
            ),
          },
          { title: t('templates.col.code'), dataIndex: 'code', width: 200, render: (code: string) => <Typography.Text code>{code}</Typography.Text> },
          ...(kind === 'sms' ? [] : [{ title: t('templates.col.page'), dataIndex: 'page', width: 170, render: (p: TemplateRow['page']) => (p ? t(`templates.page.${p}`) : '') }]),
          {
            title: t('templates.col.status'),
            dataIndex: 'active',
            width: 90,
            render: (active: boolean) => (active ? <Tag color="green">{t('templates.active')}</Tag> : <Tag>{t('templates.inactive')}</Tag>),
          },
          {
            title: t('templates.col.body'),
            dataIndex: 'body',
            ellipsis: true,
            render: (body: string) => <Typography.Text type="secondary">{kind === 'sms' ? body : body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ')}</Typography.Text>,
          },
          { title: t('templates.col.updated'), dataIndex: 'updatedAt', width: 150, render: (iso: string) => formatDateTime(iso) },
        ]}
      />
      <DealerModal open={dealerOpen} onClose={() => setDealerOpen(false)} />
    </Card>
  );
}
