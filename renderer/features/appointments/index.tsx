/** Appointments (预约管理): menu entry, texts, the screens, and the booking dialog other features use. */
import { CalendarOutlined } from '@ant-design/icons';
import type { Feature } from '../../app/features';
import { AppointmentsPage } from './AppointmentsPage';
import { en, zh } from './texts';

export { BookAppointmentButton, BookAppointmentModal, type BookAppointmentProps } from './BookAppointmentModal';
export { serviceTypeForCampaign } from './labels';

export const appointmentsFeature: Feature = {
  key: 'appointments',
  channel: 'appointments.day',
  nav: { icon: <CalendarOutlined />, order: 25 },
  texts: { 'zh-CN': zh, en },
  render: () => <AppointmentsPage />,
};
