/**
 * A campaign texts a customer at most once a day, and every task's touch names an SMS that named its car
 * (review of the one-SMS-per-customer change): the unreachable fallback does not ride on another car's
 * SMS, a message held back by the daily cap is that next day's SMS of the campaign, a message left from an
 * earlier day gives way to a newer one, and cars at different steps of the plan are not put under one
 * step's text. Real store, the modem's outbox without a line, one clock for the outbox and the hand-off.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { addMonths, createCampaigns, createSmsHandoff, type Campaigns, type HandoffResult } from '../../../main/campaigns';
import { timeline } from '../../../main/customers/timeline';
import { createModem, type Modem } from '../../../main/modem';
import { createTemplates } from '../../../main/templates';
import { contactEventSchema } from '../../../preload/contract';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { addCustomer, addRepairOrder, addVehicle } from './fixture';

let handle: DbHandle;
let store: TestStore;
let dealerId: string;
let cleanup: () => void;
let campaigns: Campaigns;
let modem: Modem;
let now: Date;
let modemOn: boolean;

beforeEach(async () => {
  const tmp = tempDir('campaign-sms-day-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  dealerId = store.dealerId;
  handle = openDatabase(store.file);
  await createTemplates({ handle }).ensureDefaults(dealerId);
  handle.sqlite.prepare(`update dealer set short_name = '花城本田', phone = '020-88886666' where id = ?`).run(dealerId);
  campaigns = createCampaigns({ handle, modelNamesZh: { Accord: '雅阁', Civic: '思域' } });
  await campaigns.config.ensureDefaults(dealerId);
  now = new Date('2026-02-21T02:00:00Z'); // 10:00 in Beijing
  modemOn = true;
  modem = createModem({ handle, emit: () => undefined, dealerId, config: { port: '' }, clock: () => now.getTime() });
});
afterEach(async () => {
  await modem.stop();
  handle.close();
  cleanup();
});

const handoff = (): Promise<HandoffResult> => createSmsHandoff({ handle, dealerId: () => dealerId, outbox: () => modem, now: () => now, enabled: () => modemOn }).run();

/** A car of customer `c` whose 定保 falls due on `dueOn` (its SMS step is 7 days before, the call 2 days after). */
function dueCar(c: string, model: string, dueOn: string) {
  const v = addVehicle(handle, dealerId, c, { purchaseDate: null, purchasedHere: false, model });
  addRepairOrder(handle, dealerId, v, { openedOn: addMonths(dueOn, -6), category: 'maintenance' });
  return v;
}
const plate = (v: string) => handle.sqlite.prepare('select plate from vehicle where id = ?').pluck().get(v) as string;
const task = (v: string) =>
  handle.sqlite.prepare(`select t.* from campaign_task t join campaign c on c.id = t.campaign_id where c.kind = 'maintenance' and t.vehicle_id = ?`).get(v) as Record<string, string | number | null>;
const smsTouches = (v: string) =>
  handle.sqlite.prepare(`select sms_id, skipped_reason, touch_on from campaign_touch where task_id = ? and channel = 'sms' order by occurred_at, id`).all(task(v).id) as Array<{
    sms_id: string | null; skipped_reason: string | null; touch_on: string;
  }>;
const queueRows = (customerId: string) =>
  handle.sqlite.prepare(`select id, text, dedupe_key, status, handoff_error from campaign_sms where customer_id = ? order by created_at, id`).all(customerId) as Array<{
    id: string; text: string; dedupe_key: string; status: string; handoff_error: string | null;
  }>;
/** Automated SMS the outbox took for the customer on a Beijing day. */
const sentOn = (customerId: string, day: string) =>
  handle.sqlite
    .prepare(`select body from sms_message where customer_id = ? and origin = 'automated' and created_at >= ? and created_at < ? order by created_at, id`)
    .pluck()
    .all(customerId, new Date(Date.parse(`${day}T00:00:00+08:00`)).toISOString(), new Date(Date.parse(`${day}T00:00:00+08:00`) + 86_400_000).toISOString()) as string[];
async function smsEntries(customerId: string) {
  const page = await timeline(handle.db, dealerId, { customerId, cursor: null, limit: 50 });
  return page.items.map((i) => contactEventSchema.parse(i)).filter((i) => i.kind === 'sms_out');
}

