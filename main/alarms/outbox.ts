/**
 * Notification outbox: changes wait in alarm_notice until their group has been open `groupWaitMs`, then
 * go out as one batch (one popup, one sound for a burst). Stored, so a restart loses nothing: unsent
 * notices go out on the first tick after it. Escalation picks a channel other than the failed one.
 */
import type { EngineContext } from './context';
import type { TargetRow } from './engine';
import type { AlarmNotifier, NotificationBatch, NotificationItem } from './types';
import { escalationText, toAlarmView, type AlarmRow } from './views';

interface OutboxHelpers {
  alarmById(id: string): AlarmRow | undefined;
  targetRow(target: string): TargetRow | undefined;
  saveAlarm(row: AlarmRow, patch: Partial<AlarmRow>): AlarmRow;
  parentFailing(target: TargetRow): string | null;
  silenced(fingerprint: string): boolean;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createOutbox(ctx: EngineContext, notifier: AlarmNotifier, helpers: OutboxHelpers) {
  const { db, sdb } = ctx;
  let flushing = false;
  let lastFlushFailed = false;

  function enqueue(alarm: AlarmRow, change: NotificationItem['change']): void {
    sdb.run(
      db.insertInto('alarm_notice').values({
        id: ctx.id(),
        dealer_id: ctx.dealerId,
        alarm_id: alarm.id,
        change,
        severity: alarm.severity,
        created_at: ctx.iso(),
        batch_id: null,
        sent_at: null,
      }),
    );
  }

  function pendingBatch(): { batch: NotificationBatch; noticeIds: string[] } | null {
    const unsent = sdb.all(
      db
        .selectFrom('alarm_notice')
        .selectAll()
        .where('dealer_id', '=', ctx.dealerId)
        .where('sent_at', 'is', null)
        .orderBy('created_at')
        .orderBy('id'),
    );
    const first = unsent[0];
    if (!first || Date.parse(first.created_at) + ctx.options.groupWaitMs > ctx.clock.now()) return null;
    const items: NotificationItem[] = [];
    for (const notice of unsent) {
      const alarm = helpers.alarmById(notice.alarm_id);
      // Someone acknowledged it while the group was open: no popup or sound for it any more.
      if (!alarm || (notice.change !== 'resolved' && alarm.state === 'acknowledged')) continue;
      items.push({
        alarmId: alarm.id,
        fingerprint: alarm.fingerprint,
        name: alarm.name,
        server: alarm.server,
        severity: notice.severity,
        change: notice.change,
        detail: alarm.detail,
        at: notice.created_at,
      });
    }
    if (items.length === 0) {
      sdb.tx(() => {
        for (const n of unsent) sdb.run(db.updateTable('alarm_notice').set({ sent_at: ctx.iso() }).where('id', '=', n.id));
      });
      return null;
    }
    const starting = items.filter((item) => item.change !== 'resolved');
    const level = starting.some((i) => i.severity === 'critical') ? 'critical' : starting.length > 0 ? 'warning' : 'info';
    return {
      batch: { batchId: ctx.id(), at: ctx.iso(), items, level },
      noticeIds: unsent.map((n) => n.id),
    };
  }

  async function flush(): Promise<NotificationBatch | null> {
    if (flushing) return null;
    flushing = true;
    try {
      const pending = pendingBatch();
      if (!pending) return null;
      const { batch, noticeIds } = pending;
      try {
        await notifier.notify(batch);
      } catch (error) {
        // Kept unsent: the next tick retries (a duplicate popup beats a missed alarm). Logged once per outage.
        if (!lastFlushFailed) ctx.record({ type: 'notify_failed', detail: { error: errorText(error), items: batch.items.length } });
        lastFlushFailed = true;
        return null;
      }
      lastFlushFailed = false;
      sdb.tx(() => {
        const sentAt = ctx.iso();
        for (const id of noticeIds) {
          sdb.run(db.updateTable('alarm_notice').set({ batch_id: batch.batchId, sent_at: sentAt }).where('id', '=', id));
        }
        for (const item of batch.items) {
          ctx.record({ type: 'notified', alarmId: item.alarmId, target: item.fingerprint, detail: { batchId: batch.batchId, change: item.change } });
        }
      });
      return batch;
    } finally {
      flushing = false;
    }
  }

  /** Channels that cannot carry an alarm now: those whose own targets are failing. */
  function failingChannels(): Set<string> {
    const rows = sdb.all(
      db
        .selectFrom('alarm_target')
        .select('channel')
        .distinct()
        .where('dealer_id', '=', ctx.dealerId)
        .where('channel', 'is not', null)
        .where((eb) => eb.or([eb('health', '<>', 'ok'), eb('flapping', '=', 1)])),
    );
    return new Set(rows.flatMap((r) => (r.channel ? [r.channel] : [])));
  }

  async function escalate(): Promise<void> {
    const dueBefore = ctx.iso(ctx.clock.now() - ctx.options.escalation.afterMs);
    const due = sdb.all(
      db
        .selectFrom('alarm')
        .selectAll()
        .where('dealer_id', '=', ctx.dealerId)
        .where('state', 'in', ['firing', 'flapping'])
        .where('severity', '=', 'critical')
        .where('escalated_at', 'is', null)
        .where('suppressed_by', 'is', null)
        .where('fired_at', '<=', dueBefore),
    );
    for (const alarm of due) {
      const target = helpers.targetRow(alarm.fingerprint);
      if (helpers.silenced(alarm.fingerprint) || (target && helpers.parentFailing(target))) continue;
      const excluded = failingChannels();
      if (target?.channel) excluded.add(target.channel);
      const view = toAlarmView(alarm);
      const message = { alarm: view, text: escalationText(view) };
      let via: string | null = null;
      const failures: { channel: string; error: string }[] = [];
      for (const channel of ctx.options.escalation.channels) {
        if (excluded.has(channel)) continue;
        try {
          await notifier.escalate(channel, message);
          via = channel;
          break;
        } catch (error) {
          failures.push({ channel, error: errorText(error) });
        }
      }
      sdb.tx(() => {
        const current = helpers.alarmById(alarm.id);
        if (!current) return;
        if (via) {
          helpers.saveAlarm(current, { escalated_at: ctx.iso(), escalated_via: via });
          ctx.record({ type: 'escalated', alarmId: alarm.id, target: alarm.fingerprint, detail: { via, failures, skipped: [...excluded] } });
        } else {
          // Marked so it is not retried every tick; the history says why nobody outside was told.
          helpers.saveAlarm(current, { escalated_at: ctx.iso(), escalated_via: 'failed' });
          ctx.record({ type: 'escalation_failed', alarmId: alarm.id, target: alarm.fingerprint, detail: { failures, skipped: [...excluded] } });
        }
      });
    }
  }

  return { enqueue, flush, escalate };
}
