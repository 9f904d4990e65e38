/**
 * The monitor is monitored: every source (agent poller, modem bridge, DMS link ...) registers its
 * period; when the engine has not heard from it for 2× that period, 'watchdog:<source>' fires
 * ("monitoring offline"), and clears on the next word from it.
 */
import type { EngineContext } from './context';
import type { AlarmView, CheckReport } from './types';

export const WATCHDOG_PREFIX = 'watchdog:';

export function createWatchdog(ctx: EngineContext, reportCheck: (report: CheckReport) => AlarmView | null) {
  const { db, sdb } = ctx;
  /** Targets currently reported offline, so a silent source is reported once, not every tick. */
  function watchdogHealthy(source: string): boolean {
    const row = sdb.first(
      db.selectFrom('alarm_target').select(['health']).where('target', '=', `${WATCHDOG_PREFIX}${source}`),
    );
    return !row || row.health === 'ok';
  }

  function report(source: string, ok: boolean, detail: string): void {
    reportCheck({
      target: `${WATCHDOG_PREFIX}${source}`,
      ok,
      detail,
      name: `监控离线 / Monitoring offline: ${source}`,
      kind: 'watchdog',
      severity: 'critical',
      failThreshold: 1,
      clearThreshold: 1,
    });
  }

  return {
    /** Registering starts the grace period afresh (e.g. after the workstation itself was off). */
    register(source: string, periodMs: number): void {
      const at = ctx.iso();
      sdb.run(
        db
          .insertInto('alarm_source')
          .values({ id: source, dealer_id: ctx.dealerId, period_ms: periodMs, last_heard_at: at, created_at: at, updated_at: at })
          .onConflict((oc) => oc.column('id').doUpdateSet({ period_ms: periodMs, last_heard_at: at, updated_at: at })),
      );
    },

    unregister(source: string): void {
      sdb.run(db.deleteFrom('alarm_source').where('id', '=', source).where('dealer_id', '=', ctx.dealerId));
      if (!watchdogHealthy(source)) report(source, true, 'monitor removed');
    },

    heard(source: string): void {
      const at = ctx.iso();
      const changed = sdb.run(db.updateTable('alarm_source').set({ last_heard_at: at, updated_at: at }).where('id', '=', source));
      if (changed > 0 && !watchdogHealthy(source)) report(source, true, 'monitor heard again');
    },

    check(): void {
      const now = ctx.clock.now();
      const sources = sdb.all(db.selectFrom('alarm_source').selectAll().where('dealer_id', '=', ctx.dealerId));
      for (const source of sources) {
        const silentMs = now - Date.parse(source.last_heard_at);
        if (silentMs > 2 * source.period_ms && watchdogHealthy(source.id)) {
          report(source.id, false, `no word for ${Math.round(silentMs / 1000)} s (period ${Math.round(source.period_ms / 1000)} s)`);
        }
      }
    },
  };
}
