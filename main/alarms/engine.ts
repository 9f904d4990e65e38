/**
 * The alarm engine: check results drive each target's detection state (detection.ts); the open alarm
 * of a target follows that state, identified by the target's fingerprint; notifications are queued in
 * an outbox that `tick()` flushes per group, escalates, and re-evaluates silences, dependencies and
 * the monitors' own heartbeats. Plain Node over SQLite with an injectable clock; all state is stored.
 */
import type { Selectable } from 'kysely';
import type { DbHandle } from '../../db/connection';
import type { AlarmTargetTable } from '../../db/tables/alarms';
import { createContext, type EngineContext } from './context';
import { desiredAlarm, INITIAL_DETECTION, step, type DesiredAlarm, type DetectionState } from './detection';
import { createHistory } from './history';
import { createOutbox } from './outbox';
import { createSilences } from './silences';
import {
  AlarmError,
  DEFAULT_ENGINE_OPTIONS,
  systemClock,
  type Actor,
  type AlarmEmit,
  type AlarmNotifier,
  type AlarmView,
  type CheckReport,
  type Clock,
  type EngineOptions,
} from './types';
import { toAlarmView, type AlarmRow } from './views';
import { createWatchdog } from './watchdog';

export type TargetRow = Selectable<AlarmTargetTable>;

export interface EngineDeps {
  handle: DbHandle;
  dealerId: string;
  notifier: AlarmNotifier;
  emit?: AlarmEmit;
  clock?: Clock;
  options?: Partial<EngineOptions>;
}

const MAX_DETAIL = 500;

function detectionOf(row: TargetRow): DetectionState {
  return {
    health: row.health,
    flapping: row.flapping === 1,
    consecutiveFail: row.consecutive_fail,
    consecutiveOk: row.consecutive_ok,
    recent: row.recent,
  };
}

