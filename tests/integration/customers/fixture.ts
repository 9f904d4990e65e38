/**
 * A small hand-made dealer for the Customer 360 tests: customers whose names, phones, plates and VINs
 * are chosen so that each search rule has exactly one expected answer, a soft-deleted customer, a
 * second dealer sharing a name and a mobile, and a dispatcher over the customers handlers alone.
 */
import { openDatabase, type DbHandle } from '../../../db/connection';
import { buildVin } from '../../../db/demo/vin';
import { newId } from '../../../db/ids';
import type { NewCustomer, NewVehicle } from '../../../db/schema';
import { createCustomers } from '../../../main/customers';
import { assembleHandlers, createDispatcher, type CallContext, type HandlerMap } from '../../../main/rpc';
import { REQUEST_NAMES, type EventName, type EventPayload, type RequestName, type RequestOutput, type Result } from '../../../preload/contract';
import { createTestStore, type TestStore } from '../../support/db';

const AT = '2025-01-01T00:00:00.000Z';

export const VINS = {
  zhangWei: buildVin('LHG', 'CV165', 2020, '8', 424242),
  zhangWeiMing: buildVin('LVH', 'RW185', 2021, '2', 737373),
  wangXiaoMing1: buildVin('LHG', 'RS1E5', 2023, 'N', 515151),
  wangXiaoMing2: buildVin('LHG', 'GK575', 2019, '8', 262626),
  otherDealer: buildVin('LHG', 'CV165', 2020, '8', 999111),
};

export interface Fixture {
  store: TestStore;
  handle: DbHandle;
  ids: Record<'zhangWei' | 'zhangWeiMing' | 'wangXiaoMing' | 'liNa' | 'ouyang' | 'deleted' | 'otherDealer', string>;
  vehicles: Record<'zhangWei' | 'wangXiaoMing1' | 'wangXiaoMing2' | 'zhangWeiMing', string>;
  otherDealerId: string;
}

function customer(dealerId: string, fields: Partial<NewCustomer> & { name: string }): NewCustomer {
  return {
    id: newId(),
    dealer_id: dealerId,
    dms_id: null,
    gender: null,
    mobile: null,
    phone2: null,
    birthday: null,
    city: '广州',
    address: null,
    member_tier: null,
    member_no: null,
    member_since: null,
    responsible_staff_id: null,
    created_at: AT,
    updated_at: AT,
    deleted_at: null,
    ...fields,
  };
}

function vehicle(c: NewCustomer, fields: Partial<NewVehicle> & { vin: string; model: string }): NewVehicle {
  return {
    id: newId(),
    dealer_id: c.dealer_id,
    customer_id: c.id,
    dms_id: null,
    plate: null,
    model_year: 2020,
    color: '珍珠白',
    purchase_date: '2020-05-01',
    purchased_here: 1,
    mileage_km: 30000,
    mileage_date: '2024-05-01',
    created_at: AT,
    updated_at: AT,
    deleted_at: null,
    ...fields,
  };
}

