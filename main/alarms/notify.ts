/**
 * The notifier the composition root gives the engine: every batch goes to the signed-in seats as one
 * 'alarms.notification' event (toast, desktop notification and sound are the renderer's business);
 * escalation goes out by a sender registered for the channel (sms, email — filled in by the capability
 * that owns it), or by 'seats': a fresh critical event to every seat, which needs no outside link.
 */
import type { EventSink } from '../rpc';
import type { AlarmEmit, AlarmEvents, AlarmNotifier, EscalationMessage, NotificationBatch, NotificationItem } from './types';

export type EscalationSender = (message: EscalationMessage) => Promise<void>;

/** Escalation order: outside channels first, the seats themselves last (they always work). */
export const ESCALATION_CHANNELS = ['sms', 'email', 'seats'] as const;

const CHANGE_TEXT: Record<NotificationItem['change'], { zh: string; en: string }> = {
  firing: { zh: '告警', en: 'alarm' },
  flapping: { zh: '抖动', en: 'flapping' },
  resolved: { zh: '已恢复', en: 'resolved' },
};

const MAX_LINES = 5;

export function batchTitle(batch: NotificationBatch): { zh: string; en: string } {
  const n = batch.items.length;
  if (batch.level === 'critical') return { zh: `严重告警（${n} 项）`, en: `Critical alarm (${n})` };
  if (batch.level === 'warning') return { zh: `告警（${n} 项）`, en: `Alarm (${n})` };
  return { zh: `告警已恢复（${n} 项）`, en: `Alarm resolved (${n})` };
}

export function batchText(batch: NotificationBatch): { zh: string; en: string } {
  const shown = batch.items.slice(0, MAX_LINES);
  const line = (item: NotificationItem, lang: 'zh' | 'en') => {
    const where = item.server ? `${item.server} · ` : '';
    const detail = item.detail ? ` — ${item.detail}` : '';
    return `${where}${item.name}: ${CHANGE_TEXT[item.change][lang]}${detail}`;
  };
  const more = batch.items.length - shown.length;
  return {
    zh: [...shown.map((i) => line(i, 'zh')), ...(more > 0 ? [`……另有 ${more} 项`] : [])].join('\n'),
    en: [...shown.map((i) => line(i, 'en')), ...(more > 0 ? [`… and ${more} more`] : [])].join('\n'),
  };
}

export function createAlarmNotifier(
  emit: EventSink,
  senders: ReadonlyMap<string, EscalationSender>,
  log: (message: string) => void = () => {},
): AlarmNotifier {
  return {
    notify(batch) {
      emit('alarms.notification', { ...batch, title: batchTitle(batch), text: batchText(batch) });
    },
    async escalate(channel, message) {
      if (channel === 'seats') {
        emit('alarms.escalation', { channel, alarm: message.alarm, text: message.text });
        log(`alarm ${message.alarm.id} escalated to every seat`);
        return;
      }
      const send = senders.get(channel);
      if (!send) throw new Error(`No ${channel} sender is connected`);
      await send(message);
      emit('alarms.escalation', { channel, alarm: message.alarm, text: message.text });
      log(`alarm ${message.alarm.id} escalated via ${channel}`);
    },
  };
}

/** The engine's own events, forwarded to the seats under the contract's names (checked per event). */
export function forwardAlarmEvents(emit: EventSink): AlarmEmit {
  const forward: { [E in keyof AlarmEvents]: (payload: AlarmEvents[E]) => void } = {
    'alarms.changed': (payload) => emit('alarms.changed', payload),
    'alarms.silencesChanged': (payload) => emit('alarms.silencesChanged', payload),
  };
  return (name, payload) => forward[name](payload);
}
