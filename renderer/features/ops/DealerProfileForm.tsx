/**
 * 经销店信息: the service hotline, address and SMS short name every reminder SMS, letter, envelope and
 * appointment confirmation quotes. Store data (all seats share it), saved through dealer.save; each field
 * is checked with the contract's own schema as it is left, and the host's answer lands on the same fields.
 * Enter or Ctrl+S saves.
 */
import { SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Col, Descriptions, Form, Input, Row, Space, Typography } from 'antd';
import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { dealerProfileInputSchema, type DealerProfileDto } from '../../../preload/channels/dealer';
import type { ApiErrorBody } from '../../../preload/contract';
import { call } from '../../api';
import { applyIssues, errorBody, schemaRule } from '../../app/errors';
import { usePick } from '../../app/language';

const FIELDS = ['servicePhone', 'shortName', 'address'] as const;
type Field = (typeof FIELDS)[number];
type Values = Record<Field, string>;

const toValues = (p: DealerProfileDto): Values => ({ servicePhone: p.servicePhone ?? '', shortName: p.shortName ?? '', address: p.address ?? '' });
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export function DealerProfileForm() {
  const { t } = useTranslation();
  const pickText = usePick();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [profile, setProfile] = useState<DealerProfileDto | null>(null);
  const [problem, setProblem] = useState<ApiErrorBody | null>(null);
  const [saving, setSaving] = useState(false);
  const shortName = Form.useWatch('shortName', form);

  const load = useCallback(async () => {
    try {
      const loaded = await call('dealer.get', {});
      setProfile(loaded);
      form.resetFields();
      form.setFieldsValue(toValues(loaded));
      setProblem(null);
    } catch (e) {
      setProblem(errorBody(e));
    }
  }, [form]);

  useEffect(() => {
    void load();
  }, [load]);

  const rule = (field: Field) => schemaRule((value) => dealerProfileInputSchema.shape[field].safeParse(text(value)));

  async function save(values: Values) {
    setSaving(true);
    setProblem(null);
    try {
      const saved = await call('dealer.save', { servicePhone: text(values.servicePhone), address: text(values.address), shortName: text(values.shortName) });
      setProfile(saved);
      // The host's stored form (0755-83451234 for "0755 8345 1234") is what customers will read.
      form.setFieldsValue(toValues(saved));
      message.success(t('settings.dealer.saved'));
    } catch (e) {
      const body = errorBody(e);
      if (!applyIssues(form, body, FIELDS)) setProblem(body);
    } finally {
      setSaving(false);
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    if ((event.ctrlKey || event.metaKey) && (event.key === 's' || event.key === 'S')) {
      event.preventDefault();
      form.submit();
    }
  }

  const signature = text(shortName).trim() || profile?.name || '';

  return (
    <div onKeyDown={onKeyDown}>
      <Typography.Paragraph type="secondary">{t('settings.dealer.intro')}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon title={pickText(problem.message)} style={{ marginBottom: 16 }} data-testid="dealer-error" />}
      {profile && (
        <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t('settings.dealer.name')}>{profile.name}</Descriptions.Item>
          <Descriptions.Item label={t('settings.dealer.code')}>{profile.code}</Descriptions.Item>
          <Descriptions.Item label={t('settings.dealer.city')}>{profile.city ?? '—'}</Descriptions.Item>
        </Descriptions>
      )}
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)} disabled={!profile} requiredMark={false} data-testid="dealer-form">
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="servicePhone" label={t('settings.dealer.servicePhone')} extra={t('settings.dealer.servicePhoneHelp')} rules={[rule('servicePhone')]} validateTrigger="onBlur">
              <Input autoFocus autoComplete="off" inputMode="tel" maxLength={24} placeholder="0755-83451234" data-testid="dealer-phone" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="shortName"
              label={t('settings.dealer.shortName')}
              extra={t('settings.dealer.shortNameHelp', { signature: signature ? `【${signature}】` : '' })}
              rules={[rule('shortName')]}
              validateTrigger="onBlur"
            >
              <Input autoComplete="off" maxLength={12} placeholder={t('settings.dealer.shortNamePlaceholder')} data-testid="dealer-short-name" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="address" label={t('settings.dealer.address')} extra={t('settings.dealer.addressHelp')} rules={[rule('address')]} validateTrigger="onBlur">
              <Input autoComplete="off" maxLength={100} data-testid="dealer-address" />
            </Form.Item>
          </Col>
        </Row>
        <Space>
          <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={saving} data-testid="dealer-save">
            {t('settings.save')}
          </Button>
          <Button onClick={() => void load()}>{t('settings.reload')}</Button>
          <Typography.Text type="secondary">{t('settings.dealer.keys')}</Typography.Text>
        </Space>
      </Form>
    </div>
  );
}
