/**
 * 活动设置 → 销售团队 (supervisors): the dealer's sales teams, the call-center agents serving each and
 * the sales consultants (销售顾问, from the DMS's vehicles) in each — what 按销售团队分配 on 生成与分配
 * assigns by. A consultant is in one team; choosing one of another team's consultants moves them here.
 * Consultants in no team are listed under the table, so none is forgotten. The table exports to Excel.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SalesTeamDto, SalesTeamsDto } from '../../../preload/channels/campaign-settings';
import type { RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { applyIssues, errorBody, errorText } from '../../app/errors';
import { ExportExcelButton, useExcelExport, useExportLang } from '../../app/excel';
import { useLanguage } from '../../app/language';

const TEAM_FIELDS = ['name', 'staffIds', 'consultants'] as const;

type StaffRow = RequestOutput<'staff.list'>[number];
interface TeamForm {
  name: string;
  staffIds: string[];
  consultants: string[];
}

export function SalesTeamsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const lang = useLanguage((s) => s.lang);
  const [data, setData] = useState<SalesTeamsDto>({ teams: [], consultants: [] });
  const [loading, setLoading] = useState(false);
  const [staff, setStaff] = useState<StaffRow[]>([]);
  /** The team in the dialog: null = closed, 'new' = a team being created. */
  const [editing, setEditing] = useState<SalesTeamDto | 'new' | null>(null);
  const [saving, setSaving] = useState(false);
  const exportLang = useExportLang();
  const teamsExcel = useExcelExport();
  const [form] = Form.useForm<TeamForm>();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await call('campaigns.config.salesTeams', {}));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setLoading(false);
    }
  }, [message]);
  useEffect(() => {
    void load();
    call('staff.list', {})
      // Only agents work call queues; the host refuses anyone else as a team's agent.
      .then((list) => setStaff(list.filter((s) => s.active && s.role === 'agent')))
      .catch((error: unknown) => message.error(errorText(error)));
  }, [load, message]);

  const teamName = (id: string | null) => data.teams.find((x) => x.id === id)?.name ?? null;
  const carsOf = (team: SalesTeamDto) => team.consultants.reduce((sum, c) => sum + (data.consultants.find((x) => x.name === c)?.vehicles ?? 0), 0);
  const loose = data.consultants.filter((c) => c.teamId === null);
  const paren = (notes: string[]) => (lang === 'zh-CN' ? `（${notes.join('，')}）` : ` (${notes.join(', ')})`);

  function open(team: SalesTeamDto | null) {
    form.resetFields();
    // Inactive agents cannot be saved into a team; they stay listed in the table until the team is saved.
    form.setFieldsValue(
      team
        ? { name: team.name, staffIds: team.agents.filter((a) => a.active).map((a) => a.staffId), consultants: team.consultants }
        : { name: '', staffIds: [], consultants: [] },
    );
    setEditing(team ?? 'new');
  }

  async function submit() {
    if (editing === null) return;
    const v = form.getFieldsValue();
    setSaving(true);
    try {
      setData(
        await call('campaigns.config.saveSalesTeam', {
          ...(editing === 'new' ? {} : { id: editing.id }),
          name: v.name ?? '',
          staffIds: v.staffIds ?? [],
          consultants: v.consultants ?? [],
        }),
      );
      message.success(t('campaigns.lists.teams.saved', { name: (v.name ?? '').trim() }));
      setEditing(null);
    } catch (error) {
      // Empty or duplicate names, agents who left: shown at their fields.
      if (!applyIssues(form, errorBody(error), TEAM_FIELDS)) message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  }

  async function remove(team: SalesTeamDto) {
    try {
      setData(await call('campaigns.config.deleteSalesTeam', { id: team.id }));
      message.success(t('campaigns.lists.teams.deleted', { name: team.name }));
    } catch (error) {
      message.error(errorText(error));
    }
  }

  return (
    <Card
      size="small"
      title={t('campaigns.lists.teams.title')}
      data-testid="sales-teams"
      extra={
        <Space>
          <ExportExcelButton
            exporting={teamsExcel.exporting}
            onClick={() => void teamsExcel.run(() => call('campaigns.config.exportSalesTeams', { lang: exportLang }))}
            testId="sales-teams-export"
            label={t('campaigns.lists.teams.export')}
          />
          <Button icon={<PlusOutlined />} onClick={() => open(null)} data-testid="sales-team-add">
            {t('campaigns.lists.teams.add')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('campaigns.lists.teams.hint')}</Typography.Paragraph>
      <Table<SalesTeamDto>
        size="small"
        rowKey="id"
        loading={loading}
        pagination={false}
        dataSource={data.teams}
        locale={{ emptyText: t('campaigns.lists.teams.empty') }}
        onRow={(team) => ({ id: `sales-team-${team.id}`, 'data-testid': 'sales-team-row', 'data-name': team.name })}
        columns={[
          { title: t('campaigns.lists.teams.name'), dataIndex: 'name', width: 140 },
          {
            title: t('campaigns.lists.teams.agents'),
            key: 'agents',
            render: (_, team) =>
              team.agents.length === 0
                ? '—'
                : team.agents.map((a) => (
                    <Tag key={a.staffId} color={a.active ? 'blue' : 'default'}>
                      {a.active ? a.name : `${a.name}${t('campaigns.lists.teams.inactive')}`}
                    </Tag>
                  )),
          },
          {
            title: t('campaigns.lists.teams.consultants'),
            key: 'consultants',
            render: (_, team) => (team.consultants.length === 0 ? '—' : team.consultants.map((c) => <Tag key={c}>{c}</Tag>)),
          },
          { title: t('campaigns.lists.teams.vehicles'), key: 'vehicles', width: 90, align: 'right', render: (_, team) => carsOf(team) },
          {
            title: '',
            key: 'actions',
            width: 170,
            render: (_, team) => (
              <Space>
                <Button onClick={() => open(team)}>{t('campaigns.settings.edit')}</Button>
                <Popconfirm title={t('campaigns.lists.teams.deleteConfirm', { name: team.name })} onConfirm={() => void remove(team)}>
                  <Button danger icon={<DeleteOutlined />} aria-label={`${t('campaigns.lists.teams.delete')} ${team.name}`}>
                    {t('campaigns.lists.teams.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }} data-testid="consultants-no-team">
        {loose.length === 0 ? (
          <Typography.Text type="secondary">{t('campaigns.lists.teams.allInTeams')}</Typography.Text>
        ) : (
          <>
            <Typography.Text type="secondary">{t('campaigns.lists.teams.noTeam')}</Typography.Text>
            {loose.map((c) => (
              <Tag key={c.name} color="orange">
                {c.name}
                {paren([t('campaigns.lists.teams.cars', { count: c.vehicles })])}
              </Tag>
            ))}
          </>
        )}
      </Typography.Paragraph>
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('campaigns.lists.teams.add') : t('campaigns.lists.teams.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => void submit()}
        okText={t('campaigns.settings.save')}
        confirmLoading={saving}
        width={640}
        forceRender
      >
        <Form
          form={form}
          layout="vertical"
          onValuesChange={(changed: Partial<TeamForm>) => form.setFields(TEAM_FIELDS.filter((n) => n in changed).map((name) => ({ name, errors: [] })))}
        >
          <Form.Item name="name" label={t('campaigns.lists.teams.name')}>
            <Input maxLength={40} autoFocus onPressEnter={() => void submit()} />
          </Form.Item>
          <Form.Item name="staffIds" label={t('campaigns.lists.teams.agents')} extra={t('campaigns.lists.teams.agentsHint')}>
            <Select
              mode="multiple"
              showSearch={{ optionFilterProp: 'label' }}
              options={staff.map((s) => ({ value: s.id, label: `${s.displayName}（${s.username}）` }))}
              data-testid="sales-team-agents"
            />
          </Form.Item>
          <Form.Item name="consultants" label={t('campaigns.lists.teams.consultants')} extra={t('campaigns.lists.teams.consultantsHint')}>
            <Select
              mode="multiple"
              showSearch={{ optionFilterProp: 'label' }}
              options={data.consultants.map((c) => {
                const other = editing !== 'new' && editing !== null && c.teamId === editing.id ? null : teamName(c.teamId);
                const notes = [t('campaigns.lists.teams.cars', { count: c.vehicles }), ...(other ? [t('campaigns.lists.teams.inTeam', { team: other })] : [])];
                return { value: c.name, label: `${c.name}${paren(notes)}` };
              })}
              data-testid="sales-team-consultants"
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
