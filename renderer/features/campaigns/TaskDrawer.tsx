/**
 * One task, claimed: the customer summary with a link to Customer 360, the script, the call outcome
 * (keys 1–5), "will come?" with the required reason when not, the two separate remarks, closing with a
 * reason, and "next task". Ctrl+Enter saves; Esc closes and puts the task back in the queue. 拨打 (Alt+D) and
 * 发短信 (Alt+S) contact the customer unless their contact preferences or the modem say no.
 */
import { ArrowRightOutlined, UserOutlined } from '@ant-design/icons';
import { App, Alert, Button, DatePicker, Descriptions, Divider, Drawer, Form, Input, Radio, Select, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CampaignTaskDto } from '../../../preload/channels/campaigns';
import { call } from '../../api';
import { applyIssues, errorBody, errorText } from '../../app/errors';
import { isTypingIn } from '../../app/keyboard';
import { useLanguage } from '../../app/language';
import { paths } from '../../app/router';
import { useSession } from '../../app/session';
import { BookAppointmentButton, serviceTypeForCampaign } from '../appointments';
import { useContactActions } from '../preferences';
import { modelName } from './columns';
import { useCampaignLists } from './store';

interface Values {
  disposition?: string;
  callbackAt?: Dayjs | null;
  willCome?: boolean;
  feedbackReason?: string;
  campaignRemark?: string;
  followupRemark?: string;
}

const FIELDS = ['disposition', 'callbackAt', 'willCome', 'feedbackReason', 'campaignRemark', 'followupRemark'] as const;

