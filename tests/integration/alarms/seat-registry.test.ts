/**
 * Seat-file reconciliation against the real alarms registry and the real DMS capability, without the
 * composition root: origin tracking of seat agents, entries that cannot be applied, and the DMS link
 * alarm raised by a scheduled run against an unreachable DMS.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { createAlarms, type Alarms } from '../../../main/alarms';
import { createDmsLinkMonitor, dmsLinkTarget } from '../../../main/alarms/dms-link';
import { createSeatAgents } from '../../../main/alarms/seat-agents';
import { defaultSeatConfig, seatConfigSchema, type SeatConfig, type SeatConfigInput, type SeatConfigService } from '../../../main/config';
import { createDms, type Dms } from '../../../main/dms';
import { createDmsEvents } from '../../../main/dms/events';
import type { DmsSource } from '../../../main/dms/sources';
import { createSeatDmsSource, SEAT_SOURCE_NAME } from '../../../main/dms/seat-source';
import { createTestStore, tempDir } from '../../support/db';
import { FakeClock, RecordingNotifier } from '../../unit/alarms/harness';
import { tcpService, waitFor } from './support';

let scratch: { dir: string; cleanup: () => void };
let handle: DbHandle;
let alarms: Alarms;
let dealerId: string;
let storeFile: string;

/** A seat configuration held in memory, changed by the test like IT replacing the file. */
function fakeSeat(initial: SeatConfigInput) {
  let current: SeatConfig = seatConfigSchema.parse(initial);
  const listeners = new Set<(next: SeatConfig, previous: SeatConfig) => void>();
  const seat: Pick<SeatConfigService, 'get' | 'onChange'> & { set(next: SeatConfigInput): void } = {
    get: () => current,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      const previous = current;
      current = seatConfigSchema.parse(next);
      for (const l of listeners) l(current, previous);
    },
  };
  return seat;
}

beforeEach(async () => {
  scratch = tempDir('seat-registry-');
  const store = await createTestStore(scratch.dir);
  dealerId = store.dealerId;
  storeFile = store.file;
  handle = openDatabase(store.file);
  alarms = createAlarms({ handle, notifier: new RecordingNotifier(), clock: new FakeClock(), tickMs: 0, emit: () => {} });
  alarms.start();
});
afterEach(async () => {
  await alarms.stop();
  handle.close();
  scratch.cleanup();
});

describe('seat agents', () => {
  const stateFile = () => path.join(scratch.dir, 'seat-agents.json');

  it('tracks the origin: an entry dropped from the file removes only its own agent, a deleted seat agent comes back', async () => {
    const seat = fakeSeat({ healthAgents: [{ name: 'nas', url: 'http://127.0.0.1:9/nas' }, { name: 'erp', url: 'http://127.0.0.1:9/erp' }] });
    const seatAgents = createSeatAgents({ agents: alarms.agents, seatConfig: seat, stateFile: stateFile() });
    expect(await seatAgents.reconcile()).toMatchObject({ added: ['nas', 'erp'], updated: [], removed: [] });
    await alarms.agents.add({ name: 'pbx', url: 'http://127.0.0.1:9/pbx' });
    const nas = alarms.agents.list().find((a) => a.name === 'nas');
    if (!nas) throw new Error('no nas agent');
    await alarms.agents.remove(nas.id);

    // Unchanged entries are not rewritten; the removed seat agent is re-created; dropped 'erp' goes.
    const result = await seatAgents.reconcile(seatConfigSchema.parse({ healthAgents: [{ name: 'nas', url: 'http://127.0.0.1:9/nas' }] }));
    expect(result).toMatchObject({ added: ['nas'], updated: [], removed: ['erp'] });
    expect(alarms.agents.list().map((a) => a.name).sort()).toEqual(['nas', 'pbx']);
    const state: unknown = JSON.parse(readFileSync(stateFile(), 'utf8'));
    expect(Object.keys(state as Record<string, unknown>)).toEqual(['nas']);

    // An empty seat list removes the seat agents, never the console's.
    expect(await seatAgents.reconcile(defaultSeatConfig())).toMatchObject({ removed: ['nas'] });
    expect(alarms.agents.list().map((a) => a.name)).toEqual(['pbx']);
  });

  it('skips entries it cannot apply and says why, applying the rest', async () => {
    const seat = fakeSeat({
      healthAgents: [
        { name: 'short-key', url: 'http://127.0.0.1:9/a', apiKey: 'abc' },
        { name: 'ok', url: 'http://127.0.0.1:9/b', apiKey: 'long-enough-key' },
        { name: 'OK', url: 'http://127.0.0.1:9/c' },
      ],
    });
    const result = await createSeatAgents({ agents: alarms.agents, seatConfig: seat, stateFile: stateFile() }).reconcile();
    expect(result.added).toEqual(['ok']);
    expect(result.skipped.map((s) => s.name)).toEqual(['short-key', 'OK']);
    expect(alarms.agents.list()).toMatchObject([{ name: 'ok', hasSecret: true }]);
  });

  it('follows seat configuration changes after start and stops following after stop', async () => {
    const seat = fakeSeat({});
    const seatAgents = createSeatAgents({ agents: alarms.agents, seatConfig: seat, stateFile: stateFile() });
    await seatAgents.start();
    seat.set({ healthAgents: [{ name: 'nas', url: 'http://127.0.0.1:9/nas', intervalSeconds: 45 }] });
    const list = await waitFor(() => alarms.agents.list().find((a) => a.name === 'nas'), 'the seat agent from the change');
    expect(list).toMatchObject({ periodMs: 45_000, timeoutMs: 5_000, enabled: true });
    await seatAgents.stop();
    seat.set({});
    // No listener any more: the change is not applied (a pending reconcile would have run by now).
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alarms.agents.list().map((a) => a.name)).toEqual(['nas']);
  });
});

