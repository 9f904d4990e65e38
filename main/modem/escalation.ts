/**
 * The alarms capability's 'sms' escalation sender: a critical alarm nobody acknowledged goes out as a
 * short Chinese service SMS through the modem's durable outbox to the seat configuration's
 * `alarms.escalationMobiles`. It refuses (so the engine tries the next channel) when no mobile is set
 * or the modem is off; the alarms core itself never picks SMS for an alarm about the SMS link.
 */
import type { EscalationSender } from '../alarms/notify';
import type { SeatConfigService } from '../config';
import type { Modem } from './index';

/** Two UCS-2 segments at most, so the escalation does not crowd the modem's queue. */
const MAX_CHARS = 130;

export function escalationSmsText(alarm: { name: string; server: string | null; detail: string | null; severity: string }): string {
  const level = alarm.severity === 'critical' ? '严重' : '警告';
  const where = alarm.server ? `${alarm.server} ` : '';
  const text = `【客服中心告警·${level}】${where}${alarm.name} 未确认${alarm.detail ? `：${alarm.detail}` : ''}。请尽快处理。`;
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
}

export function createSmsEscalationSender(deps: { seatConfig: SeatConfigService; modem: () => Modem }): EscalationSender {
  return async ({ alarm }) => {
    const config = deps.seatConfig.get();
    const mobiles = config.alarms.escalationMobiles;
    if (mobiles.length === 0) throw new Error('No escalation mobile is configured (alarms.escalationMobiles)');
    if (!config.modem.enabled || !config.modem.port) throw new Error('The modem is not enabled');
    const body = escalationSmsText(alarm);
    for (const mobile of mobiles) {
      // clientRef makes a retried escalation of the same alarm a duplicate instead of a second SMS.
      await deps.modem().sendSms({ customerId: null, recipient: mobile, body, kind: 'service', origin: 'automated', staffId: null, clientRef: `alarm:${alarm.id}:${mobile}` });
    }
  };
}
