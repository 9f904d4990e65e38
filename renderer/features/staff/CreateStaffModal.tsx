import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { requests, type ApiErrorBody, type RequestInput, type Role } from '../../../preload/contract';
import { call } from '../../api';
import { applyIssues, errorBody, schemaRule } from '../../app/errors';
import { usePick } from '../../app/language';

type Values = RequestInput<'staff.create'>;
const FIELDS = ['username', 'displayName', 'role', 'password'] as const;
const shape = requests['staff.create'].input.shape;
const ROLES: Role[] = ['agent', 'supervisor', 'admin'];

export function CreateStaffModal({ open, onClose, onCreated }: { open: boolean; onClose(): void; onCreated(): void }) {
  const { t } = useTranslation();
  const pickText = usePick();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<ApiErrorBody | null>(null);

  async function create(values: Values) {
    setSaving(true);
    setProblem(null);
    try {
      const created = await call('staff.create', values);
      message.success(t('staff.created', { name: created.displayName }));
      form.resetFields();
      onCreated();
      onClose();
    } catch (error) {
      const body = errorBody(error);
      if (!applyIssues(form, body, FIELDS)) setProblem(body);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={open}
      title={t('staff.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: saving }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={create} requiredMark={false} initialValues={{ role: 'agent' }}>
        <Form.Item name="username" label={t('staff.username')} rules={[schemaRule((v) => shape.username.safeParse(v ?? ''))]}>
          <Input autoFocus autoComplete="off" maxLength={32} data-testid="staff-username" />
        </Form.Item>
        <Form.Item name="displayName" label={t('staff.displayName')} rules={[schemaRule((v) => shape.displayName.safeParse(v ?? ''))]}>
          <Input maxLength={40} data-testid="staff-display-name" />
        </Form.Item>
        <Form.Item name="role" label={t('staff.role')} rules={[schemaRule((v) => shape.role.safeParse(v))]}>
          <Select options={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))} />
        </Form.Item>
        <Form.Item name="password" label={t('staff.password')} rules={[schemaRule((v) => shape.password.safeParse(v ?? ''))]}>
          <Input.Password autoComplete="new-password" data-testid="staff-password" />
        </Form.Item>
        {problem && <Alert type="error" showIcon role="alert" title={pickText(problem.message)} />}
      </Form>
    </Modal>
  );
}
