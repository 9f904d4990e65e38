import { describe, expect, it } from 'vitest';
import { inQuietHours } from '../../../main/modem/config';
import { crmNumber, isOptOut, sameNumber } from '../../../main/modem/phone';
import { healthChecks, parseCpin, parseCreg, parseCsq, type ModemStatus } from '../../../main/modem/status';
import { messageStateOf } from '../../../main/modem/store/outbox';

describe('numbers, opt-out words and health parsing', () => {
  it('normalises network numbers to the CRM form and matches national vs international', () => {
    expect(crmNumber('+8613812345678')).toBe('13812345678');
    expect(crmNumber('8613812345678')).toBe('13812345678');
    expect(crmNumber('020-1234 5678')).toBe('02012345678');
    expect(sameNumber('+8613812345678', '13812345678')).toBe(true);
    expect(sameNumber('13812345678', '13812345679')).toBe(false);
    expect(sameNumber('10086', '10086')).toBe(true);
  });

  it('treats only a whole opt-out reply as opting out', () => {
    for (const yes of ['TD', 'td', ' TD。', '退订', '退订！', '取消', 'ＴＤ']) expect(isOptOut(yes)).toBe(true);
    for (const no of ['我不想退订', 'TD123', '好的', 'T', 'N']) expect(isOptOut(no)).toBe(false);
  });

  it('parses +CSQ, +CREG (answer and URC forms) and +CPIN', () => {
    expect(parseCsq(['+CSQ: 20,99'])).toEqual({ csq: 20, dbm: -73 });
    expect(parseCsq(['+CSQ: 99,99'])).toBeNull();
    expect(parseCreg('+CREG: 2,1,"1A2B","00C3D4E5"', true)).toBe('home');
    expect(parseCreg('+CREG: 0,5', true)).toBe('roaming');
    expect(parseCreg('+CREG: 3', false)).toBe('denied');
    expect(parseCreg('+CREG: 1,"1A2B","00C3D4E5"', false)).toBe('home');
    expect(parseCpin('+CPIN: READY')).toBe('ready');
    expect(parseCpin('+CPIN: "READY"')).toBe('ready');
    expect(parseCpin('+CPIN: SIM PIN')).toBe('pin');
    expect(parseCpin('+CPIN: SIM PUK')).toBe('puk');
  });

  it('knows quiet hours across midnight in the dealer time zone', () => {
    const cfg = { quietHours: { start: '21:00', end: '08:00' }, utcOffsetMinutes: 480 };
    expect(inQuietHours(cfg, Date.parse('2026-05-01T13:30:00Z'))).toBe(true); // 21:30 Beijing
    expect(inQuietHours(cfg, Date.parse('2026-05-01T23:59:00Z'))).toBe(true); // 07:59
    expect(inQuietHours(cfg, Date.parse('2026-05-02T00:00:00Z'))).toBe(false); // 08:00
    expect(inQuietHours({ ...cfg, quietHours: null }, Date.parse('2026-05-01T13:30:00Z'))).toBe(false);
  });

  it('rolls part states up into the message state', () => {
    expect(messageStateOf(['delivered', 'delivered'])).toBe('delivered');
    expect(messageStateOf(['delivered', 'sent'])).toBe('sent');
    expect(messageStateOf(['sent', 'queued'])).toBe('sending');
    expect(messageStateOf(['sent', 'uncertain', 'queued'])).toBe('uncertain');
    expect(messageStateOf(['failed', 'cancelled'])).toBe('failed');
    expect(messageStateOf(['queued', 'queued'])).toBe('queued');
  });

  it('turns modem status into the alarms hook checks (line, SMS link, signal)', () => {
    const base: ModemStatus = { link: 'ready', port: '/dev/ttyUSB2', signal: { csq: 20, dbm: -73 }, registration: 'home', sim: 'ready', paused: null, lastOkAt: null, lastError: null, reconnects: 0 };
    expect(healthChecks(base)).toEqual({ line: { ok: true, detail: null }, smsLink: { ok: true, detail: null }, signal: { ok: true, detail: '-73 dBm' } });
    const pulled = healthChecks({ ...base, link: 'disconnected', lastError: { zh: '串口已断开', en: 'the serial port is closed' } });
    expect(pulled.line).toEqual({ ok: false, detail: '/dev/ttyUSB2: disconnected — 串口已断开 / the serial port is closed' });
    expect(pulled.smsLink.ok).toBe(false);
    expect(healthChecks({ ...base, sim: 'pin' }).smsLink.detail).toContain('SIM pin');
    expect(healthChecks({ ...base, signal: { csq: 5, dbm: -103 } }).signal.ok).toBe(false);
  });
});