export async function createFixture(dir: string): Promise<Fixture> {
  const store = await createTestStore(dir);
  const handle = openDatabase(store.file);
  const d = store.dealerId;
  const otherDealerId = newId();
  await handle.db
    .insertInto('dealer')
    .values({ id: otherDealerId, code: 'T002', name: '另一家本田店', brand: 'Honda', city: '深圳', created_at: AT, updated_at: AT })
    .execute();

  const zhangWei = customer(d, { name: '张伟', gender: 'M', mobile: '13812345678', member_tier: 'gold', responsible_staff_id: store.staff.agent.id });
  const zhangWeiMing = customer(d, { name: '张伟明', gender: 'M', mobile: '13812349999', phone2: '02087654321' });
  const wangXiaoMing = customer(d, { name: '王小明', gender: 'M', mobile: '13900001111', city: '佛山' });
  const liNa = customer(d, { name: '李娜', gender: 'F', mobile: '15012345678' });
  const ouyang = customer(d, { name: '欧阳晓明', gender: 'F', mobile: '18600002222' });
  const deleted = customer(d, { name: '张伟', mobile: '13812340000', deleted_at: AT });
  const other = customer(otherDealerId, { name: '张伟', mobile: '13812345678' });
  await handle.db.insertInto('customer').values([zhangWei, zhangWeiMing, wangXiaoMing, liNa, ouyang, deleted, other]).execute();

  const vZhangWei = vehicle(zhangWei, { vin: VINS.zhangWei, plate: '粤A12345', model: 'Accord' });
  const vZhangWeiMing = vehicle(zhangWeiMing, { vin: VINS.zhangWeiMing, plate: '粤B88888', model: 'CR-V' });
  const vWang1 = vehicle(wangXiaoMing, { vin: VINS.wangXiaoMing1, plate: '粤AD12345', model: 'e:NP1', purchase_date: '2023-03-01' });
  const vWang2 = vehicle(wangXiaoMing, { vin: VINS.wangXiaoMing2, plate: '粤E5678A', model: 'Fit', purchase_date: '2019-07-01' });
  const vOther = vehicle(other, { vin: VINS.otherDealer, plate: '粤B12345', model: 'Accord' });
  await handle.db.insertInto('vehicle').values([vZhangWei, vZhangWeiMing, vWang1, vWang2, vOther]).execute();

  const ro = (v: NewVehicle, roNo: string, openedOn: string, totalFen: number, category: 'maintenance' | 'repair') => ({
    id: newId(),
    dealer_id: v.dealer_id,
    vehicle_id: v.id,
    customer_id: v.customer_id,
    dms_id: null,
    ro_no: roNo,
    opened_on: openedOn,
    closed_on: openedOn,
    category,
    mileage_km: 10000,
    labor_fen: totalFen / 2,
    parts_fen: totalFen / 2,
    total_fen: totalFen,
    advisor: '黄志强',
    created_at: AT,
    updated_at: AT,
    deleted_at: null,
  });
  await handle.db
    .insertInto('repair_order')
    .values([
      ro(vWang2, 'RO202001150001', '2020-01-15', 80000, 'maintenance'),
      ro(vWang1, 'RO202405200003', '2024-05-20', 120000, 'maintenance'),
      ro(vWang2, 'RO202311020002', '2023-11-02', 350000, 'repair'),
      { ...ro(vWang2, 'RO202312010009', '2023-12-01', 999900, 'repair'), deleted_at: AT },
    ])
    .execute();

  return {
    store,
    handle,
    otherDealerId,
    ids: {
      zhangWei: zhangWei.id,
      zhangWeiMing: zhangWeiMing.id,
      wangXiaoMing: wangXiaoMing.id,
      liNa: liNa.id,
      ouyang: ouyang.id,
      deleted: deleted.id,
      otherDealer: other.id,
    },
    vehicles: { zhangWei: vZhangWei.id, zhangWeiMing: vZhangWeiMing.id, wangXiaoMing1: vWang1.id, wangXiaoMing2: vWang2.id },
  };
}

export interface Emitted {
  name: EventName;
  payload: EventPayload<EventName>;
}

/** A clock that moves one second per reading, so every write gets its own distinct timestamp. */
export function fakeClock(start = '2026-03-01T02:00:00.000Z'): () => Date {
  let t = Date.parse(start);
  return () => new Date((t += 1000));
}

/**
 * The customers handlers behind the real dispatcher (input validation, role check, output validation),
 * with the other channels answering "not here".
 */
export function customersApi(handle: DbHandle, now: () => Date = fakeClock()) {
  const emitted: Emitted[] = [];
  const map = createCustomers({ handle, now, emit: (name, payload) => emitted.push({ name, payload }) });
  const rest: HandlerMap = {};
  const notHere = () => {
    throw new Error('not part of this test');
  };
  for (const name of REQUEST_NAMES) if (!map[name]) Object.assign(rest, { [name]: notHere });
  const dispatcher = createDispatcher(assembleHandlers(map, rest), { validateOutput: true });
  return {
    emitted,
    handlers: map,
    call<N extends RequestName>(ctx: CallContext, name: N, input: unknown): Promise<Result<RequestOutput<N>>> {
      return dispatcher.dispatch(name, input, ctx) as Promise<Result<RequestOutput<N>>>;
    },
  };
}

export function staffContext(store: TestStore, role: 'agent' | 'supervisor' | 'admin' = 'agent', dealerId = store.dealerId): CallContext {
  const member = store.staff[role];
  return {
    connectionId: `test-${role}`,
    host: 'browser',
    staff: {
      staffId: member.id,
      dealerId,
      username: member.username,
      displayName: `测试${role}`,
      role,
      sessionToken: 'not-checked-by-this-dispatcher',
    },
  };
}

/** Unwraps a successful result or fails the test with the error body. */
export function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result.data;
}

export function errorOf<T>(result: Result<T>) {
  if (result.ok) throw new Error('expected an error, got success');
  return result.error;
}
