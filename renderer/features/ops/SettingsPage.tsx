import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { BackupsTab } from './BackupsTab';
import { ConfigForm } from './ConfigForm';

/** 系统设置 for administrators: the seat configuration file and the backups of the dealer's data. */
export function SettingsPage({ tab }: { tab: string | undefined }) {
  const { t } = useTranslation();
  return (
    <Card title={t('settings.title')}>
      <Tabs
        defaultActiveKey={tab === 'backups' ? 'backups' : 'config'}
        destroyOnHidden
        items={[
          { key: 'config', label: t('settings.tabs.config'), children: <ConfigForm /> },
          { key: 'backups', label: t('settings.tabs.backups'), children: <BackupsTab /> },
        ]}
      />
    </Card>
  );
}
