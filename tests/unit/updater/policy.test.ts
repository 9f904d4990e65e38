import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  isBelowMinimum,
  nextLocalHour,
  planInstall,
  releaseNotesText,
  retryDelayMs,
  rolloutPosition,
  stagingDecision,
} from '../../../main/updater';

describe('compareVersions', () => {
  it('orders versions the semver way', () => {
    const sorted = ['0.9.9', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0', '1.2.0', '1.10.0', '2.0.0'];
    const shuffled = [...sorted].reverse();
    expect(shuffled.sort(compareVersions)).toEqual(sorted);
    expect(compareVersions('1.2.3', 'v1.2.3')).toBe(0);
  });
  it('is antisymmetric', () => {
    const v = fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20), fc.option(fc.constantFrom('alpha', 'beta.1', 'beta.2', 'rc.1'))).map(
      ([a, b, c, pre]) => `${a}.${b}.${c}${pre ? `-${pre}` : ''}`,
    );
    fc.assert(fc.property(v, v, (a, b) => compareVersions(a, b) === -compareVersions(b, a)));
  });
});

describe('staged rollout', () => {
  it('places a seat at a stable position in [0, 1)', () => {
    const p = rolloutPosition('seat-a');
    expect(p).toBe(rolloutPosition('seat-a'));
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThan(1);
  });

  it('admits roughly the given percentage of seats and is monotone in the percentage', () => {
    const seats = Array.from({ length: 2000 }, (_, i) => `seat-${i}`);
    const share = (pct: number) => seats.filter((s) => stagingDecision(pct, s).inRollout).length / seats.length;
    expect(share(10)).toBeGreaterThan(0.07);
    expect(share(10)).toBeLessThan(0.13);
    expect(share(0)).toBe(0);
    expect(share(100)).toBe(1);
    // A seat in the 10 % wave stays in every later wave.
    for (const s of seats) if (stagingDecision(10, s).inRollout) expect(stagingDecision(50, s).inRollout).toBe(true);
  });

  it('reads fractions the way electron-updater does (0.1 → 0 %) and warns', () => {
    const d = stagingDecision(0.1, 'seat-x');
    expect(d).toMatchObject({ inRollout: false, percent: 0 });
    expect(d.warning).toContain('integer');
    expect(stagingDecision('25', 'seat-x').warning).toBeNull();
    expect(stagingDecision(undefined, 'seat-x')).toEqual({ inRollout: true, percent: null, warning: null });
    expect(stagingDecision('lots', 'seat-x')).toMatchObject({ inRollout: true, percent: null });
  });
});

describe('install decisions', () => {
  it('minimum versions from the feed or the seat configuration make an update mandatory', () => {
    expect(isBelowMinimum('1.2.0', '1.3.0')).toBe(true);
    expect(isBelowMinimum('1.3.0', '1.3.0')).toBe(false);
    expect(isBelowMinimum('1.2.0', undefined, '1.2.1')).toBe(true);
    expect(isBelowMinimum('1.2.0', 'garbage', null)).toBe(false);
  });

  it('plans the install by mode; mandatory always means now', () => {
    const now = new Date(2026, 2, 10, 14, 30).getTime();
    expect(planInstall({ mandatory: true, mode: 'manual', now, quietHour: 2 })).toEqual({ kind: 'now', reason: 'mandatory' });
    expect(planInstall({ mandatory: false, mode: 'on-quit', now, quietHour: 2 })).toEqual({ kind: 'on-quit' });
    expect(planInstall({ mandatory: false, mode: 'manual', now, quietHour: 2 })).toEqual({ kind: 'manual' });
    expect(planInstall({ mandatory: false, mode: 'quiet-hour', now, quietHour: 2 })).toEqual({ kind: 'at', at: new Date(2026, 2, 11, 2, 0).getTime() });
  });

  it('finds the next quiet hour later today or tomorrow', () => {
    expect(nextLocalHour(new Date(2026, 0, 1, 1, 59).getTime(), 2)).toBe(new Date(2026, 0, 1, 2, 0).getTime());
    expect(nextLocalHour(new Date(2026, 0, 1, 2, 0).getTime(), 2)).toBe(new Date(2026, 0, 2, 2, 0).getTime());
    expect(nextLocalHour(new Date(2026, 0, 31, 23, 0).getTime(), 2)).toBe(new Date(2026, 1, 1, 2, 0).getTime());
  });

  it('backs off failed checks but never beyond the normal interval', () => {
    const fourHours = 4 * 3_600_000;
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, fourHours) / 60_000)).toEqual([15, 30, 60, 120, 240]);
    expect(retryDelayMs(10, fourHours)).toBe(fourHours);
  });

  it('turns both release-note shapes into text', () => {
    expect(releaseNotesText('修复短信发送问题')).toBe('修复短信发送问题');
    expect(releaseNotesText([{ version: '1.2.0', note: 'A' }, { version: '1.1.0', note: 'B' }])).toBe('1.2.0\nA\n\n1.1.0\nB');
    expect(releaseNotesText(null)).toBeNull();
  });
});
