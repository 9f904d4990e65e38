import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, List, Space, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, RequestOutput } from '../../../preload/contract';
import { call, getApi } from '../../api';
import { errorBody } from '../../app/errors';
import { usePick } from '../../app/language';
import { formatDateTime } from '../customers/format';
import { StateTag } from './LiveTab';

type ServerNode = RequestOutput<'alarms.tree'>[number];
type TargetNode = ServerNode['services'][number];

function HealthTag({ node }: { node: TargetNode }) {
  const { t } = useTranslation();
  if (node.flapping) return <Tag color="purple">{t('alarms.state.flapping')}</Tag>;
  const color = node.health === 'ok' ? 'green' : node.health === 'pending' ? 'orange' : 'red';
  return <Tag color={color}>{t(`alarms.health.${node.health}`)}</Tag>;
}

/** Each server the workstation watches, its agent link, and every service the agent reported. */
export function TreeTab() {
  const { t } = useTranslation();
  const pickText = usePick();
  const [servers, setServers] = useState<ServerNode[] | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);

  const load = useCallback(async () => {
    try {
      setServers(await call('alarms.tree', {}));
      setError(null);
    } catch (e) {
      setError(errorBody(e));
    }
  }, []);

  useEffect(() => {
    void load();
    const off = getApi().on('alarms.changed', () => void load());
    const timer = window.setInterval(() => void load(), 15_000);
    return () => {
      off();
      window.clearInterval(timer);
    };
  }, [load]);

  if (error) return <Alert type="error" showIcon title={pickText(error.message)} />;
  if (!servers) return <Spin />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button icon={<ReloadOutlined />} onClick={() => void load()}>
        {t('alarms.refresh')}
      </Button>
      {servers.length === 0 && <Empty description={t('alarms.noServers')} />}
      {servers.map((s) => (
        <Card
          key={s.server ?? '(local)'}
          size="small"
          data-testid="tree-server"
          title={
            <Space>
              {s.server ?? t('alarms.local')}
              {s.agent && (
                <>
                  <Typography.Text type="secondary">{t('alarms.agentReach')}</Typography.Text>
                  <HealthTag node={s.agent} />
                </>
              )}
            </Space>
          }
        >
          <List
            size="small"
            dataSource={s.services}
            renderItem={(node) => (
              <List.Item data-testid="tree-service" data-target={node.target} data-health={node.health}>
                <Space wrap>
                  <HealthTag node={node} />
                  <Typography.Text strong>{node.name}</Typography.Text>
                  <Typography.Text type="secondary">{node.kind}</Typography.Text>
                  {node.alarm && <StateTag state={node.alarm.state} />}
                  {node.lastDetail && <Typography.Text type="secondary">{node.lastDetail}</Typography.Text>}
                  {node.lastCheckAt && (
                    <Typography.Text type="secondary">
                      {t('alarms.lastCheck')} {formatDateTime(node.lastCheckAt)}
                    </Typography.Text>
                  )}
                </Space>
              </List.Item>
            )}
          />
        </Card>
      ))}
    </Space>
  );
}
