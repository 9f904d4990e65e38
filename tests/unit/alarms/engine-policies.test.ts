import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, fails, feed, oks, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const supervisor = { id: 'staff-1', name: '王主管' };
const MIN = 60_000;

async function settle(): Promise<void> {
  h.clock.advance(5_000);
  await h.engine.tick();
}

describe('escalation', () => {
  it('escalates a critical alarm left unacknowledged, once, through the first channel', async () => {
    feed(h, 'srv1/svc:import', fails(3));
    await settle();
    h.clock.advance(9 * MIN);
    await h.engine.tick();
    expect(h.notifier.escalations).toHaveLength(0);
    h.clock.advance(1 * MIN);
    await h.engine.tick();
    await h.engine.tick();
    expect(h.notifier.escalations.map((e) => e.channel)).toEqual(['sms']);
    expect(h.notifier.escalations[0]?.message.text).toContain('未确认');
    expect(h.engine.openAlarms()[0]).toMatchObject({ escalatedVia: 'sms' });
  });

  it('never sends an SMS about the SMS server, nor while any SMS target is failing', async () => {
    feed(h, 'sms-srv/agent', fails(3), 10_000, { channel: 'sms', name: '短信服务器' });
    feed(h, 'backup/svc:copy', fails(3));
    h.clock.advance(11 * MIN);
    await h.engine.tick();
    expect(h.notifier.escalations.map((e) => [e.message.alarm.fingerprint, e.channel]).sort()).toEqual([
      ['backup/svc:copy', 'email'],
      ['sms-srv/agent', 'email'],
    ]);
  });

  it('falls back to the next channel when one fails, and records when none could carry it', async () => {
    h.notifier.failChannels.add('sms');
    feed(h, 'a/svc:1', fails(3));
    h.clock.advance(11 * MIN);
    await h.engine.tick();
    expect(h.notifier.escalations.map((e) => e.channel)).toEqual(['email']);

    h.notifier.failChannels.add('email');
    feed(h, 'a/svc:2', fails(3));
    h.clock.advance(11 * MIN);
    await h.engine.tick();
    const failed = h.engine.openAlarms().find((a) => a.fingerprint === 'a/svc:2');
    expect(failed?.escalatedVia).toBe('failed');
    expect(h.engine.history.events({ alarmId: failed!.id }).some((e) => e.type === 'escalation_failed')).toBe(true);
  });

  it('does not escalate acknowledged alarms or warnings', async () => {
    feed(h, 'a/svc:acked', fails(3));
    feed(h, 'a/disk', fails(3), 10_000, { severity: 'warning' });
    const acked = h.engine.openAlarms().find((a) => a.fingerprint === 'a/svc:acked')!;
    h.engine.acknowledge(acked.id, supervisor, '处理中');
    h.clock.advance(30 * MIN);
    await h.engine.tick();
    expect(h.notifier.escalations).toHaveLength(0);
  });
});

