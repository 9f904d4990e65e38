/**
 * Migration 0023 on a store upgraded while SMS were waiting in the campaign queue. Before 0020 the outbox
 * wrote every SMS's timeline entry when it took the message; now the queue writes it when it queues one,
 * and the outbox none for automated SMS. An appointment confirmation queued by the old code (it never had
 * an entry of its own) would go out with no entry at all: 0023 gives each waiting row without one the
 * entry the queue writes now. Old campaign steps wrote theirs when queuing and keep it. Also the index the
 * per-customer daily cap counts with.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { newId } from '../../../db/ids';
import { migrateToLatest } from '../../../db/migrate';
import { timeline } from '../../../main/customers/timeline';
import { sentSinceQuery } from '../../../main/modem/store/outbox';
import { contactEventSchema } from '../../../preload/contract';
import { tempDir } from '../../support/db';

const AT = '2026-03-08T02:00:00.000Z';
const tmp = tempDir('sms-backfill-');
afterAll(() => tmp.cleanup());

/** A dealer with a customer, a car, a campaign task and a booking, and rows in the queue as the code of that version left them. */
function oldStore(h: DbHandle) {
  const run = (q: string, ...args: unknown[]) => h.sqlite.prepare(q).run(...args);
  const dealer = newId();
  run(`insert into dealer (id, code, name, brand, created_at, updated_at) values (?, 'T1', '测试店', 'Honda', ?, ?)`, dealer, AT, AT);
  const customer = newId();
  run(`insert into customer (id, dealer_id, name, mobile, created_at, updated_at) values (?, ?, '王芳', '13900001111', ?, ?)`, customer, dealer, AT, AT);
  const vehicle = newId();
  run(`insert into vehicle (id, dealer_id, customer_id, vin, plate, model, created_at, updated_at) values (?, ?, ?, 'LHGTEST0000000001', '粤A12345', 'Accord', ?, ?)`, vehicle, dealer, customer, AT, AT);
  const campaign = newId();
  run(`insert into campaign (id, dealer_id, kind, name_zh, name_en, purpose, enabled, priority, params, created_at, updated_at)
    values (?, ?, 'maintenance', '定期保养招揽', 'Scheduled maintenance', 'maintenance', 1, 50, '{}', ?, ?)`, campaign, dealer, AT, AT);
  const task = newId();
  run(`insert into campaign_task (id, dealer_id, campaign_id, subject_id, vehicle_id, customer_id, cycle_key, due_on, window_from, settle_on, expire_on, step_seq, step_channel, step_on, created_on, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, 'k', '2026-03-15', '2026-02-15', '2026-04-15', '2026-04-30', 2, 'phone', '2026-03-17', '2026-02-15', ?, ?)`, task, dealer, campaign, vehicle, vehicle, customer, AT, AT);
  const appointment = newId();
  run(`insert into appointment (id, dealer_id, customer_id, vehicle_id, date, start_time, service_type, created_at, updated_at) values (?, ?, ?, ?, '2026-03-10', '09:00', '定期保养', ?, ?)`, appointment, dealer, customer, vehicle, AT, AT);

  const queue = (key: string, text: string, extra: { status?: string; sms_message_id?: string | null; created_at?: string } = {}) => {
    const id = newId();
    run(`insert into campaign_sms (id, dealer_id, customer_id, mobile, text, purpose, dedupe_key, not_before, status, sms_message_id, created_at, updated_at)
      values (?, ?, ?, '13900001111', ?, ?, ?, '2026-03-09T01:00:00.000Z', ?, ?, ?, ?)`, id, dealer, customer, text, key.startsWith('appt:') ? 'appointment' : 'maintenance', key, extra.status ?? 'queued', extra.sms_message_id ?? null, extra.created_at ?? AT, AT);
    return id;
  };
  // Waiting confirmation: no entry (the old outbox would have written it).
  const waiting = queue(`appt:${appointment}:day_before`, '王女士，您明天 09:00 预约了保养。', { created_at: '2026-03-08T03:00:00.000Z' });
  // The hour-before one, claimed by a hand-off that died before the outbox took it: queued again on start.
  const stranded = queue(`appt:${appointment}:hour_before`, '王女士，您的预约一小时后开始。', { status: 'handed_off' });
  // A step SMS of the old code: its entry was written when it was queued.
  const step = queue(`task:${task}:step:1`, '您的爱车粤A12345该保养了');
  run(`insert into contact_event (id, dealer_id, customer_id, vehicle_id, kind, occurred_at, summary, detail, created_at) values (?, ?, ?, ?, 'sms_out', ?, ?, ?, ?)`,
    newId(), dealer, customer, vehicle, AT, '定期保养招揽：您的爱车粤A12345该保养了', JSON.stringify({ taskId: task, step: 1 }), AT);
  // A confirmation the outbox already took (and wrote the entry of, the old way).
  const message = newId();
  run(`insert into sms_message (id, dealer_id, customer_id, recipient, body, kind, encoding, part_count, concat_ref, state, client_ref, created_at, updated_at)
    values (?, ?, ?, '13900001111', '旧的确认', 'service', 'ucs2', 1, 1, 'sent', ?, ?, ?)`, message, dealer, customer, `campaign_sms:${newId()}`, AT, AT);
  queue(`appt:${newId()}:day_before`, '旧的确认', { status: 'handed_off', sms_message_id: message });
  run(`insert into contact_event (id, dealer_id, customer_id, kind, occurred_at, summary, detail, created_at) values (?, ?, ?, 'sms_out', ?, '旧的确认', ?, ?)`,
    newId(), dealer, customer, AT, JSON.stringify({ messageId: message, kind: 'service' }), AT);
  // An entry whose detail is not JSON at all must not stop the upgrade.
  run(`insert into contact_event (id, dealer_id, customer_id, kind, occurred_at, summary, detail, created_at) values (?, ?, ?, 'sms_out', ?, '坏数据', 'not json', ?)`, newId(), dealer, customer, AT, AT);
  return { dealer, customer, vehicle, appointment, waiting, stranded, step };
}

