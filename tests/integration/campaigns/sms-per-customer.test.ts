/**
 * One reminder SMS per customer, campaign and day (issue 5 b): tasks are per car, so a customer with three
 * cars due the same day used to get three SMS. Now the due tasks of one customer in one campaign share one
 * message naming every car, each task still records its own touch (linked to that message), a dropped
 * message takes all of them back, and a customer already texted by the campaign today is not texted again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { createCampaigns, createSmsHandoff, type Campaigns } from '../../../main/campaigns';
import { campaignReport } from '../../../main/campaigns/report';
import { timeline } from '../../../main/customers/timeline';
import { createModem, type Modem } from '../../../main/modem';
import { countSegments } from '../../../main/modem/pdu';
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

beforeEach(async () => {
  const tmp = tempDir('campaign-sms-customer-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  dealerId = store.dealerId;
  handle = openDatabase(store.file);
  await createTemplates({ handle }).ensureDefaults(dealerId);
  handle.sqlite.prepare(`update dealer set short_name = '花城本田', phone = '020-88886666' where id = ?`).run(dealerId);
  campaigns = createCampaigns({ handle, modelNamesZh: { Accord: '雅阁', Civic: '思域', 'CR-V': 'CR-V' } });
  await campaigns.config.ensureDefaults(dealerId);
  // The outbox without a line: hand-offs land in it, nothing is sent.
  modem = createModem({ handle, emit: () => undefined, dealerId, config: { port: '' }, clock: () => Date.parse('2026-02-21T02:00:00Z') });
});
afterEach(async () => {
  await modem.stop();
  handle.close();
  cleanup();
});

/** A car whose 定保 falls due 2026-02-28 (its SMS step is 02-21), for customer `c`. */
function dueCar(c: string, model: string) {
  const v = addVehicle(handle, dealerId, c, { purchaseDate: null, purchasedHere: false, model });
  addRepairOrder(handle, dealerId, v, { openedOn: '2025-08-31', category: 'maintenance' });
  return v;
}
const plate = (v: string) => handle.sqlite.prepare('select plate from vehicle where id = ?').pluck().get(v) as string;
const maintenanceTask = (v: string) =>
  handle.sqlite.prepare(`select t.* from campaign_task t join campaign c on c.id = t.campaign_id where c.kind = 'maintenance' and t.vehicle_id = ?`).get(v) as Record<string, string | number | null>;
const smsRows = (customerId: string) =>
  handle.sqlite.prepare(`select id, text, dedupe_key from campaign_sms where customer_id = ? order by created_at, id`).all(customerId) as Array<{ id: string; text: string; dedupe_key: string }>;
const smsTouches = (v: string) =>
  handle.sqlite.prepare(`select sms_id, skipped_reason from campaign_touch where task_id = ? and channel = 'sms'`).all(maintenanceTask(v).id) as Array<{ sms_id: string | null; skipped_reason: string | null }>;
async function smsEntries(customerId: string) {
  const page = await timeline(handle.db, dealerId, { customerId, cursor: null, limit: 50 });
  return page.items.map((i) => contactEventSchema.parse(i)).filter((i) => i.kind === 'sms_out');
}

