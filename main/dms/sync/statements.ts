/**
 * Prepared statements of the import hot loop. SQL text is built with kysely's `sql` (identifiers
 * escaped, values as better-sqlite3 named parameters) and compiled once per engine, as
 * docs/engineering.md asks for hot loops.
 */
import { sql, type RawBuilder } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import type { DbHandle } from '../../../db/connection';
import type { DmsEntity } from '../records';

/** Local columns each entity writes (besides id, dealer_id, dms_id and the timestamps). */
export const LOCAL_COLUMNS = {
  customer: ['name', 'gender', 'mobile', 'phone2', 'birthday', 'city', 'address'],
  vehicle: ['customer_id', 'vin', 'plate', 'model', 'model_year', 'color', 'purchase_date', 'purchased_here', 'mileage_km', 'mileage_date', 'sales_consultant'],
  repair_order: ['vehicle_id', 'customer_id', 'ro_no', 'opened_on', 'closed_on', 'category', 'mileage_km', 'labor_fen', 'parts_fen', 'total_fen', 'advisor'],
} as const satisfies Record<DmsEntity, readonly string[]>;

export type LocalRow = Record<string, string | number | null>;
export interface KnownRecord {
  local_id: string;
  content_hash: string;
  base: string | null;
}
type Params = Record<string, string | number | null>;

const param = (name: string) => sql.raw(`@${name}`);
const cols = (names: readonly string[]) => sql.join(names.map((n) => sql.ref(n)));

type Positional = (string | number | null)[];

export interface EntityStatements {
  /** Positional (id, dealer_id, dms_id, now, now, ...LOCAL_COLUMNS): binding by position is the cheapest per row. */
  insert: BetterSqlite3.Statement<Positional>;
  update: BetterSqlite3.Statement<[Params]>;
  select: BetterSqlite3.Statement<[Params], LocalRow>;
  softDelete: BetterSqlite3.Statement<[Params]>;
}

export interface Statements {
  entity: Record<DmsEntity, EntityStatements>;
  selectRecord: BetterSqlite3.Statement<[Params], { local_id: string; content_hash: string; base: string | null }>;
  /** Positional: dealer_id, entity, dms_id, local_id, content_hash, dms_updated_at, base, run_id, now. */
  upsertRecord: BetterSqlite3.Statement<Positional>;
  vehicleByVin: BetterSqlite3.Statement<[Params], { id: string; dms_id: string | null }>;
  /** The page's known records in one query (ids as a JSON array) instead of one lookup per row. */
  selectRecords: BetterSqlite3.Statement<[Params], KnownRecord & { dms_id: string }>;
  /** Local ids of the page's parent customers, or parent vehicles with their owners. */
  selectCustomerParents: BetterSqlite3.Statement<[Params], { dms_id: string; local_id: string }>;
  selectVehicleParents: BetterSqlite3.Statement<[Params], { dms_id: string; local_id: string; customer_id: string }>;
  upsertConflict: BetterSqlite3.Statement<[Params]>;
  settleConflict: BetterSqlite3.Statement<[Params]>;
  upsertQuarantine: BetterSqlite3.Statement<[Params]>;
  saveState: BetterSqlite3.Statement<[Params]>;
  saveRunCounts: BetterSqlite3.Statement<[Params]>;
}

