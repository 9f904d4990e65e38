/**
 * 日视图: one day's slots with capacity, booked and remaining, and the day's bookings with their actions.
 * ← and → (or the buttons) change the day; bookings made or changed on any seat refresh it. Supervisors
 * export the day (its bookings as shown, and its slots) to Excel.
 */
import { LeftOutlined, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, DatePicker, Empty, Progress, Row, Space, Switch, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { canAccess, type RequestOutput } from '../../../preload/contract';
import { call, getApi } from '../../api';
import { errorText } from '../../app/errors';
import { ExportCutAlert, ExportExcelButton, useExcelExport, useExportLang } from '../../app/excel';
import { isTypingIn } from '../../app/keyboard';
import { useRole } from '../../app/session';
import { useAppointmentsView } from './store';
import { useAppointmentColumns } from './columns';

type DayView = RequestOutput<'appointments.day'>;

/** ← and → belong to a field being typed in and to whatever overlay has the focus, not to the day. */
function keyIsElsewhere(target: EventTarget | null): boolean {
  return isTypingIn(target) || (target instanceof HTMLElement && target.closest('.ant-modal, .ant-drawer, .ant-picker-dropdown') !== null);
}

export function DayTab(props: { active: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const date = useAppointmentsView((s) => s.date);
  const setDate = useAppointmentsView((s) => s.setDate);
  const [view, setView] = useState<DayView | null>(null);
  const [loading, setLoading] = useState(false);
  const [showCancelled, setShowCancelled] = useState(false);
  // The file carries the day's names and mobiles: supervisors only, as the host enforces.
  const canExport = canAccess('appointments.exportDay', useRole());
  const exportLang = useExportLang();
  const excel = useExcelExport();
  const { dismiss } = excel;
  useEffect(() => dismiss(), [date, showCancelled, dismiss]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setView(await call('appointments.day', { date }));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setLoading(false);
    }
  }, [date, message]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(
    () =>
      getApi().on('appointments.changed', (e) => {
        if (e.date === date) void load();
      }),
    [date, load],
  );

  const shift = useCallback((days: number) => setDate(dayjs(date).add(days, 'day').format('YYYY-MM-DD')), [date, setDate]);

  useEffect(() => {
    if (!props.active) return;
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.ctrlKey || event.altKey || event.metaKey || keyIsElsewhere(event.target)) return;
      if (document.querySelector('.ant-modal-wrap:not([style*="display: none"])')) return;
      if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
        event.preventDefault();
        shift(event.key === 'ArrowLeft' ? -1 : 1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [props.active, shift]);

  const columns = useAppointmentColumns({ today: view?.today ?? date, onChanged: () => void load(), showDate: false });
  const items = (view?.items ?? []).filter((a) => showCancelled || a.status !== 'cancelled');
  const weekday = t(`appointments.weekday.${dayjs(date).day()}`);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Button icon={<LeftOutlined />} onClick={() => shift(-1)} aria-label={t('appointments.day.prev')} data-testid="day-prev" />
        <DatePicker value={dayjs(date)} allowClear={false} onChange={(d) => d && setDate(d.format('YYYY-MM-DD'))} data-testid="day-date" />
        <Button icon={<RightOutlined />} onClick={() => shift(1)} aria-label={t('appointments.day.next')} data-testid="day-next" />
        <Typography.Text strong data-testid="day-label">
          {date} {weekday}
        </Typography.Text>
        <Button onClick={() => setDate(view?.today ?? dayjs().format('YYYY-MM-DD'))}>{t('appointments.day.today')}</Button>
        <Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading}>
          {t('appointments.refresh')}
        </Button>
        {canExport && (
          <ExportExcelButton exporting={excel.exporting} onClick={() => void excel.run(() => call('appointments.exportDay', { date, cancelled: showCancelled, lang: exportLang }))} testId="day-export" />
        )}
        <Typography.Text type="secondary">{t('appointments.day.keys')}</Typography.Text>
      </Space>
      <ExportCutAlert rows={excel.cutAt} onClose={dismiss} testId="day-export-truncated" text={t('appointments.day.exportTruncated', { rows: excel.cutAt ?? 0 })} />
      {view?.day.closed && <Alert type="info" showIcon title={view.day.slots.length ? t('appointments.day.closed') : t('appointments.day.noSlots')} />}
      {view && view.day.slots.length > 0 && (
        <Row gutter={[12, 12]} data-testid="day-slots">
          {view.day.slots.map((s) => (
            <Col key={s.startTime} xs={12} md={8} xl={4}>
              <Card size="small" data-testid="day-slot" data-start={s.startTime} data-remaining={s.remaining} data-booked={s.booked} data-capacity={s.capacity}>
                <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                  <Typography.Text strong>
                    {s.startTime}–{s.endTime}
                  </Typography.Text>
                  <Progress percent={s.capacity ? Math.round((s.booked / s.capacity) * 100) : 100} showInfo={false} size="small" status={s.remaining === 0 ? 'exception' : 'normal'} />
                  <Space size={4} wrap>
                    <Typography.Text type="secondary">{t('appointments.day.capacity', { capacity: s.capacity })}</Typography.Text>
                    <Typography.Text type="secondary">{t('appointments.day.booked', { booked: s.booked })}</Typography.Text>
                    {s.remaining === 0 ? (
                      <Tag color="red">{t('appointments.day.full')}</Tag>
                    ) : (
                      <Tag color="green" data-testid="slot-remaining">
                        {t('appointments.day.remaining', { remaining: s.remaining })}
                      </Tag>
                    )}
                  </Space>
                </Space>
              </Card>
            </Col>
          ))}
        </Row>
      )}
      <Card
        size="small"
        title={t('appointments.day.total', { count: (view?.items ?? []).filter((a) => a.status !== 'cancelled').length })}
        extra={
          <Space>
            <Typography.Text>{t('appointments.day.showCancelled')}</Typography.Text>
            <Switch size="small" checked={showCancelled} onChange={setShowCancelled} data-testid="day-show-cancelled" />
          </Space>
        }
      >
        <Table
          rowKey="id"
          size="small"
          loading={loading && !view}
          dataSource={items}
          columns={columns}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('appointments.day.empty')} /> }}
          onRow={(a) => ({ id: `appt-${a.id}`, 'data-testid': 'day-row', 'data-id': a.id, 'data-status': a.status })}
        />
      </Card>
    </Space>
  );
}
