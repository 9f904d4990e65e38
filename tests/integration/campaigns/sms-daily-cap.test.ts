/**
 * The per-customer daily cap keeps headroom for hand-written SMS (issue 5 c). Every SMS of the day counts
 * against the cap (default 5); automated ones (the campaign queue: reminders, query campaigns, appointment
 * confirmations) stop one short of it, so an agent can always still text a customer the campaigns reached
 * that day, and a hand-written SMS is refused only at the cap itself. Real store, the outbox without a line.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { createSmsHandoff, createTableSmsQueue, type SmsQueue } from '../../../main/campaigns';
import { automatedDailyAllowance, createModem, DEFAULT_CONFIG, type Modem } from '../../../main/modem';
import type { CallContext } from '../../../main/rpc';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { addCustomer } from './fixture';

let handle: DbHandle;
let store: TestStore;
let cleanup: () => void;
let queue: SmsQueue;
let modem: Modem;
let now: Date;
let agent: CallContext;

const T = new Date('2026-03-09T02:00:00.000Z'); // 10:00 in Beijing
const NEXT_MORNING = new Date('2026-03-10T01:00:00.000Z'); // 09:00 the next day

beforeEach(async () => {
  const tmp = tempDir('sms-cap-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  handle = openDatabase(store.file);
  queue = createTableSmsQueue(handle);
  now = T;
  // The seat's default cap (5 a customer a day).
  modem = createModem({ handle, emit: () => undefined, dealerId: store.dealerId, config: { port: '' }, clock: () => now.getTime() });
  const staff = store.staff.agent;
  agent = { connectionId: 'test', host: 'browser', staff: { staffId: staff.id, dealerId: store.dealerId, username: staff.username, displayName: '坐席', role: 'agent', sessionToken: 'x' } };
});
afterEach(async () => {
  await modem.stop();
  handle.close();
  cleanup();
});

const handoff = () => createSmsHandoff({ handle, dealerId: () => store.dealerId, outbox: () => modem, now: () => now });
let refs = 0;
const handWritten = (customerId: string, body = '您好，您的车已修好，可以来取车了') =>
  modem.call('sms.send', { customerId, body, clientRef: `agent-${++refs}` }, agent);
function reminder(customerId: string, key: string, purpose: 'maintenance' | 'appointment' = 'maintenance') {
  queue.enqueue({
    dealerId: store.dealerId, customerId, mobile: '13900000001', text: `提醒 ${key}`, purpose, dedupeKey: key,
    source: { kind: 'campaign', campaignId: 'c', step: 1, taskIds: [], vehicleIds: [] }, label: '提醒',
  });
}
const outbox = (customerId: string) =>
  handle.sqlite.prepare(`select origin, body from sms_message where customer_id = ? order by created_at, id`).all(customerId) as Array<{ origin: string; body: string }>;

describe('per-customer daily cap', () => {
  it('keeps one SMS of the day for the agent: automated SMS stop at cap − 1', () => {
    expect(DEFAULT_CONFIG.perCustomerDailyCap).toBe(5);
    expect([1, 2, 5, 50].map(automatedDailyAllowance)).toEqual([1, 1, 4, 49]);
  });

  it('lets an agent text a customer after the automated SMS used their allowance, and refuses only at the cap', async () => {
    const c = addCustomer(handle, store.dealerId, { mobile: '13900000001' });
    // Five reminders and confirmations for one customer on one day (several campaigns and a booking).
    for (const key of ['maintenance', 'insurance', 'inspection', 'winback']) reminder(c, key);
    reminder(c, 'appt:1:day_before', 'appointment');

    // Four go; the fifth would leave the agent nothing, so it waits for tomorrow morning.
    expect(await handoff().run()).toEqual({ handedOff: 4, deferred: 1, dropped: {} });
    expect(handle.sqlite.prepare(`select not_before from campaign_sms where dedupe_key = 'appt:1:day_before'`).pluck().get()).toBe(NEXT_MORNING.toISOString());

    // The agent's own SMS still goes: the fifth of the day.
    const mine = await handWritten(c);
    expect(mine.duplicate).toBe(false);
    expect(outbox(c).map((m) => m.origin)).toEqual(['automated', 'automated', 'automated', 'automated', 'manual']);
    // The cap itself holds for hand-written SMS too.
    await expect(handWritten(c, '再补充一句')).rejects.toMatchObject({ code: 'RATE_LIMITED', userMessage: { zh: '该客户今日短信已达上限（5 条）' } });

    // Tomorrow the waiting one goes.
    now = NEXT_MORNING;
    expect(await handoff().run()).toEqual({ handedOff: 1, deferred: 0, dropped: {} });
    expect(outbox(c).at(-1)).toEqual({ origin: 'automated', body: '提醒 appt:1:day_before' });
  });

  it('counts hand-written SMS in the day’s total: automated ones wait once the total reaches cap − 1', async () => {
    const c = addCustomer(handle, store.dealerId, { mobile: '13900000002' });
    for (let i = 0; i < 4; i++) await handWritten(c, `第 ${i + 1} 条`);
    reminder(c, 'maintenance');
    expect(await handoff().run()).toEqual({ handedOff: 0, deferred: 1, dropped: {} });
    // The automated refusal says why (the queue keeps it; the outbox text is what a supervisor would read).
    await expect(modem.sendSms({ customerId: c, recipient: null, body: 'x', kind: 'marketing', origin: 'automated', staffId: null, clientRef: null })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      userMessage: { zh: '该客户今日自动短信已达上限（4 条，另留 1 条给坐席手工发送）' },
    });
    await handWritten(c, '第 5 条');
    await expect(handWritten(c, '第 6 条')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(outbox(c).every((m) => m.origin === 'manual')).toBe(true);
  });

  it('starts again the next local day (Beijing midnight), not at UTC midnight', async () => {
    const c = addCustomer(handle, store.dealerId, { mobile: '13900000003' });
    for (let i = 0; i < 5; i++) await handWritten(c, `第 ${i + 1} 条`);
    await expect(handWritten(c)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    now = new Date('2026-03-09T15:59:00.000Z'); // 23:59 in Beijing: still the same day
    await expect(handWritten(c)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    now = new Date('2026-03-09T16:00:00.000Z'); // 00:00 the next day
    expect((await handWritten(c)).duplicate).toBe(false);
  });
});
