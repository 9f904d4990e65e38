import type { Selectable } from 'kysely';
import type { AlarmTable } from '../../db/tables/alarms';
import type { AlarmView } from './types';

export type AlarmRow = Selectable<AlarmTable>;

export function toAlarmView(row: AlarmRow): AlarmView {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    name: row.name,
    server: row.server,
    severity: row.severity,
    state: row.state,
    detail: row.detail,
    occurrences: row.occurrences,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    firedAt: row.fired_at,
    suppressedBy: row.suppressed_by,
    silenceId: row.silence_id,
    ack:
      row.ack_at && row.ack_by
        ? { by: row.ack_by, byName: row.ack_by_name ?? '', at: row.ack_at, comment: row.ack_comment ?? '' }
        : null,
    escalatedAt: row.escalated_at,
    escalatedVia: row.escalated_via,
    resolvedAt: row.resolved_at,
  };
}

/** Bilingual one-liner for SMS/e-mail escalation, short enough for one or two SMS parts. */
export function escalationText(view: AlarmView): string {
  const level = view.severity === 'critical' ? '严重' : '警告';
  const where = view.server ? `${view.server} ` : '';
  return `【告警${level}】${where}${view.name} 未确认 / Unacknowledged alarm: ${where}${view.name}${view.detail ? ` (${view.detail})` : ''}`;
}