describe('seat DMS source and the DMS link', () => {
  let dms: Dms;
  beforeEach(() => {
    dms = createDms({ handle, dbFile: storeFile, dealerId });
  });
  afterEach(async () => {
    await dms.close();
  });

  it('a scheduled run against an unreachable DMS raises dms:<source>, with the bilingual error', async () => {
    // A port that was just free: nothing listens there any more.
    const gone = await tcpService();
    await gone.stop();
    const seat = fakeSeat({ dms: { kind: 'rest', baseUrl: `http://127.0.0.1:${gone.port}`, apiKey: 'seat-key-1', schedule: '0 3 * * *', timeoutSeconds: 5 } });
    const seatDms = createSeatDmsSource({ dms: () => dms, seatConfig: seat, stateFile: path.join(scratch.dir, 'seat-dms.json') });
    const { outcome, source } = await seatDms.reconcile();
    expect(outcome).toBe('created');
    if (!source) throw new Error('no seat source');
    expect(source).toMatchObject({ name: SEAT_SOURCE_NAME, schedule: '0 3 * * *', enabled: true });
    expect(await seatDms.reconcile()).toMatchObject({ outcome: 'unchanged' });
    // A lost state file (or a restored store) finds the seat source again by its reserved name.
    rmSync(path.join(scratch.dir, 'seat-dms.json'));
    expect(await seatDms.reconcile()).toMatchObject({ outcome: 'unchanged', source: { id: source.id } });
    expect(seatDms.sourceId()).toBe(source.id);
    // One attempt: the admin tuned retries in the DMS screen; the seat keeps that setting.
    await dms.sources.save({ name: source.name, kind: 'rest', rest: { ...source.rest, baseUrl: `http://127.0.0.1:${gone.port}`, apiKey: 'seat-key-1', attempts: 1 }, schedule: source.schedule }, source.id);
    expect(await seatDms.reconcile()).toMatchObject({ outcome: 'unchanged' });
    expect(dms.scheduler.nextRuns()).toMatchObject([{ sourceId: source.id, kind: 'sync' }]);

    const link = createDmsLinkMonitor({ dms: () => dms, hook: () => alarms.localHook('dms', 3_600_000), idleCheckMs: 0 });
    link.start();
    await dms.scheduler.trigger(source.id);
    await link.settled();
    const [run] = await dms.runs(source.id, 1);
    expect(run).toMatchObject({ trigger: 'schedule', status: 'failed' });
    const alarm = alarms.openAlarms().find((a) => a.fingerprint === dmsLinkTarget(SEAT_SOURCE_NAME));
    expect(alarm?.detail).toMatch(/无法连接 DMS.*Cannot reach the DMS/);

    // The seat drops its DMS: the source is disabled, and with nothing scheduled the hook is closed so
    // its watchdog cannot report the silent DMS monitor as offline.
    expect(link.watching()).toBe(true);
    expect(await link.checkIdle()).toBe(false);
    seat.set({});
    expect(await seatDms.reconcile()).toMatchObject({ outcome: 'disabled', source: { id: source.id, enabled: false } });
    expect(dms.scheduler.nextRuns()).toEqual([]);
    expect(await link.checkIdle()).toBe(true);
    expect(link.watching()).toBe(false);
    expect(alarms.openAlarms().find((a) => a.fingerprint === dmsLinkTarget(SEAT_SOURCE_NAME))).toBeUndefined();
    await link.stop();
  }, 60_000);
});

describe('DMS link monitor: runs that end without a result', () => {
  it('a run whose sync worker died is reported failed; a file source is not a link', async () => {
    const events = createDmsEvents();
    const rest: DmsSource = { id: 'S1', name: '厂家 DMS', kind: 'rest', rest: { baseUrl: 'http://127.0.0.1:9', apiKey: 'k' }, schedule: '0 3 * * *', enabled: true };
    const file: DmsSource = { id: 'S2', name: '文件导入', kind: 'file', rest: null, schedule: null, enabled: true };
    const all = [rest, file];
    let active: string[] = [];
    const link = createDmsLinkMonitor({
      dms: () => ({ events, sources: { get: (id) => Promise.resolve(all.find((s) => s.id === id) ?? null), list: () => Promise.resolve(all) }, activeRuns: () => active }),
      hook: () => alarms.localHook('dms', 3_600_000),
      idleCheckMs: 0,
      runCheckMs: 3_600_000,
    });
    link.start();
    active = ['S1'];
    events.emit('runStarted', { sourceId: 'S1', trigger: 'schedule', mode: 'incremental' });
    await link.checkStarted();
    expect(alarms.openAlarms()).toEqual([]);
    active = [];
    await link.checkStarted();
    expect(alarms.openAlarms().find((a) => a.fingerprint === dmsLinkTarget('厂家 DMS'))?.detail).toBe('同步进程异常退出 / The sync process stopped');

    const failed = { runId: 'R', status: 'failed' as const, counts: { fetched: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0, conflicts: 0, quarantined: 0 }, error: { code: 'DMS_BAD_FILE', zh: '文件无法读取', en: 'Unreadable file' } };
    events.emit('runFinished', { sourceId: 'S2', ...failed });
    await link.settled();
    expect(alarms.openAlarms().map((a) => a.fingerprint)).toEqual([dmsLinkTarget('厂家 DMS')]);
    await link.stop();
  });
});