describe('silences and maintenance windows', () => {
  it('holds notifications under a matching silence and releases them when it ends, all audited', async () => {
    const silence = h.engine.silences.create(
      { kind: 'maintenance', pattern: 'backup/*', reason: '备份服务器升级', endsAt: new Date(h.clock.now() + 30 * MIN).toISOString() },
      supervisor,
    );
    feed(h, 'backup/svc:copy', fails(3));
    feed(h, 'import/svc:dms', fails(3));
    await settle();
    expect(h.notifier.items().map((i) => i.fingerprint)).toEqual(['import/svc:dms']);
    const held = h.engine.openAlarms().find((a) => a.fingerprint === 'backup/svc:copy');
    expect(held).toMatchObject({ state: 'firing', silenceId: silence.id });

    h.clock.advance(20 * MIN);
    await h.engine.tick();
    // Escalation respects the silence too (only the unsilenced alarm escalates).
    expect(h.notifier.escalations.map((e) => e.message.alarm.fingerprint)).toEqual(['import/svc:dms']);

    h.clock.advance(10 * MIN);
    await h.engine.tick();
    await settle();
    expect(h.notifier.items().map((i) => i.fingerprint)).toEqual(['import/svc:dms', 'backup/svc:copy']);
    const audit = h.engine.history.events().filter((e) => e.silenceId === silence.id).map((e) => e.type);
    expect(audit).toEqual(['silence_created', 'silenced', 'silence_ended']);
    expect(h.engine.silences.list()).toHaveLength(0);
    expect(h.engine.silences.list({ includeOver: true })[0]).toMatchObject({ endedBy: 'system', active: false });
  });

  it('is time-boxed, needs a reason, and can be ended early by someone who is recorded', () => {
    const end = (ms: number) => new Date(h.clock.now() + ms).toISOString();
    expect(() => h.engine.silences.create({ kind: 'silence', pattern: '*', reason: ' ', endsAt: end(MIN) }, supervisor)).toThrow(/reason/);
    expect(() => h.engine.silences.create({ kind: 'silence', pattern: '*', reason: 'x', endsAt: end(-MIN) }, supervisor)).toThrow(/future/);
    expect(() => h.engine.silences.create({ kind: 'silence', pattern: '*', reason: 'x', endsAt: end(8 * 24 * 60 * MIN) }, supervisor)).toThrow(/long/);
    const s = h.engine.silences.create({ kind: 'silence', pattern: 'a/*', reason: '误报', endsAt: end(60 * MIN) }, supervisor);
    expect(s.active).toBe(true);
    const ended = h.engine.silences.end(s.id, { id: 'staff-2', name: '李工' });
    expect(ended).toMatchObject({ active: false, endedBy: 'staff-2' });
    expect(() => h.engine.silences.end(s.id, supervisor)).toThrow(/over/);
    const ev = h.engine.history.events().filter((e) => e.silenceId === s.id);
    expect(ev.map((e) => [e.type, e.actorName])).toEqual([
      ['silence_created', '王主管'],
      ['silence_ended', '李工'],
    ]);
  });
});

describe('dependencies', () => {
  it('suppresses alarms behind a failing parent and announces them if they still fail after it recovers', async () => {
    const line = { name: '电话线路', failThreshold: 1, clearThreshold: 1 };
    const link = { name: '短信连接', parent: 'sms/line', failThreshold: 1, clearThreshold: 1 };
    feed(h, 'sms/line', fails(1), 1_000, line);
    feed(h, 'sms/link', fails(1), 1_000, link);
    await settle();
    expect(h.notifier.items().map((i) => i.fingerprint)).toEqual(['sms/line']);
    expect(h.engine.openAlarms().find((a) => a.fingerprint === 'sms/link')?.suppressedBy).toBe('parent:sms/line');

    h.clock.advance(20 * MIN);
    await h.engine.tick();
    expect(h.notifier.escalations.map((e) => e.message.alarm.fingerprint)).toEqual(['sms/line']);

    feed(h, 'sms/line', oks(1), 1_000, line);
    await h.engine.tick();
    await settle();
    expect(h.notifier.items().map((i) => `${i.fingerprint}:${i.change}`)).toEqual(['sms/line:firing', 'sms/line:resolved', 'sms/link:firing']);
    expect(h.engine.openAlarms().find((a) => a.fingerprint === 'sms/link')?.suppressedBy).toBeNull();
  });

  it('does not announce a child that recovers together with its parent', async () => {
    feed(h, 'agent:srv', fails(3));
    feed(h, 'srv/svc:a', fails(3), 1_000, { parent: 'agent:srv' });
    feed(h, 'srv/svc:a', oks(2), 1_000);
    feed(h, 'agent:srv', oks(2));
    await h.engine.tick();
    await settle();
    expect(h.notifier.items().map((i) => `${i.fingerprint}:${i.change}`)).toEqual(['agent:srv:firing', 'agent:srv:resolved']);
  });
});

describe('monitoring offline (watchdog)', () => {
  it('fires when a monitor is silent for twice its period and clears when it is heard again', async () => {
    h.engine.registerSource('agent:backup', 10_000);
    h.clock.advance(19_000);
    await h.engine.tick();
    expect(h.engine.openAlarms()).toHaveLength(0);
    h.clock.advance(2_000);
    await h.engine.tick();
    expect(h.engine.openAlarms()).toEqual([expect.objectContaining({ fingerprint: 'watchdog:agent:backup', state: 'firing' })]);
    await h.engine.tick();
    expect(h.engine.openAlarms()[0]?.occurrences).toBe(1);
    h.engine.reportCheck({ target: 'agent:backup', ok: true, source: 'agent:backup' });
    expect(h.engine.openAlarms()).toHaveLength(0);
  });
});
