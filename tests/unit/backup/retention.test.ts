import { describe, expect, it } from 'vitest';
import { backupFreshness, selectRetained, type BackupRecord } from '../../../main/backup';

function record(at: Date): BackupRecord {
  const file = `dealercs-${at.getTime()}.sqlite`;
  return {
    format: 'dealercs-backup/1',
    file,
    path: `/b/${file}`,
    createdAt: at.toISOString(),
    bytes: 1,
    sha256: '0'.repeat(64),
    schemaVersion: '0001-core',
    migrations: ['0001-core'],
    integrity: 'ok',
    appVersion: '1.0.0',
    seatName: 's',
    dealerId: null,
    trigger: 'scheduled',
  };
}

/** Two backups a day (12:30 and 19:30 local) for `days` days ending on `last`. */
function twiceDaily(last: Date, days: number): BackupRecord[] {
  const out: BackupRecord[] = [];
  for (let i = 0; i < days; i++) {
    const d = new Date(last.getFullYear(), last.getMonth(), last.getDate() - i);
    out.push(record(new Date(d.getFullYear(), d.getMonth(), d.getDate(), 12, 30)));
    out.push(record(new Date(d.getFullYear(), d.getMonth(), d.getDate(), 19, 30)));
  }
  return out;
}

describe('backup retention', () => {
  const now = new Date(2026, 2, 31, 20, 0); // Tuesday evening
  const all = twiceDaily(now, 90);

  it('keeps the last 24 h, one per day for keepDaily days, then one per week for keepWeekly weeks', () => {
    const kept = all.filter((r) => selectRetained(all, { keepDaily: 7, keepWeekly: 4 }, now.getTime()).has(r.file));
    const keptDates = kept.map((r) => new Date(r.createdAt));
    // 24 h window (now is 20:00): both of today's backups; yesterday's 19:30 is 24.5 h old
    const recent = keptDates.filter((d) => now.getTime() - d.getTime() < 86_400_000);
    expect(recent).toHaveLength(2);
    // one per day over the 7 newest days
    const days = new Set(keptDates.map((d) => d.toDateString()));
    for (let i = 0; i < 7; i++) expect(days.has(new Date(2026, 2, 31 - i).toDateString())).toBe(true);
    // plus 4 weekly ones, each in a distinct week before the daily window
    const older = keptDates.filter((d) => d < new Date(2026, 2, 25));
    expect(older).toHaveLength(4);
    expect(kept).toHaveLength(2 + 6 + 4);
    // the newest of each day is the one kept
    expect(keptDates.filter((d) => d < new Date(2026, 2, 30)).every((d) => d.getHours() === 19)).toBe(true);
  });

  it('never drops the newest backup, even if it is old', () => {
    const old = [record(new Date(2025, 0, 1, 12))];
    expect(selectRetained(old, { keepDaily: 1, keepWeekly: 0 }, now.getTime()).size).toBe(1);
  });

  it('deletes more as the policy shrinks (monotone)', () => {
    const big = selectRetained(all, { keepDaily: 14, keepWeekly: 8 }, now.getTime());
    const small = selectRetained(all, { keepDaily: 3, keepWeekly: 1 }, now.getTime());
    for (const f of small) expect(big.has(f)).toBe(true);
    expect(small.size).toBeLessThan(big.size);
  });
});

describe('backup freshness', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');
  it('is critical without any backup', () => {
    expect(backupFreshness(undefined, 26, now)).toMatchObject({ level: 'critical', newestAt: null });
  });
  it('grades the age of the newest backup against the limit', () => {
    expect(backupFreshness(record(new Date(now - 3 * 3_600_000)), 26, now)).toMatchObject({ level: 'ok', ageHours: 3 });
    expect(backupFreshness(record(new Date(now - 30 * 3_600_000)), 26, now).level).toBe('warning');
    const stale = backupFreshness(record(new Date(now - 60 * 3_600_000)), 26, now);
    expect(stale.level).toBe('critical');
    expect(stale.message.zh).toContain('26');
  });
});
