/** Columns of an appointment table (day view, list), with the row actions. */
import { Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AppointmentDto } from '../../../preload/channels/appointments';
import { useLanguage } from '../../app/language';
import { paths } from '../../app/router';
import { useModelLabel } from '../customers/modelLabel';
import { AppointmentActions } from './AppointmentActions';
import { slotText, StatusTag, useServiceLabel } from './labels';

export function useAppointmentColumns(opts: { today: string; onChanged: () => void; showDate: boolean; actions?: boolean }): TableColumnsType<AppointmentDto> {
  const { t } = useTranslation();
  const lang = useLanguage((s) => s.lang);
  const modelLabel = useModelLabel();
  const serviceLabel = useServiceLabel();
  const none = t('common.none');
  return [
    ...(opts.showDate ? [{ title: t('appointments.col.date'), dataIndex: 'date', width: 110 }] : []),
    { title: t('appointments.col.time'), key: 'time', width: 110, render: (_: unknown, a: AppointmentDto) => slotText(a) },
    {
      title: t('appointments.col.customer'),
      key: 'customer',
      width: 110,
      render: (_: unknown, a: AppointmentDto) => <a href={paths.customer(a.customerId)}>{a.customerName}</a>,
    },
    { title: t('appointments.col.mobile'), dataIndex: 'mobile', width: 120, render: (v: string | null) => v ?? none },
    {
      title: t('appointments.col.vehicle'),
      key: 'vehicle',
      width: 150,
      render: (_: unknown, a: AppointmentDto) => [a.plate, a.model && modelLabel(a.model)].filter(Boolean).join(' ') || none,
    },
    { title: t('appointments.col.service'), dataIndex: 'serviceType', width: 100, render: (v: string) => serviceLabel(v) },
    { title: t('appointments.col.advisor'), dataIndex: 'advisor', width: 90, render: (v: string | null) => v ?? none },
    { title: t('appointments.col.status'), dataIndex: 'status', width: 80, render: (v: AppointmentDto['status']) => <StatusTag status={v} /> },
    {
      title: t('appointments.col.source'),
      key: 'source',
      width: 120,
      render: (_: unknown, a: AppointmentDto) => (lang === 'zh-CN' ? a.campaignNameZh : a.campaignNameEn) ?? none,
    },
    { title: t('appointments.col.bookedBy'), dataIndex: 'bookedByName', width: 90, render: (v: string | null) => v ?? none },
    {
      title: t('appointments.col.note'),
      key: 'note',
      width: 200,
      render: (_: unknown, a: AppointmentDto) => (
        <Typography.Text type={a.status === 'cancelled' ? 'secondary' : undefined} ellipsis={{ tooltip: true }} style={{ maxWidth: 200 }}>
          {[a.note, a.cancelReason].filter(Boolean).join(' · ') || none}
        </Typography.Text>
      ),
    },
    ...(opts.actions === false
      ? []
      : [
          {
            title: t('appointments.col.actions'),
            key: 'actions',
            fixed: 'right' as const,
            width: 200,
            render: (_: unknown, a: AppointmentDto) => <AppointmentActions appointment={a} today={opts.today} onChanged={opts.onChanged} />,
          },
        ]),
  ];
}