export function createAlarmEngine(deps: EngineDeps) {
  const options: EngineOptions = {
    ...DEFAULT_ENGINE_OPTIONS,
    ...deps.options,
    escalation: { ...DEFAULT_ENGINE_OPTIONS.escalation, ...deps.options?.escalation },
    flap: { ...DEFAULT_ENGINE_OPTIONS.flap, ...deps.options?.flap },
  };
  const ctx: EngineContext = createContext(deps.handle, deps.dealerId, deps.clock ?? systemClock, options, deps.emit ?? (() => {}));
  const { db, sdb } = ctx;
  const silences = createSilences(ctx);
  const history = createHistory(ctx);

  function targetRow(target: string): TargetRow | undefined {
    return sdb.first(db.selectFrom('alarm_target').selectAll().where('target', '=', target));
  }

  function openAlarm(fingerprint: string): AlarmRow | undefined {
    return sdb.first(
      db
        .selectFrom('alarm')
        .selectAll()
        .where('dealer_id', '=', ctx.dealerId)
        .where('fingerprint', '=', fingerprint)
        .where('state', '<>', 'resolved'),
    );
  }

  function alarmById(id: string): AlarmRow | undefined {
    return sdb.first(db.selectFrom('alarm').selectAll().where('id', '=', id).where('dealer_id', '=', ctx.dealerId));
  }

  function parentFailing(target: TargetRow): string | null {
    if (!target.parent_target) return null;
    const parent = targetRow(target.parent_target);
    if (!parent) return null;
    return parent.health !== 'ok' || parent.flapping === 1 ? parent.target : null;
  }

  const changed = new Map<string, AlarmRow>();
  function saveAlarm(row: AlarmRow, patch: Partial<AlarmRow>): AlarmRow {
    const next: AlarmRow = { ...row, ...patch, updated_at: ctx.iso() };
    sdb.run(db.updateTable('alarm').set(next).where('id', '=', row.id));
    changed.set(next.id, next);
    return next;
  }

  /** Announces an alarm starting (firing or flapping) unless a failing parent or a silence explains it. */
  function announce(alarm: AlarmRow, target: TargetRow, change: 'firing' | 'flapping'): AlarmRow {
    const parent = parentFailing(target);
    if (parent) {
      ctx.record({ type: 'suppressed', alarmId: alarm.id, target: alarm.fingerprint, detail: { parent } });
      return saveAlarm(alarm, { suppressed_by: `parent:${parent}` });
    }
    const silence = silences.activeFor(alarm.fingerprint);
    if (silence) {
      ctx.record({ type: 'silenced', alarmId: alarm.id, silenceId: silence.id, target: alarm.fingerprint });
      return saveAlarm(alarm, { silence_id: silence.id });
    }
    outbox.enqueue(alarm, change);
    return saveAlarm(alarm, { notified_at: ctx.iso(), suppressed_by: null, silence_id: null });
  }

  function openNew(target: TargetRow, state: Exclude<DesiredAlarm, 'none'>, detail: string | null): AlarmRow {
    const at = ctx.iso();
    const row: AlarmRow = {
      id: ctx.id(),
      dealer_id: ctx.dealerId,
      fingerprint: target.target,
      name: target.name,
      server: target.server,
      severity: target.severity,
      state,
      detail,
      occurrences: 1,
      first_seen_at: at,
      last_seen_at: at,
      fired_at: state === 'pending' ? null : at,
      notified_at: null,
      suppressed_by: null,
      silence_id: null,
      ack_by: null,
      ack_by_name: null,
      ack_at: null,
      ack_comment: null,
      escalated_at: null,
      escalated_via: null,
      resolved_at: null,
      created_at: at,
      updated_at: at,
    };
    sdb.run(db.insertInto('alarm').values(row));
    changed.set(row.id, row);
    ctx.record({ type: state, alarmId: row.id, target: row.fingerprint, detail: { detail } });
    return state === 'pending' ? row : announce(row, target, state);
  }

  /** Moves the target's open alarm to where its detection state says it should be. */
  function follow(target: TargetRow, desired: DesiredAlarm, failed: boolean, detail: string | null): void {
    const open = openAlarm(target.target);
    if (desired === 'none') {
      if (!open) return;
      const at = ctx.iso();
      const resolved = saveAlarm(open, { state: 'resolved', resolved_at: at });
      ctx.record({ type: 'resolved', alarmId: open.id, target: open.fingerprint, detail: { detail } });
      if (open.notified_at !== null) outbox.enqueue(resolved, 'resolved');
      return;
    }
    if (!open) {
      openNew(target, desired, detail);
      return;
    }
    let row = open;
    if (failed) {
      const severity = target.severity === 'critical' ? 'critical' : row.severity;
      row = saveAlarm(row, { occurrences: row.occurrences + 1, last_seen_at: ctx.iso(), detail, severity });
    }
    // Acknowledgement is sticky until the alarm resolves (Nagios' sticky ack).
    if (row.state === 'acknowledged' || row.state === desired) return;
    // A firing alarm that is recovering stays firing until M successes clear it.
    if (desired === 'pending' && row.state === 'firing') return;
    const from = row.state;
    row = saveAlarm(row, { state: desired, fired_at: row.fired_at ?? ctx.iso() });
    ctx.record({ type: desired, alarmId: row.id, target: row.fingerprint, detail: { from, detail } });
    if (desired === 'firing' || desired === 'flapping') announce(row, target, desired);
  }

  function ensureTarget(report: CheckReport): TargetRow {
    const existing = targetRow(report.target);
    const at = ctx.iso();
    const desired = {
      name: report.name ?? existing?.name ?? report.target,
      server: report.server !== undefined ? report.server : (existing?.server ?? null),
      kind: report.kind ?? existing?.kind ?? 'check',
      severity: report.severity ?? existing?.severity ?? 'critical',
      parent_target: report.parent !== undefined ? report.parent : (existing?.parent_target ?? null),
      channel: report.channel !== undefined ? report.channel : (existing?.channel ?? null),
      fail_threshold: report.failThreshold ?? existing?.fail_threshold ?? options.failThreshold,
      clear_threshold: report.clearThreshold ?? existing?.clear_threshold ?? options.clearThreshold,
    };
    if (!existing) {
      const row: TargetRow = {
        target: report.target,
        dealer_id: ctx.dealerId,
        ...desired,
        health: INITIAL_DETECTION.health,
        flapping: 0,
        consecutive_fail: 0,
        consecutive_ok: 0,
        recent: '',
        last_detail: null,
        last_check_at: null,
        created_at: at,
        updated_at: at,
      };
      sdb.run(db.insertInto('alarm_target').values(row));
      return row;
    }
    const keys = Object.keys(desired) as (keyof typeof desired)[];
    if (keys.every((key) => existing[key] === desired[key])) return existing;
    sdb.run(db.updateTable('alarm_target').set({ ...desired, updated_at: at }).where('target', '=', report.target));
    return { ...existing, ...desired, updated_at: at };
  }

  function flushChanged(): void {
    const rows = [...changed.values()];
    changed.clear();
    for (const row of rows) ctx.emit('alarms.changed', { alarm: toAlarmView(row) });
  }

  function reportCheck(report: CheckReport): AlarmView | null {
    const detail = report.detail ? report.detail.slice(0, MAX_DETAIL) : null;
    const result = sdb.tx(() => {
      if (report.source) watchdog.heard(report.source);
      const target = ensureTarget(report);
      const before = detectionOf(target);
      const after = step(before, report.ok, {
        failThreshold: target.fail_threshold,
        clearThreshold: target.clear_threshold,
        flap: options.flap,
      });
      const at = ctx.iso();
      sdb.run(
        db
          .updateTable('alarm_target')
          .set({
            health: after.health,
            flapping: after.flapping ? 1 : 0,
            consecutive_fail: after.consecutiveFail,
            consecutive_ok: after.consecutiveOk,
            recent: after.recent,
            last_detail: detail,
            last_check_at: at,
            updated_at: at,
          })
          .where('target', '=', target.target),
      );
      const updated: TargetRow = { ...target, health: after.health, flapping: after.flapping ? 1 : 0 };
      const desired = desiredAlarm(after);
      // Steady and healthy: nothing can be open, skip the alarm lookups on the hot path.
      if (desired === 'none' && desiredAlarm(before) === 'none' && report.ok) return null;
      follow(updated, desired, !report.ok, detail);
      const open = openAlarm(target.target);
      return open ? toAlarmView(open) : null;
    });
    flushChanged();
    return result;
  }

  function acknowledge(alarmId: string, actor: Actor, comment: string): AlarmView {
    const text = comment.trim();
    if (!text) throw new AlarmError('VALIDATION', 'An acknowledgement needs a comment');
    const view = sdb.tx(() => {
      const row = alarmById(alarmId);
      if (!row) throw new AlarmError('NOT_FOUND', 'No such alarm');
      if (row.state === 'resolved' || row.state === 'acknowledged') {
        throw new AlarmError('CONFLICT', `The alarm is already ${row.state}`);
      }
      const at = ctx.iso();
      const next = saveAlarm(row, {
        state: 'acknowledged',
        ack_by: actor.id,
        ack_by_name: actor.name,
        ack_at: at,
        ack_comment: text.slice(0, 500),
      });
      ctx.record({ type: 'acknowledged', alarmId, target: row.fingerprint, actor, detail: { comment: next.ack_comment, from: row.state } });
      return toAlarmView(next);
    });
    flushChanged();
    return view;
  }

  /** Re-announces alarms whose failing parent recovered or whose silence ended, while they still fire. */
  function releaseHeld(): void {
    const held = sdb.all(
      db
        .selectFrom('alarm')
        .selectAll()
        .where('dealer_id', '=', ctx.dealerId)
        .where('state', 'in', ['firing', 'flapping'])
        .where((eb) => eb.or([eb('suppressed_by', 'is not', null), eb('silence_id', 'is not', null)])),
    );
    for (const alarm of held) {
      const target = targetRow(alarm.fingerprint);
      if (!target) continue;
      if (alarm.suppressed_by && parentFailing(target)) continue;
      if (alarm.silence_id && silences.isActiveId(alarm.silence_id)) continue;
      if (alarm.suppressed_by) ctx.record({ type: 'unsuppressed', alarmId: alarm.id, target: alarm.fingerprint });
      announce(alarm, target, alarm.state === 'flapping' ? 'flapping' : 'firing');
    }
  }

  const outbox = createOutbox(ctx, deps.notifier, {
    alarmById,
    targetRow,
    saveAlarm: (row, patch) => saveAlarm(row, patch),
    parentFailing,
    silenced: (fingerprint) => silences.activeFor(fingerprint) !== undefined,
  });
  const watchdog = createWatchdog(ctx, reportCheck);

  /** Periodic work; the host calls it every second or so, tests call it after advancing the clock. */
  async function tick(): Promise<void> {
    sdb.tx(() => {
      watchdog.check();
      for (const id of expireSilences()) ctx.emit('alarms.silencesChanged', { silenceId: id });
      releaseHeld();
    });
    flushChanged();
    await outbox.flush();
    await outbox.escalate();
    flushChanged();
  }

  function expireSilences(): string[] {
    const now = ctx.iso();
    const over = sdb.all(
      db
        .selectFrom('alarm_silence')
        .select(['id', 'ends_at'])
        .where('dealer_id', '=', ctx.dealerId)
        .where('ended_at', 'is', null)
        .where('ends_at', '<=', now),
    );
    for (const silence of over) {
      sdb.run(db.updateTable('alarm_silence').set({ ended_at: silence.ends_at, ended_by: 'system', updated_at: now }).where('id', '=', silence.id));
      ctx.record({ type: 'silence_ended', silenceId: silence.id, detail: { early: false } });
    }
    return over.map((s) => s.id);
  }

  return {
    reportCheck,
    acknowledge,
    tick,
    registerSource: watchdog.register,
    unregisterSource: watchdog.unregister,
    heard: (source: string) => sdb.tx(() => watchdog.heard(source)),
    silences,
    history,
    get(alarmId: string): AlarmView | null {
      const row = alarmById(alarmId);
      return row ? toAlarmView(row) : null;
    },
    openAlarms(): AlarmView[] {
      return sdb
        .all(
          db
            .selectFrom('alarm')
            .selectAll()
            .where('dealer_id', '=', ctx.dealerId)
            .where('state', '<>', 'resolved')
            .orderBy('first_seen_at', 'desc'),
        )
        .map(toAlarmView);
    },
    targets(): TargetRow[] {
      return sdb.all(db.selectFrom('alarm_target').selectAll().where('dealer_id', '=', ctx.dealerId).orderBy('target'));
    },
    options,
    /** Shared with the agent registry, which lives in the same store and dealer. */
    context: ctx,
  };
}

export type AlarmEngine = ReturnType<typeof createAlarmEngine>;
