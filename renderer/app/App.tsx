import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { onConnectionState } from '../api';
import { ConnectionBanner } from './ConnectionBanner';
import { useLanguage } from './language';
import { LoginPage } from './LoginPage';
import { Shell } from './Shell';
import { useSession } from './session';

export function App() {
  const lang = useLanguage((s) => s.lang);
  return (
    <ConfigProvider locale={lang === 'zh-CN' ? zhCN : enUS} theme={{ token: { colorPrimary: '#1677ff' } }}>
      <AntApp style={{ height: '100%' }}>
        <ConnectionBanner />
        <Root />
      </AntApp>
    </ConfigProvider>
  );
}

function Root() {
  const { t } = useTranslation();
  const status = useSession((s) => s.status);
  const start = useSession((s) => s.start);
  useEffect(() => {
    void start();
  }, [start]);
  // Started while the host was unreachable: once it answers, fetch what the sign-in page needs.
  useEffect(
    () =>
      onConnectionState((state) => {
        const { status: now, info } = useSession.getState();
        if (state === 'open' && now === 'signedOut' && !info) void start();
      }),
    [start],
  );

  if (status === 'starting') {
    return (
      <div style={{ height: '100%', display: 'grid', placeItems: 'center' }}>
        <Spin description={t('common.loading')} />
      </div>
    );
  }
  return status === 'signedIn' ? <Shell /> : <LoginPage />;
}
