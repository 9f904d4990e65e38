/**
 * Server health monitoring and alarms (issue 7). Detection state (alarm_target) is kept apart from the
 * alarm instances people see and acknowledge (alarm), and from the append-only history (alarm_event).
 */
type Timestamp = string;

export type Severity = 'warning' | 'critical';
export const SEVERITIES = ['warning', 'critical'] as const satisfies readonly Severity[];

/** Detection state of one target: soft failures are 'pending', hard ones 'firing'. */
export type TargetHealth = 'ok' | 'pending' | 'firing';

/** What a person sees: pending → firing (or flapping) → acknowledged → resolved. */
export type AlarmState = 'pending' | 'firing' | 'flapping' | 'acknowledged' | 'resolved';
export const ALARM_STATES = ['pending', 'firing', 'flapping', 'acknowledged', 'resolved'] as const satisfies readonly AlarmState[];

export type SilenceKind = 'silence' | 'maintenance';

export type AlarmEventType =
  | 'pending'
  | 'firing'
  | 'flapping'
  | 'refire'
  | 'acknowledged'
  | 'resolved'
  | 'suppressed'
  | 'unsuppressed'
  | 'silenced'
  | 'notified'
  | 'notify_failed'
  | 'escalated'
  | 'escalation_failed'
  | 'silence_created'
  | 'silence_ended';

/** One monitored thing (a service on a server, a server's reachability, the modem link ...). */
export interface AlarmTargetTable {
  /** The fingerprint: 'backup-01/svc:mysql', 'agent:backup-01', 'local/modem-link'. */
  target: string;
  dealer_id: string;
  name: string;
  /** Server (agent) name the target belongs to, for grouping in the console; null for local targets. */
  server: string | null;
  kind: string;
  severity: Severity;
  /** A target whose failure explains this one's (the agent for its services, the line for the SMS link). */
  parent_target: string | null;
  /** Notification channel this target carries ('sms' for the SMS server): escalation never uses it. */
  channel: string | null;
  fail_threshold: number;
  clear_threshold: number;
  health: TargetHealth;
  flapping: number;
  consecutive_fail: number;
  consecutive_ok: number;
  /** Last results, oldest first, '1' ok and '0' failed (at most 21, as Nagios' flap window). */
  recent: string;
  last_detail: string | null;
  last_check_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AlarmTable {
  id: string;
  dealer_id: string;
  /** Equals alarm_target.target; at most one non-resolved alarm per fingerprint (unique partial index). */
  fingerprint: string;
  name: string;
  server: string | null;
  severity: Severity;
  state: AlarmState;
  detail: string | null;
  /** Failed checks seen while this alarm was open (re-firing updates the open alarm). */
  occurrences: number;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  fired_at: Timestamp | null;
  notified_at: Timestamp | null;
  /** 'parent:<target>' while a failing parent explains this alarm; its notifications are held back. */
  suppressed_by: string | null;
  silence_id: string | null;
  ack_by: string | null;
  ack_by_name: string | null;
  ack_at: Timestamp | null;
  ack_comment: string | null;
  escalated_at: Timestamp | null;
  escalated_via: string | null;
  resolved_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Append-only: triggers refuse UPDATE and DELETE. */
export interface AlarmEventTable {
  id: string;
  dealer_id: string;
  alarm_id: string | null;
  silence_id: string | null;
  target: string | null;
  type: AlarmEventType;
  at: Timestamp;
  actor_id: string | null;
  actor_name: string | null;
  /** JSON object with type-specific detail. */
  detail: string | null;
  created_at: Timestamp;
}

export interface AlarmSilenceTable {
  id: string;
  dealer_id: string;
  kind: SilenceKind;
  /** Target pattern, '*' matches any run of characters: 'backup-01/*'. */
  pattern: string;
  reason: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  created_by: string;
  created_by_name: string;
  ended_at: Timestamp | null;
  ended_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Outbox of notifications waiting for their group to close; kept after sending as the notification log. */
export interface AlarmNoticeTable {
  id: string;
  dealer_id: string;
  alarm_id: string;
  change: 'firing' | 'flapping' | 'resolved';
  severity: Severity;
  created_at: Timestamp;
  batch_id: string | null;
  sent_at: Timestamp | null;
}

/** A monitor (agent poller, modem bridge, DMS link ...) and when the workstation last heard from it. */
export interface AlarmSourceTable {
  id: string;
  dealer_id: string;
  period_ms: number;
  last_heard_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Health agents IT pointed the workstation at. */
export interface AlarmAgentTable {
  id: string;
  dealer_id: string;
  name: string;
  url: string;
  secret: string | null;
  period_ms: number;
  timeout_ms: number;
  /** Notification channel this server carries ('sms' for the SMS server), so escalation avoids it. */
  channel: string | null;
  enabled: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
}

export interface AlarmTables {
  alarm_target: AlarmTargetTable;
  alarm: AlarmTable;
  alarm_event: AlarmEventTable;
  alarm_silence: AlarmSilenceTable;
  alarm_notice: AlarmNoticeTable;
  alarm_source: AlarmSourceTable;
  alarm_agent: AlarmAgentTable;
}
