import { sql, type Kysely, type Migration } from 'kysely';

/** The core domain: dealer, staff, customers with vehicles and repair orders, and the contact timeline. */
export const migration0001: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('dealer')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('brand', 'text', (c) => c.notNull())
      .addColumn('city', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('staff')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('agent','supervisor','admin')`))
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // Usernames are unique regardless of case: "Zhang" and "zhang" must not be two logins.
    await sql`create unique index staff_username on staff (dealer_id, username collate nocase)`.execute(db);

    await db.schema
      .createTable('customer')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('dms_id', 'text')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('gender', 'text', (c) => c.check(sql`gender in ('M','F')`))
      .addColumn('mobile', 'text')
      .addColumn('phone2', 'text')
      .addColumn('birthday', 'text')
      .addColumn('city', 'text')
      .addColumn('address', 'text')
      .addColumn('member_tier', 'text', (c) => c.check(sql`member_tier in ('standard','silver','gold','platinum')`))
      .addColumn('member_no', 'text')
      .addColumn('member_since', 'text')
      .addColumn('responsible_staff_id', 'text', (c) => c.references('staff.id'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'text')
      .execute();
    await sql`create unique index customer_dms on customer (dealer_id, dms_id) where dms_id is not null`.execute(db);
    await db.schema.createIndex('customer_mobile').on('customer').column('mobile').execute();
    await db.schema.createIndex('customer_name').on('customer').column('name').execute();

    await db.schema
      .createTable('vehicle')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('customer_id', 'text', (c) => c.notNull().references('customer.id'))
      .addColumn('dms_id', 'text')
      .addColumn('vin', 'text', (c) => c.notNull())
      .addColumn('plate', 'text')
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('model_year', 'integer')
      .addColumn('color', 'text')
      .addColumn('purchase_date', 'text')
      .addColumn('purchased_here', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('mileage_km', 'integer')
      .addColumn('mileage_date', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'text')
      .execute();
    await sql`create unique index vehicle_vin on vehicle (dealer_id, vin)`.execute(db);
    await sql`create unique index vehicle_dms on vehicle (dealer_id, dms_id) where dms_id is not null`.execute(db);
    await db.schema.createIndex('vehicle_customer').on('vehicle').column('customer_id').execute();
    await db.schema.createIndex('vehicle_plate').on('vehicle').column('plate').execute();
    await db.schema.createIndex('vehicle_model').on('vehicle').columns(['model', 'purchase_date']).execute();

    await db.schema
      .createTable('repair_order')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('vehicle_id', 'text', (c) => c.notNull().references('vehicle.id'))
      .addColumn('customer_id', 'text', (c) => c.notNull().references('customer.id'))
      .addColumn('dms_id', 'text')
      .addColumn('ro_no', 'text', (c) => c.notNull())
      .addColumn('opened_on', 'text', (c) => c.notNull())
      .addColumn('closed_on', 'text')
      .addColumn('category', 'text', (c) =>
        c.notNull().check(sql`category in ('first_service','maintenance','repair','warranty','bodywork','accessory','other')`),
      )
      .addColumn('mileage_km', 'integer')
      .addColumn('labor_fen', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('parts_fen', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('total_fen', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('advisor', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'text')
      .execute();
    await sql`create unique index repair_order_dms on repair_order (dealer_id, dms_id) where dms_id is not null`.execute(db);
    await db.schema.createIndex('repair_order_customer').on('repair_order').columns(['customer_id', 'opened_on']).execute();
    await db.schema.createIndex('repair_order_vehicle').on('repair_order').columns(['vehicle_id', 'opened_on']).execute();
    await db.schema.createIndex('repair_order_opened').on('repair_order').columns(['opened_on', 'category']).execute();

    await db.schema
      .createTable('contact_event')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dealer_id', 'text', (c) => c.notNull().references('dealer.id'))
      .addColumn('customer_id', 'text', (c) => c.notNull().references('customer.id'))
      .addColumn('vehicle_id', 'text', (c) => c.references('vehicle.id'))
      .addColumn('kind', 'text', (c) =>
        c
          .notNull()
          .check(
            sql`kind in ('call_in','call_out','sms_in','sms_out','letter','visit','note','survey','complaint','profile_change')`,
          ),
      )
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('staff_id', 'text', (c) => c.references('staff.id'))
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('contact_event_customer')
      .on('contact_event')
      .columns(['customer_id', 'occurred_at desc', 'id desc'])
      .execute();
    // The timeline is append-only: history a supervisor audits cannot be edited or removed.
    await sql`create trigger contact_event_no_update before update on contact_event
      begin select raise(abort, 'contact_event is append-only'); end`.execute(db);
    await sql`create trigger contact_event_no_delete before delete on contact_event
      begin select raise(abort, 'contact_event is append-only'); end`.execute(db);

    // Search-as-you-type: a trigram FTS index gives substring matches on names, phones, plates and VINs.
    await sql`create virtual table customer_search using fts5(body, tokenize = 'trigram')`.execute(db);
    const body = (c: string) => sql.raw(`${c}.name || ' ' || coalesce(${c}.mobile, '') || ' ' || coalesce(${c}.phone2, '') || ' ' ||
      coalesce((select group_concat(coalesce(v.plate, '') || ' ' || v.vin, ' ') from vehicle v
                where v.customer_id = ${c}.id and v.deleted_at is null), '')`);
    const refresh = (target: string) =>
      sql.raw(`delete from customer_search where rowid = (select seq from customer where id = ${target});
        insert into customer_search (rowid, body)
          select c.seq, ${body('c').compile(db).sql} from customer c where c.id = ${target} and c.deleted_at is null;`);
    await sql`create trigger customer_search_ai after insert on customer begin ${refresh('new.id')} end`.execute(db);
    await sql`create trigger customer_search_au after update of name, mobile, phone2, deleted_at on customer
      begin ${refresh('new.id')} end`.execute(db);
    await sql`create trigger customer_search_ad after delete on customer
      begin delete from customer_search where rowid = old.seq; end`.execute(db);
    await sql`create trigger vehicle_search_ai after insert on vehicle begin ${refresh('new.customer_id')} end`.execute(db);
    await sql`create trigger vehicle_search_au after update of plate, vin, customer_id, deleted_at on vehicle
      begin ${refresh('old.customer_id')} ${refresh('new.customer_id')} end`.execute(db);
    await sql`create trigger vehicle_search_ad after delete on vehicle begin ${refresh('old.customer_id')} end`.execute(db);
  },
};
