import { afterEach, describe, expect, it } from 'vitest';
import { createModem, type Modem, type ModemConfig } from '../../../main/modem';
import type { ModemEventName } from '../../../main/modem/api';
import { ServiceError } from '../../../main/rpc/errors';
import { buildDeliver } from '../../../main/modem/pdu';
import { ModemSim } from '../../../tools/modem-sim/sim';
import { accountParts } from './accounting';
import { addCustomer, createTestDb, type TestDb } from './db';
import { SimLink, until } from './sim-transport';

const FAST: Partial<ModemConfig> = {
  ratePerMinute: 10_000,
  quietHours: null,
  retryDelaysMs: [10],
  promptTimeoutMs: 200,
  submitTimeoutMs: 300,
  commandTimeoutMs: 500,
  reconnectMinMs: 20,
  reconnectMaxMs: 100,
  healthIntervalMs: 60_000,
  pauseMs: 50,
};

interface Harness {
  t: TestDb;
  sim: ModemSim;
  link: SimLink;
  modem: Modem;
  events: Array<{ name: ModemEventName; payload: unknown }>;
}

let h: Harness | null = null;
afterEach(async () => {
  if (!h) return;
  await h.modem.stop();
  h.sim.stop();
  h.t.cleanup();
  h = null;
});

async function setup(config: Partial<ModemConfig> = {}, clock?: () => number): Promise<Harness> {
  const t = await createTestDb();
  const sim = new ModemSim({ delays: { commandMs: 1, submitMs: 2, reportMs: 5, ringMs: 40, dialMs: 20 } });
  const link = new SimLink(sim);
  const events: Harness['events'] = [];
  const modem = createModem({
    handle: t.handle,
    dealerId: t.dealerId,
    emit: (name, payload) => events.push({ name, payload }),
    config: { port: 'sim', ...FAST, ...config, calls: { clipGraceMs: 50, ringGapMs: 300, clccPollMs: 20 } },
    transport: link.factory,
    ...(clock ? { clock } : {}),
  });
  h = { t, sim, link, modem, events };
  await modem.start();
  await until(async () => (await modem.status()).link === 'ready', 'modem ready');
  return h;
}

