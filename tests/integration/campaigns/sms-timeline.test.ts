/**
 * One timeline entry per SMS that follows its state (issue 5 a). A campaign SMS used to get an entry when
 * the campaign queued it and a second one when the outbox took it; now the queue writes the one entry
 * (with the campaign, step and cars) and the timeline reads the SMS's state through it: queued → sending →
 * sent → delivered, or failed / expired with the reason, or withdrawn. A hand-written SMS from the customer
 * page keeps its single entry, written by the outbox. Real store, the modem on the in-process simulator.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { newId } from '../../../db/ids';
import { createCampaigns, createSmsHandoff, createTableSmsQueue, type Campaigns, type SmsQueue } from '../../../main/campaigns';
import { timeline } from '../../../main/customers/timeline';
import { createModem, type Modem, type ModemConfig } from '../../../main/modem';
import type { CallContext } from '../../../main/rpc';
import { createTemplates } from '../../../main/templates';
import { contactEventSchema, type ContactEventDto } from '../../../preload/contract';
import { ModemSim, type SimOptions } from '../../../tools/modem-sim/sim';
import { SimLink, until } from '../../unit/modem/sim-transport';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { addCustomer, addRepairOrder, addVehicle } from './fixture';

const FAST: Partial<ModemConfig> = { ratePerMinute: 10_000, quietHours: null, retryDelaysMs: [10], healthIntervalMs: 60_000, pauseMs: 50, reconnectMinMs: 20, reconnectMaxMs: 100 };

let handle: DbHandle;
let store: TestStore;
let dealerId: string;
let cleanup: () => void;
let campaigns: Campaigns;
let queue: SmsQueue;
let sim: ModemSim | null = null;
let modem: Modem | null = null;
let agent: CallContext;

beforeEach(async () => {
  const tmp = tempDir('sms-timeline-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  dealerId = store.dealerId;
  handle = openDatabase(store.file);
  await createTemplates({ handle }).ensureDefaults(dealerId);
  campaigns = createCampaigns({ handle });
  await campaigns.config.ensureDefaults(dealerId);
  queue = createTableSmsQueue(handle);
  const staff = store.staff.agent;
  agent = { connectionId: 'test', host: 'browser', staff: { staffId: staff.id, dealerId, username: staff.username, displayName: '坐席', role: 'agent', sessionToken: 'x' } };
});
afterEach(async () => {
  await modem?.stop();
  sim?.stop();
  modem = null;
  sim = null;
  handle.close();
  cleanup();
});

/** The modem on a simulated line; `reportStatus` is the TP-ST the network reports (0 delivered, 0x41 failed). */
async function startModem(options: SimOptions = {}): Promise<Modem> {
  sim = new ModemSim({ delays: { commandMs: 1, submitMs: 2, reportMs: 5, ringMs: 40, dialMs: 20 }, ...options });
  const m = createModem({ handle, dealerId, emit: () => undefined, config: { port: 'sim', ...FAST }, transport: new SimLink(sim).factory });
  modem = m;
  await m.start();
  await until(async () => (await m.status()).link === 'ready', 'modem ready');
  return m;
}

const handoff = (m: Modem) => createSmsHandoff({ handle, dealerId: () => dealerId, outbox: () => m });

async function smsEntries(customerId: string): Promise<ContactEventDto[]> {
  const page = await timeline(handle.db, dealerId, { customerId, cursor: null, limit: 50 });
  return page.items.map((i) => contactEventSchema.parse(i)).filter((i) => i.kind === 'sms_out');
}
async function onlyEntry(customerId: string): Promise<ContactEventDto> {
  const entries = await smsEntries(customerId);
  expect(entries).toHaveLength(1);
  return entries[0] as ContactEventDto;
}
const stateOf = async (customerId: string) => (await onlyEntry(customerId)).sms?.state;

