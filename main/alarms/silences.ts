/**
 * Silences and maintenance windows: time-boxed, matched by target pattern, audited in the history.
 * Checks and detection keep running under a silence; only notifications and escalation are held back.
 */
import type { Selectable } from 'kysely';
import type { AlarmSilenceTable, SilenceKind } from '../../db/tables/alarms';
import type { EngineContext } from './context';
import { AlarmError, type Actor } from './types';

export type SilenceRow = Selectable<AlarmSilenceTable>;

export interface SilenceView {
  id: string;
  kind: SilenceKind;
  pattern: string;
  reason: string;
  startsAt: string;
  endsAt: string;
  createdBy: string;
  createdByName: string;
  endedAt: string | null;
  endedBy: string | null;
  active: boolean;
}

export interface NewSilence {
  kind: SilenceKind;
  /** Target pattern; '*' matches any run of characters ('backup-01/*' covers a whole server). */
  pattern: string;
  reason: string;
  /** Defaults to now; a maintenance window may start later. */
  startsAt?: string;
  endsAt: string;
}

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

export function patternMatches(pattern: string, target: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`);
  return regex.test(target);
}

export function createSilences(ctx: EngineContext) {
  const { db, sdb } = ctx;

  function isActive(row: SilenceRow, nowIso: string): boolean {
    return row.ended_at === null && row.starts_at <= nowIso && nowIso < row.ends_at;
  }

  function toView(row: SilenceRow, nowIso: string): SilenceView {
    return {
      id: row.id,
      kind: row.kind,
      pattern: row.pattern,
      reason: row.reason,
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      createdBy: row.created_by,
      createdByName: row.created_by_name,
      endedAt: row.ended_at,
      endedBy: row.ended_by,
      active: isActive(row, nowIso),
    };
  }

  /** Silences that are or will be in force (not ended, not yet past their end). */
  function current(nowIso: string): SilenceRow[] {
    return sdb.all(
      db
        .selectFrom('alarm_silence')
        .selectAll()
        .where('dealer_id', '=', ctx.dealerId)
        .where('ended_at', 'is', null)
        .where('ends_at', '>', nowIso)
        .orderBy('starts_at'),
    );
  }

  return {
    /** The silence in force for this target now, if any. */
    activeFor(target: string): SilenceRow | undefined {
      const now = ctx.iso();
      return current(now).find((row) => isActive(row, now) && patternMatches(row.pattern, target));
    },

    isActiveId(id: string): boolean {
      const row = sdb.first(db.selectFrom('alarm_silence').selectAll().where('id', '=', id));
      return row !== undefined && isActive(row, ctx.iso());
    },

    create(input: NewSilence, actor: Actor): SilenceView {
      const nowMs = ctx.clock.now();
      const startsMs = input.startsAt ? Date.parse(input.startsAt) : nowMs;
      const endsMs = Date.parse(input.endsAt);
      const reason = input.reason.trim();
      const pattern = input.pattern.trim();
      if (!reason) throw new AlarmError('VALIDATION', 'A silence needs a reason');
      if (!pattern) throw new AlarmError('VALIDATION', 'A silence needs a target pattern');
      if (Number.isNaN(startsMs) || Number.isNaN(endsMs)) throw new AlarmError('VALIDATION', 'Invalid start or end');
      if (endsMs <= Math.max(startsMs, nowMs)) throw new AlarmError('VALIDATION', 'A silence must end in the future, after it starts');
      if (endsMs - startsMs > ctx.options.maxSilenceMs) throw new AlarmError('VALIDATION', 'A silence may not last that long');
      const at = ctx.iso(nowMs);
      const row: SilenceRow = {
        id: ctx.id(),
        dealer_id: ctx.dealerId,
        kind: input.kind,
        pattern,
        reason,
        starts_at: ctx.iso(startsMs),
        ends_at: ctx.iso(endsMs),
        created_by: actor.id,
        created_by_name: actor.name,
        ended_at: null,
        ended_by: null,
        created_at: at,
        updated_at: at,
      };
      sdb.tx(() => {
        sdb.run(db.insertInto('alarm_silence').values(row));
        ctx.record({
          type: 'silence_created',
          silenceId: row.id,
          actor,
          detail: { kind: row.kind, pattern, reason, startsAt: row.starts_at, endsAt: row.ends_at },
        });
      });
      ctx.emit('alarms.silencesChanged', { silenceId: row.id });
      return toView(row, at);
    },

    /** Ends a silence early; the history keeps who did it. */
    end(id: string, actor: Actor): SilenceView {
      const at = ctx.iso();
      const row = sdb.first(
        db.selectFrom('alarm_silence').selectAll().where('id', '=', id).where('dealer_id', '=', ctx.dealerId),
      );
      if (!row) throw new AlarmError('NOT_FOUND', 'No such silence');
      if (row.ended_at !== null || row.ends_at <= at) throw new AlarmError('CONFLICT', 'This silence is already over');
      sdb.tx(() => {
        sdb.run(
          db.updateTable('alarm_silence').set({ ended_at: at, ended_by: actor.id, updated_at: at }).where('id', '=', id),
        );
        ctx.record({ type: 'silence_ended', silenceId: id, actor, detail: { early: true } });
      });
      ctx.emit('alarms.silencesChanged', { silenceId: id });
      return toView({ ...row, ended_at: at, ended_by: actor.id, updated_at: at }, at);
    },

    list(options: { includeOver?: boolean } = {}): SilenceView[] {
      const now = ctx.iso();
      const rows = options.includeOver
        ? sdb.all(
            db.selectFrom('alarm_silence').selectAll().where('dealer_id', '=', ctx.dealerId).orderBy('starts_at', 'desc').limit(500),
          )
        : current(now);
      return rows.map((row) => toView(row, now));
    },
  };
}

export type Silences = ReturnType<typeof createSilences>;
