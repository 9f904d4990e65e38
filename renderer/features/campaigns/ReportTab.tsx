/**
 * 招揽成功率 over a period of months: by campaign, by step and channel, by agent. Each table lists the
 * period's total per campaign (step, agent) with its months underneath; the Excel export has the same
 * three tables with the same rows and columns.
 */
import { App, Button, DatePicker, Space, Switch, Table, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useState, type Key } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentReportRowDto, CampaignReportRowDto, StepReportRowDto } from '../../../preload/channels/campaigns';
import { call } from '../../api';
import { errorText } from '../../app/errors';
import { ExportExcelButton, useExcelExport, useExportLang } from '../../app/excel';
import { useLanguage } from '../../app/language';

const pct = (v: number) => `${v.toFixed(1)}%`;
const MONTH = 'YYYY-MM';

type Tree<R> = R & { key: string; children?: Array<R & { key: string }> };

/** Which totals are open: all of them while "show months" is on, else those the user opened. */
function useExpanded<R>(rows: Array<Tree<R>>, all: boolean) {
  const [open, setOpen] = useState<readonly Key[]>([]);
  return {
    expandedRowKeys: all ? rows.filter((r) => r.children).map((r) => r.key) : open,
    onExpandedRowsChange: (keys: readonly Key[]) => setOpen(keys),
  };
}

/** Rows arrive as each total followed by its months: nest the months under their total. */
function nest<R extends { month: string | null }>(rows: R[], id: (r: R) => string): Array<Tree<R>> {
  const out: Array<Tree<R>> = [];
  for (const r of rows) {
    if (r.month === null) out.push({ ...r, key: id(r) });
    else {
      const parent = out.at(-1);
      if (!parent) continue;
      (parent.children ??= []).push({ ...r, key: `${id(r)}|${r.month}` });
    }
  }
  return out;
}

