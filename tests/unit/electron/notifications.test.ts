import { describe, expect, it } from 'vitest';
import { forwardAlarmNotifications, type NativeNotification } from '../../../main/electron/notifications';
import type { EventListener } from '../../../main/services';

function fakeServices() {
  const listeners = new Set<EventListener>();
  return {
    onEvent(listener: EventListener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: ((name, payload) => listeners.forEach((l) => l(name, payload))) as EventListener,
    count: () => listeners.size,
  };
}

const batch = {
  batchId: 'b1',
  at: '2026-11-23T10:00:00.000Z',
  level: 'critical' as const,
  title: { zh: '严重告警（1 项）', en: 'Critical alarm (1)' },
  text: { zh: '短信网关：连接失败', en: 'SMS gateway: connection failed' },
  items: [],
};

describe('native alarm notifications in the desktop host', () => {
  it('shows one notification per alarm batch, critical ones as critical, and focuses the window on click', () => {
    const services = fakeServices();
    const shown: Array<{ title: string; body: string; urgency: string; click?: () => void }> = [];
    let focused = 0;
    const off = forwardAlarmNotifications(
      services,
      (options) => {
        const entry: (typeof shown)[number] = { ...options };
        shown.push(entry);
        const note: NativeNotification = { on: (_e, l) => (entry.click = l), show: () => undefined };
        return note;
      },
      () => focused++,
    );
    services.emit('customer.changed', { customerId: '01J00000000000000000000000', by: 'x' });
    services.emit('alarms.notification', batch);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ title: '严重告警（1 项）', urgency: 'critical' });
    expect(shown[0]?.body).toContain('SMS gateway');
    shown[0]?.click?.();
    expect(focused).toBe(1);
    off();
    expect(services.count()).toBe(0);
  });
});
