import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { createOps, HEALTH_TARGETS, type HealthHook, type Ops } from '../../../main/ops';
import type { CallContext } from '../../../main/rpc';
import { createTestStore, tempDir, type TestStore } from '../../support/db';

interface Report {
  target: string;
  ok: boolean;
  detail: string | null;
  severity: string | undefined;
}

describe('IT operations report backup freshness and update health to the alarms', () => {
  const tmp = tempDir('dealercs-ops-health-');
  let store: TestStore;
  let handle: DbHandle;
  let ops: Ops;
  const reports: Report[] = [];
  let closed = 0;
  const hook: HealthHook = {
    report: (target, ok, detail, check) => reports.push({ target, ok, detail, severity: check?.severity }),
    close: () => {
      closed++;
    },
  };

  beforeAll(async () => {
    store = await createTestStore(tmp.dir);
    handle = openDatabase(store.file);
    ops = await createOps({
      handle,
      dbFile: store.file,
      dataDir: tmp.dir,
      host: 'browser',
      version: '0.0.0-test',
      emit: () => undefined,
      closeLive: () => Promise.resolve(handle.close()),
      health: hook,
      watchConfig: false,
      catchUpDelayMs: 0,
    });
  });
  afterAll(() => {
    ops.stop();
    handle.close();
    tmp.cleanup();
  });

  const latest = (target: string) => reports.filter((r) => r.target === target).at(-1);

  it('a seat without a backup takes one at start instead of alarming; a failing backup raises a critical alarm', async () => {
    ops.start();
    expect(latest(HEALTH_TARGETS.updates)).toMatchObject({ ok: true });
    await expect.poll(() => latest(HEALTH_TARGETS.backup)).toMatchObject({ ok: true });
    const made = await ops.backups.list();
    expect(made.map((b) => b.trigger)).toEqual(['scheduled']);

    // IT points the backups at a folder that cannot exist: the next backup fails and its freshness check
    // (no good copy in that folder) reports critical.
    ops.config.save({ ...ops.config.get(), backup: { ...ops.config.get().backup, folder: '/dev/null/backups' } });
    const admin: CallContext = {
      connectionId: 'c1',
      host: 'browser',
      staff: { staffId: store.staff.admin.id, dealerId: store.dealerId, username: 'admin1', displayName: 'a', role: 'admin', sessionToken: 't' },
    };
    const run = ops.handlers['backups.run'];
    if (!run) throw new Error('no backups.run handler');
    await expect(Promise.resolve(run({}, admin))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect.poll(() => latest(HEALTH_TARGETS.backup)).toMatchObject({ ok: false, severity: 'critical' });
    expect(latest(HEALTH_TARGETS.backup)?.detail).toContain('没有任何可用备份');

    ops.stop();
    expect(closed).toBe(1);
  });
});
