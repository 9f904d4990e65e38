/**
 * 爽约跟进: customers who did not come on their booked day (no repair order that day). The agent calls
 * (dial / SMS from the row), records what the customer said, books again, or marks the visit when the
 * car did come without a repair order. Supervisors export the list (same dates and filter) to Excel.
 */
import { ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Empty, Form, Input, Modal, Space, Switch, Table, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isServiceType, type AppointmentDto } from '../../../preload/channels/appointments';
import { canAccess } from '../../../preload/contract';
import { call, getApi } from '../../api';
import { applyIssues, errorBody, errorText } from '../../app/errors';
import { ExportCutAlert, ExportExcelButton, useExcelExport, useExportLang } from '../../app/excel';
import { useRole } from '../../app/session';
import { paths } from '../../app/router';
import { formatDateTime } from '../customers/format';
import { useModelLabel } from '../customers/modelLabel';
import { CustomerPhoneBar } from '../modem';
import { BookAppointmentModal } from './BookAppointmentModal';
import { slotText, useServiceLabel } from './labels';

const ISO = 'YYYY-MM-DD';

export function NoShowTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const modelLabel = useModelLabel();
  const serviceLabel = useServiceLabel();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(30, 'day'), dayjs()]);
  const [pending, setPending] = useState(true);
  const [items, setItems] = useState<AppointmentDto[] | null>(null);
  const [today, setToday] = useState(() => dayjs().format(ISO));
  const [following, setFollowing] = useState<AppointmentDto | null>(null);
  const [rebooking, setRebooking] = useState<AppointmentDto | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ remark?: string }>();
  // Names and mobiles of a whole range: supervisors only, as the host enforces.
  const canExport = canAccess('appointments.exportNoShows', useRole());
  const exportLang = useExportLang();
  const excel = useExcelExport();
  const { dismiss } = excel;
  useEffect(() => dismiss(), [range, pending, dismiss]);

  const load = useCallback(async () => {
    try {
      const r = await call('appointments.noShows', { from: range[0].format(ISO), to: range[1].format(ISO), pending });
      setItems(r.items);
      setToday(r.today);
    } catch (error) {
      message.error(errorText(error));
    }
  }, [range, pending, message]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => getApi().on('appointments.changed', () => void load()), [load]);

  async function saveFollowUp() {
    if (!following) return;
    let v: { remark?: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      // What this seat was shown goes along: a remark another seat saved since is not overwritten.
      await call('appointments.followUp', { id: following.id, remark: v.remark ?? '', seenFollowedUpAt: following.followedUpAt });
      message.success(t('appointments.noShows.saved'));
      setFollowing(null);
      void load();
    } catch (error) {
      const body = errorBody(error);
      if (body.code === 'CONFLICT') await showNewer(following);
      if (!applyIssues(form, body, ['remark'])) message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  }

  /**
   * Another seat recorded a follow-up while this one was typing: the dialog stays open with what they
   * wrote above the field, and saving now replaces it knowingly (the host is told this seat saw it).
   */
  async function showNewer(a: AppointmentDto) {
    void load();
    try {
      const r = await call('appointments.noShows', { from: a.date, to: a.date, pending: false });
      const now = r.items.find((x) => x.id === a.id);
      if (now) setFollowing(now);
      else setFollowing(null);
    } catch {
      // The error of the save itself is what the seat needs to see.
    }
  }

  async function arrived(a: AppointmentDto) {
    try {
      await call('appointments.markArrived', { id: a.id });
      message.success(t('appointments.arrivedDone'));
      void load();
    } catch (error) {
      message.error(errorText(error));
    }
  }

  const none = t('common.none');
  const columns: TableColumnsType<AppointmentDto> = [
    { title: t('appointments.col.date'), dataIndex: 'date', width: 110 },
    { title: t('appointments.col.time'), key: 'time', width: 110, render: (_, a) => slotText(a) },
    { title: t('appointments.col.customer'), key: 'customer', width: 110, render: (_, a) => <a href={paths.customer(a.customerId)}>{a.customerName}</a> },
    {
      title: t('appointments.col.mobile'),
      key: 'mobile',
      width: 240,
      render: (_, a) => (
        <Space size={4}>
          <span>{a.mobile ?? none}</span>
          <CustomerPhoneBar customerId={a.customerId} number={a.mobile} name={a.customerName} />
        </Space>
      ),
    },
    { title: t('appointments.col.vehicle'), key: 'vehicle', width: 150, render: (_, a) => [a.plate, a.model && modelLabel(a.model)].filter(Boolean).join(' ') || none },
    { title: t('appointments.col.service'), dataIndex: 'serviceType', width: 100, render: (v: string) => serviceLabel(v) },
    {
      title: t('appointments.col.followup'),
      key: 'followup',
      width: 220,
      render: (_, a) =>
        a.followupRemark ? (
          <Typography.Text ellipsis={{ tooltip: true }} style={{ maxWidth: 220 }}>
            {a.followupRemark} {a.followedUpByName ? `（${a.followedUpByName}）` : ''}
          </Typography.Text>
        ) : (
          none
        ),
    },
    {
      title: t('appointments.col.actions'),
      key: 'actions',
      fixed: 'right',
      width: 260,
      render: (_, a) => (
        <Space size={4} wrap>
          <Button size="small" type="primary" onClick={() => setFollowing(a)} data-testid="noshow-follow">
            {t('appointments.action.followUp')}
          </Button>
          <Button size="small" onClick={() => setRebooking(a)} data-testid="noshow-rebook">
            {t('appointments.action.rebook')}
          </Button>
          <Button size="small" onClick={() => void arrived(a)}>
            {t('appointments.action.arrived')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('appointments.noShows.hint')} />
      <Space wrap>
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          disabledDate={(d) => d.format(ISO) > today}
          onChange={(r) => {
            if (r?.[0] && r[1]) setRange([r[0], r[1]]);
          }}
        />
        <Space>
          <Switch checked={pending} onChange={setPending} data-testid="noshow-pending" />
          <Typography.Text>{t('appointments.noShows.pendingOnly')}</Typography.Text>
        </Space>
        <Button icon={<ReloadOutlined />} onClick={() => void load()}>
          {t('appointments.refresh')}
        </Button>
        {canExport && (
          <ExportExcelButton
            exporting={excel.exporting}
            onClick={() => void excel.run(() => call('appointments.exportNoShows', { from: range[0].format(ISO), to: range[1].format(ISO), pending, lang: exportLang }))}
            testId="noshow-export"
          />
        )}
      </Space>
      <ExportCutAlert rows={excel.cutAt} onClose={dismiss} testId="noshow-export-truncated" text={t('appointments.noShows.exportTruncated', { rows: excel.cutAt ?? 0 })} />
      <Table
        rowKey="id"
        size="small"
        loading={items === null}
        dataSource={items ?? []}
        columns={columns}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('appointments.noShows.empty')} /> }}
        onRow={(a) => ({ id: `noshow-${a.id}`, 'data-testid': 'noshow-row', 'data-id': a.id })}
      />
      <Modal
        open={following !== null}
        title={t('appointments.noShows.followTitle', { name: following?.customerName ?? '' })}
        onCancel={() => setFollowing(null)}
        destroyOnHidden
        okText={t('common.save')}
        okButtonProps={{ loading: saving }}
        cancelText={t('common.cancel')}
        onOk={() => void saveFollowUp()}
      >
        {following?.followupRemark && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="noshow-earlier"
            title={t('appointments.noShows.earlier', {
              name: following.followedUpByName ?? t('appointments.noShows.someone'),
              at: following.followedUpAt ? formatDateTime(following.followedUpAt) : '',
              remark: following.followupRemark,
            })}
          />
        )}
        <Form form={form} layout="vertical" requiredMark={false} preserve={false}>
          <Form.Item name="remark" label={t('appointments.noShows.remark')} rules={[{ required: true, whitespace: true, message: t('appointments.noShows.remarkRequired') }]}>
            <Input.TextArea autoFocus rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
      {rebooking && (
        <BookAppointmentModal
          open
          customerId={rebooking.customerId}
          vehicleId={rebooking.vehicleId}
          serviceType={isServiceType(rebooking.serviceType) ? rebooking.serviceType : undefined}
          onClose={() => setRebooking(null)}
          onBooked={(next) => {
            // Booking again is the follow-up's outcome: the no-show leaves the list with it noted.
            const remark = t('appointments.noShows.rebooked', { date: next.date, time: next.startTime });
            call('appointments.followUp', { id: rebooking.id, remark, seenFollowedUpAt: rebooking.followedUpAt })
              .catch((error: unknown) => message.error(errorText(error)))
              .finally(() => void load());
          }}
        />
      )}
    </Space>
  );
}
