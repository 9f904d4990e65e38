import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { canAccess } from '../../../preload/contract';
import { navigate } from '../../app/router';
import { useRole } from '../../app/session';
import { AgentsTab } from './AgentsTab';
import { HistoryTab } from './HistoryTab';
import { LiveTab } from './LiveTab';
import { SilencesTab } from './SilencesTab';
import { TreeTab } from './TreeTab';

const TABS = ['live', 'tree', 'silences', 'history', 'agents'] as const;
type TabKey = (typeof TABS)[number];

function isTab(key: string | undefined): key is TabKey {
  return TABS.some((k) => k === key);
}

/** The supervisor's alarm console (告警监控): #/alarms/<tab>. The agents tab is for administrators. */
export function ConsolePage({ tab }: { tab: string | undefined }) {
  const { t } = useTranslation();
  const role = useRole();
  const admin = canAccess('alarms.agents.list', role);
  const active: TabKey = isTab(tab) && (tab !== 'agents' || admin) ? tab : 'live';
  const render: Record<TabKey, () => React.ReactNode> = {
    live: () => <LiveTab />,
    tree: () => <TreeTab />,
    silences: () => <SilencesTab />,
    history: () => <HistoryTab />,
    agents: () => <AgentsTab />,
  };
  return (
    <Card title={t('alarms.title')}>
      <Tabs
        activeKey={active}
        onChange={(key) => navigate(`#/alarms/${key}`)}
        destroyOnHidden
        items={TABS.filter((k) => k !== 'agents' || admin).map((k) => ({
          key: k,
          label: <span data-testid={`alarms-tab-${k}`}>{t(`alarms.tabs.${k}`)}</span>,
          children: render[k](),
        }))}
      />
    </Card>
  );
}
