import { GlobalOutlined, LogoutOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Result, Space, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { canAccess } from '../../preload/contract';
import { AlarmCenter } from '../features/alarms/AlarmCenter';
import { CustomerPage } from '../features/customers/CustomerPage';
import { SearchPage } from '../features/customers/SearchPage';
import { CallCenter } from '../features/modem';
import { StaffPage } from '../features/staff/StaffPage';
import { featureFor } from './features';
import { isTypingIn } from './keyboard';
import { useLanguage } from './language';
import { navFor } from './nav';
import { navigate, paths, useRoute, type Route } from './router';
import { useRole, useSession } from './session';
import { useUi } from './ui';

/** "/" (outside text fields) and Ctrl+K (anywhere) jump to the customer search box. */
function useSearchShortcut() {
  const requestSearchFocus = useUi((s) => s.requestSearchFocus);
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const ctrlK = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k';
      const slash = event.key === '/' && !event.ctrlKey && !event.altKey && !isTypingIn(event.target);
      if (!ctrlK && !slash) return;
      // A shortcut must not reach through an open dialog.
      if (document.querySelector('.ant-modal-wrap')) return;
      event.preventDefault();
      navigate(paths.customers);
      requestSearchFocus();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [requestSearchFocus]);
}

function Screen({ route }: { route: Route }) {
  const { t } = useTranslation();
  const role = useRole();
  switch (route.name) {
    case 'customers':
      return <SearchPage />;
    case 'customer':
      return <CustomerPage id={route.id} />;
    case 'staff':
      return canAccess('staff.list', role) ? (
        <StaffPage />
      ) : (
        <Result status="403" title="403" subTitle={t('common.forbidden')} />
      );
    case 'unknown': {
      const match = featureFor(route.path);
      if (!match) return <Result status="404" title="404" subTitle={t('common.notFound')} />;
      return canAccess(match.feature.channel, role) ? (
        match.feature.render(match.rest)
      ) : (
        <Result status="403" title="403" subTitle={t('common.forbidden')} />
      );
    }
  }
}

export function Shell() {
  const { t } = useTranslation();
  const route = useRoute();
  const session = useSession((s) => s.session);
  const logout = useSession((s) => s.logout);
  const toggleLanguage = useLanguage((s) => s.toggle);
  const role = useRole();
  useSearchShortcut();

  const items = navFor(role);
  const selected = items.find((item) => item.matches(route))?.key;

  return (
    <Layout style={{ height: '100%' }}>
      <Layout.Sider width={200} className="app-sider" breakpoint="lg" collapsedWidth={64}>
        <div className="app-brand" title={session?.dealer.name}>
          {t('common.appName')}
        </div>
        <nav aria-label={t('nav.menu')}>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={selected ? [selected] : []}
            items={items.map((item) => ({
              key: item.key,
              icon: item.icon,
              label: (
                <a href={item.href} data-testid={`nav-${item.key}`}>
                  {t(item.label)}
                </a>
              ),
            }))}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Typography.Text strong style={{ fontSize: 16 }} data-testid="dealer-name">
            {session?.dealer.name}
          </Typography.Text>
          <Space size="middle">
            <AlarmCenter />
            <span data-testid="current-user">{session?.staff.displayName}</span>
            {role && <Tag color={role === 'admin' ? 'red' : role === 'supervisor' ? 'gold' : 'blue'}>{t(`roles.${role}`)}</Tag>}
            <Button icon={<GlobalOutlined />} onClick={toggleLanguage} aria-label={t('header.languageLabel')} data-testid="lang-toggle">
              {t('header.language')}
            </Button>
            <Button icon={<LogoutOutlined />} onClick={() => void logout()} data-testid="sign-out">
              {t('header.signOut')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24, overflow: 'auto' }}>
          <main>
            <Screen route={route} />
          </main>
          <CallCenter />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
