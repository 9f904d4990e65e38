import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 5 item 10: the per-vehicle facts every reminder rule reads (last service date and km, last
 * visit, odometer readings and the km/day rate), kept current as repair orders and vehicles are
 * written, so nightly generation reads one row per vehicle instead of aggregating ~1M repair orders;
 * and repair orders indexed by closing date for the after-service follow-up.
 *
 * `vehicle_fact_source` is the one definition of a vehicle's facts; the table is its materialization.
 * A new repair order folds into its vehicle's row incrementally (the DMS sync inserts orders one by
 * one); any other change to an order or a vehicle recomputes that vehicle's row from the view. Bulk
 * loaders may drop the `vehicle_fact_*` triggers and rebuild from the view once (db/demo/vehicle-facts.ts).
 * Readings are packed as 'YYYY-MM-DD|km' so one max()/min() picks the latest/earliest reading.
 */
const SERVICE = `('first_service','maintenance')`;

export const migration0012: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (q: string) => sql.raw(q).execute(db);

    await run(`create view vehicle_fact_source as
      select v.id as vehicle_id, v.dealer_id, v.customer_id, v.purchase_date, v.purchased_here,
        v.mileage_km as vehicle_km, v.mileage_date as vehicle_km_on,
        max(case when r.category in ${SERVICE} then r.opened_on || '|' || coalesce(r.mileage_km, '') end) as svc,
        max(r.opened_on) as last_visit_on,
        max(case when r.mileage_km is not null then r.opened_on || '|' || r.mileage_km end) as km_last,
        min(case when r.mileage_km is not null then r.opened_on || '|' || r.mileage_km end) as km_first
      from vehicle v
      left join repair_order r on r.vehicle_id = v.id and r.dealer_id = v.dealer_id and r.deleted_at is null
      where v.deleted_at is null
      group by v.id`);

    // The latest reading is the vehicle's own when it is newer than every repair order's.
    const ownNewer = `(vehicle_km is not null and vehicle_km_on is not null and (km_last is null or vehicle_km_on > substr(km_last, 1, 10)))`;
    await run(`create table vehicle_fact (
      vehicle_id text primary key,
      dealer_id text not null,
      customer_id text not null,
      purchase_date text,
      purchased_here integer not null,
      vehicle_km integer,
      vehicle_km_on text,
      svc text,
      last_visit_on text,
      km_last text,
      km_first text,
      last_service_on text generated always as (substr(svc, 1, 10)) stored,
      last_service_km integer generated always as (cast(nullif(substr(svc, 12), '') as integer)) stored,
      ref_on text generated always as (case when ${ownNewer} then vehicle_km_on else substr(km_last, 1, 10) end) stored,
      ref_km integer generated always as (case when ${ownNewer} then vehicle_km else cast(substr(km_last, 12) as integer) end) stored,
      km_per_day real generated always as (case
        when km_first is not null and ref_on is not null and julianday(ref_on) - julianday(substr(km_first, 1, 10)) >= 30
             and ref_km > cast(substr(km_first, 12) as integer)
          then (ref_km - cast(substr(km_first, 12) as integer)) * 1.0 / (julianday(ref_on) - julianday(substr(km_first, 1, 10)))
        when purchase_date is not null and ref_on is not null and julianday(ref_on) - julianday(purchase_date) >= 30 and ref_km > 0
          then ref_km * 1.0 / (julianday(ref_on) - julianday(purchase_date))
        end) stored
    ) without rowid`);
    await run(`insert into vehicle_fact select * from vehicle_fact_source`);

    const recompute = (ids: string) => `delete from vehicle_fact where vehicle_id in (${ids});
      insert into vehicle_fact select * from vehicle_fact_source where vehicle_id in (${ids});`;
    const packed = `new.opened_on || '|' || coalesce(new.mileage_km, '')`;
    const reading = `new.opened_on || '|' || new.mileage_km`;
    // A new order can only move the maxima up and the minimum down: fold it in without re-reading the others.
    await run(`create trigger vehicle_fact_ro_ai after insert on repair_order when new.deleted_at is null begin
      update vehicle_fact set
        svc = case when new.category in ${SERVICE} and (svc is null or ${packed} > svc) then ${packed} else svc end,
        last_visit_on = case when last_visit_on is null or new.opened_on > last_visit_on then new.opened_on else last_visit_on end,
        km_last = case when new.mileage_km is not null and (km_last is null or ${reading} > km_last) then ${reading} else km_last end,
        km_first = case when new.mileage_km is not null and (km_first is null or ${reading} < km_first) then ${reading} else km_first end
      where vehicle_id = new.vehicle_id and dealer_id = new.dealer_id;
    end`);
    // The DMS sync rewrites whole rows: recompute only when a column the facts read really changed.
    const changed = (cols: string[]) => cols.map((c) => `old.${c} is not new.${c}`).join(' or ');
    await run(`create trigger vehicle_fact_ro_au after update of vehicle_id, dealer_id, opened_on, category, mileage_km, deleted_at on repair_order
      when ${changed(['vehicle_id', 'dealer_id', 'opened_on', 'category', 'mileage_km', 'deleted_at'])}
      begin ${recompute('old.vehicle_id, new.vehicle_id')} end`);
    await run(`create trigger vehicle_fact_ro_ad after delete on repair_order begin ${recompute('old.vehicle_id')} end`);

    await run(`create trigger vehicle_fact_vehicle_ai after insert on vehicle begin ${recompute('new.id')} end`);
    // Odometer and owner changes are frequent (every DMS sync): copy the vehicle's own columns in place.
    await run(`create trigger vehicle_fact_vehicle_au after update of customer_id, purchase_date, purchased_here, mileage_km, mileage_date on vehicle
      when old.id = new.id and old.dealer_id = new.dealer_id and old.deleted_at is new.deleted_at
        and (${changed(['customer_id', 'purchase_date', 'purchased_here', 'mileage_km', 'mileage_date'])}) begin
      update vehicle_fact set customer_id = new.customer_id, purchase_date = new.purchase_date, purchased_here = new.purchased_here,
        vehicle_km = new.mileage_km, vehicle_km_on = new.mileage_date
      where vehicle_id = new.id;
    end`);
    // Deleted, restored, moved to another dealer or re-keyed: the orders that count change too.
    await run(`create trigger vehicle_fact_vehicle_au_key after update of id, dealer_id, deleted_at on vehicle
      when old.id <> new.id or old.dealer_id <> new.dealer_id or old.deleted_at is not new.deleted_at
      begin ${recompute('old.id, new.id')} end`);
    await run(`create trigger vehicle_fact_vehicle_ad after delete on vehicle begin delete from vehicle_fact where vehicle_id = old.id; end`);

    // 售后回访 reads the orders closed in its few-day window; by opening date it had to fetch months of orders.
    await run(`create index repair_order_closed on repair_order (closed_on) where closed_on is not null and deleted_at is null`);
  },
};
