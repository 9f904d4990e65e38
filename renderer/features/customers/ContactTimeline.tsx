import {
  CarOutlined,
  EditOutlined,
  FormOutlined,
  MailOutlined,
  MessageOutlined,
  PhoneOutlined,
  UserSwitchOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Alert, App, Button, Empty, Form, Input, Space, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { requests, type ApiErrorBody, type ContactEventDto, type TimelineSmsDto } from '../../../preload/contract';
import { call, getApi } from '../../api';
import { applyIssues, errorBody, errorText, schemaRule } from '../../app/errors';
import { usePick } from '../../app/language';
import { formatDateTime } from './format';
import { createTimelineReader, type TimelineReader } from './timeline-reader';

const PAGE = 20;

const KIND_ICONS: Record<ContactEventDto['kind'], { icon: ReactNode; color: string }> = {
  call_in: { icon: <PhoneOutlined />, color: 'green' },
  call_out: { icon: <PhoneOutlined rotate={90} />, color: 'blue' },
  sms_in: { icon: <MessageOutlined />, color: 'green' },
  sms_out: { icon: <MessageOutlined />, color: 'blue' },
  letter: { icon: <MailOutlined />, color: 'gray' },
  visit: { icon: <CarOutlined />, color: 'cyan' },
  note: { icon: <EditOutlined />, color: 'gray' },
  survey: { icon: <FormOutlined />, color: 'purple' },
  complaint: { icon: <WarningOutlined />, color: 'red' },
  profile_change: { icon: <UserSwitchOutlined />, color: 'orange' },
};

const noteText = requests['customers.addNote'].input.shape.text;

const SMS_STATE_COLOR: Record<TimelineSmsDto['state'], string> = {
  queued: 'default',
  sending: 'processing',
  sent: 'blue',
  delivered: 'green',
  failed: 'red',
  expired: 'orange',
  uncertain: 'orange',
  cancelled: 'default',
};

/** An outgoing SMS's state now, and what sent it: the campaign (and step) or the appointment, the cars it named, why it did not go. */
function SmsLine({ sms }: { sms: TimelineSmsDto }) {
  const { t } = useTranslation();
  const pickText = usePick();
  return (
    <Space size={4} wrap data-testid="timeline-sms" data-state={sms.state}>
      <Tag color={SMS_STATE_COLOR[sms.state]} data-testid="timeline-sms-state">
        {t(`timelineSms.${sms.state}`)}
      </Tag>
      {sms.campaign && (
        <Tag data-testid="timeline-sms-campaign">
          {pickText({ zh: sms.campaign.nameZh, en: sms.campaign.nameEn })}
          {sms.campaign.step === null ? ` · ${t('timelineSms.fallback')}` : ` · ${t('timelineSms.step', { n: sms.campaign.step + 1 })}`}
        </Tag>
      )}
      {sms.appointmentId && <Tag data-testid="timeline-sms-appointment">{t('timelineSms.appointment')}</Tag>}
      {sms.plates.length > 1 && <Typography.Text type="secondary">{t('timelineSms.cars', { plates: sms.plates.join('、') })}</Typography.Text>}
      {sms.state === 'queued' && sms.notBefore && <Typography.Text type="secondary">{t('timelineSms.planned', { at: formatDateTime(sms.notBefore) })}</Typography.Text>}
      {sms.reason && (
        <Typography.Text type={sms.state === 'cancelled' ? 'secondary' : 'danger'} data-testid="timeline-sms-reason">
          {pickText(sms.reason)}
        </Typography.Text>
      )}
    </Space>
  );
}

function NoteBox({ customerId, onAdded }: { customerId: string; onAdded(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ text: string }>();
  const [saving, setSaving] = useState(false);

  async function submit({ text }: { text: string }) {
    setSaving(true);
    try {
      await call('customers.addNote', { customerId, text });
      form.resetFields();
      message.success(t('timeline.noteAdded'));
      onAdded();
    } catch (error) {
      const body = errorBody(error);
      if (!applyIssues(form, body, ['text'])) message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Form form={form} onFinish={submit} data-testid="note-form">
      <Form.Item name="text" rules={[schemaRule((v) => noteText.safeParse(v ?? ''))]} style={{ marginBottom: 8 }}>
        <Input.TextArea
          aria-label={t('timeline.noteLabel')}
          placeholder={t('timeline.notePlaceholder')}
          autoSize={{ minRows: 2, maxRows: 6 }}
          maxLength={2000}
          data-testid="note-text"
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              form.submit();
            }
          }}
        />
      </Form.Item>
      <Button htmlType="submit" type="primary" loading={saving} data-testid="add-note">
        {t('timeline.addNote')}
      </Button>
    </Form>
  );
}

