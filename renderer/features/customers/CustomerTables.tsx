import { Table, Tag, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RepairOrderDto, VehicleDto } from '../../../preload/contract';
import { formatFen, formatKm } from './format';
import { useModelLabel } from './modelLabel';

/** `extraColumns`: columns other features add (e.g. 已售 from contact preferences), after the built-in ones. */
export function VehiclesTable({ vehicles, extraColumns = [] }: { vehicles: VehicleDto[]; extraColumns?: TableColumnsType<VehicleDto> }) {
  const { t } = useTranslation();
  const modelLabel = useModelLabel();
  const none = t('common.none');
  const columns: TableColumnsType<VehicleDto> = [
    { title: t('vehicles.plate'), dataIndex: 'plate', render: (v: string | null) => v ?? none },
    { title: t('vehicles.model'), dataIndex: 'model', render: (v: string) => modelLabel(v) },
    { title: t('vehicles.vin'), dataIndex: 'vin', render: (v: string) => <code>{v}</code> },
    { title: t('vehicles.modelYear'), dataIndex: 'modelYear', render: (v: number | null) => v ?? none },
    { title: t('vehicles.color'), dataIndex: 'color', render: (v: string | null) => v ?? none },
    { title: t('vehicles.purchaseDate'), dataIndex: 'purchaseDate', render: (v: string | null) => v ?? none },
    {
      title: t('vehicles.purchasedHere'),
      dataIndex: 'purchasedHere',
      render: (v: boolean) => (v ? <Tag color="green">{t('common.yes')}</Tag> : t('common.no')),
    },
    {
      title: t('vehicles.mileage'),
      dataIndex: 'mileageKm',
      align: 'right',
      render: (_, v) => (v.mileageKm === null ? none : `${formatKm(v.mileageKm)}${v.mileageDate ? ` (${v.mileageDate})` : ''}`),
    },
  ];
  return (
    <Table<VehicleDto>
      rowKey="id"
      size="small"
      columns={[...columns, ...extraColumns]}
      dataSource={vehicles}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('vehicles.empty') }}
      data-testid="vehicles"
    />
  );
}

export function RepairsTable({ orders }: { orders: RepairOrderDto[] }) {
  const { t } = useTranslation();
  const modelLabel = useModelLabel();
  const none = t('common.none');
  const columns: TableColumnsType<RepairOrderDto> = [
    { title: t('repairs.date'), dataIndex: 'openedOn', width: 110 },
    { title: t('repairs.roNo'), dataIndex: 'roNo', width: 140 },
    {
      title: t('repairs.category'),
      dataIndex: 'category',
      width: 100,
      render: (_, ro) => <Tag>{t(`categories.${ro.category}`)}</Tag>,
    },
    { title: t('repairs.vehicle'), key: 'vehicle', render: (_, ro) => `${ro.plate ?? none} / ${modelLabel(ro.model)}` },
    { title: t('repairs.mileage'), dataIndex: 'mileageKm', align: 'right', render: (v: number | null) => formatKm(v) },
    { title: t('repairs.amount'), dataIndex: 'totalFen', align: 'right', render: (v: number) => formatFen(v) },
    { title: t('repairs.advisor'), dataIndex: 'advisor', render: (v: string | null) => v ?? none },
  ];
  return (
    <Table<RepairOrderDto>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={orders}
      pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('repairs.empty') }}
      data-testid="repairs"
    />
  );
}