describe('a campaign texts a customer once a day', () => {
  it('step SMS for car A, then the unreachable fallback of car B the same day: B waits for its own SMS the next day', async () => {
    const owner = addCustomer(handle, dealerId, { name: '李强', mobile: '13900001111', address: '广州市天河路 1 号' });
    const b = dueCar(owner, 'Civic', '2026-02-28'); // SMS 02-21, calls from 03-02
    const a = dueCar(owner, 'Accord', '2026-03-13'); // SMS 03-06
    await campaigns.runDaily(dealerId, '2026-02-21');
    const days = ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'];
    let last: Awaited<ReturnType<Campaigns['work']['recordCall']>> | null = null;
    for (const today of days) {
      // The night run first: on 03-06 it texts the customer about car A.
      await campaigns.runDaily(dealerId, today);
      last = await campaigns.work.recordCall({ dealerId, taskId: String(task(b).id), staffId: store.staff.agent.id, disposition: 'busy', now: new Date(`${today}T02:00:00Z`), today });
    }
    const [stepB, stepA, ...none] = queueRows(owner);
    expect(none).toEqual([]);
    expect(stepA?.text).toContain(plate(a));
    expect(stepA?.text).not.toContain(plate(b));

    // Five unreachable days: B falls back to SMS, but today's SMS of the campaign named only A.
    expect(last?.fallback).toBe('sms');
    expect(task(b)).toMatchObject({ status: 'open', fallback: 1, step_channel: 'sms', step_on: '2026-03-07' });
    expect(smsTouches(b).map((t) => t.sms_id)).toEqual([stepB?.id]);

    // The next night's run texts B with the follow-up and closes it as unreachable, its touch on that SMS.
    const next = await campaigns.runDaily(dealerId, '2026-03-07');
    expect(next.sms).toMatchObject({ queued: 1, tasks: 1, postponed: 0 });
    const fallback = queueRows(owner).at(-1);
    expect(fallback?.dedupe_key).toMatch(/:2026-03-07$/);
    expect(fallback?.text).toContain('感谢您近日到店维修保养');
    expect(task(b)).toMatchObject({ status: 'closed', close_reason: 'unreachable', last_touch_channel: 'sms', last_touch_on: '2026-03-07' });
    expect(smsTouches(b).map((t) => t.sms_id)).toEqual([stepB?.id, fallback?.id]);
    const entry = (await smsEntries(owner)).find((e) => e.sms?.campaign?.step === null);
    expect(entry?.sms?.plates).toEqual([plate(b)]);
  });

  it('a reminder held back by the daily cap is the next day’s SMS of the campaign: no run adds a second beside it', async () => {
    const owner = addCustomer(handle, dealerId, { name: '李强', mobile: '13900001111' });
    const a = dueCar(owner, 'Accord', '2026-02-28'); // SMS 02-21
    // An agent has written to the customer four times today: automated SMS have no room left (cap 5, one kept).
    for (let i = 1; i <= 4; i++) await modem.sendSms({ customerId: owner, recipient: null, body: `第 ${i} 条`, kind: 'service', origin: 'manual', staffId: null, clientRef: `agent-${i}` });
    await campaigns.runDaily(dealerId, '2026-02-21');
    expect(await handoff()).toEqual({ handedOff: 0, deferred: 1, dropped: {} });
    expect(queueRows(owner)).toEqual([expect.objectContaining({ status: 'queued', dedupe_key: expect.stringMatching(/:2026-02-22$/) })]);

    // Repair orders imported at noon make car C due today: a run now queues nothing beside the held-back SMS.
    const c = dueCar(owner, 'CR-V', '2026-02-28');
    now = new Date('2026-02-21T04:00:00Z');
    expect((await campaigns.runDaily(dealerId, '2026-02-21')).sms).toMatchObject({ queued: 0, tasks: 0, postponed: 1 });

    // Car B reaches its SMS step on 02-22: it waits too, the held-back SMS is that day's.
    const b = dueCar(owner, 'Civic', '2026-03-01');
    now = new Date('2026-02-21T18:30:00Z'); // 02:30 in Beijing, the night run
    expect((await campaigns.runDaily(dealerId, '2026-02-22')).sms).toMatchObject({ queued: 0, tasks: 0, postponed: 2 });
    expect(await handoff()).toEqual({ handedOff: 0, deferred: 0, dropped: {} });
    now = new Date('2026-02-22T01:00:00Z'); // 09:00
    expect(await handoff()).toEqual({ handedOff: 1, deferred: 0, dropped: {} });
    expect(sentOn(owner, '2026-02-22')).toEqual([expect.stringContaining(plate(a))]);
    now = new Date('2026-02-22T04:00:00Z');
    expect((await campaigns.runDaily(dealerId, '2026-02-22')).sms).toMatchObject({ queued: 0, postponed: 2 });
    expect(task(b)).toMatchObject({ step_channel: 'sms', last_touch_channel: null });

    // B and C go the day after, in one SMS.
    now = new Date('2026-02-22T18:30:00Z');
    expect((await campaigns.runDaily(dealerId, '2026-02-23')).sms).toMatchObject({ queued: 1, tasks: 2 });
    expect(await handoff()).toEqual({ handedOff: 1, deferred: 0, dropped: {} });
    const [sent, ...more] = sentOn(owner, '2026-02-23');
    expect(more).toEqual([]);
    expect(sent).toContain(plate(b));
    expect(sent).toContain(plate(c));
  });

  it('withdraws a message left from an earlier day when the campaign has a newer one for the customer, and takes its touches back', async () => {
    const owner = addCustomer(handle, dealerId, { name: '李强', mobile: '13900001111' });
    const a = dueCar(owner, 'Accord', '2026-02-28'); // SMS 02-21
    const b = dueCar(owner, 'Civic', '2026-03-01'); // SMS 02-22
    // The seat has no modem for two days: both days' SMS wait in the queue.
    modemOn = false;
    await campaigns.runDaily(dealerId, '2026-02-21');
    expect(await handoff()).toEqual({ handedOff: 0, deferred: 0, dropped: {} });
    await campaigns.runDaily(dealerId, '2026-02-22');
    const [older, newer] = queueRows(owner);

    modemOn = true;
    now = new Date('2026-02-22T02:00:00Z');
    expect(await handoff()).toEqual({ handedOff: 1, deferred: 0, dropped: { superseded: 1 } });
    expect(sentOn(owner, '2026-02-22')).toEqual([newer?.text]);
    expect(queueRows(owner).map((r) => r.handoff_error)).toEqual(['superseded', null]);
    // A was not reminded by SMS: its touch is a skipped one (the skips card shows it), and B's stands.
    expect(smsTouches(a)).toEqual([{ sms_id: older?.id, skipped_reason: 'sms_superseded', touch_on: '2026-02-22' }]);
    expect(task(a)).toMatchObject({ last_touch_channel: null, last_touch_on: null });
    expect(smsTouches(b)).toEqual([{ sms_id: newer?.id, skipped_reason: null, touch_on: '2026-02-22' }]);
    const entries = await smsEntries(owner);
    expect(entries.find((e) => e.summary.includes(plate(a)))?.sms).toMatchObject({ state: 'cancelled', reason: { zh: '同一活动已有更新的短信，此条未发送' } });
  });

  it('sends a message the seat could not send on its day as the day it goes: a run later that day adds none', async () => {
    const owner = addCustomer(handle, dealerId, { name: '李强', mobile: '13900001111' });
    const a = dueCar(owner, 'Accord', '2026-02-28'); // SMS 02-21
    modemOn = false;
    await campaigns.runDaily(dealerId, '2026-02-21');
    // The modem is plugged in on 02-22 before that day's run: 02-21's SMS goes, as 02-22's.
    modemOn = true;
    now = new Date('2026-02-21T17:00:00Z'); // 01:00 in Beijing
    expect(await handoff()).toEqual({ handedOff: 1, deferred: 0, dropped: {} });
    expect(queueRows(owner).map((r) => r.dedupe_key)).toEqual([expect.stringMatching(/:2026-02-22$/)]);
    const b = dueCar(owner, 'Civic', '2026-03-01'); // SMS 02-22
    expect((await campaigns.runDaily(dealerId, '2026-02-22')).sms).toMatchObject({ queued: 0, postponed: 1 });
    expect(sentOn(owner, '2026-02-22')).toEqual([expect.stringContaining(plate(a))]);
    expect(task(b)).toMatchObject({ step_channel: 'sms', last_touch_channel: null });
  });

  it('puts cars at different steps of the plan in different days’ SMS, each with its own step’s text', async () => {
    const templates = new Map(
      (handle.sqlite.prepare(`select code, id from message_template where dealer_id = ?`).all(dealerId) as Array<{ code: string; id: string }>).map((t) => [t.code, t.id]),
    );
    const maintenance = (await campaigns.config.load(dealerId)).find((c) => c.kind === 'maintenance');
    // A second SMS step when the car is three days overdue, with the win-back text.
    await campaigns.config.update(dealerId, String(maintenance?.id), {
      steps: [
        { offsetDays: -7, channel: 'sms', templateId: templates.get('sms.maintenance') ?? null },
        { offsetDays: 3, channel: 'sms', templateId: templates.get('sms.winback') ?? null },
        { offsetDays: 5, channel: 'phone' },
      ],
    });
    const owner = addCustomer(handle, dealerId, { name: '李强', mobile: '13900001111' });
    const overdue = dueCar(owner, 'Accord', '2026-02-28'); // its overdue SMS step: 03-03
    const fresh = dueCar(owner, 'Civic', '2026-03-10'); // its first SMS step: 03-03
    const day = await campaigns.runDaily(dealerId, '2026-03-03');
    expect(day.sms).toMatchObject({ queued: 1, tasks: 1, postponed: 1 });
    const [first] = queueRows(owner);
    expect(first?.text).toContain(`您的爱车${plate(overdue)}已较长时间未保养`);
    expect(first?.text).not.toContain(plate(fresh));
    expect(task(fresh)).toMatchObject({ step_seq: 0, step_channel: 'sms', last_touch_channel: null });

    const next = await campaigns.runDaily(dealerId, '2026-03-04');
    expect(next.sms).toMatchObject({ queued: 1, tasks: 1, postponed: 0 });
    expect(queueRows(owner).at(-1)?.text).toContain(`您的爱车${plate(fresh)}将于2026-03-10前后到定期保养时间`);
    const steps = (await smsEntries(owner)).map((e) => [e.sms?.campaign?.step, e.sms?.plates]);
    expect(steps).toEqual(expect.arrayContaining([[1, [plate(overdue)]], [0, [plate(fresh)]]]));
  });
});