const msgState = async (t: TestDb, id: string) => (await t.handle.db.selectFrom('sms_message').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
const CHINESE_LONG = '【广州本田】尊敬的王先生：您的爱车雅阁（粤A12345）已到 5000 公里首保里程，请于本月内到店保养，预约电话 020-12345678，回复TD退订。'.repeat(2);

describe('modem bridge over the simulator', () => {
  it('initialises the modem in PDU mode with store-and-indicate, caller ID and registration URCs', async () => {
    const { sim } = await setup();
    expect(sim.commands).toEqual(expect.arrayContaining(['ATE0', 'AT+CMEE=2', 'AT+CPIN?', 'AT+CMGF=0', 'AT+CNMI=2,1,0,2,1', 'AT+CLIP=1', 'AT+CREG=2', 'AT+CSQ']));
    const s = await h!.modem.status();
    expect(s).toMatchObject({ link: 'ready', sim: 'ready', registration: 'home', signal: { csq: 23, dbm: -67 } });
  });

  it('sends a 3-part Chinese SMS once per part, gets delivery reports and logs the timeline', async () => {
    const { t, sim, modem } = await setup();
    const customerId = await addCustomer(t, '王先生', '13812345678');
    const r = await modem.sendSms({ customerId, recipient: null, body: CHINESE_LONG, kind: 'service', origin: 'manual', staffId: t.staffId, clientRef: null });
    expect(r).toMatchObject({ parts: 3, encoding: 'ucs2', duplicate: false });
    await until(async () => (await msgState(t, r.id)) === 'delivered', 'delivered');
    expect(sim.sent).toHaveLength(3);
    expect(new Set(sim.sent.map((s) => s.concat?.seq))).toEqual(new Set([1, 2, 3]));
    expect(sim.sent.map((s) => s.text).join('')).toBe(CHINESE_LONG);
    const parts = await t.handle.db.selectFrom('sms_part').select(['state', 'mr']).where('message_id', '=', r.id).orderBy('seq').execute();
    expect(parts.map((p) => p.state)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(parts.map((p) => p.mr)).toEqual(sim.sent.map((s) => s.mr));
    const ev = await t.handle.db.selectFrom('contact_event').select(['kind', 'summary']).where('customer_id', '=', customerId).execute();
    expect(ev).toEqual([{ kind: 'sms_out', summary: CHINESE_LONG.slice(0, 200) }]);
    // Reports are deleted from the modem right after they are persisted.
    await until(() => sim.stored('SR') === 0, 'reports deleted');
  });

  it('is idempotent on clientRef', async () => {
    const { t, sim, modem } = await setup();
    const a = await modem.sendSms({ customerId: null, recipient: '13900000001', body: 'hello', kind: 'service', origin: 'manual', staffId: null, clientRef: 'req-1' });
    const b = await modem.sendSms({ customerId: null, recipient: '13900000001', body: 'hello', kind: 'service', origin: 'manual', staffId: null, clientRef: 'req-1' });
    expect(b).toMatchObject({ id: a.id, duplicate: true });
    await until(async () => (await msgState(t, a.id)) === 'delivered', 'delivered');
    expect(sim.sent).toHaveLength(1);
  });

  it('receives a multipart Chinese SMS into the customer thread, deletes it from the SIM and ignores a re-delivery', async () => {
    const { t, sim, modem, events } = await setup();
    const customerId = await addCustomer(t, '陈女士', '13712345678');
    const text = '您好，我想把周二的保养改到周四下午两点，可以吗？另外空调有异味，麻烦一起检查一下。谢谢！'.repeat(2);
    sim.injectSms('+8613712345678', text);
    await until(() => events.some((e) => e.name === 'sms.received'), 'sms.received');
    const received = events.find((e) => e.name === 'sms.received')?.payload;
    expect(received).toMatchObject({ customerId, customerName: '陈女士', sender: '13712345678', body: text, optOut: false });
    await until(() => sim.stored('SM') === 0, 'deleted from SIM');
    // The network (or a modem that failed to delete) hands the same PDU over again.
    const [first] = buildDeliver({ sender: '+8613712345678', text: '同一条短信', timestamp: '2026-05-01T02:00:00.000Z' });
    sim.injectRawPdu(first as string);
    sim.injectRawPdu(first as string);
    await until(() => sim.stored('SM') === 0, 'both copies deleted');
    const threads = await modem.call('sms.threads', {}, { connectionId: 'c', host: 'browser', staff: null });
    expect(threads.unreadTotal).toBe(2);
    expect(threads.items[0]).toMatchObject({ customerId, unread: 2 });
    const items = await modem.call('sms.thread', { customerId }, { connectionId: 'c', host: 'browser', staff: null });
    expect(items.map((i) => i.body).sort()).toEqual([text, '同一条短信'].sort());
    expect(items).toHaveLength(2);
    expect((await modem.call('sms.markRead', { customerId }, { connectionId: 'c', host: 'browser', staff: null })).updated).toBe(2);
    const ev = await t.handle.db.selectFrom('contact_event').select('kind').where('customer_id', '=', customerId).execute();
    expect(ev.map((e) => e.kind)).toEqual(['sms_in', 'sms_in']);
  });

  it('marks the customer do-not-SMS on a "TD" reply and refuses to send to them', async () => {
    const { t, sim, modem, events } = await setup();
    const customerId = await addCustomer(t, '赵先生', '13600000000');
    sim.injectSms('+8613600000000', 'td。');
    await until(() => events.some((e) => e.name === 'sms.received'), 'reply');
    const pref = await t.handle.db.selectFrom('contact_preference').selectAll().where('customer_id', '=', customerId).executeTakeFirst();
    expect(pref?.sms_opt_out).toBe(1);
    await expect(modem.sendSms({ customerId, recipient: null, body: '促销', kind: 'marketing', origin: 'manual', staffId: null, clientRef: null })).rejects.toThrow(ServiceError);
  });

  it('retries a transient +CMS 332 and sends exactly once; fails a permanent +CMS 1 without retry', async () => {
    const { t, sim, modem } = await setup();
    sim.inject({ type: 'cms', code: 332 });
    const a = await modem.sendSms({ customerId: null, recipient: '13900000002', body: 'retry me', kind: 'service', origin: 'manual', staffId: null, clientRef: null });
    await until(async () => (await msgState(t, a.id)) === 'delivered', 'delivered after retry');
    expect(sim.sent).toHaveLength(1);
    sim.inject({ type: 'cms', code: 1 });
    const b = await modem.sendSms({ customerId: null, recipient: '13900000003', body: 'bad number', kind: 'service', origin: 'manual', staffId: null, clientRef: null });
    await until(async () => (await msgState(t, b.id)) === 'failed', 'failed');
    const row = await t.handle.db.selectFrom('sms_message').select(['error_code', 'error_text']).where('id', '=', b.id).executeTakeFirstOrThrow();
    expect(row.error_code).toBe(1);
    expect(row.error_text).toContain('号码不存在');
    expect(sim.sent).toHaveLength(1);
  });

  it('clears a stuck prompt with ESC and sends the part once', async () => {
    const { t, sim, modem } = await setup();
    sim.inject({ type: 'noPrompt' });
    const a = await modem.sendSms({ customerId: null, recipient: '13900000004', body: 'stuck prompt', kind: 'service', origin: 'manual', staffId: null, clientRef: null });
    await until(async () => (await msgState(t, a.id)) === 'delivered', 'delivered');
    expect(sim.sent).toHaveLength(1);
  });

  it('marks a part with no answer after Ctrl-Z UNCERTAIN, keeps the queue moving, and resends only on a person\'s decision', async () => {
    const { t, sim, modem } = await setup();
    sim.inject({ type: 'noResult' });
    const a = await modem.sendSms({ customerId: null, recipient: '13900000005', body: 'maybe sent', kind: 'service', origin: 'manual', staffId: null, clientRef: null });
    const b = await modem.sendSms({ customerId: null, recipient: '13900000006', body: 'next one', kind: 'service', origin: 'manual', staffId: null, clientRef: null });
    await until(async () => (await msgState(t, a.id)) === 'uncertain' && (await msgState(t, b.id)) === 'delivered', 'uncertain + next delivered');
    expect(sim.sent.map((s) => s.text)).toEqual(['maybe sent', 'next one']);
    const ctx = { connectionId: 'c', host: 'browser' as const, staff: null };
    await modem.call('sms.resolveUncertain', { messageId: a.id, action: 'resend' }, ctx);
    await until(async () => (await msgState(t, a.id)) === 'delivered', 'resent');
    expect(sim.sent.map((s) => s.text)).toEqual(['maybe sent', 'next one', 'maybe sent']);
  });

  it('survives a cable pull: reconnects and resumes the queue without loss or duplicates', async () => {
    const { t, sim, link, modem } = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await modem.sendSms({ customerId: null, recipient: `1390000010${i}`, body: `第${i}条：${'长'.repeat(80)}`, kind: 'service', origin: 'manual', staffId: null, clientRef: null })).id);
    await until(() => sim.sent.length >= 3, 'some parts sent');
    link.pull();
    await until(async () => (await modem.status()).link === 'disconnected', 'disconnected');
    link.plugged = true;
    await until(async () => {
      const states = await Promise.all(ids.map((id) => msgState(t, id)));
      return states.every((s) => s === 'delivered' || s === 'uncertain');
    }, 'all settled', 15_000);
    const acc = accountParts(t, sim.sent);
    expect({ doubled: acc.doubled, lost: acc.lost, unknownToOutbox: acc.unknownToOutbox }).toEqual({ doubled: 0, lost: [], unknownToOutbox: 0 });
    expect(acc.parts).toBe(12);
    expect(link.opens).toBeGreaterThanOrEqual(2);
  });

  it('holds marketing SMS in quiet hours while service SMS go out', async () => {
    // 22:30 in China (UTC+8) = 14:30 UTC.
    const fixed = Date.parse('2026-05-01T14:30:00.000Z');
    const { t, sim, modem } = await setup({ quietHours: { start: '21:00', end: '08:00' } }, () => fixed);
    const m = await modem.sendSms({ customerId: null, recipient: '13900000007', body: '五一促销', kind: 'marketing', origin: 'manual', staffId: null, clientRef: null });
    const s = await modem.sendSms({ customerId: null, recipient: '13900000008', body: '您的车已修好', kind: 'service', origin: 'manual', staffId: null, clientRef: null });
    await until(async () => (await msgState(t, s.id)) === 'delivered', 'service delivered');
    expect(await msgState(t, m.id)).toBe('queued');
    expect(sim.sent.map((x) => x.text)).toEqual(['您的车已修好']);
  });

  it('enforces the per-customer daily cap', async () => {
    const { t, modem } = await setup({ perCustomerDailyCap: 2 });
    const customerId = await addCustomer(t, '孙先生', '13500000000');
    const send = () => modem.sendSms({ customerId, recipient: null, body: 'x', kind: 'service', origin: 'manual', staffId: null, clientRef: null });
    await send();
    await send();
    await expect(send()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('pops the caller on +CLIP with the matched customer and logs an abandoned call when the caller hangs up', async () => {
    const { t, sim, events } = await setup();
    const customerId = await addCustomer(t, '周女士', null, '13312345678');
    sim.injectCall('+8613312345678');
    await until(() => events.some((e) => e.name === 'call.incoming'), 'screen pop');
    expect(events.find((e) => e.name === 'call.incoming')?.payload).toMatchObject({ direction: 'in', number: '13312345678', customerId, customerName: '周女士', phase: 'ringing' });
    sim.remoteHangup();
    await until(() => events.some((e) => e.name === 'call.state' && (e.payload as { phase: string }).phase === 'ended'), 'ended');
    const log = await t.handle.db.selectFrom('call_log').selectAll().executeTakeFirstOrThrow();
    expect(log).toMatchObject({ direction: 'in', number: '13312345678', customer_id: customerId, missed: 1, abandoned: 1, end_reason: 'remote_hangup', duration_s: 0 });
    const ev = await t.handle.db.selectFrom('contact_event').select(['kind', 'summary']).where('customer_id', '=', customerId).execute();
    expect(ev).toEqual([{ kind: 'call_in', summary: '未接来电' }]);
  });

  it('pops "unknown number" after the grace time when no +CLIP comes, then answers and hangs up', async () => {
    const { t, sim, modem, events } = await setup();
    sim.injectCall(null);
    await until(() => events.some((e) => e.name === 'call.incoming'), 'pop without CLIP');
    expect(events.find((e) => e.name === 'call.incoming')?.payload).toMatchObject({ number: null, customerId: null });
    await modem.answer(t.staffId);
    await modem.hangup();
    const log = await t.handle.db.selectFrom('call_log').selectAll().executeTakeFirstOrThrow();
    expect(log).toMatchObject({ direction: 'in', missed: 0, abandoned: 0, end_reason: 'local_hangup', staff_id: t.staffId });
    expect(log.answered_at).not.toBeNull();
  });

  it('dials out (ATD…;), sees the answer via +CLCC, hangs up with ATH and logs the call', async () => {
    const { t, sim, modem, events } = await setup();
    const customerId = await addCustomer(t, '吴先生', '13212345678');
    await modem.dial('13212345678', t.staffId, customerId);
    expect(sim.commands).toContain('ATD13212345678;');
    await until(() => events.some((e) => e.name === 'call.state' && (e.payload as { phase: string }).phase === 'active'), 'answered');
    await modem.hangup();
    expect(sim.commands).toContain('ATH');
    const log = await t.handle.db.selectFrom('call_log').selectAll().executeTakeFirstOrThrow();
    expect(log).toMatchObject({ direction: 'out', customer_id: customerId, staff_id: t.staffId, missed: 0, end_reason: 'local_hangup' });
    expect(log.answered_at).not.toBeNull();
    const ev = await t.handle.db.selectFrom('contact_event').select('kind').where('customer_id', '=', customerId).execute();
    expect(ev.map((e) => e.kind)).toEqual(['call_out']);
  });

  it('re-initialises after the modem reboots (RDY), so reception keeps working', async () => {
    const { sim, events } = await setup();
    const before = sim.commands.filter((c) => c === 'AT+CNMI=2,1,0,2,1').length;
    sim.reset();
    await until(() => sim.commands.filter((c) => c === 'AT+CNMI=2,1,0,2,1').length > before, 're-init after RDY');
    sim.injectSms('+8613100000000', '重启后还能收到吗？');
    await until(() => events.some((e) => e.name === 'sms.received'), 'received after reboot');
  });

  it('holds the queue while the SIM is not ready and sends once the SIM comes back', async () => {
    const t = await createTestDb();
    const sim = new ModemSim({ simState: 'SIM PIN', delays: { commandMs: 1, submitMs: 2, reportMs: 5 } });
    const link = new SimLink(sim);
    const events: Harness['events'] = [];
    const modem = createModem({ handle: t.handle, dealerId: t.dealerId, emit: (name, payload) => events.push({ name, payload }), config: { port: 'sim', ...FAST, healthIntervalMs: 50 }, transport: link.factory });
    h = { t, sim, link, modem, events };
    await modem.start();
    await until(async () => (await modem.status()).sim === 'pin', 'SIM PIN seen');
    expect((await modem.status()).paused?.zh).toContain('SIM');
    const m = await modem.sendSms({ customerId: null, recipient: '13900000009', body: 'wait for SIM', kind: 'service', origin: 'manual', staffId: null, clientRef: null });
    expect(sim.sent).toHaveLength(0);
    sim.simState = 'READY';
    await until(async () => (await msgState(t, m.id)) === 'delivered', 'sent after SIM ready');
    expect(sim.sent).toHaveLength(1);
  });
});
