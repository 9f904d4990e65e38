import { ArrowLeftOutlined, EditOutlined, PhoneOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Row, Skeleton, Space, Statistic, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, CustomerDto, RequestOutput } from '../../../preload/contract';
import { call, getApi } from '../../api';
import { errorBody } from '../../app/errors';
import { ExportCutAlert, ExportExcelButton, useExcelExport, useExportLang } from '../../app/excel';
import { usePick } from '../../app/language';
import { paths } from '../../app/router';
import { CustomerPhoneBar } from '../modem';
import { BookAppointmentButton } from '../appointments';
import { PreferencesCard, SoldSwitch } from '../preferences';
import { ContactTimeline } from './ContactTimeline';
import { RepairsTable, VehiclesTable } from './CustomerTables';
import { EditCustomerModal } from './EditCustomerModal';
import { formatFen } from './format';
import { TierTag } from './tier';

type CustomerData = RequestOutput<'customers.get'>;

export function CustomerPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const pickText = usePick();
  const { message } = App.useApp();
  const [data, setData] = useState<CustomerData | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [editing, setEditing] = useState(false);
  const [timelineKey, setTimelineKey] = useState(0);
  const exportLang = useExportLang();
  const excel = useExcelExport();

  const load = useCallback(async (): Promise<CustomerData | null> => {
    try {
      const fresh = await call('customers.get', { id });
      setData(fresh);
      setError(null);
      return fresh;
    } catch (e) {
      setError(errorBody(e));
      return null;
    }
  }, [id]);

  useEffect(() => {
    setData(null);
    void load();
  }, [load]);

  // Someone (this seat or another) changed the customer: show the current truth, timeline included.
  useEffect(
    () =>
      getApi().on('customer.changed', (event) => {
        if (event.customerId !== id) return;
        void load();
        setTimelineKey((k) => k + 1);
      }),
    [id, load],
  );

  if (error && !data) {
    return (
      <Space orientation="vertical">
        <BackLink />
        <Alert type="error" showIcon title={pickText(error.message)} action={<Button onClick={() => void load()}>{t('common.retry')}</Button>} />
      </Space>
    );
  }
  if (!data) return <Skeleton active />;

  const { customer, vehicles, repairOrders, stats } = data;
  const none = t('common.none');
  const gender = customer.gender === 'M' ? t('customer.genderM') : customer.gender === 'F' ? t('customer.genderF') : none;

  function onSaved(saved: CustomerDto) {
    setData((prev) => (prev ? { ...prev, customer: saved } : prev));
    setTimelineKey((k) => k + 1);
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <BackLink />
      <Card>
        <Row gutter={24} align="middle">
          <Col flex="auto">
            <div>
            <Space align="center" wrap>
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="customer-name">
                {customer.name}
              </Typography.Title>
              {customer.memberTier ? <TierTag tier={customer.memberTier} /> : <Typography.Text type="secondary">{t('customer.notMember')}</Typography.Text>}
            </Space>
            </div>
            <Space size="large" style={{ marginTop: 8 }} wrap>
              <span data-testid="customer-mobile">
                <PhoneOutlined /> {customer.mobile ?? none}
              </span>
              <CustomerPhoneBar customerId={customer.id} number={customer.mobile ?? customer.phone2} />
              <BookAppointmentButton customerId={customer.id} size="small" />
              <ExportExcelButton
                size="small"
                label={t('customer.exportRecord')}
                exporting={excel.exporting}
                onClick={() => void excel.run(() => call('customers.exportRecord', { id: customer.id, lang: exportLang }))}
                testId="customer-export"
              />
              <span>
                {t('customer.responsible')}: {customer.responsibleStaff ?? none}
              </span>
            </Space>
          </Col>
          <Col>
            <Space size="large">
              <Statistic title={t('customer.visits')} value={stats.visits} />
              <Statistic title={t('customer.totalSpent')} value={formatFen(stats.totalFen)} />
              <Statistic title={t('customer.lastVisit')} value={stats.lastVisit ?? none} />
            </Space>
          </Col>
        </Row>
      </Card>
      <ExportCutAlert rows={excel.cutAt} onClose={excel.dismiss} testId="customer-export-truncated" text={t('customer.exportRecordTruncated', { rows: excel.cutAt ?? 0 })} />
      <Row gutter={16}>
        <Col xs={24} xl={15}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Card
              title={t('customer.contact')}
              extra={
                <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="edit-customer">
                  {t('common.edit')}
                </Button>
              }
            >
              <Descriptions
                size="small"
                column={{ xs: 1, md: 2 }}
                items={[
                  { key: 'name', label: t('customer.name'), children: customer.name },
                  { key: 'gender', label: t('customer.gender'), children: gender },
                  { key: 'mobile', label: t('customer.mobile'), children: customer.mobile ?? none },
                  { key: 'phone2', label: t('customer.phone2'), children: customer.phone2 ?? none },
                  { key: 'birthday', label: t('customer.birthday'), children: customer.birthday ?? none },
                  { key: 'city', label: t('customer.city'), children: customer.city ?? none },
                  { key: 'address', label: t('customer.address'), children: customer.address ?? none, span: 2 },
                  { key: 'memberNo', label: t('customer.memberNo'), children: customer.memberNo ?? none },
                  { key: 'memberSince', label: t('customer.memberSince'), children: customer.memberSince ?? none },
                  { key: 'dmsId', label: t('customer.dmsId'), children: customer.dmsId ?? none },
                ]}
              />
            </Card>
            <Card title={t('vehicles.title')}>
              <VehiclesTable
                vehicles={vehicles}
                extraColumns={[{ title: t('preferences.sold.col'), key: 'sold', fixed: 'right', render: (_, v) => <SoldSwitch customerId={customer.id} vehicle={v} /> }]}
              />
            </Card>
            <PreferencesCard customerId={customer.id} />
            <Card title={t('repairs.title')}>
              <RepairsTable orders={repairOrders} />
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={9}>
          <Card title={t('timeline.title')}>
            <ContactTimeline customerId={customer.id} reloadKey={timelineKey} />
          </Card>
        </Col>
      </Row>
      <EditCustomerModal
        customer={customer}
        open={editing}
        onClose={() => setEditing(false)}
        onSaved={onSaved}
        onReload={async () => {
          const fresh = await load();
          if (!fresh) message.error(t('common.notFound'));
          return fresh?.customer ?? null;
        }}
      />
    </Space>
  );
}

function BackLink() {
  const { t } = useTranslation();
  return (
    <a href={paths.customers} data-testid="back-to-search">
      <ArrowLeftOutlined /> {t('customer.backToSearch')}
    </a>
  );
}
