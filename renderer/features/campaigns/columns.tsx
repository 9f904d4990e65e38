/** Columns of the task lists: overdue rows in red, campaign tag, due date, channel, customer, vehicle, claim. */
import { Tag, Typography, type TableColumnsType } from 'antd';
import type { TFunction } from 'i18next';
import type { CampaignTaskDto, DispositionDto } from '../../../preload/channels/campaigns';
import { MODEL_NAMES_ZH } from '../../../preload/vocabulary';
import { formatDateTime } from '../customers/format';

/** Models are stored by their English name; a Chinese desk reads 雅阁, not Accord (the call script too). */
export function modelName(model: string | null, lang: string): string | null {
  return model === null || lang !== 'zh-CN' ? model : (MODEL_NAMES_ZH[model] ?? model);
}

export function taskColumns(
  t: TFunction,
  lang: string,
  opts: { worked?: boolean; assigned?: boolean; dispositions?: DispositionDto[] } = {},
): TableColumnsType<CampaignTaskDto> {
  const label = (d: DispositionDto) => (lang === 'zh-CN' ? d.labelZh : d.labelEn);
  const cols: TableColumnsType<CampaignTaskDto> = [
    {
      title: t('campaigns.col.state'),
      key: 'state',
      width: 130,
      render: (_, r) => (
        <>
          {r.overdueDays > 0 ? <Tag color="red">{t('campaigns.overdue', { count: r.overdueDays })}</Tag> : r.status === 'open' ? <Tag>{t('campaigns.dueToday')}</Tag> : null}
          {r.inShop && <Tag color="green">{t('campaigns.inShop')}</Tag>}
          {r.callbackAt && r.status === 'open' && <Tag color="blue">{t('campaigns.callback', { at: formatDateTime(r.callbackAt) })}</Tag>}
        </>
      ),
    },
    {
      title: t('campaigns.col.campaign'),
      key: 'campaign',
      width: 130,
      // Campaigns made from a query carry the supervisor's own (possibly long) name: cut it, full on hover.
      render: (_, r) => {
        const name = lang === 'zh-CN' ? r.campaignNameZh : r.campaignNameEn;
        return (
          <Tag color="geekblue" title={name} style={{ maxWidth: '100%', overflow: 'hidden', textOverflow: 'ellipsis', verticalAlign: 'middle' }}>
            {name}
          </Tag>
        );
      },
    },
    {
      title: t('campaigns.col.dueOn'),
      dataIndex: 'dueOn',
      width: 110,
      render: (v: string, r) => (r.overdueDays > 0 ? <Typography.Text type="danger">{v}</Typography.Text> : v),
    },
    { title: t('campaigns.col.channel'), key: 'channel', width: 90, render: (_, r) => (r.stepChannel ? t(`campaigns.channel.${r.stepChannel}`) : '—') },
    {
      title: t('campaigns.col.customer'),
      key: 'customer',
      width: 150,
      render: (_, r) => (
        <span>
          <Typography.Text strong type={r.overdueDays > 0 ? 'danger' : undefined}>
            {r.customerName}
          </Typography.Text>
          {r.mobile && <Typography.Text type="secondary"> {r.mobile}</Typography.Text>}
        </span>
      ),
    },
    { title: t('campaigns.col.vehicle'), key: 'vehicle', width: 150, render: (_, r) => [r.plate, modelName(r.model, lang)].filter(Boolean).join(' · ') || '—' },
  ];
  if (opts.worked) {
    cols.push(
      { title: t('campaigns.col.status'), key: 'status', width: 90, render: (_, r) => <Tag color={r.status === 'done' ? 'green' : r.status === 'closed' ? 'default' : 'orange'}>{t(`campaigns.status.${r.status}`)}</Tag> },
      {
        title: t('campaigns.col.outcome'),
        key: 'outcome',
        width: 120,
        render: (_, r) => {
          const d = opts.dispositions?.find((x) => x.code === r.lastDisposition);
          return d ? label(d) : (r.lastDisposition ?? '—');
        },
      },
    );
  } else {
    cols.push({ title: t('campaigns.col.lastTouch'), key: 'lastTouch', width: 120, render: (_, r) => (r.lastTouchOn ? `${r.lastTouchOn} ${r.lastTouchChannel ? t(`campaigns.channel.${r.lastTouchChannel}`) : ''}` : '—') });
  }
  if (opts.assigned) {
    cols.push(
      // The consultant decides the team 按销售团队分配 gives the task to.
      { title: t('campaigns.col.salesConsultant'), dataIndex: 'salesConsultant', width: 100, render: (v: string | null) => v ?? '—' },
      { title: t('campaigns.col.assigned'), dataIndex: 'assignedName', width: 100, render: (v: string | null) => v ?? '—' },
    );
  }
  cols.push({ title: t('campaigns.col.claimedBy'), dataIndex: 'claimedByName', width: 100, render: (v: string | null) => v ?? '—' });
  return cols;
}
