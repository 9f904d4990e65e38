import type { AlarmState, Severity, SilenceKind } from '../../db/tables/alarms';
import type { FlapThresholds } from './detection';

export type { AlarmState, Severity, SilenceKind };

/** Milliseconds since the epoch; tests pass a fake one they advance by hand. */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

/** One check result, from an agent poll, a pushed alarm, or a local hook (modem, DMS, disk ...). */
export interface CheckReport {
  /** Fingerprint of what was checked, e.g. 'backup-01/svc:mysql' or 'local/modem-link'. */
  target: string;
  ok: boolean;
  detail?: string | null;
  name?: string;
  server?: string | null;
  kind?: string;
  severity?: Severity;
  /** A target whose failure explains this one (suppresses this one's notifications). */
  parent?: string | null;
  /** The notification channel this target carries ('sms'), never used to escalate about it. */
  channel?: string | null;
  failThreshold?: number;
  clearThreshold?: number;
  /** The monitor that produced the result; counts as hearing from it (watchdog). */
  source?: string;
}

export interface Actor {
  id: string;
  name: string;
}

export interface AlarmView {
  id: string;
  fingerprint: string;
  name: string;
  server: string | null;
  severity: Severity;
  state: AlarmState;
  detail: string | null;
  occurrences: number;
  firstSeenAt: string;
  lastSeenAt: string;
  firedAt: string | null;
  suppressedBy: string | null;
  silenceId: string | null;
  ack: { by: string; byName: string; at: string; comment: string } | null;
  escalatedAt: string | null;
  escalatedVia: string | null;
  resolvedAt: string | null;
}

export interface NotificationItem {
  alarmId: string;
  fingerprint: string;
  name: string;
  server: string | null;
  severity: Severity;
  change: 'firing' | 'flapping' | 'resolved';
  detail: string | null;
  at: string;
}

/** A burst of changes closed by the group wait: one popup (and one sound) for all of them. */
export interface NotificationBatch {
  batchId: string;
  at: string;
  items: NotificationItem[];
  /** 'critical' when any item is a critical alarm starting (firing or flapping). */
  level: Severity | 'info';
}

export interface EscalationMessage {
  alarm: AlarmView;
  /** A short bilingual text an SMS or e-mail can carry as is. */
  text: string;
}

/** How alarms leave the engine: popup/sound is the UI's business, SMS/e-mail the modem's or mailer's. */
export interface AlarmNotifier {
  notify(batch: NotificationBatch): void | Promise<void>;
  escalate(channel: string, message: EscalationMessage): void | Promise<void>;
}

export interface EngineOptions {
  failThreshold: number;
  clearThreshold: number;
  flap: FlapThresholds;
  /** How long a group stays open after its first change before one notification goes out. */
  groupWaitMs: number;
  escalation: {
    /** A critical alarm still unacknowledged this long after firing is escalated. */
    afterMs: number;
    /** Channels to try in order; the failed target's own channel and any failing channel are skipped. */
    channels: readonly string[];
  };
  /** Longest silence or maintenance window anyone may set. */
  maxSilenceMs: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  failThreshold: 3,
  clearThreshold: 2,
  flap: { highPercent: 50, lowPercent: 25, minSamples: 8 },
  groupWaitMs: 5_000,
  escalation: { afterMs: 10 * 60_000, channels: ['sms', 'email'] },
  maxSilenceMs: 7 * 24 * 3_600_000,
};

/** What the engine tells listeners (the hosts forward these to signed-in renderers). */
export interface AlarmEvents {
  'alarms.changed': { alarm: AlarmView };
  'alarms.silencesChanged': { silenceId: string };
}
export type AlarmEmit = <E extends keyof AlarmEvents>(name: E, payload: AlarmEvents[E]) => void;

export class AlarmError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'VALIDATION' | 'CONFLICT',
    message: string,
  ) {
    super(message);
  }
}
