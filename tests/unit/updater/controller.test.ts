import { describe, expect, it } from 'vitest';
import { updateConfigSchema, type UpdateConfig } from '../../../main/config';
import { createUpdateController, rolloutPosition, type UpdateStatus } from '../../../main/updater';
import { FakeClock, FakeUpdater, info } from './fakes';

const HOUR = 3_600_000;
const start = new Date(2026, 2, 10, 9, 0).getTime();

function setup(overrides: Partial<UpdateConfig> = {}, opts: { version?: string; seatId?: string; canInstall?: () => boolean } = {}) {
  const config = updateConfigSchema.parse({ feedUrl: 'https://updates.dealer.local/dealercs/', ...overrides });
  const clock = new FakeClock(start);
  const updater = new FakeUpdater(opts.version ?? '1.0.0');
  const seen: UpdateStatus[] = [];
  const controller = createUpdateController({
    updater,
    currentVersion: opts.version ?? '1.0.0',
    seatId: opts.seatId ?? 'seat-1',
    config,
    clock,
    ...(opts.canInstall ? { canInstallNow: opts.canInstall } : {}),
    checkTimeoutMs: 60_000,
  });
  controller.onStatus((s) => seen.push(s));
  return { clock, updater, controller, seen };
}

describe('update controller (fake updater, fake clock)', () => {
  it('configures the updater from the seat configuration', () => {
    const { updater, controller } = setup({ channel: 'beta', authToken: 'sekret' });
    controller.start();
    expect(updater.feed).toEqual({ provider: 'generic', url: 'https://updates.dealer.local/dealercs/', channel: 'beta', useMultipleRangeRequest: true });
    expect(updater.channel).toBe('beta');
    expect(updater.disableWebInstaller).toBe(true);
    // The channel setter turned downgrades on; the seat configuration (false) wins.
    expect(updater.allowDowngrade).toBe(false);
    expect(updater.autoDownload).toBe(false);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(updater.requestHeaders).toEqual({ authorization: 'Bearer sekret' });
    controller.stop();
  });

  it('checks at start and every N hours', async () => {
    const { clock, updater, controller } = setup({ checkIntervalHours: 6 });
    controller.start();
    await clock.advance(0);
    expect(updater.checks).toBe(1);
    expect(controller.getStatus()).toMatchObject({ phase: 'up-to-date', nextCheckAt: new Date(start + 6 * HOUR).toISOString() });
    await clock.advance(6 * HOUR - 1);
    expect(updater.checks).toBe(1);
    await clock.advance(1);
    expect(updater.checks).toBe(2);
    await clock.advance(12 * HOUR);
    expect(updater.checks).toBe(4);
    controller.stop();
    await clock.advance(24 * HOUR);
    expect(updater.checks).toBe(4);
  });

  it('downloads in the background, shows notes and progress, and installs on quit by default', async () => {
    const { clock, updater, controller, seen } = setup();
    updater.latest = info('1.1.0', { releaseNotes: '新增：预约提醒' });
    controller.start();
    await clock.advance(0);
    expect(updater.downloads).toBe(1);
    expect(seen.map((s) => s.phase)).toEqual(expect.arrayContaining(['checking', 'downloading', 'downloaded']));
    expect(seen.some((s) => s.progress?.percent === 50)).toBe(true);
    expect(controller.getStatus()).toMatchObject({
      phase: 'downloaded',
      availableVersion: '1.1.0',
      releaseNotes: '新增：预约提醒',
      installPlan: { kind: 'on-quit', at: null },
      mandatory: false,
    });
    expect(updater.installs).toEqual([]);
    // A downloaded update is not downloaded again by later checks.
    await clock.advance(8 * HOUR);
    expect(updater.downloads).toBe(1);
    controller.stop();
  });

  it('installs at the quiet hour, waiting while the seat is busy', async () => {
    let busy = true;
    const { clock, updater, controller } = setup({ install: 'quiet-hour', quietHour: 2 }, { canInstall: () => !busy });
    updater.latest = info('1.1.0');
    controller.start();
    await clock.advance(0);
    const quiet = new Date(2026, 2, 11, 2, 0).getTime();
    expect(controller.getStatus().installPlan).toEqual({ kind: 'at', at: new Date(quiet).toISOString() });
    await clock.advance(quiet - start - 1);
    expect(updater.installs).toEqual([]);
    await clock.advance(1);
    expect(updater.installs).toEqual([]); // busy: postponed 10 minutes
    busy = false;
    await clock.advance(10 * 60_000);
    expect(updater.installs).toEqual([{ silent: true, runAfter: true }]);
    expect(controller.getStatus().phase).toBe('installing');
    controller.stop();
  });

  it('installs immediately when the feed marks a minimum version above ours, even outside the rollout', async () => {
    const seatId = 'seat-outside';
    const { clock, updater, controller } = setup({ install: 'manual' }, { version: '1.0.0', seatId });
    const outsidePct = Math.floor(rolloutPosition(seatId) * 100); // this seat is not in this wave
    updater.latest = info('1.2.0', { minimumVersion: '1.1.0', stagingPercentage: outsidePct });
    controller.start();
    await clock.advance(0);
    expect(controller.getStatus()).toMatchObject({ mandatory: true, phase: 'installing', installPlan: { kind: 'now' } });
    expect(updater.installs).toHaveLength(1);
    controller.stop();
  });

  it('honours the minimum version from the seat configuration too', async () => {
    const { clock, updater, controller } = setup({ install: 'manual', minimumVersion: '1.0.5' });
    updater.latest = info('1.1.0');
    controller.start();
    await clock.advance(0);
    expect(updater.installs).toHaveLength(1);
    controller.stop();
  });

  it('manual mode waits for "install now"', async () => {
    const { clock, updater, controller } = setup({ install: 'manual' });
    expect(controller.installNow()).toBe(false);
    updater.latest = info('1.1.0');
    controller.start();
    await clock.advance(0);
    expect(updater.installs).toEqual([]);
    expect(updater.autoInstallOnAppQuit).toBe(false);
    expect(controller.installNow()).toBe(true);
    expect(updater.installs).toHaveLength(1);
    controller.stop();
  });

  it('honours staged rollout with the stable seat id and reports it', async () => {
    const seats = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((s) => `seat-${s}`);
    const inside = seats.find((s) => rolloutPosition(s) < 0.5);
    const outside = seats.find((s) => rolloutPosition(s) >= 0.5);
    if (!inside || !outside) throw new Error('test seats do not straddle 50 %');
    for (const [seatId, expected] of [[inside, 'downloaded'], [outside, 'not-in-rollout']] as const) {
      const { clock, updater, controller } = setup({}, { seatId });
      updater.latest = info('1.1.0', { stagingPercentage: 50 });
      controller.start();
      await clock.advance(0);
      expect(controller.getStatus()).toMatchObject({ phase: expected, stagingPercent: 50 });
      controller.stop();
    }
  });

  it('flags a fractional stagingPercentage as a warning for IT', async () => {
    const { clock, updater, controller } = setup();
    updater.latest = info('1.1.0', { stagingPercentage: 0.1 });
    controller.start();
    await clock.advance(0);
    expect(controller.getStatus().phase).toBe('not-in-rollout');
    expect(controller.getStatus().warnings[0]).toContain('0.1');
    expect(controller.health().level).toBe('warning');
    controller.stop();
  });

  it('reports errors, retries with back-off and raises a critical health after 3 failures', async () => {
    const { clock, updater, controller } = setup({ checkIntervalHours: 4 });
    updater.latest = new Error('Cannot find channel "latest.yml" update info: HttpError: 404 Not Found');
    controller.start();
    await clock.advance(0);
    expect(controller.getStatus()).toMatchObject({ phase: 'error', consecutiveFailures: 1 });
    expect(controller.getStatus().lastError?.message).toContain('404');
    expect(controller.health().level).toBe('warning');
    await clock.advance(15 * 60_000);
    await clock.advance(30 * 60_000);
    expect(updater.checks).toBe(3);
    expect(controller.health()).toMatchObject({ level: 'critical', consecutiveFailures: 3 });
    updater.latest = info('1.0.0');
    await clock.advance(60 * 60_000);
    expect(controller.getStatus()).toMatchObject({ phase: 'up-to-date', consecutiveFailures: 0, lastError: null });
    expect(controller.health().level).toBe('ok');
    controller.stop();
  });

  it('gives up on a stalled server after the timeout and keeps checking later', async () => {
    const { clock, updater, controller } = setup();
    updater.latest = 'stall';
    controller.start();
    await clock.advance(0);
    expect(controller.getStatus().phase).toBe('checking');
    await clock.advance(60_000);
    expect(controller.getStatus()).toMatchObject({ phase: 'error' });
    expect(controller.getStatus().lastError?.message).toContain('timed out');
    controller.stop();
  });

  it('masks secrets that appear in error messages', async () => {
    const { clock, updater, controller } = setup();
    updater.latest = new Error('GET https://it:hunter2@updates.local/latest.yml failed, token=abc');
    controller.start();
    await clock.advance(0);
    expect(controller.getStatus().lastError?.message).not.toMatch(/hunter2|abc/);
    controller.stop();
  });

  it('is disabled without a feed URL or when IT turns it off, and resumes when configured', async () => {
    const { clock, updater, controller } = setup({ feedUrl: null });
    controller.start();
    await clock.advance(24 * HOUR);
    expect(updater.checks).toBe(0);
    expect(controller.getStatus().phase).toBe('disabled');
    expect(controller.getStatus().disabledReason?.en).toContain('No update server');
    expect(controller.health().level).toBe('ok');
    controller.applyConfig(updateConfigSchema.parse({ feedUrl: 'https://u.local/x/' }));
    await clock.advance(0);
    expect(updater.checks).toBe(1);
    controller.applyConfig(updateConfigSchema.parse({ feedUrl: 'https://u.local/x/', enabled: false }));
    await clock.advance(24 * HOUR);
    expect(updater.checks).toBe(1);
    expect(controller.getStatus().disabledReason?.zh).toContain('IT');
    controller.stop();
  });

  it('does not downgrade when switching from beta back to stable unless allowed', async () => {
    const { clock, updater, controller } = setup({ channel: 'stable' }, { version: '1.3.0-beta.1' });
    updater.latest = info('1.2.0');
    controller.start();
    await clock.advance(0);
    expect(controller.getStatus().phase).toBe('up-to-date');
    controller.applyConfig(updateConfigSchema.parse({ feedUrl: 'https://updates.dealer.local/dealercs/', allowDowngrade: true }));
    await clock.advance(4 * HOUR);
    expect(controller.getStatus().phase).toBe('downloaded');
    controller.stop();
  });
});
