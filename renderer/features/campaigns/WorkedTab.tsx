/** Tasks the signed-in agent worked today: done ones, and open ones with the outcome noted (no answer, busy …). */
import { App, Space, Table } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CampaignTaskDto } from '../../../preload/channels/campaigns';
import { call } from '../../api';
import { errorText } from '../../app/errors';
import { useLanguage } from '../../app/language';
import { taskColumns } from './columns';
import { ExportTasksButton } from './ExportTasksButton';
import { useCampaignLists } from './store';

export function WorkedTab(props: { version: number }) {
  const { t } = useTranslation();
  const lang = useLanguage((s) => s.lang);
  const { message } = App.useApp();
  const dispositions = useCampaignLists((s) => s.dispositions);
  const [items, setItems] = useState<CampaignTaskDto[]>([]);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    setLoading(true);
    call('campaigns.worked', { limit: 500 })
      .then((r) => setItems(r.items))
      .catch((error: unknown) => message.error(errorText(error)))
      .finally(() => setLoading(false));
  }, [props.version, message]);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <ExportTasksButton list="worked" />
      <Table<CampaignTaskDto>
        virtual
        size="middle"
        rowKey="taskId"
        columns={taskColumns(t, lang, { worked: true, dispositions })}
        dataSource={items}
        loading={loading}
        pagination={false}
        scroll={{ x: 1100, y: 520 }}
        onRow={(task) => ({ id: `worked-${task.taskId}`, 'data-testid': 'worked-row', 'data-task': task.taskId, 'data-status': task.status })}
        locale={{ emptyText: t('campaigns.emptyWorked') }}
      />
    </Space>
  );
}
