/**
 * Per-target detection, kept pure and apart from notification: a check result moves the target between
 * ok / pending (soft failure) / firing (hard failure) with hysteresis both ways, and a weighted
 * state-change percentage over the last 21 results (Nagios' flap detection) marks it flapping.
 */
import type { TargetHealth } from '../../db/tables/alarms';

export const FLAP_WINDOW = 21;

export interface FlapThresholds {
  /** Start flapping at or above this weighted percentage of state changes. */
  highPercent: number;
  /** Stop flapping below this one (lower than high, so the flapping state itself does not flap). */
  lowPercent: number;
  /** Results needed before flapping can be judged at all. */
  minSamples: number;
}

export const DEFAULT_FLAP: FlapThresholds = { highPercent: 50, lowPercent: 25, minSamples: 8 };

export interface DetectionState {
  health: TargetHealth;
  flapping: boolean;
  consecutiveFail: number;
  consecutiveOk: number;
  recent: string;
}

export interface DetectionConfig {
  failThreshold: number;
  clearThreshold: number;
  flap: FlapThresholds;
}

export const INITIAL_DETECTION: DetectionState = {
  health: 'ok',
  flapping: false,
  consecutiveFail: 0,
  consecutiveOk: 0,
  recent: '',
};

/**
 * Weighted percentage of state changes: newer changes weigh more (0.8 for the oldest to 1.2 for the
 * newest), as in Nagios, so a target that has just settled stops flapping sooner.
 */
export function stateChangePercent(recent: string): number {
  const changes = recent.length - 1;
  if (changes < 1) return 0;
  let weighted = 0;
  let total = 0;
  for (let i = 1; i < recent.length; i++) {
    const weight = changes === 1 ? 1 : 0.8 + (0.4 * (i - 1)) / (changes - 1);
    total += weight;
    if (recent[i] !== recent[i - 1]) weighted += weight;
  }
  return (weighted / total) * 100;
}

/** The alarm-facing view of a target: which state its open alarm should be in, or none. */
export type DesiredAlarm = 'none' | 'pending' | 'firing' | 'flapping';

export function desiredAlarm(state: DetectionState): DesiredAlarm {
  if (state.flapping) return 'flapping';
  if (state.health === 'ok') return 'none';
  return state.health;
}

export function step(state: DetectionState, ok: boolean, config: DetectionConfig): DetectionState {
  const recent = (state.recent + (ok ? '1' : '0')).slice(-FLAP_WINDOW);
  const consecutiveFail = ok ? 0 : state.consecutiveFail + 1;
  const consecutiveOk = ok ? state.consecutiveOk + 1 : 0;

  let health: TargetHealth = state.health;
  if (ok) {
    // A soft failure clears on the first success; a hard one needs M successes in a row (hysteresis).
    if (health === 'pending') health = 'ok';
    else if (health === 'firing' && consecutiveOk >= config.clearThreshold) health = 'ok';
  } else if (consecutiveFail >= config.failThreshold) {
    health = 'firing';
  } else if (health === 'ok') {
    health = 'pending';
  }

  let flapping = state.flapping;
  if (recent.length >= config.flap.minSamples) {
    const percent = stateChangePercent(recent);
    if (!flapping && percent >= config.flap.highPercent) flapping = true;
    else if (flapping && percent < config.flap.lowPercent) flapping = false;
  }
  return { health, flapping, consecutiveFail, consecutiveOk, recent };
}
