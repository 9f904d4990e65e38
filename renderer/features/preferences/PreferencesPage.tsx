/** `#/preferences/<customer id>`: the preferences card on its own, e.g. linked from a 退订 reply. */
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { idSchema } from '../../../preload/contract';
import { paths } from '../../app/router';
import { PreferencesCard } from './PreferencesCard';

export function PreferencesPage({ customerId }: { customerId: string | undefined }) {
  const { t } = useTranslation();
  if (!customerId || !idSchema.safeParse(customerId).success) return <Alert type="info" showIcon title={t('preferences.pageHint')} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 900 }}>
      <a href={paths.customer(customerId)}>
        <ArrowLeftOutlined /> {t('preferences.backToCustomer')}
      </a>
      <PreferencesCard customerId={customerId} />
    </Space>
  );
}
