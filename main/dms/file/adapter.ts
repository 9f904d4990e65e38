/**
 * The file connector: a confirmed column mapping turns each row of a CSV/XLSX export into a customer,
 * a vehicle and a repair order as far as the row has them. A row is all or nothing: if any part is
 * unreadable the whole row is rejected with its row number and reason (and quarantined by the engine),
 * so no order lands without its vehicle. Files carry no DMS keys for everything, so keys are derived:
 * customer = 客户编号 or "M:<mobile>", vehicle = VIN, order = 工单号 or VIN + date + category + amount.
 */
import { DmsError, type DmsConnector, type PullPage, type RawItem, type Reject } from '../connector';
import { normalizeRecord, type Normalized } from '../normalize';
import { normalizePhone } from '../../../preload/contract';
import type { DmsEntity } from '../records';
import { describeMissing, missingFields, type ColumnMapping, type FileField } from './mapping';
import { readTable, type Cell, type FileTable } from './table';

export interface FileImport {
  table: FileTable;
  records: Record<DmsEntity, RawItem[]>;
  rejects: Reject[];
}

const rowRef = (rowNo: number) => `第 ${rowNo} 行 / row ${rowNo}`;

function cellText(c: Cell | undefined): string | null {
  if (c === null || c === undefined) return null;
  if (c instanceof Date) return c.toISOString();
  const s = String(c).trim();
  return s === '' ? null : s;
}

/** Splits a mapped table into per-entity records; exported for tests and the mapping preview. */
export function splitRows(table: FileTable, mapping: ColumnMapping): FileImport {
  const missing = missingFields(mapping);
  if (missing.length) throw new DmsError('DMS_BAD_FILE', describeMissing(missing));
  const index = new Map<FileField, number>();
  for (const [field, header] of Object.entries(mapping) as [FileField, string][]) {
    const i = table.headers.indexOf(header);
    if (i < 0) throw new DmsError('DMS_BAD_FILE', { zh: `文件中没有“${header}”这一列`, en: `The file has no column "${header}"` });
    index.set(field, i);
  }
  const records: Record<DmsEntity, Map<string, RawItem>> = { customer: new Map(), vehicle: new Map(), repair_order: new Map() };
  const rejects: Reject[] = [];
  const hasVehicle = index.has('vin');
  const hasOrder = index.has('opened_on');

  for (const row of table.rows) {
    const get = (f: FileField): Cell => {
      const i = index.get(f);
      return i === undefined ? null : (row.cells[i] ?? null);
    };
    const raw: Record<string, Cell> = {};
    for (const [field, header] of Object.entries(mapping)) raw[header] = get(field as FileField);
    const ref = rowRef(row.rowNo);
    const reject = (zh: string, en: string, dmsId: string | null = null) => rejects.push({ ref, raw, reason: { zh, en }, dmsId });

    const customerKey = cellText(get('customer_dms_id')) ?? (cellText(get('mobile')) ? `M:${normalizePhone(cellText(get('mobile')) ?? '')}` : null);
    if (!customerKey) {
      reject('缺少客户编号和手机号，无法识别客户', 'no customer id and no mobile: the customer cannot be identified');
      continue;
    }
    const customer = normalizeRecord('customer', {
      dms_id: customerKey, name: get('name'), gender: get('gender'), mobile: get('mobile'), phone2: get('phone2'),
      birthday: get('birthday'), city: get('city'), address: get('address'),
    });
    if (!customer.ok) {
      reject(customer.reason.zh, customer.reason.en, customerKey);
      continue;
    }
    const vinText = cellText(get('vin'))?.replace(/\s/g, '').toUpperCase() ?? null;
    const wantsOrder = hasOrder && (cellText(get('opened_on')) !== null || cellText(get('ro_no')) !== null);
    let vehicle: Normalized<'vehicle'> | null = null;
    if (hasVehicle && (vinText !== null || wantsOrder)) {
      vehicle = normalizeRecord('vehicle', {
        dms_id: vinText, customer_dms_id: customerKey, vin: vinText, plate: get('plate'), model: get('model'),
        model_year: get('model_year'), color: get('color'), purchase_date: get('purchase_date'), purchased_here: get('purchased_here'),
        sales_consultant: get('sales_consultant'),
      });
      if (!vehicle.ok) {
        reject(vehicle.reason.zh, vehicle.reason.en, vinText);
        continue;
      }
    }
    let order: Normalized<'repair_order'> | null = null;
    if (wantsOrder) {
      const roNo = cellText(get('ro_no'));
      const probe = normalizeRecord('repair_order', {
        dms_id: roNo ?? 'probe', vehicle_dms_id: vinText, ro_no: roNo ?? 'probe', opened_on: get('opened_on'), closed_on: get('closed_on'),
        category: get('category'), mileage_km: get('mileage_km'), labor_yuan: get('labor_yuan'), parts_yuan: get('parts_yuan'),
        total_yuan: get('total_yuan'), advisor: get('advisor'),
      });
      if (!probe.ok || probe.change.op !== 'upsert') {
        reject(probe.ok ? '无效的维修记录' : probe.reason.zh, probe.ok ? 'not a valid repair order' : probe.reason.en, roNo);
        continue;
      }
      const r = probe.change.record;
      // Without an order number the order's identity is what it is about: vehicle, day, kind and amount.
      const key = roNo ?? `${r.vehicle_dms_id}:${r.opened_on}:${r.category}:${r.total_fen}`;
      // Shown where an order number would be: the day and the VIN's serial part, e.g. 20240105-000009.
      const shownNo = roNo ?? `${r.opened_on.replace(/-/g, '')}-${r.vehicle_dms_id.slice(-6)}`;
      order = { ok: true, change: { op: 'upsert', record: { ...r, dms_id: key, ro_no: shownNo } } };
    }
    const put = <E extends DmsEntity>(entity: E, n: Normalized<E>) => {
      if (n.ok && n.change.op === 'upsert') records[entity].set(n.change.record.dms_id, { ref, raw: n.change.record });
    };
    put('customer', customer);
    if (vehicle) put('vehicle', vehicle);
    if (order) put('repair_order', order);
  }
  return {
    table,
    records: { customer: [...records.customer.values()], vehicle: [...records.vehicle.values()], repair_order: [...records.repair_order.values()] },
    rejects,
  };
}

