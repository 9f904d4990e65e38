import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Switch, Table, Tag, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { canAccess, type ApiErrorBody, type RequestOutput } from '../../../preload/contract';
import { call } from '../../api';
import { errorBody } from '../../app/errors';
import { pick, usePick } from '../../app/language';
import { useRole, useSession } from '../../app/session';
import { formatDateTime } from '../customers/format';
import { CreateStaffModal } from './CreateStaffModal';

type StaffRow = RequestOutput<'staff.list'>[number];

/** Staff list for supervisors; creating and (de)activating accounts is for administrators only. */
export function StaffPage() {
  const { t } = useTranslation();
  const pickText = usePick();
  const { message } = App.useApp();
  const role = useRole();
  const me = useSession((s) => s.session?.staff.id);
  const canCreate = canAccess('staff.create', role);
  const canToggle = canAccess('staff.setActive', role);
  const [rows, setRows] = useState<StaffRow[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [creating, setCreating] = useState(false);
  const [busyId, setBusyId] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setRows(await call('staff.list', {}));
      setError(null);
    } catch (e) {
      setError(errorBody(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function setActive(row: StaffRow, active: boolean) {
    setBusyId(row.id);
    try {
      await call('staff.setActive', { id: row.id, active });
      message.success(t(active ? 'staff.activated' : 'staff.deactivated', { name: row.displayName }));
      await load();
    } catch (e) {
      const body = errorBody(e);
      // A field issue (e.g. "you cannot deactivate yourself") says more than the general code.
      const first = body.issues?.[0];
      message.error(pick(first ? first.message : body.message));
    } finally {
      setBusyId(null);
    }
  }

  const columns: TableColumnsType<StaffRow> = [
    { title: t('staff.username'), dataIndex: 'username' },
    { title: t('staff.displayName'), dataIndex: 'displayName' },
    { title: t('staff.role'), dataIndex: 'role', render: (_, row) => <Tag>{t(`roles.${row.role}`)}</Tag> },
    {
      title: t('staff.active'),
      dataIndex: 'active',
      render: (_, row) => (
        <Switch
          checked={row.active}
          disabled={!canToggle || row.id === me}
          loading={busyId === row.id}
          aria-label={t('staff.toggle', { name: row.displayName })}
          onChange={(checked) => void setActive(row, checked)}
        />
      ),
    },
    { title: t('staff.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
  ];

  return (
    <Card
      title={t('staff.title')}
      extra={
        canCreate && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-staff">
            {t('staff.create')}
          </Button>
        )
      }
    >
      {!canCreate && <Alert type="info" showIcon title={t('staff.readOnly')} style={{ marginBottom: 16 }} />}
      {error && <Alert type="error" showIcon title={pickText(error.message)} style={{ marginBottom: 16 }} />}
      <Table<StaffRow> rowKey="id" columns={columns} dataSource={rows} loading={loading} pagination={false} data-testid="staff-table" />
      {canCreate && <CreateStaffModal open={creating} onClose={() => setCreating(false)} onCreated={() => void load()} />}
    </Card>
  );
}
