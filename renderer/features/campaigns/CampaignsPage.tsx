/** 招揽任务: the agent's queue and today's worked tasks; supervisors also generate, assign and read the report. */
import { App, Tabs } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { canAccess } from '../../../preload/contract';
import { errorText } from '../../app/errors';
import { useRole } from '../../app/session';
import { LettersTab } from './LettersTab';
import { QueueTab } from './QueueTab';
import { ReportTab } from './ReportTab';
import { useCampaignLists } from './store';
import { SettingsTab } from './SettingsTab';
import { SuperviseTab } from './SuperviseTab';
import { WorkedTab } from './WorkedTab';

export function CampaignsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const role = useRole();
  const loadLists = useCampaignLists((s) => s.load);
  const [tab, setTab] = useState('queue');
  const [version, setVersion] = useState(0);
  const supervisor = canAccess('campaigns.generate', role);

  useEffect(() => {
    loadLists().catch((error: unknown) => message.error(errorText(error)));
  }, [loadLists, message]);

  return (
    <Tabs
      activeKey={tab}
      onChange={(key) => {
        setTab(key);
        setVersion((v) => v + 1);
      }}
      destroyOnHidden
      items={[
        { key: 'queue', label: t('campaigns.tabs.queue'), children: <QueueTab active={tab === 'queue'} onWorked={() => setVersion((v) => v + 1)} /> },
        { key: 'worked', label: t('campaigns.tabs.worked'), children: <WorkedTab version={version} /> },
        ...(supervisor
          ? [
              { key: 'supervise', label: t('campaigns.tabs.supervise'), children: <SuperviseTab /> },
              ...(canAccess('letters.batch', role) ? [{ key: 'letters', label: t('campaigns.letters.tab'), children: <LettersTab /> }] : []),
              { key: 'report', label: t('campaigns.tabs.report'), children: <ReportTab version={version} /> },
              { key: 'settings', label: t('campaigns.tabs.settings'), children: <SettingsTab /> },
            ]
          : []),
      ]}
    />
  );
}
