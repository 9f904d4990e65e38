/**
 * Grandfather-father style retention: everything from the last 24 hours, the newest backup of each of
 * the last `keepDaily` days that have backups, and the newest of each of the `keepWeekly` ISO weeks
 * before those. The newest good backup is never deleted, whatever the numbers say.
 */
import { rmSync } from 'node:fs';
import { MANIFEST_SUFFIX, type BackupRecord } from './manifest';

export interface RetentionPolicy {
  keepDaily: number;
  keepWeekly: number;
}

/** Local calendar day, so "one per day" matches how the dealer thinks about days. */
function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

/** ISO-8601 week (Monday first), local time. */
function weekKey(iso: string): string {
  const d = new Date(iso);
  const day = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  const weekday = (day.getDay() + 6) % 7;
  day.setDate(day.getDate() - weekday + 3); // Thursday of this week decides the ISO year
  const firstThursday = new Date(day.getFullYear(), 0, 4);
  const week = 1 + Math.round(((day.getTime() - firstThursday.getTime()) / 86_400_000 - 3 + ((firstThursday.getDay() + 6) % 7)) / 7);
  return `${day.getFullYear()}-W${week}`;
}

/** Which backups to keep; `records` in any order. Returns the file names kept. */
export function selectRetained(records: readonly BackupRecord[], policy: RetentionPolicy, now: number): Set<string> {
  const newestFirst = [...records].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  const keep = new Set<string>();
  const first = newestFirst[0];
  if (first) keep.add(first.file);
  for (const r of newestFirst) if (now - Date.parse(r.createdAt) < 86_400_000) keep.add(r.file);

  const days: string[] = [];
  const weeks = new Set<string>();
  let weeklyKept = 0;
  for (const r of newestFirst) {
    const day = dayKey(r.createdAt);
    if (days.includes(day)) continue;
    if (days.length < policy.keepDaily) {
      days.push(day);
      keep.add(r.file);
      weeks.add(weekKey(r.createdAt));
      continue;
    }
    const week = weekKey(r.createdAt);
    if (weeks.has(week) || weeklyKept >= policy.keepWeekly) continue;
    weeks.add(week);
    weeklyKept++;
    keep.add(r.file);
  }
  return keep;
}

/** Deletes the backups the policy does not keep (manifest first, so a half-deleted pair is an orphan). */
export function applyRetention(records: readonly BackupRecord[], policy: RetentionPolicy, now: number): string[] {
  const keep = selectRetained(records, policy, now);
  const removed: string[] = [];
  for (const r of records) {
    if (keep.has(r.file)) continue;
    rmSync(`${r.path}${MANIFEST_SUFFIX}`, { force: true });
    rmSync(r.path, { force: true });
    removed.push(r.file);
  }
  return removed;
}
