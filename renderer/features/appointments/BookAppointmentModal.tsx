/**
 * Booking (or moving) a customer's visit: vehicle, service type, a date (past, far-off and closed days
 * disabled) and one of that day's slots — each shows its free places; full and already-begun slots are
 * disabled — then advisor and note. The host's refusals land on their fields (slot just filled by another
 * seat, car already booked that day …) and the slot list refreshes. Ctrl+Enter books.
 * Used from Customer 360, a reminder task (linking the booking to the task) and the no-show list.
 */
import { CalendarOutlined } from '@ant-design/icons';
import { Alert, App, AutoComplete, Button, DatePicker, Form, Input, Modal, Radio, Select, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppointmentDto, DayAvailabilityDto, ServiceType, SlotAvailabilityDto } from '../../../preload/channels/appointments';
import type { RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { applyIssues, errorBody, errorText } from '../../app/errors';
import { useModelLabel } from '../customers/modelLabel';
import { dealerNow } from './clock';
import { useServiceOptions } from './labels';

export interface BookAppointmentProps {
  customerId: string;
  vehicleId?: string | null;
  /** The reminder task the booking comes from; the appointment is linked to it. */
  taskId?: string | null;
  serviceType?: ServiceType;
  onBooked?: (appointment: AppointmentDto) => void;
}

interface Values {
  vehicleId?: string;
  serviceType?: ServiceType;
  date?: Dayjs;
  startTime?: string;
  advisor?: string;
  note?: string;
}

const FIELDS = ['vehicleId', 'serviceType', 'date', 'startTime', 'advisor', 'note'] as const;
const ISO = 'YYYY-MM-DD';
/** How far ahead the host accepts bookings. */
const MAX_DAYS_AHEAD = 180;

/** A slot can be chosen when it has a free place and has not begun (today, on the dealer's clock like `today`). */
function selectable(slot: SlotAvailabilityDto, date: string, today: string): boolean {
  if (slot.remaining <= 0) return false;
  return date > today || (date === today && slot.startTime > dealerNow().format('HH:mm'));
}

export function BookAppointmentModal(props: BookAppointmentProps & { open: boolean; onClose: () => void; reschedule?: AppointmentDto }) {
  const { open, customerId, reschedule } = props;
  const { t } = useTranslation();
  const { message } = App.useApp();
  const modelLabel = useModelLabel();
  const serviceOptions = useServiceOptions();
  const [form] = Form.useForm<Values>();
  const [customer, setCustomer] = useState<RequestOutput<'customers.get'> | null>(null);
  const [days, setDays] = useState<Record<string, DayAvailabilityDto>>({});
  const [today, setToday] = useState(() => dealerNow().format(ISO));
  const [advisors, setAdvisors] = useState<string[]>([]);
  const [upcoming, setUpcoming] = useState<AppointmentDto[]>([]);
  const [loading, setLoading] = useState(false);
  const [saving, setSaving] = useState(false);
  const date = Form.useWatch('date', form);
  const dateKey = date ? date.format(ISO) : null;
  const day = dateKey ? days[dateKey] : undefined;

  const loadRange = useCallback(async (from: string, to: string) => {
    const r = await call('appointments.availability', { from, to });
    setToday(r.today);
    setDays((prev) => ({ ...prev, ...Object.fromEntries(r.days.map((d) => [d.date, d])) }));
    return r;
  }, []);

  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    setLoading(true);
    form.resetFields();
    setDays({});
    (async () => {
      const now = dealerNow();
      const from = now.format(ISO);
      const [range, who, names, booked] = await Promise.all([
        loadRange(from, now.add(61, 'day').format(ISO)),
        reschedule ? Promise.resolve(null) : call('customers.get', { id: customerId }),
        call('appointments.advisors', {}),
        call('appointments.list', { customerId, status: 'booked', from, to: now.add(MAX_DAYS_AHEAD, 'day').format(ISO), limit: 20 }),
      ]);
      if (cancelled) return;
      setCustomer(who);
      setAdvisors(names);
      setUpcoming(booked.items.filter((a) => a.id !== reschedule?.id));
      const first = range.days.find((d) => d.slots.some((s) => selectable(s, d.date, range.today)));
      const vehicles = who?.vehicles ?? [];
      form.setFieldsValue({
        vehicleId: props.vehicleId ?? (vehicles.length === 1 ? vehicles[0]?.id : undefined),
        serviceType: reschedule ? undefined : (props.serviceType ?? 'maintenance'),
        date: first ? dayjs(first.date) : undefined,
      });
    })()
      .catch((error: unknown) => message.error(errorText(error)))
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
    // Loaded once per opening; later prop changes must not wipe what is being chosen.
  }, [open]);

  // A date beyond what is loaded (the calendar goes up to 180 days): fetch its month.
  useEffect(() => {
    if (!open || !dateKey || days[dateKey]) return;
    loadRange(dateKey, dayjs(dateKey).add(30, 'day').format(ISO)).catch((error: unknown) => message.error(errorText(error)));
  }, [open, dateKey, days, loadRange, message]);

  // The chosen slot must belong to the chosen day and still be free.
  useEffect(() => {
    const chosen = form.getFieldValue('startTime') as string | undefined;
    if (!day || !chosen) return;
    const slot = day.slots.find((s) => s.startTime === chosen);
    if (!slot || !selectable(slot, day.date, today)) form.setFieldValue('startTime', undefined);
  }, [day, today, form]);

  async function submit() {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (!v.date || !v.startTime) return;
    const when = { date: v.date.format(ISO), startTime: v.startTime };
    setSaving(true);
    try {
      const done = reschedule
        ? await call('appointments.reschedule', { id: reschedule.id, ...when })
        : await call('appointments.book', {
            customerId,
            vehicleId: v.vehicleId ?? '',
            serviceType: v.serviceType ?? 'maintenance',
            advisor: v.advisor?.trim() || null,
            note: v.note?.trim() || null,
            taskId: props.taskId ?? null,
            ...when,
          });
      message.success(t(reschedule ? 'appointments.book.rescheduled' : 'appointments.book.booked', { date: done.date, time: done.startTime }));
      props.onBooked?.(done);
      props.onClose();
    } catch (error) {
      const body = errorBody(error);
      // Someone else may have just taken the last place: show the day as it is now.
      if (body.code === 'CONFLICT' || body.code === 'DUPLICATE') void loadRange(when.date, when.date).catch(() => undefined);
      if (!applyIssues(form, body, FIELDS)) message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    }
  }

  const name = reschedule?.customerName ?? customer?.customer.name ?? '';
  const vehicles = customer?.vehicles ?? [];
  const lastDay = dayjs(today).add(MAX_DAYS_AHEAD, 'day');

  return (
    <Modal
      open={open}
      title={t(reschedule ? 'appointments.book.rescheduleTitle' : 'appointments.book.title', { name })}
      onCancel={props.onClose}
      destroyOnHidden
      width={640}
      okText={t(reschedule ? 'appointments.book.okReschedule' : 'appointments.book.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: saving, disabled: loading }}
      onOk={() => void submit()}
    >
      <div onKeyDown={onKeyDown} data-testid="book-modal">
        <Spin spinning={loading}>
          {props.taskId && !reschedule && <Alert style={{ marginBottom: 12 }} type="info" showIcon title={t('appointments.book.fromTask')} />}
          {upcoming.length > 0 && (
            <Alert
              style={{ marginBottom: 12 }}
              type="warning"
              showIcon
              data-testid="book-upcoming"
              title={
                <Space wrap size={4}>
                  {t('appointments.book.upcoming')}
                  {upcoming.map((a) => (
                    <Tag key={a.id}>
                      {a.date} {a.startTime} {a.plate ?? ''}
                    </Tag>
                  ))}
                </Space>
              }
            />
          )}
          <Form form={form} layout="vertical" requiredMark={false} onValuesChange={(changed: Partial<Values>) => form.setFields(FIELDS.filter((f) => f in changed).map((f) => ({ name: f, errors: [] })))}>
            {reschedule ? (
              <Typography.Paragraph>
                {[reschedule.plate, reschedule.model && modelLabel(reschedule.model)].filter(Boolean).join(' ')} · {reschedule.date} {reschedule.startTime}
              </Typography.Paragraph>
            ) : (
              <Space size="middle" style={{ display: 'flex' }} align="start">
                <Form.Item name="vehicleId" label={t('appointments.book.vehicle')} rules={[{ required: true, message: t('appointments.book.vehicleRequired') }]} style={{ minWidth: 260 }}>
                  <Select
                    data-testid="book-vehicle"
                    options={vehicles.map((v) => ({ value: v.id, label: [v.plate ?? v.vin, modelLabel(v.model)].join(' · ') }))}
                  />
                </Form.Item>
                <Form.Item name="serviceType" label={t('appointments.book.service')} rules={[{ required: true }]} style={{ minWidth: 160 }}>
                  <Select options={serviceOptions} />
                </Form.Item>
              </Space>
            )}
            <Form.Item name="date" label={t('appointments.book.date')} rules={[{ required: true, message: t('appointments.book.dateRequired') }]}>
              <DatePicker
                data-testid="book-date"
                allowClear={false}
                disabledDate={(d) => {
                  const key = d.format(ISO);
                  return key < today || d.isAfter(lastDay, 'day') || days[key]?.closed === true;
                }}
              />
            </Form.Item>
            <Form.Item name="startTime" label={t('appointments.book.slot')} rules={[{ required: true, message: t('appointments.book.slotRequired') }]}>
              {day?.closed ? (
                <Typography.Text type="warning">{t('appointments.book.closed')}</Typography.Text>
              ) : (
                <SlotChoice day={day} today={today} />
              )}
            </Form.Item>
            {!reschedule && (
              <Space size="middle" style={{ display: 'flex' }} align="start">
                <Form.Item name="advisor" label={t('appointments.book.advisor')} style={{ minWidth: 200 }}>
                  <AutoComplete
                    placeholder={t('appointments.book.advisorHint')}
                    options={advisors.map((a) => ({ value: a }))}
                    filterOption={(input, option) => (option?.value ?? '').includes(input)}
                  />
                </Form.Item>
                <Form.Item name="note" label={t('appointments.book.note')} style={{ flex: 1, minWidth: 280 }}>
                  <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} maxLength={500} />
                </Form.Item>
              </Space>
            )}
          </Form>
        </Spin>
      </div>
    </Modal>
  );
}