describe('migration 0023-sms-queue-backfill', () => {
  it.each(['0019-sales-team', '0020-sms-one-per-customer'])('gives each SMS waiting in the queue at %s its one timeline entry, and no second one', async (from) => {
    const h = openDatabase(path.join(tmp.dir, `${from}.sqlite`));
    try {
      await migrateToLatest(h.db, from);
      const s = oldStore(h);
      const entries = () => h.sqlite.prepare(`select count(*) from contact_event where kind = 'sms_out'`).pluck().get() as number;
      const before = entries();

      await migrateToLatest(h.db);
      expect(entries()).toBe(before + 2);
      const added = h.sqlite
        .prepare(`select vehicle_id, occurred_at, staff_id, summary, detail from contact_event where json_valid(detail) and json_extract(detail, '$.smsQueueId') is not null order by occurred_at`)
        .all() as Array<{ vehicle_id: string | null; occurred_at: string; staff_id: string | null; summary: string; detail: string }>;
      // As main/campaigns/sms-queue.ts writes it: when it was queued, the label before the text, the row and what sent it.
      expect(added.map((e) => ({ ...e, detail: JSON.parse(e.detail) as unknown }))).toEqual([
        {
          vehicle_id: s.vehicle, occurred_at: AT, staff_id: null, summary: '预约提醒（前一小时）：王女士，您的预约一小时后开始。',
          detail: { smsQueueId: s.stranded, source: { kind: 'appointment', appointmentId: s.appointment, reminder: 'hour_before' } },
        },
        {
          vehicle_id: s.vehicle, occurred_at: '2026-03-08T03:00:00.000Z', staff_id: null, summary: '预约提醒（前一天）：王女士，您明天 09:00 预约了保养。',
          detail: { smsQueueId: s.waiting, source: { kind: 'appointment', appointmentId: s.appointment, reminder: 'day_before' } },
        },
      ]);

      // The timeline shows them waiting for their time, about the booking.
      const page = await timeline(h.db, s.dealer, { customerId: s.customer, cursor: null, limit: 20 });
      const items = page.items.map((i) => contactEventSchema.parse(i));
      const waiting = items.find((i) => i.summary.startsWith('预约提醒（前一天）'));
      expect(waiting?.sms).toMatchObject({ state: 'queued', notBefore: '2026-03-09T01:00:00.000Z', appointmentId: s.appointment });
    } finally {
      h.close();
    }
  });

  it('lets the daily cap count a customer’s SMS of the day by index, not by reading the whole outbox', async () => {
    const h = openDatabase(path.join(tmp.dir, 'plan.sqlite'));
    try {
      await migrateToLatest(h.db);
      const { sql, parameters } = sentSinceQuery(h, newId(), AT).compile();
      const plan = h.sqlite.prepare(`explain query plan ${sql}`).all(...parameters) as Array<{ detail: string }>;
      expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING (COVERING )?INDEX sms_message_customer_day \(customer_id=\? AND created_at>\?\)/);
    } finally {
      h.close();
    }
  });
});