export async function readFileImport(bytes: Uint8Array, mapping: ColumnMapping): Promise<FileImport> {
  return splitRows(await readTable(bytes), mapping);
}

/** A file is one snapshot: `since` is ignored, the cursor is an offset into the entity's rows. */
export function createFileConnector(file: FileImport): DmsConnector {
  return {
    kind: 'file',
    async pull(request): Promise<PullPage> {
      const list = file.records[request.entity];
      const offset = request.cursor === null ? 0 : Number(request.cursor);
      const end = Math.min(list.length, offset + request.limit);
      const first = request.cursor === null;
      return {
        items: list.slice(offset, end),
        // Rejected rows are reported once, with the first page of the first entity.
        rejects: first && request.entity === 'customer' ? file.rejects : [],
        nextCursor: end < list.length ? String(end) : null,
        ...(first ? { total: list.length + (request.entity === 'customer' ? file.rejects.length : 0) } : {}),
      };
    },
    async listKeys() {
      throw new DmsError('DMS_BAD_FILE', { zh: '文件来源不支持差异对比', en: 'File sources cannot be reconciled' });
    },
    async fetchByIds(entity, ids) {
      const wanted = new Set(ids);
      return file.records[entity].filter((r) => r.raw !== null && typeof r.raw === 'object' && 'dms_id' in r.raw && wanted.has(String(r.raw.dms_id))).map((r) => r.raw);
    },
  };
}
