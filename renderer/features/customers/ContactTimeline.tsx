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
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { requests, type ApiErrorBody, type ContactEventDto } from '../../../preload/contract';
import { call } from '../../api';
import { applyIssues, errorBody, errorText, schemaRule } from '../../app/errors';
import { usePick } from '../../app/language';
import { formatDateTime } from './format';

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

/** The customer's contact history, newest first, paged by the host's cursor; `reloadKey` restarts it. */
export function ContactTimeline({ customerId, reloadKey }: { customerId: string; reloadKey: number }) {
  const { t } = useTranslation();
  const pickText = usePick();
  const [items, setItems] = useState<ContactEventDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [ownReload, setOwnReload] = useState(0);

  const load = useCallback(
    async (from: string | null, isCurrent: () => boolean = () => true) => {
      setLoading(true);
      try {
        const page = await call('customers.timeline', { customerId, cursor: from, limit: PAGE });
        if (!isCurrent()) return;
        setItems((prev) => (from === null ? page.items : [...prev, ...page.items]));
        setCursor(page.nextCursor);
        setError(null);
      } catch (e) {
        if (isCurrent()) setError(errorBody(e));
      } finally {
        if (isCurrent()) setLoading(false);
      }
    },
    [customerId],
  );

  useEffect(() => {
    let current = true;
    void load(null, () => current);
    return () => {
      current = false;
    };
  }, [load, reloadKey, ownReload]);

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
              </div>
            ),
          }))}
        />
      )}
      {cursor ? (
        <Button block loading={loading} onClick={() => void load(cursor)} data-testid="timeline-more">
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
