/** 预约管理: the day view, the list, the no-show follow-up list and (supervisors) the slot settings. */
import { Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { canAccess } from '../../../preload/contract';
import { useRole } from '../../app/session';
import { DayTab } from './DayTab';
import { ListTab } from './ListTab';
import { NoShowTab } from './NoShowTab';
import { SlotsTab } from './SlotsTab';

export function AppointmentsPage() {
  const { t } = useTranslation();
  const role = useRole();
  const [tab, setTab] = useState('day');
  return (
    <Tabs
      activeKey={tab}
      onChange={setTab}
      destroyOnHidden
      items={[
        { key: 'day', label: t('appointments.tabs.day'), children: <DayTab active={tab === 'day'} /> },
        { key: 'list', label: t('appointments.tabs.list'), children: <ListTab /> },
        { key: 'noShows', label: t('appointments.tabs.noShows'), children: <NoShowTab /> },
        ...(canAccess('appointments.slots.save', role) ? [{ key: 'slots', label: t('appointments.tabs.slots'), children: <SlotsTab /> }] : []),
      ]}
    />
  );
}
