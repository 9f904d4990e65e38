/**
 * Bulk loads would fold each of a million repair orders into its vehicle's facts row one by one. This
 * takes the vehicle_fact triggers out for the load and puts the very same statements back (read from
 * sqlite_master, so they stay whatever the migrations made them), then rebuilds the table once from
 * the vehicle_fact_source view.
 */
import type BetterSqlite3 from 'better-sqlite3';

export interface SuspendedVehicleFacts {
  /** Recreates the triggers and rebuilds vehicle_fact from the current vehicles and repair orders. */
  restore(): void;
}

export function suspendVehicleFacts(sqlite: BetterSqlite3.Database): SuspendedVehicleFacts {
  const triggers = sqlite
    .prepare<[], { name: string; sql: string }>(`select name, sql from sqlite_master where type = 'trigger' and tbl_name in ('repair_order', 'vehicle')
      and name like 'vehicle\\_fact\\_%' escape '\\' order by name`)
    .all();
  const hasTable = sqlite.prepare(`select 1 from sqlite_master where type = 'table' and name = 'vehicle_fact'`).get() !== undefined;
  sqlite.transaction(() => {
    for (const t of triggers) sqlite.exec(`drop trigger "${t.name.replaceAll('"', '""')}"`);
  })();
  return {
    restore() {
      sqlite.transaction(() => {
        for (const t of triggers) sqlite.exec(t.sql);
        if (hasTable) sqlite.exec('delete from vehicle_fact; insert into vehicle_fact select * from vehicle_fact_source');
      })();
    },
  };
}
