/**
 * 联系偏好 on the customer page: a grid of purposes × channels whose switches say whether the dealership
 * may contact the customer that way (off = do not contact), the modem's SMS opt-out with where it came
 * from, and the history of every change. Each switch is a button (Tab to it, Space toggles), and every
 * change asks for a reason first. A row "全部用途" or column "所有渠道" switched off covers its cells.
 * The history exports to Excel.
 */
import { StopOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Skeleton, Space, Switch, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlagChannel, FlagPurpose, PreferenceHistoryDto } from '../../../preload/channels/preferences';
import { canAccess } from '../../../preload/contract';
import { call, getApi } from '../../api';
import { ExportCutAlert, ExportExcelButton, useExcelExport, useExportLang } from '../../app/excel';
import { usePick } from '../../app/language';
import { formatDateTime } from '../customers/format';
import { useRole } from '../../app/session';
import { CHANNELS, PURPOSES, cellOf } from './grid';
import { ReasonModal, type ReasonRequest } from './ReasonModal';
import { usePreferences } from './store';

export function PreferencesCard({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const pickText = usePick();
  const role = useRole();
  const { data, error, load, apply } = usePreferences();
  const [request, setRequest] = useState<ReasonRequest | null>(null);

  useEffect(() => {
    void load(customerId);
  }, [customerId, load]);

  // Another seat (or this one, from the vehicles table) changed the customer: show the current truth.
  useEffect(
    () =>
      getApi().on('customer.changed', (event) => {
        if (event.customerId === customerId) void load(customerId);
      }),
    [customerId, load],
  );

  if (error && !data) return <Alert type="error" showIcon title={pickText(error.message)} />;
  if (!data || data.customerId !== customerId) return <Skeleton active paragraph={{ rows: 4 }} />;

  const label = (purpose: FlagPurpose, channel: FlagChannel) => `${t(`preferences.purpose.${purpose}`)} · ${t(`preferences.channel.${channel}`)}`;

  function toggle(purpose: FlagPurpose, channel: FlagChannel, allowed: boolean) {
    const what = label(purpose, channel);
    setRequest(
      allowed
        ? {
            title: t('preferences.turnOnTitle', { what }),
            submit: async (reason) => apply(await call('preferences.clearFlag', { customerId, purpose, channel, reason })),
          }
        : {
            title: t('preferences.turnOffTitle', { what }),
            description: t('preferences.turnOffHint'),
            suggestions: [t('preferences.suggest.asked'), t('preferences.suggest.complained')],
            submit: async (reason) => apply(await call('preferences.setFlag', { customerId, purpose, channel, reason })),
          },
    );
  }

  const opt = data.smsOptOut;
  const canLift = !opt.needsSupervisor || role === 'supervisor' || role === 'admin';

  const gridColumns: TableColumnsType<{ purpose: FlagPurpose }> = [
    { title: t('preferences.purposeCol'), dataIndex: 'purpose', width: 110, render: (p: FlagPurpose) => <strong>{t(`preferences.purpose.${p}`)}</strong> },
    ...CHANNELS.map((channel) => ({
      title: t(`preferences.channel.${channel}`),
      key: channel,
      align: 'center' as const,
      render: (_: unknown, row: { purpose: FlagPurpose }) => {
        const cell = cellOf(data, row.purpose, channel);
        const tip =
          cell.state === 'flag'
            ? t('preferences.offBecause', { reason: cell.reason })
            : cell.state === 'covered'
              ? t(`preferences.covered.${cell.by}`)
              : t('preferences.allowed');
        return (
          <Tooltip title={tip}>
            <Switch
              size="small"
              checked={cell.state === 'on'}
              disabled={cell.state === 'covered'}
              onChange={(checked) => toggle(row.purpose, channel, checked)}
              aria-label={label(row.purpose, channel)}
              data-testid={`pref-${row.purpose}-${channel}`}
              data-state={cell.state}
            />
          </Tooltip>
        );
      },
    })),
  ];

  return (
    <Card title={t('preferences.title')} data-testid="preferences-card" extra={<Typography.Text type="secondary">{t('preferences.legend')}</Typography.Text>}>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {opt.optedOut && (
          <Alert
            type="warning"
            showIcon
            icon={<StopOutlined />}
            data-testid="pref-sms-optout"
            title={
              opt.source === 'sms_reply'
                ? t('preferences.optOut.byReply', { text: opt.replyText ?? 'TD', at: opt.at?.slice(0, 10) ?? '' })
                : t('preferences.optOut.other', { at: opt.at?.slice(0, 10) ?? '' })
            }
            action={
              <Tooltip title={canLift ? '' : t('preferences.optOut.needsSupervisor')}>
                <Button
                  size="small"
                  disabled={!canLift}
                  data-testid="pref-sms-optout-lift"
                  onClick={() =>
                    setRequest({
                      title: t('preferences.optOut.liftTitle'),
                      description: t('preferences.optOut.liftHint'),
                      submit: async (reason) => apply(await call('preferences.clearSmsOptOut', { customerId, reason })),
                    })
                  }
                >
                  {t('preferences.optOut.lift')}
                </Button>
              </Tooltip>
            }
          />
        )}
        <Table
          size="small"
          rowKey="purpose"
          pagination={false}
          columns={gridColumns}
          dataSource={PURPOSES.map((purpose) => ({ purpose }))}
          data-testid="pref-grid"
        />
        <History customerId={customerId} rows={data.history} />
      </Space>
      <ReasonModal request={request} onClose={() => setRequest(null)} />
    </Card>
  );
}

function History({ customerId, rows }: { customerId: string; rows: PreferenceHistoryDto[] }) {
  const { t } = useTranslation();
  const canExport = canAccess('preferences.exportHistory', useRole());
  const exportLang = useExportLang();
  const excel = useExcelExport();
  const what = (h: PreferenceHistoryDto) => {
    if (h.kind === 'sold') return t(h.action === 'set' ? 'preferences.history.sold' : 'preferences.history.unsold', { plate: h.plate ?? t('common.none') });
    if (h.kind === 'sms_opt_out') return t(h.action === 'set' ? 'preferences.history.optedOut' : 'preferences.history.optOutLifted');
    const target = `${t(`preferences.purpose.${h.purpose}`)} · ${t(`preferences.channel.${h.channel}`)}`;
    return t(h.action === 'set' ? 'preferences.history.off' : 'preferences.history.on', { what: target });
  };
  const columns: TableColumnsType<PreferenceHistoryDto> = [
    { title: t('preferences.history.at'), dataIndex: 'at', width: 150, render: (at: string) => formatDateTime(at) },
    {
      title: t('preferences.history.change'),
      key: 'change',
      render: (_, h) => <Tag color={h.action === 'set' ? 'red' : 'green'}>{what(h)}</Tag>,
    },
    { title: t('preferences.history.reason'), dataIndex: 'reason' },
    { title: t('preferences.history.by'), dataIndex: 'staffName', width: 100, render: (name: string | null, h) => name ?? (h.kind === 'sms_opt_out' ? t('preferences.history.customer') : t('common.none')) },
  ];
  return (
    <div>
      <Flex justify="space-between" align="center" gap="small" style={{ marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('preferences.history.title')}
        </Typography.Title>
        {canExport && (
          <ExportExcelButton
            size="small"
            exporting={excel.exporting}
            disabled={rows.length === 0}
            onClick={() => void excel.run(() => call('preferences.exportHistory', { customerId, lang: exportLang }))}
            testId="pref-history-export"
          />
        )}
      </Flex>
      <ExportCutAlert rows={excel.cutAt} onClose={excel.dismiss} testId="pref-history-export-truncated" />
      <Table<PreferenceHistoryDto>
        size="small"
        rowKey={(h) => `${h.at}-${h.kind}-${h.action}-${h.purpose}-${h.channel}-${h.vehicleId ?? ''}`}
        columns={columns}
        dataSource={rows}
        pagination={{ pageSize: 5, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: t('preferences.history.empty') }}
        data-testid="pref-history"
        onRow={(h) => ({ 'data-testid': 'pref-history-row', title: h.reason })}
      />
    </div>
  );
}
