/**
 * The demo line and SMS escalation. Through the real dispatcher (createServices): an admin sets the port
 * to `sim://demo`, the modem connects to the in-process simulator (no socat), an SMS is delivered, and
 * the demo action makes a customer text (thread unread) and call (screen pop). Then the alarms engine
 * with the real 'sms' escalation sender: a critical alarm on another target is escalated by SMS (an
 * outbox row), one on the modem link is not (never an SMS about the SMS link).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/connection';
import { newId, nowIso } from '../../../db/ids';
import { createAlarms, LOCAL_TARGETS } from '../../../main/alarms';
import { createAlarmNotifier, ESCALATION_CHANNELS, type EscalationSender } from '../../../main/alarms/notify';
import { ConfigError, createSeatConfig } from '../../../main/config';
import { createModem } from '../../../main/modem';
import { createSmsEscalationSender } from '../../../main/modem/escalation';
import { createSimLine, SIM_PORT } from '../../../main/modem/sim-link';
import type { CallContext } from '../../../main/rpc';
import type { Services } from '../../../main/services';
import type { EventName, Result } from '../../../preload/contract';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { call, signIn, startServices } from '../../support/services';
import { FakeClock } from '../../unit/alarms/harness';
import { until } from '../../unit/modem/sim-transport';

function data<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`call failed: ${r.error.code} ${r.error.message.en} ${JSON.stringify(r.error.issues ?? [])}`);
  return r.data;
}
function failure<T>(r: Result<T>) {
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

const SETTINGS = { enabled: true, port: SIM_PORT, baudRate: 115200, maxSmsPerMinute: 12, quietHours: null, perCustomerDailyCap: 5 };

describe('the demo line sim://demo through the dispatcher', () => {
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
      .run(customerId, store.dealerId, '王芳', '13912345678', at, at);
    agent = await signIn(services, store.staff.agent);
    supervisor = await signIn(services, store.staff.supervisor);
    admin = await signIn(services, store.staff.admin);
  });

  afterAll(async () => {
    await services?.close();
    tmp.cleanup();
  });

  it('keeps the demo action to admins, and to a seat on the simulator', async () => {
    expect(failure(await call(services, supervisor, 'modem.demoInject', { kind: 'call', from: '13912345678' })).code).toBe('FORBIDDEN');
    expect(failure(await call(services, agent, 'modem.demoInject', { kind: 'call', from: '13912345678' })).code).toBe('FORBIDDEN');
    // The modem is off by default: nothing to inject into.
    const off = failure(await call(services, admin, 'modem.demoInject', { kind: 'call', from: '13912345678' }));
    expect(off.code).toBe('UNAVAILABLE');
    expect(off.message.zh).toContain('sim://demo');
  });

  it('flags a text message without text and a bad number at their fields', async () => {
    const noText = failure(await call(services, admin, 'modem.demoInject', { kind: 'sms', from: '13912345678' }));
    expect(noText.code).toBe('VALIDATION');
    expect(noText.issues?.map((i) => i.path)).toEqual(['text']);
    const badFrom = failure(await call(services, admin, 'modem.demoInject', { kind: 'call', from: 'abc' }));
    expect(badFrom.issues?.map((i) => i.path)).toEqual(['from']);
  });

  it('connects to the simulator in-process and delivers an SMS after a few seconds', async () => {
    expect(data(await call(services, admin, 'modem.configure', SETTINGS)).port).toBe(SIM_PORT);
    await until(async () => data(await call(services, agent, 'modem.status', {})).link === 'ready', 'modem ready', 15_000);
    expect(data(await call(services, agent, 'modem.status', {}))).toMatchObject({ port: SIM_PORT, sim: 'ready' });
    const { id } = data(await call(services, agent, 'sms.send', { customerId, body: '您的爱车保养已完成，欢迎取车。' }));
    await until(async () => data(await call(services, agent, 'sms.thread', { customerId })).find((m) => m.id === id)?.state === 'delivered', 'delivered', 20_000);
    expect(events.some((e) => e.name === 'sms.state' && JSON.stringify(e.payload).includes('delivered'))).toBe(true);
  }, 40_000);

  it('makes a customer text the seat: the reply is threaded unread', async () => {
    expect(data(await call(services, admin, 'modem.demoInject', { kind: 'sms', from: '+8613912345678', text: '好的，明天下午来取。' }))).toEqual({ injected: 'sms' });
    await until(async () => (data(await call(services, agent, 'sms.threads', {})).items.find((t) => t.customerId === customerId)?.unread ?? 0) > 0, 'reply threaded', 15_000);
    expect(data(await call(services, agent, 'sms.threads', {})).unreadTotal).toBeGreaterThan(0);
    expect(data(await call(services, agent, 'sms.thread', { customerId })).find((m) => m.direction === 'in')).toMatchObject({ body: '好的，明天下午来取。' });
  }, 20_000);

  it('makes a customer call the seat: call.incoming pops the customer', async () => {
    data(await call(services, admin, 'modem.demoInject', { kind: 'call', from: '13912345678' }));
    await until(() => events.some((e) => e.name === 'call.incoming' && JSON.stringify(e.payload).includes(customerId)), 'screen pop', 10_000);
    expect(events.find((e) => e.name === 'call.incoming')?.payload).toMatchObject({ direction: 'in', customerId, customerName: '王芳', phase: 'ringing' });
    expect(data(await call(services, agent, 'calls.hangup', {})).callId).not.toBeNull();
  }, 20_000);

  it('keeps the escalation mobiles when the settings screen saves the seat file, and flags a bad one', async () => {
    const loaded = data(await call(services, admin, 'config.get', {})).config;
    const withMobiles = { ...loaded, alarms: { escalationMobiles: ['+86 139 0000 2222'] } };
    expect(data(await call(services, admin, 'config.save', { config: withMobiles })).config.alarms).toEqual({ escalationMobiles: ['13900002222'] });
    // What the 系统设置 screen does: reload, overlay its own fields, save the whole file.
    const latest = data(await call(services, admin, 'config.get', {})).config;
    expect(data(await call(services, admin, 'config.save', { config: { ...latest, seatName: '前台 1' } })).config.alarms.escalationMobiles).toEqual(['13900002222']);
    const bad = failure(await call(services, admin, 'config.save', { config: { ...latest, alarms: { escalationMobiles: ['1234'] } } }));
    expect(bad.code).toBe('VALIDATION');
    expect(bad.issues?.map((i) => i.path)).toEqual(['config.alarms.escalationMobiles.0']);
  });

  it('refuses the demo action once the port is a real one again', async () => {
    data(await call(services, admin, 'modem.configure', { ...SETTINGS, enabled: false, port: '/dev/ttyUSB9' }));
    expect(failure(await call(services, admin, 'modem.demoInject', { kind: 'call', from: '13912345678' })).code).toBe('UNAVAILABLE');
  });
});

/** A store, the seat file, a modem on the simulator and the alarms engine on a fake clock with the real 'sms' sender. */
async function escalationRig(dir: string, mobiles: string[], stops: Array<() => void | Promise<void>>) {
  mkdirSync(dir, { recursive: true });
  const store = await createTestStore(dir);
  const handle = openDatabase(store.file);
  stops.push(() => handle.close());
  const seatConfig = await createSeatConfig({ file: join(dir, 'seat-config.json'), watch: false });
  stops.push(() => seatConfig.close());
  seatConfig.save({ modem: { enabled: true, port: SIM_PORT }, alarms: { escalationMobiles: mobiles } });
  const line = createSimLine({ commandMs: 1, submitMs: 5, reportMs: 10 });
  stops.push(() => line.stop());
  const modem = createModem({ handle, emit: () => {}, config: { port: SIM_PORT }, transport: line.transport });
  const senders = new Map<string, EscalationSender>([['sms', createSmsEscalationSender({ seatConfig, modem: () => modem })]]);
  const escalations: Array<{ channel: string; fingerprint: string }> = [];
  const clock = new FakeClock();
  const alarms = createAlarms({
    handle,
    clock,
    tickMs: 0,
    emit: () => {},
    notifier: createAlarmNotifier((name, payload) => {
      if (name === 'alarms.escalation' && 'channel' in payload && 'alarm' in payload) escalations.push({ channel: payload.channel, fingerprint: payload.alarm.fingerprint });
    }, senders),
    options: { failThreshold: 2, clearThreshold: 2, groupWaitMs: 1_000, escalation: { afterMs: 60_000, channels: ESCALATION_CHANNELS } },
  });
  alarms.start();
  stops.push(() => alarms.stop());
  const dms = alarms.localHook('dms', 30_000);
  const modemHook = alarms.modemHook(30_000);
  return {
    seatConfig,
    escalations,
    smsRows: () =>
      handle.sqlite.prepare(`select recipient, body, kind from sms_message where dealer_id = ?`).all(store.dealerId) as Array<{ recipient: string; body: string; kind: string }>,
    /** Six 30-second rounds: the DMS link fails (critical), the modem line is fine, the SMS link as given. */
    async rounds(smsLinkOk: boolean) {
      for (let i = 0; i < 6; i++) {
        clock.advance(30_000);
        dms.report(LOCAL_TARGETS.dmsLink, false, 'DMS 无响应 / no answer', { severity: 'critical' });
        modemHook.line(true, null);
        modemHook.smsLink(smsLinkOk, smsLinkOk ? null : 'AT+CMGS timeout');
        await alarms.tick();
      }
    },
  };
}

