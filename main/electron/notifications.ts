/**
 * Alarm popups from the desktop host: a native notification per alarm batch, so a supervisor sees it
 * even while the window is minimized or behind the DMS. Clicking it brings the workstation forward.
 * Written against small interfaces so it is unit-tested without Electron.
 */
import { events } from '../../preload/contract';
import type { Services } from '../services';

export interface NativeNotification {
  on(event: 'click', listener: () => void): unknown;
  show(): void;
}

export type NotificationFactory = (options: { title: string; body: string; urgency: 'critical' | 'normal' | 'low' }) => NativeNotification;

export function forwardAlarmNotifications(
  services: Pick<Services, 'onEvent'>,
  create: NotificationFactory,
  onClick: () => void,
): () => void {
  return services.onEvent((name, payload) => {
    if (name !== 'alarms.notification') return;
    const batch = events['alarms.notification'].parse(payload);
    const note = create({
      title: batch.title.zh,
      body: `${batch.text.zh}\n${batch.text.en}`,
      urgency: batch.level === 'critical' ? 'critical' : batch.level === 'warning' ? 'normal' : 'low',
    });
    note.on('click', onClick);
    note.show();
  });
}
