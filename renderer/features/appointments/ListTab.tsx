/** 预约列表: appointments over a date range, filtered by status, paged by the host, exported to Excel. */
import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Select, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { APPOINTMENT_STATUSES, type AppointmentDto } from '../../../preload/channels/appointments';
import { canAccess } from '../../../preload/contract';
import { call } from '../../api';
import { errorText } from '../../app/errors';
import { ExportCutAlert, ExportExcelButton, useExcelExport, useExportLang } from '../../app/excel';
import { useRole } from '../../app/session';
import { useAppointmentColumns } from './columns';

type Status = AppointmentDto['status'];
const ISO = 'YYYY-MM-DD';
const PAGE = 50;

export function ListTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  // The export carries every name and mobile in the range: supervisors only, as the host enforces.
  const canExport = canAccess('appointments.export', useRole());
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(7, 'day'), dayjs().add(30, 'day')]);
  const [status, setStatus] = useState<Status | null>(null);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: AppointmentDto[]; total: number }>({ items: [], total: 0 });
  const [today, setToday] = useState(() => dayjs().format(ISO));
  const [loading, setLoading] = useState(false);
  const exportLang = useExportLang();
  // The warning of a cut export stays until the filter changes.
  const excel = useExcelExport();
  const { dismiss } = excel;
  const filter = { from: range[0].format(ISO), to: range[1].format(ISO), status };

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await call('appointments.list', { from: range[0].format(ISO), to: range[1].format(ISO), status, offset: (page - 1) * PAGE, limit: PAGE }));
      setToday(dayjs().format(ISO));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setLoading(false);
    }
  }, [range, status, page, message]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => dismiss(), [range, status, dismiss]);

  const columns = useAppointmentColumns({ today, onChanged: () => void load(), showDate: true });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <DatePicker.RangePicker
          aria-label={t('appointments.list.range')}
          value={range}
          allowClear={false}
          onChange={(r) => {
            if (r?.[0] && r[1]) {
              setRange([r[0], r[1]]);
              setPage(1);
            }
          }}
        />
        <Select<Status | 'all'>
          aria-label={t('appointments.list.status')}
          style={{ width: 140 }}
          value={status ?? 'all'}
          onChange={(v) => {
            setStatus(v === 'all' ? null : v);
            setPage(1);
          }}
          options={[{ value: 'all', label: t('appointments.list.all') }, ...APPOINTMENT_STATUSES.map((s) => ({ value: s, label: t(`appointments.status.${s}`) }))]}
          data-testid="list-status"
        />
        <Button icon={<ReloadOutlined />} onClick={() => void load()}>
          {t('appointments.refresh')}
        </Button>
        {canExport && <ExportExcelButton exporting={excel.exporting} onClick={() => void excel.run(() => call('appointments.export', { ...filter, lang: exportLang }))} testId="list-export" />}
        <Typography.Text type="secondary">{t('appointments.list.total', { count: data.total })}</Typography.Text>
      </Space>
      <ExportCutAlert rows={excel.cutAt} onClose={dismiss} testId="export-truncated" text={t('appointments.exportTruncated', { rows: excel.cutAt ?? 0 })} />
      <Table
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={data.items}
        columns={columns}
        scroll={{ x: 'max-content' }}
        pagination={{ current: page, pageSize: PAGE, total: data.total, showSizeChanger: false, onChange: setPage, hideOnSinglePage: true }}
        onRow={(a) => ({ id: `list-${a.id}`, 'data-testid': 'list-row', 'data-id': a.id, 'data-status': a.status })}
      />
    </Space>
  );
}