/** The day's slots as buttons; the form item passes value/onChange. */
function SlotChoice(props: { day: DayAvailabilityDto | undefined; today: string; value?: string; onChange?: (value: string) => void }) {
  const { t } = useTranslation();
  const { day } = props;
  if (!day) return <Spin size="small" />;
  return (
    <Radio.Group value={props.value} onChange={(e) => props.onChange?.(String(e.target.value))} optionType="button" data-testid="book-slots">
      {day.slots.map((s) => {
        const free = selectable(s, day.date, props.today);
        const state = s.remaining <= 0 ? t('appointments.book.full') : free ? t('appointments.book.left', { count: s.remaining }) : t('appointments.book.past');
        return (
          <Radio.Button key={s.startTime} value={s.startTime} disabled={!free} data-testid="slot-option" data-start={s.startTime} data-remaining={s.remaining} style={{ marginBottom: 6 }}>
            {t('appointments.book.slotLabel', { start: s.startTime, end: s.endTime })} · {state}
          </Radio.Button>
        );
      })}
    </Radio.Group>
  );
}

/** The 预约 button with its dialog (Alt+Y), for Customer 360 and the task panel. */
export function BookAppointmentButton(props: BookAppointmentProps & { size?: 'small' | 'middle'; type?: 'primary' | 'default' }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Tooltip title={t('appointments.book.buttonHint')}>
        <Button icon={<CalendarOutlined />} size={props.size} type={props.type} accessKey="y" onClick={() => setOpen(true)} data-testid="book-appointment">
          {t('appointments.book.button')}
        </Button>
      </Tooltip>
      {open && <BookAppointmentModal {...props} open={open} onClose={() => setOpen(false)} />}
    </>
  );
}
