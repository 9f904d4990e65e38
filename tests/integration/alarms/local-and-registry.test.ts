import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { createAlarms, LOCAL_TARGETS, type AlarmView, type Alarms } from '../../../main/alarms';
import { createSelfChecks } from '../../../main/alarms/monitors/local';
import { createHealthAgent } from '../../../tools/health-agent/agent';
import { createTestStore, tempDir } from '../../support/db';
import { FakeClock, RecordingNotifier } from '../../unit/alarms/harness';
import { waitFor } from './support';

let scratch: { dir: string; cleanup: () => void };
let handle: DbHandle;
let alarms: Alarms;
let clock: FakeClock;
let notifier: RecordingNotifier;
const emitted: AlarmView[] = [];
const stops: (() => Promise<void> | void)[] = [];

beforeEach(async () => {
  scratch = tempDir('alarms-local-');
  const store = await createTestStore(scratch.dir);
  handle = openDatabase(store.file);
  clock = new FakeClock();
  notifier = new RecordingNotifier();
  emitted.length = 0;
  alarms = createAlarms({
    handle,
    notifier,
    clock,
    tickMs: 0,
    emit: (name, payload) => {
      if (name === 'alarms.changed' && 'alarm' in payload) emitted.push(payload.alarm);
    },
    options: { failThreshold: 2, clearThreshold: 2, groupWaitMs: 1_000 },
    monitor: { reconnectMinMs: 50, reconnectMaxMs: 200 },
  });
  alarms.start();
});
afterEach(async () => {
  await alarms.stop();
  for (const stop of stops.splice(0).reverse()) await stop();
  handle.close();
  scratch.cleanup();
});

const openFor = (fingerprint: string) => alarms.openAlarms().find((a) => a.fingerprint === fingerprint);

describe('local hooks', () => {
  it('lets the modem bridge report line and SMS link, the link suppressed behind a failed line', async () => {
    const modem = alarms.modemHook(30_000);
    for (let i = 0; i < 2; i++) {
      clock.advance(30_000);
      modem.line(false, '无拨号音 no dial tone');
      modem.smsLink(false, 'AT+CMGS timeout');
    }
    expect(openFor(LOCAL_TARGETS.smsLink)?.suppressedBy).toBe(`parent:${LOCAL_TARGETS.modemLine}`);
    clock.advance(1_000);
    await alarms.tick();
    expect(notifier.items().map((i) => i.fingerprint)).toEqual([LOCAL_TARGETS.modemLine]);
    // Both carry the SMS channel: escalation goes by e-mail. The bridge keeps reporting meanwhile.
    for (let i = 0; i < 22; i++) {
      clock.advance(30_000);
      modem.line(false, '无拨号音 no dial tone');
      modem.smsLink(false, 'AT+CMGS timeout');
      await alarms.tick();
    }
    expect(notifier.escalations.map((e) => e.channel)).toEqual(['email']);
    // Listeners heard about every change.
    expect(new Set(emitted.map((a) => a.fingerprint))).toEqual(new Set([LOCAL_TARGETS.modemLine, LOCAL_TARGETS.smsLink]));
  });

  it('raises "monitoring offline" when a hook stops reporting', async () => {
    const dms = alarms.localHook('dms', 60_000);
    dms.report(LOCAL_TARGETS.dmsLink, true, 'DMS answered');
    clock.advance(121_000);
    await alarms.tick();
    expect(openFor('watchdog:local:dms')?.state).toBe('firing');
    dms.report(LOCAL_TARGETS.dmsLink, true, 'DMS answered');
    expect(openFor('watchdog:local:dms')).toBeUndefined();
  });

  it('checks the workstation disk, database size and backup freshness', async () => {
    const backups = path.join(scratch.dir, 'backups');
    mkdirSync(backups);
    const file = path.join(backups, 'store-20260301.sqlite');
    writeFileSync(file, 'x');
    const old = new Date(Date.now() - 30 * 3_600_000);
    utimesSync(file, old, old);
    const self = createSelfChecks(alarms.engine, {
      dbFile: path.join(scratch.dir, 'store.sqlite'),
      diskMaxUsedPercent: 0,
      dbMaxBytes: 1024,
      backupFolder: backups,
      backupMaxAgeHours: 26,
      periodMs: 60_000,
    });
    await self.runOnce();
    await self.runOnce();
    const states = Object.fromEntries(alarms.openAlarms().map((a) => [a.fingerprint, a.severity]));
    expect(states).toEqual({ [LOCAL_TARGETS.disk]: 'critical', [LOCAL_TARGETS.dbSize]: 'warning', [LOCAL_TARGETS.backup]: 'critical' });
    expect(openFor(LOCAL_TARGETS.backup)?.detail).toMatch(/limit 26 h/);
  });
});

describe('agent registry', () => {
  it('validates agents, refuses duplicate names, and forgets a removed agent\'s watchdog', async () => {
    await expect(alarms.addAgent({ name: 'x', url: 'ftp://host', periodMs: 10_000 })).rejects.toThrow();
    await expect(alarms.addAgent({ name: 'x', url: 'http://127.0.0.1:1', periodMs: 10_000, timeoutMs: 20_000 })).rejects.toThrow(/timeout/);
    const added = await alarms.addAgent({ name: 'backup-01', url: 'http://127.0.0.1:1', periodMs: 10_000, timeoutMs: 500 });
    await expect(alarms.addAgent({ name: 'BACKUP-01', url: 'http://127.0.0.1:2' })).rejects.toThrow(/exists/);
    expect(alarms.agents.list()).toEqual([expect.objectContaining({ name: 'backup-01', hasSecret: false, enabled: true })]);
    await alarms.agents.remove(added.id);
    expect(alarms.agents.list()).toEqual([]);
    clock.advance(60_000);
    await alarms.tick();
    expect(openFor('watchdog:agent:backup-01')).toBeUndefined();
  });

  it('tests an agent before saving and reconnects its event stream after the agent restarts', async () => {
    const first = createHealthAgent({ name: 'sms-01', port: 0, secret: 'secret-1234' });
    const { url, port } = await first.start();
    stops.push(() => first.stop());
    await expect(alarms.agents.probe(url, null)).rejects.toThrow(/401/);
    const report = await alarms.agents.probe(url, 'secret-1234');
    expect(report.agent.name).toBe('sms-01');

    await alarms.addAgent({ name: 'sms-01', url, secret: 'secret-1234', periodMs: 60_000, timeoutMs: 1_000 });
    await waitFor(() => alarms.agents.list()[0]?.streaming, 'stream');
    await first.stop();
    await waitFor(() => alarms.agents.list()[0]?.streaming === false, 'stream lost');
    const second = createHealthAgent({ name: 'sms-01', port, secret: 'secret-1234' });
    await second.start();
    stops.push(() => second.stop());
    await waitFor(() => alarms.agents.list()[0]?.streaming, 'stream back');
    expect(second.subscribers).toBe(1);
  });
});
