/**
 * 时段设置 (supervisors): the bookable slots of each weekday and the cars each takes. Capacity 0 pauses a
 * slot; a weekday without slots is closed. Tab moves through the fields, Ctrl+S saves; the host's
 * refusals land on the field they name (e.g. an end before its start). The saved table exports to Excel.
 */
import { CopyOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { slotSchema, type SlotDto } from '../../../preload/channels/appointments';
import { call } from '../../api';
import { errorBody, errorText, schemaRule } from '../../app/errors';
import { ExportExcelButton, useExcelExport, useExportLang } from '../../app/excel';
import { pick } from '../../app/language';

interface Values {
  slots: SlotDto[];
}

const sorted = (slots: readonly SlotDto[]) => [...slots].sort((a, b) => a.weekday - b.weekday || a.startTime.localeCompare(b.startTime));
const SLOT_FIELDS = ['weekday', 'startTime', 'endTime', 'capacity'] as const satisfies ReadonlyArray<keyof SlotDto>;
/** Monday first, the way a desk reads a week. */
const WEEK = [1, 2, 3, 4, 5, 6, 0];

export function SlotsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [loading, setLoading] = useState(true);
  const [saving, setSaving] = useState(false);
  const watched = Form.useWatch('slots', form);
  const exportLang = useExportLang();
  const excel = useExcelExport();

  useEffect(() => {
    call('appointments.slots.get', {})
      .then((slots) => form.setFieldsValue({ slots: sorted(slots) }))
      .catch((error: unknown) => message.error(errorText(error)))
      .finally(() => setLoading(false));
  }, [form, message]);

  async function save() {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      const saved = await call('appointments.slots.save', { slots: v.slots ?? [] });
      form.setFieldsValue({ slots: sorted(saved) });
      message.success(t('appointments.slots.saved'));
    } catch (error) {
      const body = errorBody(error);
      const fields = (body.issues ?? []).flatMap((issue) => {
        const m = /^slots\.(\d+)\.(weekday|startTime|endTime|capacity)$/.exec(issue.path);
        const field = SLOT_FIELDS.find((f) => f === m?.[2]);
        if (!m || !field) return [];
        const name: ['slots', number, (typeof SLOT_FIELDS)[number]] = ['slots', Number(m[1]), field];
        return [{ name, errors: [pick(issue.message)] }];
      });
      if (fields.length === 0) message.error(errorText(error));
      form.setFields(fields);
    } finally {
      setSaving(false);
    }
  }

  function copyMonday() {
    const slots: SlotDto[] = form.getFieldValue('slots') ?? [];
    const monday = slots.filter((s) => s.weekday === 1);
    form.setFieldsValue({ slots: sorted([...slots.filter((s) => s.weekday < 2 || s.weekday > 5), ...[2, 3, 4, 5].flatMap((weekday) => monday.map((s) => ({ ...s, weekday })))]) });
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      void save();
    }
  }

  const weekdayOptions = WEEK.map((w) => ({ value: w, label: t(`appointments.weekday.${w}`) }));
  const rule = (field: 'startTime' | 'endTime' | 'capacity') => schemaRule((value) => slotSchema.shape[field].safeParse(value));

  return (
    <div onKeyDown={onKeyDown} data-testid="slots-settings">
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Alert type="info" showIcon title={t('appointments.slots.hint')} />
        <Form form={form} component={false} disabled={saving}>
          <Form.List name="slots">
            {(fields, { add, remove }) => (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Space wrap>
                  <Button icon={<PlusOutlined />} onClick={() => add({ weekday: 1, startTime: '', endTime: '', capacity: 4 })}>
                    {t('appointments.slots.add')}
                  </Button>
                  <Button icon={<CopyOutlined />} onClick={copyMonday}>
                    {t('appointments.slots.copyWeekdays')}
                  </Button>
                  <Button type="primary" loading={saving} onClick={() => void save()} data-testid="slots-save">
                    {t('appointments.slots.save')}
                  </Button>
                  <ExportExcelButton exporting={excel.exporting} onClick={() => void excel.run(() => call('appointments.slots.export', { lang: exportLang }))} testId="slots-export" />
                  <Typography.Text type="secondary">{t('appointments.slots.count', { count: fields.length })}</Typography.Text>
                </Space>
                <Table
                  size="small"
                  loading={loading}
                  rowKey="key"
                  dataSource={fields}
                  pagination={false}
                  scroll={{ y: 'calc(100vh - 380px)' }}
                  onRow={(field) => {
                    const s = watched?.[field.name];
                    return { id: `slot-${field.key}`, 'data-testid': 'slot-row', 'data-weekday': String(s?.weekday ?? ''), 'data-start': s?.startTime ?? '' };
                  }}
                  columns={[
                    {
                      title: t('appointments.slots.weekday'),
                      key: 'weekday',
                      width: 120,
                      render: (_, field) => (
                        <Form.Item name={[field.name, 'weekday']} style={{ margin: 0 }}>
                          <Select options={weekdayOptions} aria-label={t('appointments.slots.weekday')} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('appointments.slots.start'),
                      key: 'start',
                      width: 130,
                      render: (_, field) => (
                        <Form.Item name={[field.name, 'startTime']} rules={[rule('startTime')]} style={{ margin: 0 }}>
                          <Input placeholder="08:30" maxLength={5} aria-label={t('appointments.slots.start')} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('appointments.slots.end'),
                      key: 'end',
                      width: 130,
                      render: (_, field) => (
                        <Form.Item name={[field.name, 'endTime']} rules={[rule('endTime')]} style={{ margin: 0 }}>
                          <Input placeholder="09:30" maxLength={5} aria-label={t('appointments.slots.end')} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('appointments.slots.capacity'),
                      key: 'capacity',
                      width: 120,
                      render: (_, field) => (
                        <Form.Item name={[field.name, 'capacity']} rules={[rule('capacity')]} style={{ margin: 0 }}>
                          <InputNumber min={0} max={99} precision={0} aria-label={t('appointments.slots.capacity')} data-testid="slot-capacity" />
                        </Form.Item>
                      ),
                    },
                    {
                      title: '',
                      key: 'remove',
                      width: 60,
                      render: (_, field) => <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('appointments.slots.remove')} onClick={() => remove(field.name)} />,
                    },
                  ]}
                />
              </Space>
            )}
          </Form.List>
        </Form>
      </Space>
    </div>
  );
}
