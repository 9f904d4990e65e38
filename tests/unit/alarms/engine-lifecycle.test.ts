import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../../db/ids';
import { createHarness, fails, feed, oks, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const T = 'srv1/svc:mysql';
const supervisor = { id: 'staff-1', name: '王主管' };

describe('alarm lifecycle', () => {
  it('holds a failure as pending until it has lasted N checks, then fires and notifies after the group wait', async () => {
    feed(h, T, fails(2));
    const [pending] = h.engine.openAlarms();
    expect(pending?.state).toBe('pending');
    expect(pending?.firedAt).toBeNull();
    await h.engine.tick();
    expect(h.notifier.batches).toHaveLength(0);

    feed(h, T, fails(1));
    expect(h.engine.openAlarms()[0]?.state).toBe('firing');
    await h.engine.tick();
    expect(h.notifier.batches).toHaveLength(0); // group still open
    h.clock.advance(5_000);
    await h.engine.tick();
    expect(h.notifier.items()).toEqual([expect.objectContaining({ fingerprint: T, change: 'firing', severity: 'critical' })]);
    expect(h.notifier.batches[0]?.level).toBe('critical');
  });

  it('clears only after M successes, notifies the recovery, and alarms again on the next failure', async () => {
    feed(h, T, fails(3));
    h.clock.advance(5_000);
    await h.engine.tick();
    const first = h.engine.openAlarms()[0];
    feed(h, T, oks(1));
    expect(h.engine.openAlarms()[0]?.state).toBe('firing');
    feed(h, T, oks(1));
    expect(h.engine.openAlarms()).toHaveLength(0);
    expect(h.engine.get(first!.id)?.state).toBe('resolved');
    h.clock.advance(5_000);
    await h.engine.tick();
    expect(h.notifier.items().map((i) => i.change)).toEqual(['firing', 'resolved']);

    feed(h, T, fails(3));
    const second = h.engine.openAlarms()[0];
    expect(second?.id).not.toBe(first?.id);
    expect(second?.state).toBe('firing');
  });

  it('resolves a pending alarm that never fired without telling anyone', async () => {
    feed(h, T, [false, false, true]);
    h.clock.advance(60_000);
    await h.engine.tick();
    expect(h.notifier.batches).toHaveLength(0);
    const [only] = h.engine.history.list().items;
    expect(only).toMatchObject({ state: 'resolved', firedAt: null });
    expect(h.engine.history.list({ firedOnly: true }).items).toHaveLength(0);
  });

  it('updates the one open alarm per fingerprint when it re-fires', () => {
    feed(h, T, fails(10));
    const open = h.engine.openAlarms();
    expect(open).toHaveLength(1);
    expect(open[0]?.occurrences).toBe(10);
    // The store itself refuses a second open alarm with the same fingerprint.
    const at = new Date(h.clock.now()).toISOString();
    const dup = () =>
      h.handle.sqlite
        .prepare(
          `insert into alarm (id, dealer_id, fingerprint, name, severity, state, first_seen_at, last_seen_at, created_at, updated_at)
           values (?, ?, ?, 'x', 'critical', 'firing', ?, ?, ?, ?)`,
        )
        .run(newId(), h.dealerId, T, at, at, at, at);
    expect(dup).toThrow(/UNIQUE/);
  });

  it('requires a comment to acknowledge, keeps the ack sticky until recovery, then alarms afresh', async () => {
    feed(h, T, fails(3));
    const alarm = h.engine.openAlarms()[0]!;
    expect(() => h.engine.acknowledge(alarm.id, supervisor, '   ')).toThrow(/comment/);
    const acked = h.engine.acknowledge(alarm.id, supervisor, '已通知IT重启数据库');
    expect(acked.state).toBe('acknowledged');
    expect(acked.ack).toEqual({ by: 'staff-1', byName: '王主管', at: new Date(h.clock.now()).toISOString(), comment: '已通知IT重启数据库' });
    expect(() => h.engine.acknowledge(alarm.id, supervisor, 'again')).toThrow(/already/);

    feed(h, T, fails(5));
    expect(h.engine.get(alarm.id)?.state).toBe('acknowledged');
    feed(h, T, oks(2));
    expect(h.engine.get(alarm.id)?.state).toBe('resolved');
    expect(h.engine.get(alarm.id)?.ack?.comment).toBe('已通知IT重启数据库');

    feed(h, T, fails(3));
    const next = h.engine.openAlarms()[0];
    expect(next?.id).not.toBe(alarm.id);
    expect(next?.state).toBe('firing');
    expect(next?.ack).toBeNull();
    const types = h.engine.history.events({ alarmId: alarm.id }).map((e) => e.type);
    expect(types).toEqual(['pending', 'firing', 'acknowledged', 'resolved']);
    const ackEvent = h.engine.history.events({ alarmId: alarm.id }).find((e) => e.type === 'acknowledged');
    expect(ackEvent).toMatchObject({ actorId: 'staff-1', actorName: '王主管' });
  });

  it('shows flapping as its own state with one notification, and resolves once the target settles', async () => {
    feed(h, T, [true, false, true, false, true, false, true, false]);
    const [alarm] = h.engine.openAlarms();
    expect(alarm?.state).toBe('flapping');
    feed(h, T, [true, false, true, false]);
    h.clock.advance(5_000);
    await h.engine.tick();
    expect(h.notifier.items().map((i) => i.change)).toEqual(['flapping']);

    feed(h, T, oks(20));
    expect(h.engine.openAlarms()).toHaveLength(0);
    expect(h.engine.get(alarm!.id)?.state).toBe('resolved');
  });

  it('groups a burst of alarms into one notification', async () => {
    for (let i = 0; i < 6; i++) {
      for (let k = 0; k < 3; k++) h.engine.reportCheck({ target: `srv1/svc:${i}`, ok: false, server: 'srv1' });
      h.clock.advance(500);
    }
    h.clock.advance(5_000);
    await h.engine.tick();
    expect(h.notifier.batches).toHaveLength(1);
    expect(h.notifier.batches[0]?.items).toHaveLength(6);
    await h.engine.tick();
    expect(h.notifier.batches).toHaveLength(1);
  });

  it('keeps notices when the notifier fails and delivers them on a later tick', async () => {
    feed(h, T, fails(3));
    h.notifier.failNotify = true;
    h.clock.advance(5_000);
    await h.engine.tick();
    await h.engine.tick();
    expect(h.engine.history.events().filter((e) => e.type === 'notify_failed')).toHaveLength(1);
    h.notifier.failNotify = false;
    await h.engine.tick();
    expect(h.notifier.items()).toHaveLength(1);
  });

  it('keeps the history append-only', () => {
    feed(h, T, fails(3));
    expect(() => h.handle.sqlite.prepare(`update alarm_event set type = 'resolved'`).run()).toThrow(/append-only/);
    expect(() => h.handle.sqlite.prepare(`delete from alarm_event`).run()).toThrow(/append-only/);
  });
});
