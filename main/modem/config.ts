import type { CallTimings } from './calls';
import type { PortMatch } from './at/transport';

export interface ModemConfig {
  /** e.g. '/dev/ttyUSB2' or 'COM5'. */
  port: string;
  baudRate: number;
  rtscts?: boolean;
  /** USB identity used to find the modem again when its device name changes after a replug. */
  match?: PortMatch;
  /** Submits (parts) per minute; a real modem manages 6–12. */
  ratePerMinute: number;
  /** Marketing SMS wait out these local hours ('21:00'–'08:00'); null = no quiet hours. */
  quietHours: { start: string; end: string } | null;
  utcOffsetMinutes: number;
  perCustomerDailyCap: number;
  statusReport: boolean;
  validityMinutes: number;
  /** Attempts per part for transient errors (+CMS 38/41/42/47/332/500…). */
  maxAttempts: number;
  /** Delay before retry n (last value repeats): quick, because operators drop multipart sent far apart. */
  retryDelaysMs: number[];
  commandTimeoutMs: number;
  promptTimeoutMs: number;
  submitTimeoutMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  healthIntervalMs: number;
  /** How long after a SIM/modem error the queue stays paused before trying again. */
  pauseMs: number;
  /** Delivery reports match parts submitted within this window. */
  reportWindowMs: number;
  calls: CallTimings;
}

export const DEFAULT_CONFIG: Omit<ModemConfig, 'port'> = {
  baudRate: 115200,
  ratePerMinute: 10,
  quietHours: { start: '21:00', end: '08:00' },
  utcOffsetMinutes: 480,
  perCustomerDailyCap: 5,
  statusReport: true,
  validityMinutes: 2 * 24 * 60,
  maxAttempts: 3,
  retryDelaysMs: [5_000, 30_000, 120_000],
  commandTimeoutMs: 5_000,
  promptTimeoutMs: 10_000,
  submitTimeoutMs: 120_000,
  reconnectMinMs: 500,
  reconnectMaxMs: 30_000,
  healthIntervalMs: 30_000,
  pauseMs: 30_000,
  reportWindowMs: 72 * 3600_000,
  calls: { clipGraceMs: 1_000, ringGapMs: 8_000, clccPollMs: 1_000 },
};

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export function inQuietHours(config: Pick<ModemConfig, 'quietHours' | 'utcOffsetMinutes'>, nowMs: number): boolean {
  if (!config.quietHours) return false;
  const local = Math.floor(((nowMs + config.utcOffsetMinutes * 60_000) % 86_400_000) / 60_000);
  const start = minutesOf(config.quietHours.start);
  const end = minutesOf(config.quietHours.end);
  return start > end ? local >= start || local < end : local >= start && local < end;
}