describe('alarm escalation by SMS', () => {
  const tmp = tempDir();
  const stops: Array<() => void | Promise<void>> = [];

  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    tmp.cleanup();
  });

  it('texts the escalation mobiles about a critical alarm, never about the modem link itself', async () => {
    const mobile = '13700001111';
    const rig = await escalationRig(join(tmp.dir, 'a'), ['137 0000 1111'], stops);
    expect(rig.seatConfig.get().alarms.escalationMobiles).toEqual([mobile]);
    // The contract's mobile rule, reported at the list entry.
    let invalid: unknown = null;
    try {
      rig.seatConfig.save({ modem: { enabled: true, port: SIM_PORT }, alarms: { escalationMobiles: [mobile, '12345'] } });
    } catch (error) {
      invalid = error;
    }
    expect(invalid).toBeInstanceOf(ConfigError);
    if (invalid instanceof ConfigError) expect(invalid.issues.map((i) => i.path)).toEqual(['alarms.escalationMobiles.1']);
    expect(rig.seatConfig.get().alarms.escalationMobiles).toEqual([mobile]);

    // A critical alarm on the DMS link while the modem is fine: escalated by SMS.
    await rig.rounds(true);
    expect(rig.escalations).toEqual([{ channel: 'sms', fingerprint: LOCAL_TARGETS.dmsLink }]);
    const rows = rig.smsRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ recipient: mobile, kind: 'service' });
    expect(rows[0]?.body).toContain('告警');

    // The SMS link itself fails: its alarm never goes out by SMS (the seats are told instead).
    await rig.rounds(false);
    const linkEscalations = rig.escalations.filter((e) => e.fingerprint === LOCAL_TARGETS.smsLink);
    expect(linkEscalations.length).toBeGreaterThan(0);
    expect(linkEscalations.map((e) => e.channel)).not.toContain('sms');
    expect(rig.smsRows()).toHaveLength(1);
  });

  it('tells the seats instead when no escalation mobile is configured', async () => {
    const rig = await escalationRig(join(tmp.dir, 'b'), [], stops);
    await rig.rounds(true);
    expect(rig.escalations).toEqual([{ channel: 'seats', fingerprint: LOCAL_TARGETS.dmsLink }]);
    expect(rig.smsRows()).toHaveLength(0);
  });
});
