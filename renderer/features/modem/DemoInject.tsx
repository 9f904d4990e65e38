/**
 * Demo only: with the port `sim://demo` the modem runs on the in-process simulator, and an admin can make
 * a "customer" text or call the seat (modem.demoInject). Enter submits; errors show at their field.
 */
import { Button, App, Card, Form, Input, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestInput } from '../../../preload/contract';
import { call } from '../../api';
import { applyIssues, errorBody, errorText } from '../../app/errors';

export const SIM_PORT = 'sim://demo';

type Values = RequestInput<'modem.demoInject'>;
const FIELDS = ['kind', 'from', 'text'];

export function DemoInject({ port }: { port: string | undefined }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const [busy, setBusy] = useState(false);
  if (port?.trim() !== SIM_PORT) return null;

  async function inject(v: Values) {
    setBusy(true);
    try {
      await call('modem.demoInject', v);
      message.success(t('modem.demo.sent'));
    } catch (error) {
      if (!applyIssues(form, errorBody(error), FIELDS)) message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card size="small" title={t('modem.demo.title')} extra={t('modem.demo.hint')} data-testid="modem-demo">
      <Form form={form} layout="inline" onFinish={inject} initialValues={{ kind: 'sms', from: '13800138000', text: '' }}>
        <Form.Item name="kind" label={t('modem.demo.kind')}>
          <Select style={{ width: 90 }} options={[{ value: 'sms', label: t('modem.demo.sms') }, { value: 'call', label: t('modem.demo.call') }]} />
        </Form.Item>
        <Form.Item name="from" label={t('modem.demo.from')}>
          <Input style={{ width: 150 }} data-testid="modem-demo-from" />
        </Form.Item>
        {kind !== 'call' && (
          <Form.Item name="text" label={t('modem.demo.text')}>
            <Input style={{ width: 220 }} data-testid="modem-demo-text" />
          </Form.Item>
        )}
        <Space>
          <Button htmlType="submit" loading={busy} data-testid="modem-demo-send">
            {t('modem.demo.send')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
