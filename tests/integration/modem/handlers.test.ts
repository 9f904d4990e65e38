/**
 * The modem channels through the real dispatcher (createServices): roles, field issues, the
 * "not connected" paths, uncertain messages, and — over a real socat PTY pair with the simulator on the
 * other end — an admin connecting the modem at runtime, an SMS sent and delivered, a reply threaded
 * with an unread count, and an incoming call popping the customer.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, nowIso } from '../../../db/ids';
import type { CallContext } from '../../../main/rpc';
import type { Services } from '../../../main/services';
import type { EventName, Result } from '../../../preload/contract';
import { SimOnPort } from '../../../tools/modem-sim/serial';
import { ModemSim } from '../../../tools/modem-sim/sim';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { call, signIn, startServices } from '../../support/services';
import { until } from '../../unit/modem/sim-transport';
import { hasSocat, startSocat, type PtyPair } from './socat';

function data<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`call failed: ${r.error.code} ${r.error.message.en} ${JSON.stringify(r.error.issues ?? [])}`);
  return r.data;
}
function failure<T>(r: Result<T>) {
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

const SETTINGS = { enabled: true, port: '', baudRate: 115200, maxSmsPerMinute: 12, quietHours: null, perCustomerDailyCap: 5 };

describe('modem channels through the dispatcher', () => {
  const tmp = tempDir();
  let store: TestStore;
  let services: Services;
  let agent: CallContext;
  let supervisor: CallContext;
  let admin: CallContext;
  let customerId: string;
  const events: Array<{ name: EventName; payload: unknown }> = [];

  beforeAll(async () => {
    store = await createTestStore(tmp.dir);
    services = await startServices(store);
    services.onEvent((name, payload) => events.push({ name, payload }));
    await services.start();
    customerId = newId();
    const at = nowIso();
    services.handle.sqlite
      .prepare(`insert into customer (id, dealer_id, name, mobile, created_at, updated_at) values (?, ?, ?, ?, ?, ?)`)
      .run(customerId, store.dealerId, '陈静', '13812345678', at, at);
    agent = await signIn(services, store.staff.agent);
    supervisor = await signIn(services, store.staff.supervisor);
    admin = await signIn(services, store.staff.admin);
  });

  afterAll(async () => {
    await services?.close();
    tmp.cleanup();
  });

  it('keeps settings, ports and uncertain decisions to the roles allowed', async () => {
    expect(failure(await call(services, agent, 'modem.configure', SETTINGS)).code).toBe('FORBIDDEN');
    expect(failure(await call(services, supervisor, 'modem.settings', {})).code).toBe('FORBIDDEN');
    expect(failure(await call(services, supervisor, 'modem.ports', {})).code).toBe('FORBIDDEN');
    expect(failure(await call(services, agent, 'sms.uncertain', {})).code).toBe('FORBIDDEN');
    expect(failure(await call(services, agent, 'sms.resolveUncertain', { messageId: newId(), action: 'cancel' })).code).toBe('FORBIDDEN');
    expect(data(await call(services, admin, 'modem.settings', {}))).toMatchObject({ enabled: false, port: null, perCustomerDailyCap: 5 });
  });

  it('reports bad input at the field it belongs to', async () => {
    const empty = failure(await call(services, agent, 'sms.send', { customerId, body: '   ' }));
    expect(empty.code).toBe('VALIDATION');
    expect(empty.issues?.map((i) => i.path)).toEqual(['body']);
    const noPort = failure(await call(services, admin, 'modem.configure', { ...SETTINGS, port: null }));
    expect(noPort.issues?.map((i) => i.path)).toEqual(['port']);
    expect(noPort.issues?.[0]?.message.zh).toContain('串口');
    const baud = failure(await call(services, admin, 'modem.configure', { ...SETTINGS, port: '/dev/ttyUSB0', baudRate: 1234 }));
    expect(baud.issues?.map((i) => i.path)).toEqual(['baudRate']);
    const quiet = failure(await call(services, admin, 'modem.configure', { ...SETTINGS, port: '/dev/ttyUSB0', quietHours: { start: '25:00', end: '08:00' } }));
    expect(quiet.issues?.map((i) => i.path)).toEqual(['quietHours.start']);
  });

  it('refuses calls while no modem is configured, but queues SMS durably', async () => {
    const dial = failure(await call(services, agent, 'calls.dial', { number: '13812345678', customerId }));
    expect(dial.code).toBe('UNAVAILABLE');
    expect(dial.message.zh).toContain('短信猫');
    const sent = data(await call(services, agent, 'sms.send', { customerId, body: '您好，您的爱车保养已完成。' }));
    expect(sent).toMatchObject({ parts: 1, encoding: 'ucs2', duplicate: false });
    const thread = data(await call(services, agent, 'sms.thread', { customerId }));
    expect(thread.find((m) => m.id === sent.id)?.state).toBe('queued');
    expect(data(await call(services, agent, 'modem.status', {})).queue.queued).toBeGreaterThanOrEqual(1);
    expect(data(await call(services, agent, 'sms.count', { text: 'a'.repeat(161) }))).toEqual({ encoding: 'gsm7', parts: 2, units: 161 });
  });

  it('lets a supervisor see and cancel a message whose outcome is unknown', async () => {
    const { id } = data(await call(services, agent, 'sms.send', { recipient: '13900001111', body: 'crash test' }));
    services.handle.sqlite.prepare(`update sms_part set state = 'uncertain' where message_id = ?`).run(id);
    services.handle.sqlite.prepare(`update sms_message set state = 'uncertain' where id = ?`).run(id);
    const list = data(await call(services, supervisor, 'sms.uncertain', {}));
    expect(list.map((m) => m.id)).toContain(id);
    expect(data(await call(services, supervisor, 'sms.resolveUncertain', { messageId: id, action: 'cancel' }))).toEqual({ state: 'cancelled' });
    expect(data(await call(services, supervisor, 'sms.uncertain', {})).map((m) => m.id)).not.toContain(id);
    expect(failure(await call(services, supervisor, 'sms.resolveUncertain', { messageId: newId(), action: 'cancel' })).code).toBe('NOT_FOUND');
  });

  it('creates a customer from an unknown caller, checking the name at its field', async () => {
    const bad = failure(await call(services, agent, 'calls.quickCreate', { name: ' ', number: '13700001234' }));
    expect(bad.issues?.map((i) => i.path)).toEqual(['name']);
    const { id } = data(await call(services, agent, 'calls.quickCreate', { name: '新客户', number: '+8613700001234' }));
    const got = data(await call(services, agent, 'customers.get', { id }));
    expect(got.customer).toMatchObject({ name: '新客户', mobile: '13700001234' });
    expect(data(await call(services, agent, 'customers.search', { q: '13700001234' })).items.map((h) => h.id)).toContain(id);
  });

  it('follows a modem section changed in the seat file by someone else', async () => {
    const file = join(services.dataDir, 'seat-config.json');
    const before = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    writeFileSync(file, JSON.stringify({ ...before, modem: { enabled: false, port: null, maxSmsPerMinute: 7 } }));
    await until(async () => data(await call(services, admin, 'modem.settings', {})).maxSmsPerMinute === 7, 'settings reloaded', 10_000);
  });

  describe.skipIf(!hasSocat)('over a socat pair with the simulator', () => {
    let pair: PtyPair;
    let sim: ModemSim;
    let simPort: SimOnPort;

    beforeAll(async () => {
      pair = await startSocat(tmp.dir);
      sim = new ModemSim({ delays: { commandMs: 2, submitMs: 15, reportMs: 25, ringMs: 100, dialMs: 50 } });
      simPort = new SimOnPort(sim, pair.simLink);
      simPort.start();
      await until(() => simPort.isOpen, 'simulator on its pty');
    });

    afterAll(async () => {
      // Disconnect the app first so it does not chase a vanished port.
      await call(services, admin, 'modem.configure', { ...SETTINGS, enabled: false, port: pair.appLink });
      sim.stop();
      await simPort.stop();
      await pair.kill();
    });

    it('connects at runtime, persists the port, sends the queued SMS and shows it delivered', async () => {
      const saved = data(await call(services, admin, 'modem.configure', { ...SETTINGS, port: pair.appLink }));
      expect(saved.port).toBe(pair.appLink);
      const file = join(services.dataDir, 'seat-config.json');
      expect(existsSync(file)).toBe(true);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ modem: { enabled: true, port: pair.appLink, maxSmsPerMinute: 12 } });
      await until(async () => data(await call(services, agent, 'modem.status', {})).link === 'ready', 'modem ready', 15_000);
      expect(events.some((e) => e.name === 'modem.status')).toBe(true);

      const { id } = data(await call(services, agent, 'sms.send', { customerId, body: '保养提醒：请于本周内到店。' }));
      await until(async () => data(await call(services, agent, 'sms.thread', { customerId })).find((m) => m.id === id)?.state === 'delivered', 'delivered', 20_000);
      expect(sim.sent.some((r) => r.recipient.endsWith('13812345678') && r.text === '保养提醒：请于本周内到店。')).toBe(true);
      expect(events.some((e) => e.name === 'sms.state' && JSON.stringify(e.payload).includes('delivered'))).toBe(true);
    });

    it('threads a reply under the customer with an unread count, and clears it on read', async () => {
      sim.injectSms('+8613812345678', '收到，谢谢！周六上午过来。');
      await until(async () => (data(await call(services, agent, 'sms.threads', {})).items.find((t) => t.customerId === customerId)?.unread ?? 0) > 0, 'reply threaded', 15_000);
      const threads = data(await call(services, agent, 'sms.threads', {}));
      expect(threads.unreadTotal).toBeGreaterThan(0);
      expect(threads.items.find((t) => t.customerId === customerId)).toMatchObject({ customerName: '陈静', unread: 1 });
      // The reply carries the network's time stamp (whole seconds), so it may sort level with our message.
      expect(data(await call(services, agent, 'sms.thread', { customerId })).find((m) => m.direction === 'in')).toMatchObject({ body: '收到，谢谢！周六上午过来。' });
      expect(data(await call(services, agent, 'sms.markRead', { customerId })).updated).toBe(1);
      expect(data(await call(services, agent, 'sms.threads', {})).items.find((t) => t.customerId === customerId)?.unread).toBe(0);
    });

    it('pops the customer on an incoming call, answers and hangs up', async () => {
      sim.injectCall('13812345678');
      await until(() => events.some((e) => e.name === 'call.incoming' && JSON.stringify(e.payload).includes(customerId)), 'screen pop', 10_000);
      const pop = events.find((e) => e.name === 'call.incoming');
      expect(pop?.payload).toMatchObject({ direction: 'in', customerId, customerName: '陈静', phase: 'ringing' });
      const answered = data(await call(services, agent, 'calls.answer', {}));
      expect(data(await call(services, agent, 'calls.hangup', {})).callId).toBe(answered.callId);
      const busy = failure(await call(services, agent, 'calls.answer', {}));
      expect(busy.code).toBe('CONFLICT');
    });

    it('dials out from a customer, follows the call to active and hangs up; a bad number is flagged at its field', async () => {
      const bad = failure(await call(services, agent, 'calls.dial', { number: '12a45', customerId }));
      expect(bad.code).toBe('VALIDATION');
      expect(bad.issues?.map((i) => i.path)).toEqual(['number']);
      const { callId } = data(await call(services, agent, 'calls.dial', { number: '13812345678', customerId }));
      await until(() => events.some((e) => e.name === 'call.state' && JSON.stringify(e.payload).includes(callId) && JSON.stringify(e.payload).includes('"active"')), 'call active', 10_000);
      expect(events.find((e) => e.name === 'call.state' && JSON.stringify(e.payload).includes(callId))?.payload).toMatchObject({ direction: 'out', customerId, customerName: '陈静' });
      expect(data(await call(services, agent, 'calls.hangup', {})).callId).toBe(callId);
      await until(() => events.some((e) => e.name === 'call.state' && JSON.stringify(e.payload).includes(callId) && JSON.stringify(e.payload).includes('"ended"')), 'call ended', 10_000);

      const log = data(await call(services, agent, 'calls.log', {}));
      expect(log[0]).toMatchObject({ id: callId, direction: 'out', customerName: '陈静', staffName: expect.any(String), missed: false });
      expect(log.find((c) => c.direction === 'in')).toMatchObject({ customerId, missed: false });
      expect(failure(await call(services, agent, 'calls.exportLog', {})).code).toBe('FORBIDDEN');
      const file = data(await call(services, supervisor, 'calls.exportLog', {}));
      expect(file).toMatchObject({ rows: log.length });
      expect(file.fileName).toMatch(/^通话记录_\d{8}\.xlsx$/);
      expect(Buffer.from(file.base64, 'base64').subarray(0, 2).toString()).toBe('PK');
    });
  });
});
