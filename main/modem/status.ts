/** Modem health as the UI and the alarms capability see it, parsed from +CSQ, +CREG and +CPIN. */
import type { Bilingual } from '../../preload/messages';

export type LinkState = 'stopped' | 'connecting' | 'ready' | 'disconnected';
export type Registration = 'home' | 'roaming' | 'searching' | 'denied' | 'not_registered' | 'unknown';
export type SimStatus = 'ready' | 'pin' | 'puk' | 'absent' | 'error' | 'unknown';

export interface ModemStatus {
  link: LinkState;
  port: string;
  /** 0–31 from +CSQ (99 = unknown → null), with dBm for the UI. */
  signal: { csq: number; dbm: number } | null;
  registration: Registration;
  sim: SimStatus;
  /** Why sending is held, if it is (SIM, not registered, modem error), else null. */
  paused: Bilingual | null;
  lastOkAt: string | null;
  lastError: Bilingual | null;
  reconnects: number;
}

export function parseCsq(lines: readonly string[]): ModemStatus['signal'] {
  const m = lines.map((l) => /^\+CSQ:\s*(\d+),/.exec(l)).find(Boolean);
  const csq = m ? Number(m[1]) : 99;
  return csq >= 0 && csq <= 31 ? { csq, dbm: -113 + 2 * csq } : null;
}

const REG: Record<string, Registration> = { '0': 'not_registered', '1': 'home', '2': 'searching', '3': 'denied', '4': 'unknown', '5': 'roaming' };

/** "+CREG: <n>,<stat>[,…]" (answer to AT+CREG?) or "+CREG: <stat>[,…]" (the URC). */
export function parseCreg(line: string, isQueryAnswer: boolean): Registration | null {
  const m = /^\+C(?:E|G)?REG:\s*(\d+)(?:,(\d+))?/.exec(line);
  if (!m) return null;
  // With CREG=2 the URC carries lac/ci as quoted strings, so a second bare number only appears in the answer.
  const stat = isQueryAnswer && m[2] !== undefined ? m[2] : m[1];
  return REG[stat ?? ''] ?? 'unknown';
}

export function parseCpin(line: string): SimStatus {
  const m = /^\+CPIN:\s*"?([A-Z -]+?)"?\s*$/.exec(line);
  const v = m?.[1] ?? '';
  if (v === 'READY') return 'ready';
  if (v.includes('PUK')) return 'puk';
  if (v.includes('PIN')) return 'pin';
  return 'unknown';
}

export const canSend = (s: ModemStatus) => s.link === 'ready' && s.sim === 'ready' && (s.registration === 'home' || s.registration === 'roaming');

export interface HealthCheck {
  ok: boolean;
  detail: string | null;
}

/**
 * The modem's health as the alarms capability's modem hook takes it (line → SMS link → signal):
 * line = the port answers; SMS link = SIM ready, registered, queue not paused; signal = CSQ ≥ 10 (≈ −93 dBm).
 */
export function healthChecks(s: ModemStatus, minCsq = 10): { line: HealthCheck; smsLink: HealthCheck; signal: HealthCheck } {
  const line = s.link === 'ready' ? { ok: true, detail: null } : { ok: false, detail: `${s.port}: ${s.link}${s.lastError ? ` — ${s.lastError.zh} / ${s.lastError.en}` : ''}` };
  const smsOk = canSend(s) && s.paused === null;
  const smsLink = smsOk ? { ok: true, detail: null } : { ok: false, detail: `SIM ${s.sim}, ${s.registration}${s.paused ? ` — ${s.paused.zh} / ${s.paused.en}` : ''}` };
  const signal = s.signal && s.signal.csq >= minCsq ? { ok: true, detail: `${s.signal.dbm} dBm` } : { ok: false, detail: s.signal ? `${s.signal.dbm} dBm (CSQ ${s.signal.csq})` : 'no signal' };
  return { line, smsLink, signal };
}
