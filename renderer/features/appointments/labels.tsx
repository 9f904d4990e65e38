/** Small shared pieces of the appointment screens: status tags, service-type names, slot times. */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { isServiceType, SERVICE_TYPE_LABELS, SERVICE_TYPES, type AppointmentDto, type ServiceType } from '../../../preload/channels/appointments';
import { useLanguage } from '../../app/language';

const STATUS_COLOR: Record<AppointmentDto['status'], string> = { booked: 'blue', arrived: 'green', no_show: 'red', cancelled: 'default' };

export function StatusTag({ status }: { status: AppointmentDto['status'] }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`appointments.status.${status}`)}</Tag>;
}

export function useServiceLabel(): (serviceType: string) => string {
  const lang = useLanguage((s) => s.lang);
  return (s) => (isServiceType(s) ? SERVICE_TYPE_LABELS[s][lang === 'zh-CN' ? 'zh' : 'en'] : s);
}

export function useServiceOptions(): Array<{ value: ServiceType; label: string }> {
  const label = useServiceLabel();
  return SERVICE_TYPES.map((value) => ({ value, label: label(value) }));
}

export const slotText = (a: Pick<AppointmentDto, 'startTime' | 'endTime'>) => (a.endTime ? `${a.startTime}–${a.endTime}` : a.startTime);

/** The service a reminder campaign is about, as the booking dialog's default. */
export function serviceTypeForCampaign(kind: string): ServiceType {
  if (kind === 'first_service' || kind === 'lapsed_first_service') return 'first_service';
  if (kind === 'inspection') return 'inspection';
  if (kind === 'insurance_compulsory' || kind === 'insurance_commercial') return 'insurance';
  return 'maintenance';
}
