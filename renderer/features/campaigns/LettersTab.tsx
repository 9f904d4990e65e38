/**
 * 信函打印 (supervisors): today's letters with the skipped reasons, tick letters (all by default after a
 * filter), make one PDF (downloaded; a slow print shows its page count and can be cancelled), then mark
 * them printed, which records the touch and takes them off the list. The list (same campaign filter)
 * exports to Excel.
 */
import { FilePdfOutlined, LoadingOutlined, PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Popconfirm, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LetterItemDto } from '../../../preload/channels/letters';
import type { RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { errorBody } from '../../app/errors';
import { ExportCutAlert, ExportExcelButton, useExcelExport, useExportLang } from '../../app/excel';
import { pick, useLanguage } from '../../app/language';
import { downloadBase64 } from '../customers/format';

type Batch = RequestOutput<'letters.batch'>;

/** The field message when the host names one (e.g. mixed paper sizes), else the general one. */
function problem(error: unknown): string {
  const body = errorBody(error);
  return pick(body.issues?.[0]?.message ?? body.message);
}

export function LettersTab() {
  const { t } = useTranslation();
  const lang = useLanguage((s) => s.lang);
  const { message } = App.useApp();
  const [campaignId, setCampaignId] = useState<string | null>(null);
  const [batch, setBatch] = useState<Batch | null>(null);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [printing, setPrinting] = useState<{ jobId: string; pages: number } | null>(null);
  const [marking, setMarking] = useState(false);
  const exportLang = useExportLang();
  const excel = useExcelExport();
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const r = await call('letters.batch', { campaignId });
      if (!alive.current) return;
      setBatch(r);
      setSelected((s) => s.filter((id) => r.items.some((i) => i.taskId === id)));
    } catch (error) {
      message.error(problem(error));
    } finally {
      setLoading(false);
    }
  }, [campaignId, message]);

  useEffect(() => {
    void load();
  }, [load]);

  const items = useMemo(() => batch?.items ?? [], [batch]);
  const chosen = useMemo(() => items.filter((i) => selected.includes(i.taskId)), [items, selected]);
  const mixed = new Set(chosen.map((i) => i.templateId)).size > 1;
  const skipped = Object.entries(batch?.skipped ?? {}).filter(([, n]) => n > 0);

  async function makePdf() {
    const jobId = crypto.randomUUID();
    setPrinting({ jobId, pages: chosen.length });
    try {
      const r = await call('letters.print', { taskIds: chosen.map((i) => i.taskId), jobId });
      if (r.status === 'cancelled') {
        message.info(t('campaigns.letters.cancelled'));
        return;
      }
      downloadBase64(r.fileName, r.base64, 'application/pdf');
      message.success(t('campaigns.letters.printed', { pages: r.pages }));
    } catch (error) {
      message.error(problem(error));
    } finally {
      if (alive.current) setPrinting(null);
    }
  }

  async function cancelPdf() {
    if (!printing) return;
    try {
      await call('letters.cancelPrint', { jobId: printing.jobId });
    } catch (error) {
      message.error(problem(error));
    }
  }

  async function markPrinted() {
    setMarking(true);
    try {
      const r = await call('letters.markPrinted', { taskIds: chosen.map((i) => i.taskId) });
      message.success(t('campaigns.letters.marked', { count: r.marked }));
      setSelected([]);
      await load();
    } catch (error) {
      message.error(problem(error));
    } finally {
      setMarking(false);
    }
  }

  async function exportList() {
    await excel.run(() => call('letters.export', { campaignId, lang: exportLang }));
    // Building the file refreshed the batch on the host (letters skipped since move on): show the same.
    if (alive.current) void load();
  }

  const name = (zh: string, en: string) => (lang === 'zh-CN' ? zh : en);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text>{t('campaigns.letters.campaign')}</Typography.Text>
        <Select
          aria-label={t('campaigns.letters.campaign')}
          style={{ width: 220 }}
          value={campaignId ?? ''}
          onChange={(v) => {
            setCampaignId(v || null);
            setSelected([]);
            excel.dismiss();
          }}
          options={[{ value: '', label: t('campaigns.letters.allCampaigns') }, ...(batch?.campaigns ?? []).map((c) => ({ value: c.id, label: name(c.nameZh, c.nameEn) }))]}
          data-testid="letters-campaign"
        />
        <Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading} disabled={printing !== null}>
          {t('campaigns.letters.refresh')}
        </Button>
        <ExportExcelButton exporting={excel.exporting} onClick={() => void exportList()} testId="letters-export" />
        <Typography.Text data-testid="letters-count" data-count={items.length}>
          {items.length ? t('campaigns.letters.count', { count: items.length }) : t('campaigns.letters.empty')}
        </Typography.Text>
      </Space>
      <Typography.Text type="secondary" data-testid="letters-skipped">
        {skipped.length
          ? `${t('campaigns.letters.skipped')}${skipped.map(([reason, n]) => t(`campaigns.letters.skip.${reason}`, { count: n, defaultValue: `${reason} ${n}` })).join('，')}`
          : t('campaigns.letters.skippedNone')}
      </Typography.Text>
      <Space wrap>
        <Button onClick={() => setSelected(items.map((i) => i.taskId))} disabled={items.length === 0 || printing !== null} data-testid="letters-select-all">
          {t('campaigns.letters.selectAll', { count: items.length })}
        </Button>
        <Button
          type="primary"
          icon={<FilePdfOutlined />}
          disabled={chosen.length === 0 || mixed || printing !== null}
          onClick={() => void makePdf()}
          data-testid="letters-print"
        >
          {t('campaigns.letters.print', { count: chosen.length })}
        </Button>
        <Popconfirm
          title={t('campaigns.letters.markConfirm', { count: chosen.length })}
          okText={t('campaigns.letters.markOk')}
          cancelText={t('campaigns.letters.markCancel')}
          onConfirm={() => markPrinted()}
          disabled={chosen.length === 0 || printing !== null}
        >
          <Button icon={<PrinterOutlined />} disabled={chosen.length === 0 || printing !== null} loading={marking} data-testid="letters-mark">
            {t('campaigns.letters.mark', { count: chosen.length })}
          </Button>
        </Popconfirm>
        <Typography.Text type="secondary">{t('campaigns.letters.selected', { count: chosen.length })}</Typography.Text>
      </Space>
      {printing && (
        <Alert
          type="info"
          data-testid="letters-printing"
          icon={<Spin indicator={<LoadingOutlined spin />} size="small" />}
          showIcon
          title={t('campaigns.letters.printing', { count: printing.pages })}
          action={
            <Button size="small" danger onClick={() => void cancelPdf()} data-testid="letters-cancel">
              {t('campaigns.letters.cancel')}
            </Button>
          }
        />
      )}
      <ExportCutAlert rows={excel.cutAt} onClose={excel.dismiss} testId="letters-export-truncated" text={t('campaigns.letters.exportTruncated', { rows: excel.cutAt ?? 0 })} />
      {mixed && <Alert type="warning" showIcon title={t('campaigns.letters.mixed')} data-testid="letters-mixed" />}
      <Table<LetterItemDto>
        size="small"
        rowKey="taskId"
        loading={loading}
        dataSource={items}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys.map(String)),
          selections: [Table.SELECTION_ALL, Table.SELECTION_INVERT, Table.SELECTION_NONE],
          getCheckboxProps: () => ({ disabled: printing !== null }),
        }}
        pagination={{ pageSize: 100, showSizeChanger: false }}
        scroll={{ x: 1000 }}
        onRow={(r) => ({ id: `letter-${r.taskId}`, 'data-testid': 'letter-row', 'data-task': r.taskId, 'data-name': r.customerName, 'data-plate': r.plate ?? '', 'data-template': r.templateId ?? '' })}
        columns={[
          { title: t('campaigns.letters.col.customer'), dataIndex: 'customerName', width: 100 },
          { title: t('campaigns.letters.col.address'), dataIndex: 'address', ellipsis: true },
          { title: t('campaigns.letters.col.plate'), dataIndex: 'plate', width: 110, render: (v: string | null) => v ?? '—' },
          { title: t('campaigns.letters.col.campaign'), key: 'campaign', width: 140, render: (_, r) => <Tag color="geekblue">{name(r.campaignNameZh, r.campaignNameEn)}</Tag> },
          { title: t('campaigns.letters.col.dueOn'), dataIndex: 'dueOn', width: 110 },
          { title: t('campaigns.letters.col.template'), key: 'template', width: 200, render: (_, r) => (r.templateName.includes(r.page) ? r.templateName : `${r.templateName}（${r.page}）`) },
        ]}
      />
      <Typography.Text type="secondary">{t('campaigns.letters.keys')}</Typography.Text>
    </Space>
  );
}