export function ReportTab(props: { version: number }) {
  const { t } = useTranslation();
  const lang = useLanguage((s) => s.lang);
  const { message } = App.useApp();
  // Tasks are counted in the month they fall due, and reminders start up to 45 days before: by default
  // the last 12 months and the next two, so this month's calls about next month's renewals show.
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(11, 'month'), dayjs().add(2, 'month')]);
  const [data, setData] = useState<{ campaigns: CampaignReportRowDto[]; steps: StepReportRowDto[]; agents: AgentReportRowDto[] }>({ campaigns: [], steps: [], agents: [] });
  const [loading, setLoading] = useState(false);
  const exportLang = useExportLang();
  const excel = useExcelExport();
  const [months, setMonths] = useState(false);
  const period = { from: range[0].format(MONTH), to: range[1].format(MONTH) };

  const load = useCallback(
    async (from: string, to: string) => {
      setLoading(true);
      try {
        setData(await call('campaigns.report', { from, to }));
      } catch (error) {
        message.error(errorText(error));
      } finally {
        setLoading(false);
      }
    },
    [message],
  );

  useEffect(() => {
    void load(period.from, period.to);
    // Reload when the tab is shown again; a new period reloads through the picker or the button.
  }, [props.version, load]);


  const name = (r: { nameZh: string; nameEn: string }) => (lang === 'zh-CN' ? r.nameZh : r.nameEn);
  const month = (r: { month: string | null }) => r.month ?? t('campaigns.report.total');
  const step = (r: StepReportRowDto) => {
    const offset = r.offsetDays === null ? '' : ` (${r.offsetDays > 0 ? '+' : ''}${t('campaigns.report.days', { count: r.offsetDays })})`;
    return `${t('campaigns.report.stepNo', { n: r.stepSeq + 1 })} ${t(`campaigns.channel.${r.channel}`)}${offset}`;
  };
  const campaigns = useMemo(() => nest(data.campaigns, (r) => r.campaignId), [data.campaigns]);
  const steps = useMemo(() => nest(data.steps, (r) => `${r.campaignId}|${r.stepSeq}|${r.channel}`), [data.steps]);
  const agents = useMemo(() => nest(data.agents, (r) => r.staffId), [data.agents]);
  const campaignsOpen = useExpanded(campaigns, months);
  const stepsOpen = useExpanded(steps, months);
  const agentsOpen = useExpanded(agents, months);
  const paging = { pageSize: 50, hideOnSinglePage: true, showSizeChanger: false };

  const campaignColumns: TableColumnsType<Tree<CampaignReportRowDto>> = [
    { title: t('campaigns.report.col.campaign'), key: 'name', render: (_, r) => (r.month === null ? name(r) : '') },
    { title: t('campaigns.report.col.month'), key: 'month', width: 90, render: (_, r) => month(r) },
    { title: t('campaigns.report.col.target'), dataIndex: 'target' },
    { title: t('campaigns.report.col.reminded'), dataIndex: 'reminded' },
    { title: t('campaigns.report.col.remindRate'), dataIndex: 'remindRate', render: pct },
    { title: t('campaigns.report.col.reached'), dataIndex: 'reached' },
    { title: t('campaigns.report.col.came'), dataIndex: 'came' },
    { title: t('campaigns.report.col.cameAfter'), dataIndex: 'cameAfterReminder' },
    { title: t('campaigns.report.col.cameRate'), dataIndex: 'cameRate', render: pct },
  ];
  const stepColumns: TableColumnsType<Tree<StepReportRowDto>> = [
    { title: t('campaigns.report.col.campaign'), key: 'name', render: (_, r) => (r.month === null ? name(r) : '') },
    { title: t('campaigns.report.col.step'), key: 'step', render: (_, r) => (r.month === null ? step(r) : '') },
    { title: t('campaigns.report.col.month'), key: 'month', width: 90, render: (_, r) => month(r) },
    { title: t('campaigns.report.col.target'), dataIndex: 'target' },
    { title: t('campaigns.report.col.reminded'), dataIndex: 'reminded' },
    { title: t('campaigns.report.col.remindRate'), dataIndex: 'remindRate', render: pct },
    { title: t('campaigns.report.col.cameAfter'), dataIndex: 'cameAfterReminder' },
  ];
  const agentColumns: TableColumnsType<Tree<AgentReportRowDto>> = [
    { title: t('campaigns.report.col.agent'), key: 'name', render: (_, r) => (r.month === null ? r.name : '') },
    { title: t('campaigns.report.col.month'), key: 'month', width: 90, render: (_, r) => month(r) },
    { title: t('campaigns.report.col.calls'), dataIndex: 'calls' },
    { title: t('campaigns.report.col.tasksCalled'), dataIndex: 'tasksCalled' },
    { title: t('campaigns.report.col.reached'), dataIndex: 'reached' },
    { title: t('campaigns.report.col.reachRate'), dataIndex: 'reachRate', render: pct },
    { title: t('campaigns.report.col.cameCredited'), dataIndex: 'cameCredited' },
  ];
  const rowProps = (testId: string, r: { month: string | null }, extra: Record<string, string>) => ({
    'data-testid': testId,
    'data-month': r.month ?? 'total',
    ...extra,
    style: r.month === null ? { fontWeight: 600 } : undefined,
  });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text>{t('campaigns.report.range')}</Typography.Text>
        <DatePicker.RangePicker
          picker="month"
          value={range}
          allowClear={false}
          data-testid="report-range"
          presets={[
            { label: t('campaigns.report.thisMonth'), value: [dayjs(), dayjs()] },
            { label: t('campaigns.report.last3'), value: [dayjs().subtract(2, 'month'), dayjs()] },
            { label: t('campaigns.report.thisYear'), value: [dayjs().startOf('year'), dayjs().endOf('year')] },
            { label: t('campaigns.report.last12'), value: [dayjs().subtract(11, 'month'), dayjs()] },
            { label: t('campaigns.report.last12next2'), value: [dayjs().subtract(11, 'month'), dayjs().add(2, 'month')] },
          ]}
          onChange={(v) => {
            if (v?.[0] && v[1]) {
              setRange([v[0], v[1]]);
              void load(v[0].format(MONTH), v[1].format(MONTH));
            }
          }}
        />
        <Button onClick={() => void load(period.from, period.to)} loading={loading}>
          {t('campaigns.report.run')}
        </Button>
        <ExportExcelButton exporting={excel.exporting} onClick={() => void excel.run(() => call('campaigns.exportReport', { ...period, lang: exportLang }))} testId="report-export" />
        <Space>
          <Switch checked={months} onChange={setMonths} data-testid="report-months" aria-label={t('campaigns.report.showMonths')} />
          <Typography.Text>{t('campaigns.report.showMonths')}</Typography.Text>
        </Space>
      </Space>
      <Typography.Title level={5}>{t('campaigns.report.campaigns')}</Typography.Title>
      <Table<Tree<CampaignReportRowDto>>
        size="small"
        loading={loading}
        pagination={paging}
        dataSource={campaigns}
        columns={campaignColumns}
        expandable={campaignsOpen}
        onRow={(r) => rowProps('report-campaign', r, { id: r.month === null ? `report-${r.kind}` : `report-${r.kind}-${r.month}`, 'data-kind': r.kind })}
      />
      <Typography.Title level={5}>{t('campaigns.report.steps')}</Typography.Title>
      <Table<Tree<StepReportRowDto>>
        size="small"
        loading={loading}
        pagination={paging}
        dataSource={steps}
        columns={stepColumns}
        expandable={stepsOpen}
        onRow={(r) => rowProps('report-step', r, { 'data-kind': r.kind, 'data-step': String(r.stepSeq), 'data-channel': r.channel })}
      />
      <Typography.Title level={5}>{t('campaigns.report.agents')}</Typography.Title>
      <Table<Tree<AgentReportRowDto>>
        size="small"
        loading={loading}
        pagination={paging}
        dataSource={agents}
        columns={agentColumns}
        expandable={agentsOpen}
        onRow={(r) => rowProps('report-agent', r, { id: `report-agent-${r.staffId}-${r.month ?? 'total'}`, 'data-name': r.name })}
      />
    </Space>
  );
}
