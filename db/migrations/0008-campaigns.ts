import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 5: reminder campaigns (rules, staged steps, tasks, touches, dispositions, reasons, inspection
 * rules, known due dates), per-purpose contact turn-offs, the campaign SMS queue, appointments and
 * message templates. Default rows are per dealer and written by main/campaigns (ensureDefaults).
 */
export const migration0008: Migration = {
  async up(db: Kysely<unknown>) {
    const run = (q: string) => sql.raw(q).execute(db);
    const stamps = 'created_at text not null, updated_at text not null';
    const dealer = 'dealer_id text not null references dealer(id)';

    await run(`create table campaign (
      id text primary key, ${dealer},
      kind text not null check (kind in ('maintenance','first_service','insurance_compulsory','insurance_commercial',
        'inspection','birthday','purchase_thanks','service_followup','lapsed_first_service','lapsed_basic','lapsed_lost')),
      name_zh text not null, name_en text not null,
      purpose text not null check (purpose in ('maintenance','insurance','marketing','survey')),
      enabled integer not null default 1, priority integer not null default 0, params text not null, ${stamps})`);
    // Built-in campaigns are one per kind and dealer; ad-hoc campaigns will get their own table.
    await run(`create unique index campaign_kind on campaign (dealer_id, kind)`);

    await run(`create table campaign_step (
      id text primary key, ${dealer},
      campaign_id text not null references campaign(id),
      seq integer not null, offset_days integer not null,
      channel text not null check (channel in ('letter','sms','phone','reason_call')),
      template_id text references message_template(id), ${stamps})`);
    await run(`create unique index campaign_step_seq on campaign_step (campaign_id, seq)`);

    await run(`create table campaign_task (
      id text primary key, ${dealer},
      campaign_id text not null references campaign(id),
      subject_id text not null,
      vehicle_id text references vehicle(id),
      customer_id text not null references customer(id),
      cycle_key text not null, due_on text not null, window_from text not null, settle_on text not null, expire_on text not null,
      status text not null default 'open' check (status in ('open','done','closed')),
      close_reason text, will_come integer, feedback_reason text,
      campaign_remark text, followup_remark text, followed_up_at text,
      step_seq integer not null default -1, step_channel text, step_on text,
      fallback integer not null default 0, gift text, priority integer not null default 0,
      assigned_staff_id text references staff(id), claimed_by text references staff(id), claimed_at text,
      hidden_until text, callback_at text,
      unreachable_days integer not null default 0, last_unreachable_on text,
      last_touch_on text, last_touch_channel text, last_touch_staff_id text,
      worked_at text,
      result text check (result in ('came','no_show')), result_on text, result_ro_id text,
      credited_channel text, credited_staff_id text,
      created_on text not null, ${stamps})`);
    // The idempotency key of generation: one task per subject per due cycle, however often it runs.
    await run(`create unique index campaign_task_cycle on campaign_task (campaign_id, subject_id, cycle_key)`);
    await run(`create index campaign_task_queue on campaign_task (dealer_id, status, step_on) where status = 'open'`);
    await run(`create index campaign_task_vehicle on campaign_task (vehicle_id, status)`);
    await run(`create index campaign_task_settle on campaign_task (settle_on) where result is null`);
    await run(`create index campaign_task_due on campaign_task (campaign_id, due_on)`);

    await run(`create table campaign_touch (
      id text primary key, ${dealer},
      task_id text not null references campaign_task(id),
      step_seq integer not null,
      channel text not null check (channel in ('letter','sms','phone','reason_call')),
      touch_on text not null, occurred_at text not null,
      staff_id text references staff(id), disposition text, reached integer not null default 0,
      skipped_reason text, created_at text not null)`);
    await run(`create index campaign_touch_task on campaign_touch (task_id, occurred_at)`);
    await run(`create index campaign_touch_staff on campaign_touch (staff_id, touch_on)`);
    await run(`create trigger campaign_touch_no_update before update on campaign_touch
      begin select raise(abort, 'campaign_touch is append-only'); end`);

    await run(`create table campaign_disposition (
      id text primary key, ${dealer}, code text not null, label_zh text not null, label_en text not null,
      reached integer not null default 0, unreachable integer not null default 0,
      hide_days integer not null default 0, callback integer not null default 0,
      active integer not null default 1, sort integer not null default 0, ${stamps})`);
    await run(`create unique index campaign_disposition_code on campaign_disposition (dealer_id, code)`);

    await run(`create table campaign_reason (
      id text primary key, ${dealer}, kind text not null check (kind in ('feedback','close')),
      code text not null, label_zh text not null, label_en text not null,
      active integer not null default 1, sort integer not null default 0, ${stamps})`);
    await run(`create unique index campaign_reason_code on campaign_reason (dealer_id, kind, code)`);

    await run(`create table inspection_rule (
      id text primary key, ${dealer}, vehicle_class text not null,
      from_months integer not null, to_months integer not null, every_months integer not null check (every_months > 0),
      on_site integer not null default 1, note_zh text, ${stamps})`);

    await run(`create table vehicle_due_date (
      ${dealer}, vehicle_id text not null references vehicle(id),
      kind text not null check (kind in ('insurance_compulsory','insurance_commercial','inspection')),
      due_on text not null, ${stamps}, primary key (vehicle_id, kind)) without rowid`);

    await run(`create table contact_turnoff (
      id text primary key, ${dealer}, customer_id text not null references customer(id),
      vehicle_id text not null default '',
      purpose text not null check (purpose in ('all','maintenance','insurance','marketing','survey')),
      channel text not null check (channel in ('any','sms','phone','letter')),
      reason text not null check (length(reason) > 0), set_by text references staff(id), ${stamps})`);
    await run(`create unique index contact_turnoff_key on contact_turnoff (customer_id, vehicle_id, purpose, channel)`);
    await run(`create table contact_turnoff_log (
      id text primary key, ${dealer}, customer_id text not null references customer(id), vehicle_id text not null,
      purpose text not null, channel text not null, action text not null check (action in ('set','clear')),
      reason text not null, staff_id text references staff(id), created_at text not null)`);
    await run(`create index contact_turnoff_log_customer on contact_turnoff_log (customer_id, created_at)`);

    await run(`create table campaign_sms (
      id text primary key, ${dealer}, customer_id text not null references customer(id),
      mobile text not null, text text not null, purpose text not null, dedupe_key text not null,
      not_before text, status text not null default 'queued' check (status in ('queued','handed_off')), ${stamps})`);
    await run(`create unique index campaign_sms_dedupe on campaign_sms (dealer_id, dedupe_key)`);

    await run(`create table campaign_run (
      id text primary key, ${dealer}, today text not null, started_at text not null, finished_at text not null,
      created integer not null, stats text not null, ms integer not null)`);

    await run(`create table appointment_slot (
      id text primary key, ${dealer}, weekday integer not null check (weekday between 0 and 6),
      start_time text not null, end_time text not null, capacity integer not null check (capacity >= 0),
      active integer not null default 1, ${stamps})`);
    await run(`create unique index appointment_slot_key on appointment_slot (dealer_id, weekday, start_time)`);

    await run(`create table appointment (
      id text primary key, ${dealer}, customer_id text not null references customer(id),
      vehicle_id text not null references vehicle(id), task_id text references campaign_task(id),
      date text not null, start_time text not null, service_type text not null, advisor text, note text,
      status text not null default 'booked' check (status in ('booked','cancelled','arrived','no_show')),
      ro_id text, booked_by text references staff(id), ${stamps})`);
    // A vehicle has at most one live booking per day: the same car cannot be booked twice.
    await run(`create unique index appointment_vehicle_day on appointment (vehicle_id, date) where status = 'booked'`);
    await run(`create index appointment_day on appointment (dealer_id, date, start_time, status)`);

    await run(`create table message_template (
      id text primary key, ${dealer}, code text not null,
      kind text not null check (kind in ('sms','letter','card','envelope')),
      name text not null, body text not null, page text check (page in ('A4','DL','C5','A6')),
      active integer not null default 1, ${stamps})`);
    await run(`create unique index message_template_code on message_template (dealer_id, code)`);
  },
};