export function TaskDrawer(props: {
  task: CampaignTaskDto;
  mode: 'work' | 'followup';
  onClose: () => void;
  onSaved: () => void;
  onNext: () => void;
}) {
  const { task, mode } = props;
  const { t } = useTranslation();
  const lang = useLanguage((s) => s.lang);
  const { message } = App.useApp();
  const dealerName = useSession((s) => s.info?.dealerName ?? '');
  const { dispositions, feedback, close } = useCampaignLists();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [closeReason, setCloseReason] = useState<string | undefined>();
  const body = useRef<HTMLDivElement>(null);
  const code = Form.useWatch('disposition', form);
  const willCome = Form.useWatch('willCome', form);
  const chosen = dispositions.find((d) => d.code === code);
  const label = (x: { labelZh: string; labelEn: string }) => (lang === 'zh-CN' ? x.labelZh : x.labelEn);
  const campaign = lang === 'zh-CN' ? task.campaignNameZh : task.campaignNameEn;
  const vehicle = [task.plate, modelName(task.model, lang)].filter(Boolean).join(' ');
  const last = dispositions.find((d) => d.code === task.lastDisposition);
  const actions = useContactActions(task);

  useEffect(() => {
    form.resetFields();
    form.setFieldsValue({ campaignRemark: task.campaignRemark ?? '', followupRemark: task.followupRemark ?? '' });
    setCloseReason(undefined);
    // The panel takes the keyboard at once: 1–5 pick the outcome, Ctrl+Enter saves.
    setTimeout(() => body.current?.focus(), 0);
  }, [task.taskId, task.campaignRemark, task.followupRemark, form]);

  async function save() {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      if (mode === 'followup') {
        await call('campaigns.recordFollowUp', { taskId: task.taskId, feedbackReason: v.feedbackReason ?? '', followupRemark: v.followupRemark || null });
        message.success(t('campaigns.task.saved'));
      } else {
        const r = await call('campaigns.recordCall', {
          taskId: task.taskId,
          disposition: v.disposition ?? '',
          callbackAt: chosen?.callback ? (v.callbackAt?.toISOString() ?? null) : null,
          willCome: chosen?.reached ? (v.willCome ?? null) : null,
          feedbackReason: chosen?.reached && v.willCome === false ? (v.feedbackReason ?? null) : null,
          campaignRemark: v.campaignRemark || null,
          followupRemark: v.followupRemark || null,
        });
        if (r.vehicleSold) message.info(t('campaigns.task.savedSold'));
        else if (r.fallback === 'sms' || r.fallback === 'letter') message.info(t('campaigns.task.savedFallback', { channel: t(`campaigns.channel.${r.fallback}`) }));
        else message.success(t('campaigns.task.saved'));
      }
      props.onSaved();
    } catch (error) {
      if (!applyIssues(form, errorBody(error), FIELDS)) message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  }

  async function closeTask() {
    if (!closeReason) return;
    try {
      await call('campaigns.close', { taskId: task.taskId, reason: closeReason });
      message.success(t('campaigns.task.closed'));
      props.onSaved();
    } catch (error) {
      message.error(errorText(error));
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (actions.onKeyDown(event)) return;
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void save();
      return;
    }
    if (mode === 'work' && /^[1-9]$/.test(event.key) && !event.ctrlKey && !event.altKey && !isTypingIn(event.target)) {
      const d = dispositions[Number(event.key) - 1];
      if (d) {
        event.preventDefault();
        form.setFieldValue('disposition', d.code);
      }
    }
  }

  return (
    <Drawer
      open
      size="large"
      title={t(mode === 'followup' ? 'campaigns.task.followupTitle' : 'campaigns.task.title', { name: task.customerName })}
      onClose={props.onClose}
      data-testid="task-drawer"
      extra={
        <Space>
          <BookAppointmentButton customerId={task.customerId} vehicleId={task.vehicleId} taskId={task.taskId} serviceType={serviceTypeForCampaign(task.campaignKind)} />
          <Button onClick={props.onClose}>{t('campaigns.task.release')}</Button>
          <Button icon={<ArrowRightOutlined />} onClick={props.onNext} data-testid="task-next">
            {t('campaigns.next')}
          </Button>
        </Space>
      }
    >
      <div ref={body} tabIndex={-1} onKeyDown={onKeyDown} style={{ outline: 'none' }} data-testid="task-body">
        <Descriptions size="small" column={2} bordered>
          <Descriptions.Item label={t('campaigns.task.customer')}>
            <Space>
              <Typography.Text strong>{task.customerName}</Typography.Text>
              {task.inShop && <Tag color="green">{t('campaigns.inShop')}</Tag>}
              <a href={paths.customer(task.customerId)} data-testid="open-360">
                <UserOutlined /> {t('campaigns.task.open360')}
              </a>
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('campaigns.task.mobile')}>{task.mobile ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('campaigns.task.vehicle')}>{vehicle || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('campaigns.task.campaign')}>
            <Tag color="geekblue">{campaign}</Tag>
            {task.stepChannel && t(`campaigns.channel.${task.stepChannel}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('campaigns.task.dueOn')}>
            {task.dueOn} {task.overdueDays > 0 && <Tag color="red">{t('campaigns.overdue', { count: task.overdueDays })}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t('campaigns.col.lastTouch')}>
            {task.lastTouchOn ?? '—'} {last && t('campaigns.task.lastOutcome', { outcome: label(last) })}
          </Descriptions.Item>
        </Descriptions>
        <div style={{ marginTop: 12 }}>{actions.bar}</div>
        {mode === 'followup' ? (
          <Alert style={{ marginTop: 12 }} type="info" showIcon title={t('campaigns.task.followupHint')} />
        ) : (
          <Alert
            style={{ marginTop: 12 }}
            type="info"
            title={t('campaigns.task.script')}
            description={t('campaigns.task.scriptText', { name: task.customerName, dealer: dealerName, vehicle: vehicle || '', campaign, due: task.dueOn })}
          />
        )}
        <Form
          form={form}
          layout="vertical"
          style={{ marginTop: 16 }}
          disabled={saving}
          onFinish={() => void save()}
          // A host error stays on its field only until that field is changed.
          onValuesChange={(changed: Partial<Values>) => form.setFields(FIELDS.filter((name) => name in changed).map((name) => ({ name, errors: [] })))}
        >
          {mode === 'work' && (
            <Form.Item name="disposition" label={t('campaigns.task.disposition')} rules={[{ required: true, message: t('campaigns.task.chooseOutcome') }]}>
              <Radio.Group optionType="button" buttonStyle="solid" data-testid="dispositions">
                {dispositions.map((d, i) => (
                  <Radio.Button key={d.code} value={d.code}>
                    {i < 9 ? `${i + 1} ` : ''}
                    {label(d)}
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
          )}
          {mode === 'work' && chosen?.callback && (
            <Form.Item name="callbackAt" label={t('campaigns.task.callbackAt')} rules={[{ required: true, message: t('campaigns.task.chooseTime') }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
          )}
          {mode === 'work' && chosen?.reached && (
            <Form.Item name="willCome" label={t('campaigns.task.willCome')}>
              <Radio.Group data-testid="will-come">
                <Radio value={true}>{t('campaigns.task.yes')}</Radio>
                <Radio value={false}>{t('campaigns.task.no')}</Radio>
              </Radio.Group>
            </Form.Item>
          )}
          {(mode === 'followup' || (chosen?.reached && willCome === false)) && (
            <Form.Item name="feedbackReason" label={t('campaigns.task.feedbackReason')}>
              <Select allowClear options={feedback.map((r) => ({ value: r.code, label: label(r) }))} style={{ maxWidth: 320 }} />
            </Form.Item>
          )}
          {mode === 'work' && (
            <Form.Item name="campaignRemark" label={t('campaigns.task.campaignRemark')}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          )}
          <Form.Item name="followupRemark" label={t('campaigns.task.followupRemark')}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="task-save">
            {t('campaigns.task.save')}
          </Button>
        </Form>
        {mode === 'work' && (
          <>
            <Divider />
            <Space>
              <Select
                aria-label={t('campaigns.task.closeReason')}
                placeholder={t('campaigns.task.closeReason')}
                value={closeReason}
                onChange={setCloseReason}
                options={close.map((r) => ({ value: r.code, label: label(r) }))}
                style={{ width: 200 }}
              />
              <Button danger disabled={!closeReason} onClick={() => void closeTask()}>
                {t('campaigns.task.closeTask')}
              </Button>
            </Space>
          </>
        )}
      </div>
      {actions.modal}
    </Drawer>
  );
}
