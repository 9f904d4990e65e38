import { Alert, Select, Space, Tabs, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { canAccess } from '../../../preload/contract';
import { usePick } from '../../app/language';
import { navigate } from '../../app/router';
import { useRole } from '../../app/session';
import { DiffTab } from './DiffTab';
import { ImportTab } from './ImportTab';
import { ConflictsTab, QuarantineTab } from './ReviewTabs';
import { SourcesTab } from './SourcesTab';
import { useDms } from './store';
import { SyncTab } from './SyncTab';

const TABS = ['sync', 'sources', 'import', 'diff', 'conflicts', 'quarantine'] as const;
type Tab = (typeof TABS)[number];

/** Source picker shared by the tabs that work on one source. */
export function SourcePicker({ kind }: { kind?: 'rest' | 'file' }) {
  const { t } = useTranslation();
  const { sources, sourceId, select } = useDms();
  const options = sources.filter((s) => !kind || s.kind === kind).map((s) => ({ value: s.id, label: `${s.name}（${t(`dms.kind.${s.kind}`)}）` }));
  const value = options.some((o) => o.value === sourceId) ? sourceId : null;
  return (
    <Space>
      <Typography.Text>{t('dms.source')}</Typography.Text>
      <Select
        style={{ minWidth: 260 }}
        value={value}
        options={options}
        placeholder={t('dms.pickSource')}
        onChange={(id: string) => select(id)}
        aria-label={t('dms.source')}
        data-testid="dms-source-picker"
        notFoundContent={t('dms.noSources')}
      />
    </Space>
  );
}

export function DmsPage({ tab }: { tab: string | undefined }) {
  const { t } = useTranslation();
  const pickText = usePick();
  const role = useRole();
  const { load, subscribe, error } = useDms();
  const active: Tab = TABS.find((x) => x === tab) ?? 'sync';

  useEffect(() => {
    void load();
    return subscribe();
  }, [load, subscribe]);

  const render: Record<Tab, () => React.ReactNode> = {
    sync: () => <SyncTab />,
    sources: () => <SourcesTab editable={canAccess('dms.sources.save', role)} />,
    import: () => <ImportTab />,
    diff: () => <DiffTab />,
    conflicts: () => <ConflictsTab />,
    quarantine: () => <QuarantineTab />,
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('dms.title')}
      </Typography.Title>
      {error && <Alert type="error" showIcon title={pickText(error.message)} />}
      <Tabs
        activeKey={active}
        onChange={(key) => navigate(`#/dms/${key}`)}
        destroyOnHidden
        items={TABS.map((key) => ({ key, label: t(`dms.tabs.${key}`), children: active === key ? render[key]() : null }))}
      />
    </Space>
  );
}
