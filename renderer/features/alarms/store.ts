/**
 * The seat's view of open alarms, shared by the header indicator, the toast/sound controller and the
 * console. Kept live by the host's 'alarms.changed' events. "Snooze for me" is local to this seat
 * (localStorage) and only quiets the sound here; acknowledging is shared and goes to the host.
 */
import { create } from 'zustand';
import { z } from 'zod';
import type { ApiErrorBody, RequestOutput } from '../../../preload/contract';
import { errorMessages } from '../../../preload/messages';
import { ApiError, call } from '../../api';

export type AlarmDto = RequestOutput<'alarms.open'>[number];

const SNOOZE_KEY = 'dealercs.alarms.snoozed';
export const SNOOZE_MINUTES = 15;
const snoozedSchema = z.record(z.string(), z.number());

function readSnoozed(): Record<string, number> {
  try {
    const parsed = snoozedSchema.safeParse(JSON.parse(localStorage.getItem(SNOOZE_KEY) ?? '{}'));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Alarms that need someone: started (firing or flapping) and not yet acknowledged. */
export function isUnacknowledged(alarm: AlarmDto): boolean {
  return alarm.state === 'firing' || alarm.state === 'flapping';
}

/**
 * Held back by the host: under a silence / maintenance window, or explained by a failing parent (the
 * line behind the SMS link). The host sends no popup for these; the seat must not ring or count them
 * either, or a planned outage would keep every bell red and every speaker going.
 */
export function isHeld(alarm: AlarmDto): boolean {
  return alarm.silenceId !== null || alarm.suppressedBy !== null;
}

/** What the bell counts and the sound follows: unacknowledged and not held back. */
export function needsAttention(alarm: AlarmDto): boolean {
  return isUnacknowledged(alarm) && !isHeld(alarm);
}

interface AlarmsState {
  open: AlarmDto[];
  /** The open list has been read at least once; until then the console shows it loading. */
  loaded: boolean;
  /** A read of the open list is under way. */
  loading: boolean;
  /** Why the last read of the open list failed (the host's bilingual message); null after a good read. */
  loadError: ApiErrorBody | null;
  snoozed: Record<string, number>;
  /** Bumped by a timer so snoozes that ran out are noticed. */
  now: number;
  /** Reads the open list; a failure is kept in `loadError` (never thrown) for the console to show. */
  load(): Promise<void>;
  upsert(alarm: AlarmDto): void;
  snooze(ids: string[], minutes?: number): void;
  tick(): void;
}

export const useAlarms = create<AlarmsState>((set, get) => ({
  open: [],
  loaded: false,
  loading: false,
  loadError: null,
  snoozed: readSnoozed(),
  now: Date.now(),
  async load() {
    set({ loading: true });
    try {
      const open = await call('alarms.open', {});
      set({ open, loaded: true, loading: false, loadError: null });
    } catch (error) {
      // The same body app/errors.ts's errorBody gives; importing that would pull i18n into this store.
      set({ loading: false, loadError: error instanceof ApiError ? error.body : { code: 'INTERNAL', message: errorMessages.INTERNAL } });
    }
  },
  upsert(alarm) {
    const rest = get().open.filter((a) => a.id !== alarm.id);
    set({ open: alarm.state === 'resolved' ? rest : [alarm, ...rest] });
  },
  snooze(ids, minutes = SNOOZE_MINUTES) {
    const until = Date.now() + minutes * 60_000;
    const now = Date.now();
    const kept = Object.fromEntries(Object.entries(get().snoozed).filter(([, t]) => t > now));
    const snoozed = { ...kept, ...Object.fromEntries(ids.map((id) => [id, until])) };
    localStorage.setItem(SNOOZE_KEY, JSON.stringify(snoozed));
    set({ snoozed, now });
  },
  tick() {
    set({ now: Date.now() });
  },
}));

export function isSnoozed(state: Pick<AlarmsState, 'snoozed' | 'now'>, id: string): boolean {
  return (state.snoozed[id] ?? 0) > state.now;
}

/** Critical alarms that should keep the sound going on this seat. */
export function ringing(state: Pick<AlarmsState, 'open' | 'snoozed' | 'now'>): AlarmDto[] {
  return state.open.filter((a) => a.severity === 'critical' && needsAttention(a) && !isSnoozed(state, a.id));
}
