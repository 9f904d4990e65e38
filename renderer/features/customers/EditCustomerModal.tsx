import { Alert, App, Button, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { customerPatchSchema, type ApiErrorBody, type CustomerDto, type CustomerPatch } from '../../../preload/contract';
import { call } from '../../api';
import { applyIssues, errorBody, schemaRule } from '../../app/errors';
import { usePick } from '../../app/language';
import { describeIssue } from '../../../preload/messages';

const FIELDS = ['name', 'gender', 'mobile', 'phone2', 'birthday', 'city', 'address'] as const;
type Field = (typeof FIELDS)[number];

interface Values {
  name: string;
  gender: 'M' | 'F' | null;
  mobile: string;
  phone2: string;
  birthday: Dayjs | null;
  city: string;
  address: string;
}

function toValues(c: CustomerDto): Values {
  return {
    name: c.name,
    gender: c.gender,
    mobile: c.mobile ?? '',
    phone2: c.phone2 ?? '',
    birthday: c.birthday ? dayjs(c.birthday) : null,
    city: c.city ?? '',
    address: c.address ?? '',
  };
}

/** What the patch carries for a form value: empty optional fields clear to null; the name stays a string. */
function patchValue(field: Field, value: unknown): unknown {
  if (dayjs.isDayjs(value)) return value.format('YYYY-MM-DD');
  if (field === 'name') return typeof value === 'string' ? value : '';
  if (value === undefined || value === '' || value === null) return null;
  return value;
}

/** Only the fields that differ from what was loaded, so an untouched field never overwrites a newer value. */
function diff(customer: CustomerDto, values: Values): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const next = patchValue(field, values[field]);
    const before = customer[field];
    if (next !== before) patch[field] = next;
  }
  return patch;
}

interface Props {
  customer: CustomerDto;
  open: boolean;
  onClose(): void;
  onSaved(customer: CustomerDto): void;
  /** Fetches the latest customer after a CONFLICT. */
  onReload(): Promise<CustomerDto | null>;
}

export function EditCustomerModal({ customer, open, onClose, onSaved, onReload }: Props) {
  const { t } = useTranslation();
  const pickText = usePick();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [base, setBase] = useState(customer);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<ApiErrorBody | null>(null);

  useEffect(() => {
    if (!open) return;
    setBase(customer);
    setProblem(null);
    form.setFieldsValue(toValues(customer));
    // Reset only when the dialog opens; later customer refreshes must not wipe what is being typed.
  }, [open]);

  const rule = (field: Field) =>
    schemaRule((value) => customerPatchSchema.safeParse({ [field]: patchValue(field, value) }));

  async function save(values: Values) {
    const changes = diff(base, values);
    if (Object.keys(changes).length === 0) {
      message.info(t('customer.nothingChanged'));
      onClose();
      return;
    }
    // The fields passed one by one; the whole patch goes through the same schema the host will apply.
    const parsed = customerPatchSchema.safeParse(changes);
    if (!parsed.success) {
      form.setFields(
        parsed.error.issues.map((issue) => ({ name: FIELDS.find((f) => f === issue.path[0]) ?? 'name', errors: [pickText(describeIssue(issue))] })),
      );
      return;
    }
    const patch: CustomerPatch = parsed.data;
    setSaving(true);
    setProblem(null);
    try {
      const saved = await call('customers.update', { id: base.id, version: base.version, patch });
      message.success(t('customer.updated'));
      onSaved(saved);
      onClose();
    } catch (error) {
      const body = errorBody(error);
      if (body.code === 'CONFLICT' || !applyIssues(form, body, FIELDS, 'patch.')) setProblem(body);
    } finally {
      setSaving(false);
    }
  }

  async function reloadLatest() {
    const latest = await onReload();
    if (!latest) return;
    setBase(latest);
    setProblem(null);
    form.setFieldsValue(toValues(latest));
  }

  return (
    <Modal
      open={open}
      title={t('customer.editTitle')}
      onCancel={onClose}
      destroyOnHidden
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: saving }}
      onOk={() => form.submit()}
      width={560}
    >
      <Form form={form} layout="vertical" onFinish={save} requiredMark={false} data-testid="edit-customer-form">
        <Form.Item name="name" label={t('customer.name')} rules={[rule('name')]}>
          <Input autoFocus maxLength={60} />
        </Form.Item>
        <Form.Item name="gender" label={t('customer.gender')} rules={[rule('gender')]}>
          <Select
            allowClear
            options={[
              { value: 'M', label: t('customer.genderM') },
              { value: 'F', label: t('customer.genderF') },
            ]}
          />
        </Form.Item>
        <Form.Item name="mobile" label={t('customer.mobile')} rules={[rule('mobile')]}>
          <Input inputMode="tel" maxLength={20} />
        </Form.Item>
        <Form.Item name="phone2" label={t('customer.phone2')} rules={[rule('phone2')]}>
          <Input inputMode="tel" maxLength={20} />
        </Form.Item>
        <Form.Item name="birthday" label={t('customer.birthday')} rules={[rule('birthday')]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item name="city" label={t('customer.city')} rules={[rule('city')]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="address" label={t('customer.address')} rules={[rule('address')]}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} maxLength={250} />
        </Form.Item>
        {problem && (
          <Alert
            type={problem.code === 'CONFLICT' ? 'warning' : 'error'}
            showIcon
            role="alert"
            data-testid="edit-error"
            title={problem.code === 'CONFLICT' ? t('customer.conflictTitle') : pickText(problem.message)}
            description={problem.code === 'CONFLICT' ? pickText(problem.message) : undefined}
            action={
              problem.code === 'CONFLICT' ? (
                <Button size="small" onClick={() => void reloadLatest()} data-testid="conflict-reload">
                  {t('customer.conflictReload')}
                </Button>
              ) : undefined
            }
          />
        )}
      </Form>
    </Modal>
  );
}