/**
 * The customer's contact history, newest first, paged by the host's cursor (timeline-reader.ts). `reloadKey`
 * (and a note added here) reads it again, as many pages as were loaded, and so does news of one of its
 * SMS; another customer starts from the first page.
 */
export function ContactTimeline({ customerId, reloadKey }: { customerId: string; reloadKey: number }) {
  const { t } = useTranslation();
  const pickText = usePick();
  const [items, setItems] = useState<ContactEventDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [ownReload, setOwnReload] = useState(0);

  // One reader per customer; what an earlier customer's reader still reads is not shown.
  const current = useRef<TimelineReader | null>(null);
  const reader = useMemo(() => {
    const r: TimelineReader = createTimelineReader(
      customerId,
      (from) => call('customers.timeline', { customerId, cursor: from, limit: PAGE }),
      (page) => {
        if (current.current !== r) return;
        setItems(page.items);
        setCursor(page.nextCursor);
      },
    );
    return r;
  }, [customerId]);
  current.current = reader;
  // Another customer: an empty list until their first page.
  useEffect(() => {
    setItems([]);
    setCursor(null);
  }, [reader]);

  /** A read the agent asked for (opening, reloading, load more): with the spinner, and its error shown. */
  const read = useCallback((run: () => Promise<void>, isLive: () => boolean = () => true) => {
    setLoading(true);
    run()
      .then(() => isLive() && setError(null))
      .catch((e: unknown) => isLive() && setError(errorBody(e)))
      .finally(() => isLive() && setLoading(false));
  }, []);

  useEffect(() => {
    let live = true;
    read(() => reader.refresh(), () => live);
    return () => {
      live = false;
    };
  }, [reader, read, reloadKey, ownReload]);

  // SMS move on after their entry is written (queued → sent → delivered, failed, held back to tomorrow,
  // dropped), and a new one may be sent from this page: the pages shown are read again when the host
  // reports news of this customer's SMS, at most a few times a second. Other customers' SMS are ignored.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const soon = () => {
      timer ??= setTimeout(() => {
        timer = null;
        reader.refresh().catch(() => undefined);
      }, 300);
    };
    const offState = getApi().on('sms.state', (event) => {
      if (reader.concerns(event)) soon();
    });
    const offQueue = getApi().on('campaigns.smsQueue', (event) => {
      if (reader.concerns(event)) soon();
    });
    return () => {
      offState();
      offQueue();
      if (timer) clearTimeout(timer);
    };
  }, [reader]);

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <NoteBox customerId={customerId} onAdded={() => setOwnReload((n) => n + 1)} />
      {error && <Alert type="error" showIcon title={pickText(error.message)} />}
      {items.length === 0 && !loading && !error ? (
        <Empty description={t('timeline.empty')} />
      ) : (
        <Timeline
          data-testid="timeline"
          items={items.map((item) => ({
            key: item.id,
            icon: KIND_ICONS[item.kind].icon,
            color: KIND_ICONS[item.kind].color,
            content: (
              <div data-testid="timeline-item">
                <Space size={4} wrap>
                  <Typography.Text type="secondary">{formatDateTime(item.occurredAt)}</Typography.Text>
                  <Tag color={KIND_ICONS[item.kind].color}>{t(`kinds.${item.kind}`)}</Tag>
                  {item.staffName && <Typography.Text type="secondary">{item.staffName}</Typography.Text>}
                </Space>
                <div style={{ whiteSpace: 'pre-wrap' }}>{item.summary}</div>
                {item.sms && <SmsLine sms={item.sms} />}
              </div>
            ),
          }))}
        />
      )}
      {cursor ? (
        <Button block loading={loading} onClick={() => read(() => reader.loadMore(), () => current.current === reader)} data-testid="timeline-more">
          {t('timeline.loadMore')}
        </Button>
      ) : (
        items.length > 0 && (
          <Typography.Text type="secondary" style={{ display: 'block', textAlign: 'center' }}>
            {t('timeline.end')}
          </Typography.Text>
        )
      )}
    </Space>
  );
}
