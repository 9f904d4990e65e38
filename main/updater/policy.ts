/**
 * Pure update-policy decisions: version order, staged rollout, mandatory versions, when to install.
 * No I/O and no clock of its own, so every rule is tested directly.
 */
import { createHash } from 'node:crypto';
import type { UpdateInstallMode } from '../config/schema';

interface ParsedVersion {
  core: [number, number, number];
  pre: string[];
}

function parseVersion(version: string): ParsedVersion | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(version.trim());
  if (!m) return null;
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.') : [] };
}

/** Semantic-version order (1.2.0-beta.2 < 1.2.0 < 1.10.0); unparsable versions sort first. */
export function compareVersions(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (!va || !vb) return va ? 1 : vb ? -1 : 0;
  for (let i = 0; i < 3; i++) {
    const d = (va.core[i] ?? 0) - (vb.core[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (va.pre.length === 0 || vb.pre.length === 0) return va.pre.length === vb.pre.length ? 0 : va.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(va.pre.length, vb.pre.length); i++) {
    const pa = va.pre[i];
    const pb = vb.pre[i];
    if (pa === undefined || pb === undefined) return pa === undefined ? -1 : 1;
    const na = /^\d+$/.test(pa) ? Number(pa) : null;
    const nb = /^\d+$/.test(pb) ? Number(pb) : null;
    if (na !== null && nb !== null) {
      if (na !== nb) return Math.sign(na - nb);
    } else if (na !== null || nb !== null) {
      return na !== null ? -1 : 1;
    } else if (pa !== pb) {
      return pa < pb ? -1 : 1;
    }
  }
  return 0;
}

export function isValidVersion(version: string): boolean {
  return parseVersion(version) !== null;
}

/** The feed file a channel reads: stable → latest.yml, beta → beta.yml (electron-builder's names). */
export function feedChannelName(channel: 'stable' | 'beta'): string {
  return channel === 'stable' ? 'latest' : 'beta';
}

/**
 * A seat's fixed position in [0, 1) for staged rollouts, derived from its stable seat id. Hashing (rather
 * than electron-updater's random per-profile file) keeps a seat in the same ring across reinstalls and
 * Windows profiles, and lets IT compute which seats are in a 10 % wave.
 */
export function rolloutPosition(seatId: string): number {
  return createHash('sha256').update(seatId).digest().readUInt32BE(0) / 0x1_0000_0000;
}

export interface StagingDecision {
  inRollout: boolean;
  /** The percentage as electron-updater reads it (parseInt), or null when the feed sets none. */
  percent: number | null;
  /** Set when the feed's value is suspicious, e.g. 0.1 (which means 0 %, not 10 %). */
  warning: string | null;
}

/**
 * Reads `stagingPercentage` exactly as electron-updater does (parseInt, so 0.1 → 0 and nobody updates,
 * electron-builder #3891) and warns about values that are not an integer in 0–100.
 */
export function stagingDecision(raw: unknown, seatId: string): StagingDecision {
  if (raw === undefined || raw === null) return { inRollout: true, percent: null, warning: null };
  const percent = Number.parseInt(String(raw), 10);
  if (Number.isNaN(percent)) {
    return { inRollout: true, percent: null, warning: `stagingPercentage "${String(raw)}" is not a number; ignored (everyone updates)` };
  }
  const isCleanInteger = typeof raw === 'number' ? Number.isInteger(raw) : /^\s*\d+\s*$/.test(String(raw));
  const warning =
    !isCleanInteger || percent < 0 || percent > 100
      ? `stagingPercentage ${String(raw)} is read as ${percent} %: use an integer 0–100 (10 means 10 %)`
      : null;
  return { inRollout: rolloutPosition(seatId) < percent / 100, percent, warning };
}

/** True when the running version is below a minimum that IT set in the feed or the seat configuration. */
export function isBelowMinimum(currentVersion: string, ...minimums: (string | null | undefined)[]): boolean {
  return minimums.some((min) => typeof min === 'string' && isValidVersion(min) && compareVersions(currentVersion, min) < 0);
}

export type InstallPlan =
  | { kind: 'now'; reason: 'mandatory' | 'user' }
  | { kind: 'at'; at: number }
  | { kind: 'on-quit' }
  | { kind: 'manual' };

/** The next moment the local clock shows `hour`:00 strictly after `now` (epoch ms, seat local time). */
export function nextLocalHour(now: number, hour: number): number {
  const d = new Date(now);
  d.setHours(hour, 0, 0, 0);
  if (d.getTime() <= now) d.setDate(d.getDate() + 1);
  return d.getTime();
}

/** When to install an update that finished downloading. Mandatory updates never wait. */
export function planInstall(options: { mandatory: boolean; mode: UpdateInstallMode; now: number; quietHour: number }): InstallPlan {
  if (options.mandatory) return { kind: 'now', reason: 'mandatory' };
  switch (options.mode) {
    case 'quiet-hour':
      return { kind: 'at', at: nextLocalHour(options.now, options.quietHour) };
    case 'on-quit':
      return { kind: 'on-quit' };
    case 'manual':
      return { kind: 'manual' };
  }
}

/** Retry delay after a failed check: 15 min, 30, 60 … but never longer than the normal interval. */
export function retryDelayMs(consecutiveFailures: number, intervalMs: number): number {
  const base = 15 * 60_000 * 2 ** Math.max(0, consecutiveFailures - 1);
  return Math.min(base, intervalMs);
}

/** electron-builder writes release notes as a string, or (fullChangelog) a list of {version, note}. */
export function releaseNotesText(notes: unknown): string | null {
  if (typeof notes === 'string') return notes.trim() || null;
  if (Array.isArray(notes)) {
    const parts = notes.flatMap((n: unknown) => {
      if (n === null || typeof n !== 'object') return [];
      const version = 'version' in n && typeof n.version === 'string' ? n.version : '';
      const note = 'note' in n && typeof n.note === 'string' ? n.note : '';
      return note ? [`${version}\n${note}`.trim()] : [];
    });
    return parts.length ? parts.join('\n\n') : null;
  }
  return null;
}
