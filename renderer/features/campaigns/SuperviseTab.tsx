/**
 * Supervisor: generate now, today's skips and why (no task made, SMS not sent, letter not printed, call
 * not made; also after the nightly run, without generating; exported to Excel), then select open tasks
 * and assign them — to one agent, dealt out over several, to each customer's responsible agent, or by
 * sales team (the car's sales consultant's team), with what was assigned and what was skipped and why.
 */
import { TeamOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Segmented, Select, Space, Table, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CampaignTaskDto, GenerationDto, SkipSummaryDto, TeamAssignResultDto } from '../../../preload/channels/campaigns';
import type { RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { errorText } from '../../app/errors';
import { ExportExcelButton, useExcelExport, useExportLang } from '../../app/excel';
import { useLanguage } from '../../app/language';
import { formatDateTime } from '../customers/format';
import { taskColumns } from './columns';
import { ExportTasksButton } from './ExportTasksButton';

type StaffRow = RequestOutput<'staff.list'>[number];

export function SuperviseTab() {
  const { t } = useTranslation();
  const lang = useLanguage((s) => s.lang);
  const { message } = App.useApp();
  const [generating, setGenerating] = useState(false);
  const [result, setResult] = useState<GenerationDto | null>(null);
  const [filter, setFilter] = useState<'any' | 'unassigned'>('unassigned');
  const [tasks, setTasks] = useState<CampaignTaskDto[]>([]);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [staff, setStaff] = useState<StaffRow[]>([]);
  const [agent, setAgent] = useState<string | undefined>();
  const [assigning, setAssigning] = useState(false);
  const [team, setTeam] = useState<string[]>([]);
  const [skips, setSkips] = useState<SkipSummaryDto | null>(null);
  const [teamResult, setTeamResult] = useState<TeamAssignResultDto | null>(null);
  const exportLang = useExportLang();
  const skipsExcel = useExcelExport();
  const name = (r: { nameZh: string; nameEn: string }) => (lang === 'zh-CN' ? r.nameZh : r.nameEn);
  const reason = (code: string) => t(`campaigns.supervise.skip.${code}`, { defaultValue: code });

  const loadSkips = useCallback(async () => {
    try {
      setSkips(await call('campaigns.skips', {}));
    } catch (error) {
      message.error(errorText(error));
    }
  }, [message]);
  useEffect(() => {
    void loadSkips();
  }, [loadSkips]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const r = await call('campaigns.tasks', { assigned: filter, limit: 2000 });
      setTasks(r.items);
      setMore(r.more);
      setSelected((s) => s.filter((id) => r.items.some((i) => i.taskId === id)));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setLoading(false);
    }
  }, [filter, message]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    call('staff.list', {})
      .then((list) => setStaff(list.filter((s) => s.active)))
      .catch((error: unknown) => message.error(errorText(error)));
  }, [message]);

  async function generate() {
    setGenerating(true);
    try {
      setResult(await call('campaigns.generate', {}));
      void load();
      void loadSkips();
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setGenerating(false);
    }
  }

  async function assign(staffId: string | null) {
    if (staffId === undefined) return;
    setAssigning(true);
    try {
      const r = await call('campaigns.assign', { taskIds: selected, staffId });
      message.success(t('campaigns.supervise.assigned', { count: r.assigned }));
      setSelected([]);
      void load();
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setAssigning(false);
    }
  }

  async function assignAuto(how: 'roundRobin' | 'responsible') {
    setAssigning(true);
    try {
      const r =
        how === 'roundRobin'
          ? await call('campaigns.assignRoundRobin', { taskIds: selected, staffIds: team })
          : await call('campaigns.assignByResponsible', {});
      message.success(t('campaigns.supervise.assigned', { count: r.assigned }));
      setSelected([]);
      void load();
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setAssigning(false);
    }
  }

  /** Every task the list's filter shows (not only the selected ones) goes to its sales team's agents. */
  async function assignBySalesTeam() {
    setAssigning(true);
    try {
      setTeamResult(await call('campaigns.assignBySalesTeam', { assigned: filter }));
      setSelected([]);
      void load();
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setAssigning(false);
    }
  }

  const skippedByTeam = teamResult ? teamResult.skipped.noConsultant + teamResult.skipped.noTeam + teamResult.skipped.noAgents : 0;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Button type="primary" icon={<ThunderboltOutlined />} loading={generating} onClick={() => void generate()} data-testid="generate-now">
            {t('campaigns.supervise.generate')}
          </Button>
          {result && (
            <Alert
              type="success"
              showIcon
              data-testid="generate-result"
              data-open={result.openTasks}
              title={t('campaigns.supervise.generated', { created: result.created, open: result.openTasks, ms: Math.round(result.ms) })}
            />
          )}
        </Space>
      </Card>
      <Card
        size="small"
        title={t('campaigns.supervise.skips.title')}
        data-testid="skips"
        extra={
          <ExportExcelButton
            size="small"
            exporting={skipsExcel.exporting}
            disabled={!skips}
            // The day the card shows, not a day that began since.
            onClick={() => void skipsExcel.run(() => call('campaigns.exportSkips', { ...(skips ? { day: skips.day } : {}), lang: exportLang }))}
            testId="skips-export"
          />
        }
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary" data-testid="skips-run">
            {skips?.generation
              ? t('campaigns.supervise.skips.lastRun', { at: formatDateTime(skips.generation.at), created: skips.generation.created })
              : t('campaigns.supervise.skips.noRun')}
          </Typography.Text>
          {skips?.generation && (
            <Table
              size="small"
              rowKey="kind"
              pagination={false}
              // Campaigns with nothing due today would only add rows of zeros.
              dataSource={skips.generation.byCampaign.filter((r) => r.candidates > 0)}
              locale={{ emptyText: t('campaigns.supervise.skips.noCandidates') }}
              onRow={(r) => ({ id: `skip-generation-${r.kind}`, 'data-testid': 'skip-generation', 'data-kind': r.kind })}
              columns={[
                { title: t('campaigns.supervise.perCampaign'), key: 'name', render: (_, r) => name(r) },
                { title: t('campaigns.supervise.candidates'), dataIndex: 'candidates' },
                { title: t('campaigns.supervise.created'), dataIndex: 'created' },
                {
                  title: t('campaigns.supervise.skipped'),
                  key: 'skipped',
                  render: (_, r) =>
                    Object.entries(r.skipped)
                      .map(([code, n]) => `${reason(code)} ${n}`)
                      .join('，') || '—',
                },
              ]}
            />
          )}
          <Typography.Text strong>{t('campaigns.supervise.skips.steps')}</Typography.Text>
          <Table
            size="small"
            rowKey={(r) => `${r.campaignId}:${r.channel}:${r.reason}`}
            pagination={false}
            dataSource={skips?.steps ?? []}
            onRow={(r) => ({ id: `skip-${r.campaignId}-${r.channel}-${r.reason}`, 'data-testid': 'skip-step', 'data-kind': r.kind, 'data-channel': r.channel, 'data-reason': r.reason })}
            locale={{ emptyText: t('campaigns.supervise.skips.none') }}
            columns={[
              { title: t('campaigns.supervise.skips.campaign'), key: 'name', render: (_, r) => name(r) },
              { title: t('campaigns.supervise.skips.channel'), key: 'channel', render: (_, r) => t(`campaigns.channel.${r.channel}`) },
              { title: t('campaigns.supervise.skips.reason'), key: 'reason', render: (_, r) => reason(r.reason) },
              { title: t('campaigns.supervise.skips.count'), dataIndex: 'count', align: 'right' },
            ]}
          />
        </Space>
      </Card>
      <Space wrap>
        <Segmented
          value={filter}
          onChange={(v) => setFilter(v === 'any' ? 'any' : 'unassigned')}
          options={[
            { value: 'unassigned', label: t('campaigns.supervise.filter.unassigned') },
            { value: 'any', label: t('campaigns.supervise.filter.any') },
          ]}
        />
        <Select
          aria-label={t('campaigns.supervise.agent')}
          placeholder={t('campaigns.supervise.selectAgent')}
          style={{ width: 200 }}
          value={agent}
          onChange={setAgent}
          showSearch={{ optionFilterProp: 'label' }}
          options={staff.map((s) => ({ value: s.id, label: `${s.displayName}（${s.username}）` }))}
          data-testid="assign-agent"
        />
        <Button type="primary" disabled={!agent || selected.length === 0} loading={assigning} onClick={() => void assign(agent ?? null)} data-testid="assign-selected">
          {t('campaigns.supervise.assign', { count: selected.length })}
        </Button>
        <Button disabled={selected.length === 0} loading={assigning} onClick={() => void assign(null)}>
          {t('campaigns.supervise.unassign')}
        </Button>
      </Space>
      <Space wrap>
        <Select
          mode="multiple"
          aria-label={t('campaigns.supervise.team')}
          placeholder={t('campaigns.supervise.team')}
          style={{ minWidth: 280 }}
          value={team}
          onChange={setTeam}
          options={staff.map((s) => ({ value: s.id, label: s.displayName }))}
        />
        <Button disabled={team.length === 0 || selected.length === 0} loading={assigning} onClick={() => void assignAuto('roundRobin')}>
          {t('campaigns.supervise.roundRobin', { count: selected.length })}
        </Button>
        <Button loading={assigning} onClick={() => void assignAuto('responsible')}>
          {t('campaigns.supervise.byResponsible')}
        </Button>
        <Tooltip title={t('campaigns.supervise.bySalesTeamHint')}>
          <Button icon={<TeamOutlined />} loading={assigning} onClick={() => void assignBySalesTeam()} data-testid="assign-sales-team">
            {t('campaigns.supervise.bySalesTeam')}
          </Button>
        </Tooltip>
        <ExportTasksButton list={filter === 'any' ? 'open' : 'unassigned'} />
        {more && <Typography.Text type="secondary">{t('campaigns.supervise.more', { count: tasks.length })}</Typography.Text>}
      </Space>
      {teamResult && (
        <Alert
          type={teamResult.assigned > 0 ? 'success' : 'info'}
          showIcon
          closable
          onClose={() => setTeamResult(null)}
          data-testid="team-assign-result"
          data-assigned={teamResult.assigned}
          data-kept={teamResult.kept}
          data-no-consultant={teamResult.skipped.noConsultant}
          data-no-team={teamResult.skipped.noTeam}
          data-no-agents={teamResult.skipped.noAgents}
          title={t('campaigns.supervise.teamResult', { assigned: teamResult.assigned, kept: teamResult.kept })}
          description={skippedByTeam > 0 ? t('campaigns.supervise.teamSkipped', { ...teamResult.skipped }) : t('campaigns.supervise.teamNoSkips')}
        />
      )}
      <Table<CampaignTaskDto>
        size="small"
        rowKey="taskId"
        loading={loading}
        columns={taskColumns(t, lang, { assigned: true })}
        dataSource={tasks}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) }}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        scroll={{ x: 1200 }}
        onRow={(task) => ({ id: `assign-${task.taskId}`, 'data-testid': 'assign-row', 'data-task': task.taskId, 'data-consultant': task.salesConsultant ?? '' })}
      />
    </Space>
  );
}
