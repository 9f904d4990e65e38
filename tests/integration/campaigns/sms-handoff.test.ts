/**
 * The campaign SMS queue reaches the modem outbox: due rows only, appointment confirmations as service
 * SMS and the rest as marketing (quiet hours), refusals closed with their reason, expired reminders
 * dropped, the daily cap deferring to the next morning, and exactly one outbox message per row even when
 * a run died between claiming a row and finishing it. A real modem store without a line (no transport).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { createSmsHandoff, createTableSmsQueue, type OutboxSender, type SmsQueue } from '../../../main/campaigns';
import type { QueueRowEvent } from '../../../main/campaigns/sms-handoff';
import { createModem, type Modem } from '../../../main/modem';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { addCustomer } from './fixture';

let handle: DbHandle;
let store: TestStore;
let cleanup: () => void;
let queue: SmsQueue;
let modem: Modem;
let now: Date;

const T = new Date('2026-03-09T02:00:00.000Z'); // 10:00 in Beijing
const later = (minutes: number) => new Date(T.getTime() + minutes * 60_000);

beforeEach(async () => {
  const tmp = tempDir('sms-handoff-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  handle = openDatabase(store.file);
  queue = createTableSmsQueue(handle);
  modem = createModem({ handle, emit: () => undefined, dealerId: store.dealerId, config: { port: '', perCustomerDailyCap: 1 }, clock: () => now.getTime() });
  now = T;
  events = [];
});
afterEach(async () => {
  await modem.stop();
  handle.close();
  cleanup();
});

let events: QueueRowEvent[] = [];
const handoff = () => createSmsHandoff({ handle, dealerId: () => store.dealerId, outbox: () => modem, now: () => now, emit: (e) => events.push(e) });
const row = (dedupeKey: string) =>
  handle.sqlite.prepare('select status, sms_message_id, handoff_error, not_before from campaign_sms where dedupe_key = ?').get(dedupeKey) as
    | { status: string; sms_message_id: string | null; handoff_error: string | null; not_before: string | null }
    | undefined;
const outbox = () =>
  handle.sqlite.prepare('select id, customer_id, recipient, body, kind, client_ref from sms_message order by created_at, id').all() as Array<{
    id: string; customer_id: string; recipient: string; body: string; kind: string; client_ref: string;
  }>;

function enqueue(customerId: string, mobile: string, key: string, extra: { purpose?: 'appointment' | 'maintenance'; notBefore?: string; expiresAt?: string } = {}) {
  const source = extra.purpose === 'appointment' ? { kind: 'appointment' as const, appointmentId: key, reminder: 'hour_before' } : { kind: 'campaign' as const, campaignId: 'c', step: 1, taskIds: [], vehicleIds: [] };
  return queue.enqueue({ dealerId: store.dealerId, customerId, mobile, text: `短信 ${key}`, purpose: extra.purpose ?? 'maintenance', dedupeKey: key, notBefore: extra.notBefore ?? null, expiresAt: extra.expiresAt ?? null, source, label: '提醒' });
}

describe('campaign SMS hand-off', () => {
  it('hands due rows to the outbox by kind and keeps future ones queued', async () => {
    const a = addCustomer(handle, store.dealerId, { mobile: '13900000001' });
    const b = addCustomer(handle, store.dealerId, { mobile: '13900000002' });
    enqueue(a, '13900000001', 'task:1:step:1');
    enqueue(b, '13900000002', 'appt:1:hour_before', { purpose: 'appointment', notBefore: later(60).toISOString(), expiresAt: later(120).toISOString() });

    expect(handle.sqlite.prepare(`select count(*) from contact_event where kind = 'sms_out'`).pluck().get()).toBe(2);
    expect(await handoff().run()).toEqual({ handedOff: 1, deferred: 0, dropped: {} });
    const [first] = outbox();
    expect(first).toMatchObject({ customer_id: a, recipient: '13900000001', body: '短信 task:1:step:1', kind: 'marketing' });
    expect(row('task:1:step:1')).toMatchObject({ status: 'handed_off', sms_message_id: first?.id, handoff_error: null });
    expect(row('appt:1:hour_before')?.status).toBe('queued');

    now = later(60);
    expect((await handoff().run()).handedOff).toBe(1);
    expect(outbox().map((m) => [m.customer_id, m.kind])).toEqual([
      [a, 'marketing'],
      [b, 'service'],
    ]);
    // The confirmation's expiry goes with it, so a stalled modem does not send it after the appointment began.
    expect(handle.sqlite.prepare(`select customer_id, expires_at from sms_message order by created_at, id`).all()).toEqual([
      { customer_id: a, expires_at: null },
      { customer_id: b, expires_at: later(120).toISOString() },
    ]);
    // One timeline entry per SMS: the queue's, written when each was queued; the outbox adds none.
    expect(handle.sqlite.prepare(`select count(*) from contact_event where kind = 'sms_out'`).pluck().get()).toBe(2);
    expect(await handoff().run()).toEqual({ handedOff: 0, deferred: 0, dropped: {} });
    expect(outbox()).toHaveLength(2);
  });

  it('closes rows the outbox refuses and reminders that expired, sending nothing for them', async () => {
    const optedOut = addCustomer(handle, store.dealerId, { mobile: '13900000003' });
    handle.sqlite.prepare(`insert into contact_preference (customer_id, dealer_id, sms_opt_out, opt_out_at, opt_out_source, created_at, updated_at) values (?, ?, 1, ?, 'sms_reply:x', ?, ?)`).run(optedOut, store.dealerId, T.toISOString(), T.toISOString(), T.toISOString());
    const wrongNumber = addCustomer(handle, store.dealerId, { mobile: null });
    const late = addCustomer(handle, store.dealerId, { mobile: '13900000004' });
    enqueue(optedOut, '13900000003', 'k1');
    enqueue(wrongNumber, '139-无', 'k2');
    enqueue(late, '13900000004', 'appt:2:day_before', { purpose: 'appointment', notBefore: later(-600).toISOString(), expiresAt: later(-5).toISOString() });

    expect(await handoff().run()).toEqual({ handedOff: 0, deferred: 0, dropped: { opted_out: 1, invalid_number: 1, expired: 1 } });
    expect(outbox()).toEqual([]);
    expect([row('k1')?.handoff_error, row('k2')?.handoff_error, row('appt:2:day_before')?.handoff_error]).toEqual(['opted_out', 'invalid_number', 'expired']);
    // Each customer's open page hears that its entry changed.
    expect(events.map((e) => [e.customerId, e.state]).sort()).toEqual([[optedOut, 'dropped'], [wrongNumber, 'dropped'], [late, 'dropped']].sort());
  });

  it('defers a row over the customer’s daily cap to 09:00 the next day, or drops it if it would be too late', async () => {
    const c = addCustomer(handle, store.dealerId, { mobile: '13900000005' });
    enqueue(c, '13900000005', 'first');
    enqueue(c, '13900000005', 'second');
    enqueue(c, '13900000005', 'appt:3:hour_before', { purpose: 'appointment', expiresAt: later(240).toISOString() });
    expect(await handoff().run()).toEqual({ handedOff: 1, deferred: 1, dropped: { expired: 1 } });
    expect(row('second')).toMatchObject({ status: 'queued', not_before: '2026-03-10T01:00:00.000Z' });
    const second = handle.sqlite.prepare(`select id from campaign_sms where dedupe_key = 'second'`).pluck().get();
    expect(events).toEqual(expect.arrayContaining([{ queueId: second, customerId: c, state: 'held' }, expect.objectContaining({ customerId: c, state: 'dropped' })]));
    now = new Date('2026-03-10T01:00:00.000Z');
    expect((await handoff().run()).handedOff).toBe(1);
  });

  it('finishes rows a dead run had claimed: from the outbox when it got there, else by sending once', async () => {
    const c = addCustomer(handle, store.dealerId, { mobile: '13900000006' });
    const d = addCustomer(handle, store.dealerId, { mobile: '13900000007' });
    const reached = enqueue(c, '13900000006', 'reached-outbox');
    const stranded = enqueue(d, '13900000007', 'never-sent');
    // The dead run claimed both; only the first made it into the outbox.
    handle.sqlite.prepare(`update campaign_sms set status = 'handed_off', handed_off_at = ?`).run(T.toISOString());
    const sent = await modem.sendSms({ customerId: c, recipient: '13900000006', body: '短信 reached-outbox', kind: 'marketing', origin: 'automated', staffId: null, clientRef: `campaign_sms:${reached.id}` });

    expect((await handoff().run()).handedOff).toBe(1);
    expect(row('reached-outbox')).toMatchObject({ status: 'handed_off', sms_message_id: sent.id });
    expect(outbox().map((m) => m.client_ref)).toEqual([`campaign_sms:${reached.id}`, `campaign_sms:${stranded.id}`]);
  });

  it('waits while the seat has no modem, and drops rows more than a week past their time once it has one', async () => {
    const c = addCustomer(handle, store.dealerId, { mobile: '13900000008' });
    const d = addCustomer(handle, store.dealerId, { mobile: '13900000009' });
    enqueue(c, '13900000008', 'old-step');
    handle.sqlite.prepare(`update campaign_sms set created_at = ? where dedupe_key = 'old-step'`).run(T.toISOString());
    enqueue(d, '13900000009', 'fresh-step', { notBefore: later(8 * 24 * 60).toISOString() });
    let modemOn = false;
    const pump = createSmsHandoff({ handle, dealerId: () => store.dealerId, outbox: () => modem, now: () => now, enabled: () => modemOn });
    expect(await pump.run()).toEqual({ handedOff: 0, deferred: 0, dropped: {} });
    expect(row('old-step')?.status).toBe('queued');

    // Eight days later the seat gets its modem: the step queued then is stale, the one due now goes.
    now = later(8 * 24 * 60);
    modemOn = true;
    expect(await pump.run()).toEqual({ handedOff: 1, deferred: 0, dropped: { expired: 1 } });
    expect(row('old-step')).toMatchObject({ status: 'handed_off', handoff_error: 'expired', sms_message_id: null });
    expect(outbox().map((m) => m.body)).toEqual(['短信 fresh-step']);
  });

  it('keeps going past a row the outbox fails on for a reason that is not the message’s, and reports the failure after', async () => {
    const a = addCustomer(handle, store.dealerId, { mobile: '13900000010' });
    const b = addCustomer(handle, store.dealerId, { mobile: '13900000011' });
    enqueue(a, '13900000010', 'first-in-line');
    enqueue(b, '13900000011', 'behind-it');
    const busy = new Error('database is locked');
    // The store is busy for the first message only.
    const flaky: OutboxSender = { sendSms: async (m) => (m.customerId === a ? Promise.reject(busy) : modem.sendSms(m)) };
    const pump = createSmsHandoff({ handle, dealerId: () => store.dealerId, outbox: () => flaky, now: () => now });
    await expect(pump.run()).rejects.toBe(busy);
    expect(row('first-in-line')).toMatchObject({ status: 'queued', sms_message_id: null, handoff_error: null });
    expect(row('behind-it')).toMatchObject({ status: 'handed_off', sms_message_id: expect.any(String) });
    // Not the message's fault: the next tick sends it.
    const again = createSmsHandoff({ handle, dealerId: () => store.dealerId, outbox: () => modem, now: () => now });
    expect(await again.run()).toEqual({ handedOff: 1, deferred: 0, dropped: {} });
  });

  it('sends a campaign’s SMS of an earlier day as today’s, withdrawing it only for a newer one that is still live', async () => {
    const c = addCustomer(handle, store.dealerId, { mobile: '13900000012' });
    const d = addCustomer(handle, store.dealerId, { mobile: '13900000013' });
    const key = (customer: string, day: string) => `campaign:01J00000000000000000000000:customer:${customer}:${day}`;
    // c: yesterday's SMS waited (no modem); today's was dropped already (it reached nobody): yesterday's goes, as today's.
    enqueue(c, '13900000012', key(c, '2026-03-08'));
    enqueue(c, '13900000012', key(c, '2026-03-09'));
    handle.sqlite.prepare(`update campaign_sms set status = 'handed_off', handoff_error = 'expired' where dedupe_key = ?`).run(key(c, '2026-03-09'));
    // d: yesterday's and today's both wait: only today's goes.
    enqueue(d, '13900000013', key(d, '2026-03-08'));
    enqueue(d, '13900000013', key(d, '2026-03-09'));
    expect(await handoff().run()).toEqual({ handedOff: 2, deferred: 0, dropped: { superseded: 1 } });
    expect(outbox().map((m) => m.body)).toEqual([`短信 ${key(c, '2026-03-08')}`, `短信 ${key(d, '2026-03-09')}`]);
    expect(row(key(d, '2026-03-08'))).toMatchObject({ handoff_error: 'superseded', sms_message_id: null });
    // c's keeps its day's key: today's is the dropped row's, which keeps today's runs off as well.
    expect(row(key(c, '2026-03-08'))).toMatchObject({ status: 'handed_off', handoff_error: null, sms_message_id: expect.any(String) });
  });
});