describe('one reminder SMS per customer, campaign and day', () => {
  it('sends a customer with three cars due the same day one SMS naming all three, and every task records its touch', async () => {
    const owner = addCustomer(handle, dealerId, { name: '李强', gender: 'M', mobile: '13900001111' });
    const cars = [dueCar(owner, 'Accord'), dueCar(owner, 'Civic'), dueCar(owner, 'CR-V')];
    const single = addCustomer(handle, dealerId, { name: '王芳', gender: 'F', mobile: '13900002222' });
    const alone = dueCar(single, 'Accord');

    const day = await campaigns.runDaily(dealerId, '2026-02-21');
    expect(day.sms).toEqual({ queued: 2, tasks: 4, postponed: 0, skipped: {} });

    const [sms, ...more] = smsRows(owner);
    expect(more).toEqual([]);
    // The default 定保 template says 您的爱车{{车牌}}: every plate, in due order, joined the Chinese way.
    expect(sms?.text).toBe(
      `【花城本田】尊敬的李先生，您的爱车${cars.map(plate).join('、')}将于2026-02-28前后到定期保养时间，欢迎致电020-88886666预约，我们将竭诚为您服务。回复TD退订`,
    );
    expect(smsRows(single).map((r) => r.text)).toEqual([expect.stringContaining(`您的爱车${plate(alone)}将于`)]);

    // Each car's task did its SMS step with the one message: own touch, linked to it, and moved on to the call.
    for (const v of cars) {
      expect(smsTouches(v)).toEqual([{ sms_id: sms?.id, skipped_reason: null }]);
      expect(maintenanceTask(v)).toMatchObject({ last_touch_channel: 'sms', last_touch_on: '2026-02-21', step_channel: 'phone', step_on: '2026-03-02' });
    }
    // The per-step report counts the three tasks as reached by SMS (and the single car's one).
    const report = await campaignReport(handle, dealerId, '2026-02', '2026-02', '2026-02-21');
    expect(report.steps.filter((s) => s.kind === 'maintenance' && s.channel === 'sms' && s.month === '2026-02')).toEqual([expect.objectContaining({ target: 4, reminded: 4 })]);

    // The customer's timeline has one entry for it, with the campaign and the three cars.
    const entries = await smsEntries(owner);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.sms).toMatchObject({ state: 'queued', campaign: { nameZh: '定期保养招揽', step: 1 }, plates: cars.map(plate) });
    expect(entries[0]?.summary).toBe(`定期保养招揽：${sms?.text}`);
  });

  it('lists model and plate of each car in {{车辆列表}}', async () => {
    const template = handle.sqlite.prepare(`select id from message_template where dealer_id = ? and code = 'sms.maintenance'`).pluck().get(dealerId) as string;
    handle.sqlite.prepare(`update message_template set body = ? where id = ?`).run('【{{经销商简称}}】{{称呼}}，您的爱车 {{车辆列表}} 该保养了。', template);
    const owner = addCustomer(handle, dealerId, { name: '李强', gender: 'M', mobile: '13900001111' });
    const cars = [dueCar(owner, 'Accord'), dueCar(owner, 'Civic')];
    await campaigns.runDaily(dealerId, '2026-02-21');
    expect(smsRows(owner).map((r) => r.text)).toEqual([`【花城本田】李先生，您的爱车 雅阁 ${plate(cars[0] ?? '')}、思域 ${plate(cars[1] ?? '')} 该保养了。`]);
  });

  it('names the first five cars of a fleet customer and how many there are, in an SMS of two parts', async () => {
    const fleet = addCustomer(handle, dealerId, { name: '广州顺达物流有限公司', gender: null, mobile: '13900003333' });
    const cars = Array.from({ length: 30 }, () => dueCar(fleet, 'Accord'));
    const day = await campaigns.runDaily(dealerId, '2026-02-21');
    expect(day.sms).toEqual({ queued: 1, tasks: 30, postponed: 0, skipped: {} });
    const [sms, ...more] = smsRows(fleet);
    expect(more).toEqual([]);
    expect(sms?.text).toContain(`您的爱车${cars.slice(0, 5).map(plate).join('、')}等30辆将于2026-02-28前后`);
    expect(sms?.text).not.toContain(plate(cars[5] ?? ''));
    expect(countSegments(sms?.text ?? '').parts).toBe(2);
    // Every car's task was reminded by it, and the timeline entry lists them all.
    for (const v of cars) expect(smsTouches(v)).toEqual([{ sms_id: sms?.id, skipped_reason: null }]);
    expect((await smsEntries(fleet))[0]?.sms?.plates).toEqual(cars.map(plate));
  });

  it('a dropped SMS takes back the touch of every task it served', async () => {
    const owner = addCustomer(handle, dealerId, { name: '李强', mobile: '13900001111' });
    const cars = [dueCar(owner, 'Accord'), dueCar(owner, 'Civic')];
    await campaigns.runDaily(dealerId, '2026-02-21');
    // The customer texts TD before the hand-off: the outbox refuses, the row is closed as opted out.
    handle.sqlite
      .prepare(`insert into contact_preference (customer_id, dealer_id, sms_opt_out, opt_out_at, opt_out_source, created_at, updated_at) values (?, ?, 1, ?, 'sms_reply:TD', ?, ?)`)
      .run(owner, dealerId, '2026-02-21T01:00:00Z', '2026-02-21T01:00:00Z', '2026-02-21T01:00:00Z');
    const handoff = createSmsHandoff({ handle, dealerId: () => dealerId, outbox: () => modem, now: () => new Date('2026-02-21T02:00:00Z') });
    expect(await handoff.run()).toEqual({ handedOff: 0, deferred: 0, dropped: { opted_out: 1 } });
    const [sms] = smsRows(owner);
    for (const v of cars) {
      // Not reminded: the touch is a skipped one now, with the reason, as the skips card counts it.
      expect(smsTouches(v)).toEqual([{ sms_id: sms?.id, skipped_reason: 'sms_opt_out' }]);
      expect(maintenanceTask(v)).toMatchObject({ last_touch_channel: null, last_touch_on: null });
    }
    const [entry] = await smsEntries(owner);
    expect(entry?.sms).toMatchObject({ state: 'failed', reason: { zh: '客户已退订短信，未发送' } });
  });

  it('does not text a customer twice in a day: a car that falls due after the day’s SMS waits for the next day', async () => {
    const owner = addCustomer(handle, dealerId, { name: '李强', mobile: '13900001111' });
    const first = dueCar(owner, 'Accord');
    await campaigns.runDaily(dealerId, '2026-02-21');
    // A repair history imported later that day makes a second car due: a second run the same day.
    const second = dueCar(owner, 'Civic');
    const again = await campaigns.runDaily(dealerId, '2026-02-21');
    expect(again.sms).toMatchObject({ queued: 0, tasks: 0, postponed: 1 });
    expect(maintenanceTask(second)).toMatchObject({ step_channel: 'sms', last_touch_channel: null });
    expect(smsRows(owner)).toHaveLength(1);

    const next = await campaigns.runDaily(dealerId, '2026-02-22');
    expect(next.sms).toMatchObject({ queued: 1, tasks: 1, postponed: 0 });
    const rows = smsRows(owner);
    expect(rows.map((r) => r.dedupe_key)).toEqual([expect.stringMatching(/:2026-02-21$/), expect.stringMatching(/:2026-02-22$/)]);
    expect(rows[1]?.text).toContain(plate(second));
    expect(rows[1]?.text).not.toContain(plate(first));
    expect(await smsEntries(owner)).toHaveLength(2);
  });
});
