/**
 * The seat's view of open alarms, shared by the header indicator, the toast/sound controller and the
 * console. Kept live by the host's 'alarms.changed' events. "Snooze for me" is local to this seat
 * (localStorage) and only quiets the sound here; acknowledging is shared and goes to the host.
 */
import { create } from 'zustand';
import { z } from 'zod';
import type { RequestOutput } from '../../../preload/contract';
import { call } from '../../api';

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

interface AlarmsState {
  open: AlarmDto[];
  loaded: boolean;
  snoozed: Record<string, number>;
  /** Bumped by a timer so snoozes that ran out are noticed. */
  now: number;
  load(): Promise<void>;
  upsert(alarm: AlarmDto): void;
  snooze(ids: string[], minutes?: number): void;
  tick(): void;
}

export const useAlarms = create<AlarmsState>((set, get) => ({
  open: [],
  loaded: false,
  snoozed: readSnoozed(),
  now: Date.now(),
  async load() {
    const open = await call('alarms.open', {});
    set({ open, loaded: true });
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
  return state.open.filter((a) => a.severity === 'critical' && isUnacknowledged(a) && !isSnoozed(state, a.id));
}
