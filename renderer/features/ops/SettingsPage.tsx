import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { BackupsTab } from './BackupsTab';
import { ConfigForm } from './ConfigForm';
import { DealerProfileForm } from './DealerProfileForm';

/** 系统设置 for administrators: the seat configuration file, the dealer's own profile and the backups of its data. */
export function SettingsPage({ tab }: { tab: string | undefined }) {
  const { t } = useTranslation();
  return (
    <Card title={t('settings.title')}>
      <Tabs
        defaultActiveKey={tab === 'backups' || tab === 'dealer' ? tab : 'config'}
        destroyOnHidden
        items={[
          { key: 'config', label: t('settings.tabs.config'), children: <ConfigForm /> },
          { key: 'dealer', label: t('settings.tabs.dealer'), children: <DealerProfileForm /> },
          { key: 'backups', label: t('settings.tabs.backups'), children: <BackupsTab /> },
        ]}
      />
    </Card>
  );
}
