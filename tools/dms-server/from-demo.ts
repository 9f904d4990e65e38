/**
 * Seeds the reference DMS from the demo dealer generator (db/demo), so the demo's DMS and workstation
 * tell the same story. Rows are generated into a scratch workstation store and read back as DMS
 * records; a row's DMS id is its dms_id, or its workstation id where the generator left dms_id empty.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/connection';
import { generateDemoDealer } from '../../db/demo/generate';
import { migrateToLatest } from '../../db/migrate';
import type { RepairCategory } from '../../db/schema';
import type { Fixture } from './fixture';

export async function fixtureFromDemo(options: { customers: number; seed?: number; today?: string }): Promise<Fixture> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dms-demo-seed-'));
  const handle = openDatabase(path.join(dir, 'demo.sqlite'));
  try {
    await migrateToLatest(handle.db);
    await generateDemoDealer(handle, {
      customers: options.customers,
      seed: options.seed ?? 42,
      ...(options.today ? { today: options.today } : {}),
      passwordParams: { N: 1024, r: 8, p: 1 },
    });
    const all = <T>(q: string) => handle.sqlite.prepare<[], T>(q).all();
    const customers = all<Fixture['customers'][number]>(`select coalesce(dms_id, id) dms_id, name, gender, mobile, phone2, birthday, city, address,
        updated_at from customer where deleted_at is null order by seq`);
    const vehicles = all<Omit<Fixture['vehicles'][number], 'purchased_here'> & { purchased_here: number }>(`select coalesce(v.dms_id, v.id) dms_id,
        coalesce(c.dms_id, c.id) customer_dms_id, v.vin, v.plate, v.model, v.model_year, v.color, v.purchase_date, v.purchased_here,
        v.mileage_km, v.mileage_date, v.sales_consultant, v.updated_at from vehicle v join customer c on c.id = v.customer_id where v.deleted_at is null order by v.id`);
    const repairOrders = all<Fixture['repairOrders'][number] & { category: RepairCategory }>(`select coalesce(r.dms_id, r.id) dms_id,
        coalesce(v.dms_id, v.id) vehicle_dms_id, r.ro_no, r.opened_on, r.closed_on, r.category, r.mileage_km, r.labor_fen, r.parts_fen,
        r.total_fen, r.advisor, r.updated_at from repair_order r join vehicle v on v.id = r.vehicle_id where r.deleted_at is null order by r.id`);
    return { customers, vehicles: vehicles.map((v) => ({ ...v, purchased_here: v.purchased_here === 1 })), repairOrders };
  } finally {
    handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