describe('the customer timeline shows each SMS once, with its state', () => {
  it('follows a campaign reminder from queued to delivered on its one entry, naming the campaign, step and cars', async () => {
    const c = addCustomer(handle, dealerId, { name: '李强', mobile: '13900001111' });
    const cars = [addVehicle(handle, dealerId, c, { purchaseDate: null, purchasedHere: false }), addVehicle(handle, dealerId, c, { purchaseDate: null, purchasedHere: false })];
    for (const v of cars) addRepairOrder(handle, dealerId, v, { openedOn: '2025-08-31', category: 'maintenance' });
    await campaigns.runDaily(dealerId, '2026-02-21');
    const plates = cars.map((v) => handle.sqlite.prepare('select plate from vehicle where id = ?').pluck().get(v));

    const queued = await onlyEntry(c);
    expect(queued.sms).toEqual({ state: 'queued', notBefore: null, reason: null, messageId: null, campaign: expect.objectContaining({ nameZh: '定期保养招揽', nameEn: 'Scheduled maintenance', step: 1 }), appointmentId: null, plates });
    // Several cars: the entry is about the customer, not one car.
    expect(queued.vehicleId).toBeNull();

    const m = await startModem();
    expect((await handoff(m).run()).handedOff).toBe(1);
    await until(async () => (await stateOf(c)) === 'delivered', 'delivered on the timeline');
    const delivered = await onlyEntry(c);
    expect(delivered.id).toBe(queued.id);
    expect(delivered.sms).toMatchObject({ state: 'delivered', reason: null, messageId: expect.any(String), campaign: { nameZh: '定期保养招揽', step: 1 }, plates });
    expect(handle.sqlite.prepare(`select count(*) from contact_event where kind = 'sms_out'`).pluck().get()).toBe(1);
    // One SMS went (in as many parts as its length needs).
    expect(new Set((sim?.sent ?? []).map((r) => (r.concat ? `${r.recipient}|${r.concat.ref}` : r.pdu))).size).toBe(1);
    expect(handle.sqlite.prepare(`select count(*) from sms_message`).pluck().get()).toBe(1);
  });

  it('keeps a hand-written SMS from the customer page to one entry too, from queued to delivered', async () => {
    const c = addCustomer(handle, dealerId, { name: '王芳', mobile: '13900002222' });
    const m = await startModem();
    const sent = await m.call('sms.send', { customerId: c, body: '王女士您好，您的车已修好，可以来取车了。', clientRef: 'page-1' }, agent);
    // The same request again (a double click, a retry) is the same SMS and the same entry.
    await m.call('sms.send', { customerId: c, body: '王女士您好，您的车已修好，可以来取车了。', clientRef: 'page-1' }, agent);
    await until(async () => (await stateOf(c)) === 'delivered', 'delivered on the timeline');
    const entry = await onlyEntry(c);
    expect(entry).toMatchObject({ staffName: expect.any(String), summary: '王女士您好，您的车已修好，可以来取车了。' });
    expect(entry.sms).toEqual({ state: 'delivered', notBefore: null, reason: null, messageId: sent.id, campaign: null, appointmentId: null, plates: [] });
  });

  it('shows a delivery the network reports failed as failed, with the reason', async () => {
    const c = addCustomer(handle, dealerId, { mobile: '13900003333' });
    queue.enqueue({ dealerId, customerId: c, mobile: '13900003333', text: '保养提醒', purpose: 'maintenance', dedupeKey: 'k', source: { kind: 'campaign', campaignId: 'x', step: 1, taskIds: [], vehicleIds: [] }, label: '定保' });
    const m = await startModem({ reportStatus: 0x41 });
    await handoff(m).run();
    await until(async () => (await stateOf(c)) === 'failed', 'failed on the timeline');
    expect((await onlyEntry(c)).sms?.reason).toEqual({ zh: '发送失败：delivery failed (TP-ST 0x41)', en: 'Failed: delivery failed (TP-ST 0x41)' });
  });

  it('shows a confirmation that expired before it could go as expired, and one withdrawn with its booking as cancelled', async () => {
    const late = addCustomer(handle, dealerId, { mobile: '13900004444' });
    const withdrawn = addCustomer(handle, dealerId, { mobile: '13900005555' });
    const past = new Date(Date.now() - 60_000).toISOString();
    const source = { kind: 'appointment' as const, appointmentId: 'a1', reminder: 'hour_before' };
    queue.enqueue({ dealerId, customerId: late, mobile: '13900004444', text: '您预约的保养一小时后开始', purpose: 'appointment', dedupeKey: 'appt:a1:hour_before', notBefore: past, expiresAt: past, source, label: '预约提醒' });
    const later = new Date(Date.now() + 86_400_000).toISOString();
    queue.enqueue({ dealerId, customerId: withdrawn, mobile: '13900005555', text: '您明天有预约', purpose: 'appointment', dedupeKey: 'appt:a2:day_before', notBefore: later, source: { ...source, appointmentId: 'a2' }, label: '预约提醒' });

    // Waiting for its time: queued, with the time it is planned for.
    expect((await onlyEntry(withdrawn)).sms).toMatchObject({ state: 'queued', notBefore: later, appointmentId: 'a2' });
    const m = await startModem();
    expect((await handoff(m).run()).dropped).toEqual({ expired: 1 });
    expect((await onlyEntry(late)).sms).toMatchObject({ state: 'expired', reason: { zh: '已过期，未发送' }, appointmentId: 'a1' });

    expect(queue.cancel(dealerId, 'appt:a2:day_before')).toBe(true);
    expect((await onlyEntry(withdrawn)).sms).toMatchObject({ state: 'cancelled', reason: { zh: '已撤回，未发送' } });
    expect(sim?.sent).toHaveLength(0);
  });

  it('writes a hand-written SMS’s entry with the message: a send that fails part-way leaves neither, and the retry writes both once', async () => {
    const c = addCustomer(handle, dealerId, { name: '王芳', mobile: '13900006666' });
    const events: Array<{ name: string; payload: unknown }> = [];
    const m = createModem({ handle, dealerId, emit: (name, payload) => events.push({ name, payload }), config: { port: '' } });
    modem = m;
    // The timeline write fails (a full disk, a crash between the two writes): the message must not stay without it.
    handle.sqlite.exec(`create temp trigger entry_fails before insert on contact_event begin select raise(abort, 'disk I/O error'); end`);
    const send = () => m.call('sms.send', { customerId: c, body: '王女士您好，您的车已修好。', clientRef: 'page-crash' }, agent);
    await expect(send()).rejects.toThrow(/disk I\/O error/);
    expect(handle.sqlite.prepare(`select count(*) from sms_message`).pluck().get()).toBe(0);
    handle.sqlite.exec(`drop trigger entry_fails`);

    // The agent's retry (same clientRef) is the first real send: one message, one entry naming it.
    const sent = await send();
    expect(sent.duplicate).toBe(false);
    const entry = await onlyEntry(c);
    expect(entry.sms).toMatchObject({ state: 'queued', messageId: sent.id });
    expect((await send()).duplicate).toBe(true);
    expect(await smsEntries(c)).toHaveLength(1);
    // The new message is announced for its customer, so their open page shows it.
    expect(events).toEqual([{ name: 'sms.state', payload: { messageId: sent.id, state: 'queued', customerId: c } }]);
  });

  it('reads an entry’s SMS, campaign and cars from the dealer’s own store only', async () => {
    const c = addCustomer(handle, dealerId, { mobile: '13900007777' });
    // Another dealer in the same file, with a queued SMS, a campaign and a car of its own.
    const other = newId();
    handle.sqlite.exec(`insert into dealer (id, code, name, brand, created_at, updated_at) values ('${other}', 'OTHER', '别家店', 'Honda', 't', 't')`);
    const theirs = addCustomer(handle, other, { mobile: '13900008888' });
    const theirCar = addVehicle(handle, other, theirs);
    const theirCampaign = handle.sqlite.prepare(`select id from campaign where dealer_id = ? limit 1`).pluck().get(dealerId) as string;
    handle.sqlite.prepare(`update campaign set dealer_id = ? where id = ?`).run(other, theirCampaign);
    const row = createTableSmsQueue(handle).enqueue({
      dealerId: other, customerId: theirs, mobile: '13900008888', text: '别家的提醒', purpose: 'maintenance', dedupeKey: 'theirs', notBefore: '2026-03-01T01:00:00.000Z',
      source: { kind: 'campaign', campaignId: theirCampaign, step: 1, taskIds: [], vehicleIds: [theirCar] }, label: '别家',
    });
    // An entry of ours whose detail names their rows (a bad import, a copied store): it must not read them.
    handle.sqlite
      .prepare(`insert into contact_event (id, dealer_id, customer_id, kind, occurred_at, summary, detail, created_at) values (?, ?, ?, 'sms_out', ?, '提醒', ?, ?)`)
      .run(newId(), dealerId, c, '2026-02-21T02:00:00.000Z', JSON.stringify({ smsQueueId: row.id, source: { kind: 'campaign', campaignId: theirCampaign, step: 1, vehicleIds: [theirCar] } }), '2026-02-21T02:00:00.000Z');
    const entry = await onlyEntry(c);
    expect(entry.sms).toMatchObject({ state: 'cancelled', notBefore: null, campaign: null, plates: [] });
  });
});
