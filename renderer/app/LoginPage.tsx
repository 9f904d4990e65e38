import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldMessages } from '../../preload/messages';
import { applyIssues, errorBody } from './errors';
import { usePick } from './language';
import { useSession } from './session';
import type { ApiErrorBody } from '../../preload/contract';

interface Fields {
  username: string;
  password: string;
}

export function LoginPage() {
  const { t } = useTranslation();
  const pickText = usePick();
  const [form] = Form.useForm<Fields>();
  const login = useSession((s) => s.login);
  const info = useSession((s) => s.info);
  const notice = useSession((s) => s.notice);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<ApiErrorBody | null>(null);

  async function submit(values: Fields) {
    setBusy(true);
    setFormError(null);
    try {
      await login(values.username, values.password);
    } catch (error) {
      const body = errorBody(error);
      if (!applyIssues(form, body, ['username', 'password'])) setFormError(body);
      if (body.code === 'BAD_CREDENTIALS') form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  }

  const required = { required: true, message: pickText(fieldMessages.required) };
  const noticeText = notice === 'expired' ? t('session.expired') : notice ? pickText(notice.message) : null;

  return (
    <div style={{ minHeight: '100%', display: 'grid', placeItems: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 400 }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {info?.dealerName || t('common.appName')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          {t('common.appName')} · {t('login.subtitle')}
        </Typography.Paragraph>
        {noticeText && !formError && <Alert type="info" showIcon title={noticeText} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} aria-label={t('login.title')}>
          <Form.Item name="username" label={t('login.username')} rules={[required]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[required]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          {formError && (
            <Alert
              type="error"
              showIcon
              role="alert"
              data-testid="login-error"
              title={pickText(formError.message)}
              style={{ marginBottom: 16 }}
            />
          )}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('login.submit')}
          </Button>
        </Form>
        {info?.demo && (
          <Alert
            type="info"
            style={{ marginTop: 16 }}
            title={t('login.demoTitle')}
            description={t('login.demoAccounts')}
            data-testid="demo-hint"
          />
        )}
      </Card>
    </div>
  );
}
