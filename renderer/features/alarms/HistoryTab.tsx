import { FileExcelOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, DatePicker, Form, Input, Modal, Select, Space, Table, Timeline, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestInput, RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { errorText } from '../../app/errors';
import { downloadBase64, formatDateTime } from '../customers/format';
import { alarmColumns } from './LiveTab';
import type { AlarmDto } from './store';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Filters = NonNullable<RequestInput<'alarms.history'>['filters']>;
type Silence = RequestOutput<'alarms.silences.list'>[number];
/** An alarm with its event trail, and the silences that trail mentions (who set them, why, how long). */
type Detail = RequestOutput<'alarms.get'> & { silences: Map<string, Silence> };
type AlarmEvent = Detail['events'][number];
interface FilterValues {
  range: [Dayjs | null, Dayjs | null] | null;
  server?: string;
  text?: string;
  severity?: AlarmDto['severity'];
  state?: AlarmDto['state'];
  firedOnly?: boolean;
}

function toFilters(v: FilterValues): Filters {
  const [from, to] = v.range ?? [null, null];
  return {
    ...(from ? { from: from.startOf('day').toISOString() } : {}),
    ...(to ? { to: to.add(1, 'day').startOf('day').toISOString() } : {}),
    ...(v.server?.trim() ? { server: v.server.trim() } : {}),
    ...(v.text?.trim() ? { text: v.text.trim() } : {}),
    ...(v.severity ? { severity: v.severity } : {}),
    ...(v.state ? { state: v.state } : {}),
    ...(v.firedOnly ? { firedOnly: true } : {}),
  };
}

/** Alarm history with filters, keyset paging ("load more"), each alarm's event trail, and Excel export. */
export function HistoryTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FilterValues>();
  const [filters, setFilters] = useState<Filters>({});
  const [rows, setRows] = useState<AlarmDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [detail, setDetail] = useState<Detail | null>(null);

  const load = useCallback(
    async (f: Filters, after: string | null) => {
      setLoading(true);
      try {
        const page = await call('alarms.history', { filters: f, cursor: after, limit: 100 });
        setRows((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (error) {
        message.error(errorText(error));
      } finally {
        setLoading(false);
      }
    },
    [message],
  );

  useEffect(() => {
    void load({}, null);
  }, [load]);

  function search(values: FilterValues) {
    const f = toFilters(values);
    setFilters(f);
    void load(f, null);
  }

  async function exportExcel() {
    setExporting(true);
    try {
      const file = await call('alarms.exportHistory', { filters });
      downloadBase64(file.fileName, file.base64, XLSX);
      message.success(t('alarms.history.exported', { rows: file.rows }));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setExporting(false);
    }
  }

  async function openDetail(alarm: AlarmDto) {
    try {
      const found = await call('alarms.get', { id: alarm.id });
      const wanted = new Set(found.events.flatMap((e) => (e.silenceId ? [e.silenceId] : [])));
      const silences = new Map<string, Silence>();
      if (wanted.size > 0) {
        for (const s of await call('alarms.silences.list', { includeOver: true })) if (wanted.has(s.id)) silences.set(s.id, s);
      }
      setDetail({ ...found, silences });
    } catch (error) {
      message.error(errorText(error));
    }
  }

  function describeEvent(e: AlarmEvent, silences: Map<string, Silence>): string {
    const parts = [formatDateTime(e.at), t(`alarms.events.${e.type}`, { defaultValue: e.type })];
    if (e.actorName) parts.push(e.actorName);
    const silence = e.silenceId ? silences.get(e.silenceId) : undefined;
    if (silence) {
      parts.push(
        t('alarms.events.silenceInfo', {
          kind: t(`alarms.silences.kinds.${silence.kind}`),
          reason: silence.reason,
          by: silence.createdByName,
          from: formatDateTime(silence.startsAt),
          to: formatDateTime(silence.endsAt),
        }),
      );
      if (silence.endedAt && silence.endedAt < silence.endsAt) parts.push(t('alarms.events.silenceEndedEarly', { at: formatDateTime(silence.endedAt) }));
    } else if (e.detail) {
      parts.push(JSON.stringify(e.detail));
    }
    return parts.join(' · ');
  }

  const columns: TableColumnsType<AlarmDto> = [
    ...alarmColumns(t),
    { title: t('alarms.col.ack'), key: 'ack', render: (_, a) => (a.ack ? `${a.ack.byName}：${a.ack.comment}` : '—') },
    { title: t('alarms.col.resolvedAt'), dataIndex: 'resolvedAt', width: 140, render: (v: string | null) => (v ? formatDateTime(v) : '—') },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Form form={form} layout="inline" onFinish={search} initialValues={{ range: null }}>
        <Form.Item name="range" label={t('alarms.history.range')}>
          <DatePicker.RangePicker allowEmpty={[true, true]} />
        </Form.Item>
        <Form.Item name="server" label={t('alarms.history.server')}>
          <Input allowClear style={{ width: 120 }} data-testid="history-server" />
        </Form.Item>
        <Form.Item name="text" label={t('alarms.history.text')}>
          <Input allowClear style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="severity" label={t('alarms.history.severity')}>
          <Select allowClear style={{ width: 90 }} options={(['critical', 'warning'] as const).map((s) => ({ value: s, label: t(`alarms.severity.${s}`) }))} />
        </Form.Item>
        <Form.Item name="state" label={t('alarms.history.state')}>
          <Select
            allowClear
            style={{ width: 100 }}
            options={(['pending', 'firing', 'flapping', 'acknowledged', 'resolved'] as const).map((s) => ({ value: s, label: t(`alarms.state.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="firedOnly" valuePropName="checked">
          <Checkbox>{t('alarms.history.firedOnly')}</Checkbox>
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" data-testid="history-search">
            {t('alarms.history.search')}
          </Button>
          <Button icon={<FileExcelOutlined />} loading={exporting} onClick={() => void exportExcel()} data-testid="history-export">
            {t('alarms.history.export')}
          </Button>
        </Space>
      </Form>
      <Table<AlarmDto>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={loading}
        pagination={false}
        scroll={{ y: 480 }}
        virtual
        onRow={(a) => ({ 'data-testid': 'history-row', 'data-state': a.state, 'data-fingerprint': a.fingerprint, onClick: () => void openDetail(a), style: { cursor: 'pointer' } })}
      />
      {cursor && (
        <Button onClick={() => void load(filters, cursor)} loading={loading}>
          {t('alarms.history.more')}
        </Button>
      )}
      <Modal open={detail !== null} onCancel={() => setDetail(null)} footer={null} title={t('alarms.history.events')} width={640}>
        {detail && (
          <Timeline
            items={detail.events.map((e) => ({
              key: e.id,
              content: (
                <span data-testid="alarm-event" data-type={e.type}>
                  {describeEvent(e, detail.silences)}
                </span>
              ),
            }))}
          />
        )}
      </Modal>
    </Space>
  );
}
