import { describe, expect, it } from 'vitest';
import { events, type EventName } from '../../../preload/contract';
import type { EventSink } from '../../../main/rpc';
import { batchText, batchTitle, createAlarmNotifier, forwardAlarmEvents, type EscalationSender } from '../../../main/alarms/notify';
import type { AlarmView, NotificationBatch, NotificationItem } from '../../../main/alarms/types';

const ID = '01J0000000000000000000000A';

function item(n: number, change: NotificationItem['change'] = 'firing'): NotificationItem {
  return { alarmId: ID, fingerprint: `sms-01/svc:s${n}`, name: `服务${n}`, server: 'sms-01', severity: 'critical', change, detail: 'refused', at: '2026-03-01T00:00:00.000Z' };
}

const alarm: AlarmView = {
  id: ID,
  fingerprint: 'sms-01/svc:gateway',
  name: '短信网关',
  server: 'sms-01',
  severity: 'critical',
  state: 'firing',
  detail: null,
  occurrences: 3,
  firstSeenAt: '2026-03-01T00:00:00.000Z',
  lastSeenAt: '2026-03-01T00:00:00.000Z',
  firedAt: '2026-03-01T00:00:00.000Z',
  suppressedBy: null,
  silenceId: null,
  ack: null,
  escalatedAt: null,
  escalatedVia: null,
  resolvedAt: null,
};

function recorder() {
  const seen: { name: EventName; payload: unknown }[] = [];
  const emit: EventSink = (name, payload) => {
    // What a host would send: the payload must satisfy the contract's event schema.
    events[name].parse(payload);
    seen.push({ name, payload });
  };
  return { seen, emit };
}

describe('alarm notifier', () => {
  it('turns a batch into one contract event with a bilingual title and at most five lines', () => {
    const batch: NotificationBatch = { batchId: ID, at: '2026-03-01T00:00:00.000Z', level: 'critical', items: [1, 2, 3, 4, 5, 6, 7].map((n) => item(n)) };
    expect(batchTitle(batch)).toEqual({ zh: '严重告警（7 项）', en: 'Critical alarm (7)' });
    const text = batchText(batch);
    expect(text.zh.split('\n')).toHaveLength(6);
    expect(text.zh).toContain('另有 2 项');
    expect(text.en.split('\n')[0]).toBe('sms-01 · 服务1: alarm — refused');
    const { seen, emit } = recorder();
    void createAlarmNotifier(emit, new Map()).notify(batch);
    expect(seen.map((e) => e.name)).toEqual(['alarms.notification']);
    expect(batchTitle({ ...batch, level: 'info', items: [item(1, 'resolved')] }).zh).toBe('告警已恢复（1 项）');
  });

  it('escalates through a connected sender, refuses a channel with none, and can always reach the seats', async () => {
    const { seen, emit } = recorder();
    const sent: string[] = [];
    const senders = new Map<string, EscalationSender>([['email', async (m) => void sent.push(m.text)]]);
    const notifier = createAlarmNotifier(emit, senders);
    const message = { alarm, text: '【告警严重】sms-01 短信网关 未确认' };
    await expect(notifier.escalate('sms', message)).rejects.toThrow('No sms sender');
    await notifier.escalate('email', message);
    expect(sent).toEqual([message.text]);
    await notifier.escalate('seats', message);
    expect(seen.map((e) => [e.name, events['alarms.escalation'].parse(e.payload).channel])).toEqual([
      ['alarms.escalation', 'email'],
      ['alarms.escalation', 'seats'],
    ]);
  });

  it('forwards the engine events under their contract names', () => {
    const { seen, emit } = recorder();
    const forward = forwardAlarmEvents(emit);
    forward('alarms.changed', { alarm });
    forward('alarms.silencesChanged', { silenceId: ID });
    expect(seen.map((e) => e.name)).toEqual(['alarms.changed', 'alarms.silencesChanged']);
  });
});