export function prepareStatements(handle: DbHandle): Statements {
  const prep = <R = unknown>(q: RawBuilder<unknown>) => handle.sqlite.prepare<[Params], R>(q.compile(handle.db).sql);
  const prepPositional = (q: RawBuilder<unknown>) => handle.sqlite.prepare<Positional>(q.compile(handle.db).sql);
  const marks = (n: number) => sql.raw(Array.from({ length: n }, () => '?').join(', '));
  const entity = (table: DmsEntity, columns: readonly string[]): EntityStatements => {
    const t = sql.table(table);
    const versioned = table === 'customer' ? sql`, version = version + 1` : sql``;
    return {
      insert: prepPositional(sql`insert into ${t} (id, dealer_id, dms_id, created_at, updated_at, ${cols(columns)})
        values (?, ?, ?, ?, ?, ${marks(columns.length)})`),
      update: prep(sql`update ${t} set ${sql.join(columns.map((c) => sql`${sql.ref(c)} = ${param(c)}`))},
        dms_id = @dms_id, deleted_at = null, updated_at = @now${versioned} where id = @id`),
      select: prep<LocalRow>(sql`select id, deleted_at, ${cols(columns)} from ${t} where id = @id`),
      softDelete: prep(sql`update ${t} set deleted_at = @at, updated_at = @now${versioned} where id = @id and deleted_at is null`),
    };
  };
  return {
    entity: {
      customer: entity('customer', LOCAL_COLUMNS.customer),
      vehicle: entity('vehicle', LOCAL_COLUMNS.vehicle),
      repair_order: entity('repair_order', LOCAL_COLUMNS.repair_order),
    },
    selectRecord: prep(sql`select local_id, content_hash, base from dms_record
      where dealer_id = @dealer_id and entity = @entity and dms_id = @dms_id`),
    upsertRecord: prepPositional(sql`insert into dms_record (dealer_id, entity, dms_id, local_id, content_hash, dms_updated_at, base, run_id, imported_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?)
      on conflict (dealer_id, entity, dms_id) do update set local_id = excluded.local_id, content_hash = excluded.content_hash,
        dms_updated_at = excluded.dms_updated_at, base = excluded.base, run_id = excluded.run_id, imported_at = excluded.imported_at`),
    vehicleByVin: prep(sql`select id, dms_id from vehicle where dealer_id = @dealer_id and vin = @vin`),
    selectRecords: prep(sql`select dms_id, local_id, content_hash, base from dms_record
      where dealer_id = @dealer_id and entity = @entity and dms_id in (select value from json_each(@ids))`),
    selectCustomerParents: prep(sql`select dms_id, local_id from dms_record
      where dealer_id = @dealer_id and entity = 'customer' and dms_id in (select value from json_each(@ids))`),
    selectVehicleParents: prep(sql`select r.dms_id, r.local_id, v.customer_id from dms_record r join vehicle v on v.id = r.local_id
      where r.dealer_id = @dealer_id and r.entity = 'vehicle' and r.dms_id in (select value from json_each(@ids))`),
    upsertConflict: prep(sql`insert into dms_conflict (id, dealer_id, entity, dms_id, local_id, field, local_value, dms_value, base_value,
        run_id, status, created_at, updated_at)
      values (@id, @dealer_id, @entity, @dms_id, @local_id, @field, @local_value, @dms_value, @base_value, @run_id, 'open', @now, @now)
      on conflict (dealer_id, entity, dms_id, field) where status = 'open' do update set local_value = excluded.local_value,
        dms_value = excluded.dms_value, base_value = excluded.base_value, run_id = excluded.run_id, updated_at = excluded.updated_at`),
    settleConflict: prep(sql`update dms_conflict set status = 'took_dms', resolved_at = @now, updated_at = @now
      where dealer_id = @dealer_id and entity = @entity and dms_id = @dms_id and field = @field and status = 'open'`),
    upsertQuarantine: prep(sql`insert into dms_quarantine (id, dealer_id, source_id, run_id, entity, ref, dms_id, reason_zh, reason_en, raw,
        fingerprint, status, created_at, updated_at)
      values (@id, @dealer_id, @source_id, @run_id, @entity, @ref, @dms_id, @reason_zh, @reason_en, @raw, @fingerprint, 'open', @now, @now)
      on conflict (dealer_id, source_id, fingerprint) do update set run_id = excluded.run_id, ref = excluded.ref,
        reason_zh = excluded.reason_zh, reason_en = excluded.reason_en, updated_at = excluded.updated_at`),
    saveState: prep(sql`insert into dms_sync_state (dealer_id, source_id, entity, watermark, since, cursor, run_id, updated_at)
      values (@dealer_id, @source_id, @entity, @watermark, @since, @cursor, @run_id, @now)
      on conflict (source_id, entity) do update set watermark = excluded.watermark, since = excluded.since,
        cursor = excluded.cursor, run_id = excluded.run_id, updated_at = excluded.updated_at`),
    saveRunCounts: prep(sql`update dms_run set fetched = @fetched, inserted = @inserted, updated = @updated, unchanged = @unchanged,
      deleted = @deleted, conflicts = @conflicts, quarantined = @quarantined where id = @id`),
  };
}
