/** 招揽成功率: per campaign (target, reminded, rate, reached, came, came after reminder) and per agent, with Excel export. */
import { FileExcelOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentReportRowDto, CampaignReportRowDto } from '../../../preload/channels/campaigns';
import { call } from '../../api';
import { errorText } from '../../app/errors';
import { useLanguage } from '../../app/language';
import { downloadBase64 } from '../customers/format';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const pct = (v: number) => `${v.toFixed(1)}%`;

export function ReportTab(props: { version: number }) {
  const { t } = useTranslation();
  const lang = useLanguage((s) => s.lang);
  const { message } = App.useApp();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(5, 'year'), dayjs().add(60, 'day')]);
  const [campaigns, setCampaigns] = useState<CampaignReportRowDto[]>([]);
  const [agents, setAgents] = useState<AgentReportRowDto[]>([]);
  const [loading, setLoading] = useState(false);
  const [exporting, setExporting] = useState(false);
  const period = { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };

  const load = useCallback(async (from: string, to: string) => {
    setLoading(true);
    try {
      const r = await call('campaigns.report', { from, to });
      setCampaigns(r.campaigns);
      setAgents(r.agents);
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setLoading(false);
    }
  }, [message]);

  useEffect(() => {
    void load(period.from, period.to);
    // Reload when the tab is shown again; the range reloads through the button.
  }, [props.version, load]);

  async function exportExcel() {
    setExporting(true);
    try {
      const file = await call('campaigns.exportReport', period);
      downloadBase64(file.fileName, file.base64, XLSX);
      message.success(t('campaigns.report.exported', { rows: file.rows }));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setExporting(false);
    }
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text>{t('campaigns.report.range')}</Typography.Text>
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          data-testid="report-range"
          presets={[
            { label: t('campaigns.report.thisYear'), value: [dayjs().startOf('year'), dayjs().endOf('year')] },
            { label: t('campaigns.report.fiveYears'), value: [dayjs().subtract(5, 'year'), dayjs().add(60, 'day')] },
            { label: t('campaigns.report.all'), value: [dayjs('2000-01-01'), dayjs().add(1, 'year')] },
          ]}
          onChange={(v) => {
            if (v?.[0] && v[1]) {
              setRange([v[0], v[1]]);
              void load(v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD'));
            }
          }}
        />
        <Button onClick={() => void load(period.from, period.to)} loading={loading}>
          {t('campaigns.report.run')}
        </Button>
        <Button icon={<FileExcelOutlined />} loading={exporting} onClick={() => void exportExcel()} data-testid="report-export">
          {t('campaigns.report.export')}
        </Button>
      </Space>
      <Typography.Title level={5}>{t('campaigns.report.campaigns')}</Typography.Title>
      <Table<CampaignReportRowDto>
        size="small"
        rowKey="campaignId"
        loading={loading}
        pagination={false}
        dataSource={campaigns}
        onRow={(r) => ({ id: `report-${r.kind}`, 'data-testid': 'report-campaign', 'data-kind': r.kind })}
        columns={[
          { title: t('campaigns.report.col.campaign'), key: 'name', render: (_, r) => (lang === 'zh-CN' ? r.nameZh : r.nameEn) },
          { title: t('campaigns.report.col.target'), dataIndex: 'target' },
          { title: t('campaigns.report.col.reminded'), dataIndex: 'reminded' },
          { title: t('campaigns.report.col.remindRate'), dataIndex: 'remindRate', render: pct },
          { title: t('campaigns.report.col.reached'), dataIndex: 'reached' },
          { title: t('campaigns.report.col.came'), dataIndex: 'came' },
          { title: t('campaigns.report.col.cameAfter'), dataIndex: 'cameAfterReminder' },
          { title: t('campaigns.report.col.cameRate'), dataIndex: 'cameRate', render: pct },
        ]}
      />
      <Typography.Title level={5}>{t('campaigns.report.agents')}</Typography.Title>
      <Table<AgentReportRowDto>
        size="small"
        rowKey="staffId"
        loading={loading}
        pagination={false}
        dataSource={agents}
        onRow={(r) => ({ id: `report-agent-${r.staffId}`, 'data-testid': 'report-agent', 'data-name': r.name })}
        columns={[
          { title: t('campaigns.report.col.agent'), dataIndex: 'name' },
          { title: t('campaigns.report.col.calls'), dataIndex: 'calls' },
          { title: t('campaigns.report.col.tasksCalled'), dataIndex: 'tasksCalled' },
          { title: t('campaigns.report.col.reached'), dataIndex: 'reached' },
          { title: t('campaigns.report.col.reachRate'), dataIndex: 'reachRate', render: pct },
          { title: t('campaigns.report.col.cameCredited'), dataIndex: 'cameCredited' },
        ]}
      />
    </Space>
  );
}
