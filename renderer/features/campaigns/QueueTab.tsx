/**
 * The agent's work queue: today's call tasks (招揽) or today's no-shows (回访), virtualized, overdue rows
 * in red. J/K or ↑/↓ move, Enter opens (and claims) the task in the side panel; "下一条" takes the next
 * free task. Other seats' claims and saves arrive as campaigns.taskChanged events and refresh the list.
 */
import { ReloadOutlined, StepForwardOutlined } from '@ant-design/icons';
import { App, Button, Segmented, Space, Table, Typography, type TableRef } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CampaignTaskDto } from '../../../preload/channels/campaigns';
import { call, getApi } from '../../api';
import { errorText } from '../../app/errors';
import { useLanguage } from '../../app/language';
import { taskColumns } from './columns';
import { ExportTasksButton } from './ExportTasksButton';
import { TaskDrawer } from './TaskDrawer';

function useListHeight(offset: number): number {
  const [height, setHeight] = useState(() => Math.max(240, window.innerHeight - offset));
  useEffect(() => {
    const onResize = () => setHeight(Math.max(240, window.innerHeight - offset));
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, [offset]);
  return height;
}

export function QueueTab(props: { active: boolean; onWorked: () => void }) {
  const { t } = useTranslation();
  const lang = useLanguage((s) => s.lang);
  const { message } = App.useApp();
  const [mode, setMode] = useState<'work' | 'followup'>('work');
  const [items, setItems] = useState<CampaignTaskDto[]>([]);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState(0);
  const [open, setOpen] = useState<CampaignTaskDto | null>(null);
  const tableRef = useRef<TableRef>(null);
  const height = useListHeight(330);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const r = await call('campaigns.queue', { mode, limit: 500 });
      setItems(r.items);
      setSelected((s) => Math.min(s, Math.max(0, r.items.length - 1)));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setLoading(false);
    }
  }, [mode, message]);

  useEffect(() => {
    void load();
  }, [load]);

  // Another seat claimed, released or finished a task: refresh a moment later (one refresh per burst).
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = getApi().on('campaigns.taskChanged', () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void load(), 400);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [load]);

  async function openTask(task: CampaignTaskDto | undefined) {
    if (!task) return;
    try {
      setOpen(await call('campaigns.claim', { taskId: task.taskId }));
    } catch (error) {
      message.error(errorText(error));
      void load();
    }
  }

  async function release(task: CampaignTaskDto | null) {
    if (!task) return;
    await call('campaigns.release', { taskId: task.taskId }).catch(() => undefined);
  }

  async function next() {
    await release(open);
    try {
      const task = await call('campaigns.next', { mode });
      if (!task) message.info(t('campaigns.task.noNext'));
      setOpen(task);
    } catch (error) {
      message.error(errorText(error));
    }
    void load();
  }

  function move(delta: number) {
    const to = Math.max(0, Math.min(items.length - 1, selected + delta));
    setSelected(to);
    tableRef.current?.scrollTo({ index: to, align: 'nearest' });
  }

  // List keys work whenever this tab shows and no task panel is open.
  useEffect(() => {
    if (!props.active || open) return;
    const onKey = (event: globalThis.KeyboardEvent) => {
      const el = event.target;
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || (el instanceof HTMLElement && el.isContentEditable)) return;
      if (event.ctrlKey || event.altKey || event.metaKey) return;
      if (event.key === 'j' || event.key === 'J' || event.key === 'ArrowDown') {
        event.preventDefault();
        move(1);
      } else if (event.key === 'k' || event.key === 'K' || event.key === 'ArrowUp') {
        event.preventDefault();
        move(-1);
      } else if (event.key === 'Enter' && !(el instanceof HTMLButtonElement)) {
        event.preventDefault();
        void openTask(items[selected]);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Space>
          <Segmented
            value={mode}
            onChange={(v) => {
              setMode(v === 'followup' ? 'followup' : 'work');
              setSelected(0);
            }}
            options={[
              { value: 'work', label: t('campaigns.mode.work') },
              { value: 'followup', label: t('campaigns.mode.followup') },
            ]}
            data-testid="queue-mode"
          />
          <Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading}>
            {t('campaigns.refresh')}
          </Button>
          <Button type="primary" icon={<StepForwardOutlined />} onClick={() => void next()} data-testid="queue-next">
            {t('campaigns.next')}
          </Button>
          <Typography.Text type="secondary" data-testid="queue-count">
            {t('campaigns.count', { count: items.length })}
          </Typography.Text>
          <ExportTasksButton list={mode} />
        </Space>
        <Typography.Text type="secondary">{t('campaigns.keys')}</Typography.Text>
      </Space>
      <Table<CampaignTaskDto>
        ref={tableRef}
        virtual
        size="middle"
        rowKey="taskId"
        columns={taskColumns(t, lang)}
        dataSource={items}
        pagination={false}
        loading={loading && items.length === 0}
        scroll={{ x: 1100, y: height }}
        onRow={(task, index) => ({
          'data-testid': 'task-row',
          'data-task': task.taskId,
          'aria-selected': index === selected,
          style: { cursor: 'pointer', ...(index === selected ? { outline: '2px solid #1677ff', outlineOffset: -2 } : {}) },
          onClick: () => {
            setSelected(index ?? 0);
            void openTask(task);
          },
        })}
        locale={{ emptyText: mode === 'followup' ? t('campaigns.emptyFollowup') : t('campaigns.empty') }}
      />
      {open && (
        <TaskDrawer
          task={open}
          mode={mode}
          onClose={() => {
            void release(open).then(load);
            setOpen(null);
          }}
          onSaved={() => {
            setOpen(null);
            props.onWorked();
            void load();
          }}
          onNext={() => void next()}
        />
      )}
    </Space>
  );
}
