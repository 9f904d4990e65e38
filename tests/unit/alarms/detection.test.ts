import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FLAP, INITIAL_DETECTION, stateChangePercent, step, type DetectionState } from '../../../main/alarms/detection';

const config = { failThreshold: 3, clearThreshold: 2, flap: DEFAULT_FLAP };
const run = (results: boolean[]): DetectionState => results.reduce((s, ok) => step(s, ok, config), INITIAL_DETECTION);

describe('detection state machine', () => {
  it('needs N failures in a row before firing and M successes before clearing', () => {
    expect(run([false]).health).toBe('pending');
    expect(run([false, false]).health).toBe('pending');
    expect(run([false, false, false]).health).toBe('firing');
    expect(run([false, false, false, true]).health).toBe('firing');
    expect(run([false, false, false, true, true]).health).toBe('ok');
    // A success in between restarts the count.
    expect(run([false, false, true, false, false]).health).toBe('pending');
  });

  it('clears a soft failure on the first success', () => {
    expect(run([false, false, true]).health).toBe('ok');
  });

  it('computes the weighted state change over the window, newer changes weighing more', () => {
    expect(stateChangePercent('1111')).toBe(0);
    expect(stateChangePercent('0101010101')).toBe(100);
    expect(stateChangePercent('1111111110')).toBeGreaterThan(stateChangePercent('0111111111'));
  });

  it('marks an alternating target flapping and stops once it settles', () => {
    const flapping = run([true, false, true, false, true, false, true, false]);
    expect(flapping.flapping).toBe(true);
    // Hysteresis never reached: it flapped without ever firing.
    expect(flapping.health).not.toBe('firing');
    let settled = flapping;
    let steps = 0;
    while (settled.flapping && steps < 30) {
      settled = step(settled, true, config);
      steps++;
    }
    expect(settled.flapping).toBe(false);
    expect(steps).toBeGreaterThan(3);
    expect(settled.health).toBe('ok');
  });

  it('never fires without N consecutive failures (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 60 }), (results) => {
        let state = INITIAL_DETECTION;
        let run = 0;
        for (const ok of results) {
          const before = state.health;
          state = step(state, ok, config);
          run = ok ? 0 : run + 1;
          if (before !== 'firing' && state.health === 'firing') expect(run).toBeGreaterThanOrEqual(3);
          expect(state.recent.length).toBeLessThanOrEqual(21);
        }
      }),
    );
  });
});
