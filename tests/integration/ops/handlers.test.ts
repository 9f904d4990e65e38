import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRestartableServices } from '../../../main/ops/restartable';
import type { CallContext } from '../../../main/rpc';
import { createServices, type Services } from '../../../main/services';
import type { EventName, Result } from '../../../preload/contract';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { call, signIn } from '../../support/services';

function data<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`call failed: ${r.error.code} ${JSON.stringify(r.error.issues ?? [])}`);
  return r.data;
}
function failure<T>(r: Result<T>) {
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

const start = (store: TestStore, onRestored?: () => void) =>
  createServices({ dbFile: store.file, host: 'browser', version: '0.0.0-test', validateOutput: true, ...(onRestored ? { onRestored } : {}) });

describe('IT operations channels through the dispatcher', () => {
  const tmp = tempDir('dealercs-ops-');
  let store: TestStore;
  let services: Services;
  let agent: CallContext;
  let supervisor: CallContext;
  let admin: CallContext;
  const events: Array<{ name: EventName; payload: unknown }> = [];
  const configFile = () => path.join(tmp.dir, 'seat-config.json');

  beforeAll(async () => {
    store = await createTestStore(tmp.dir);
    services = await start(store);
    services.onEvent((name, payload) => events.push({ name, payload }));
    agent = await signIn(services, store.staff.agent);
    supervisor = await signIn(services, store.staff.supervisor);
    admin = await signIn(services, store.staff.admin);
  });
  afterAll(async () => {
    await services.close();
    tmp.cleanup();
  });

  it('refuses each channel to the roles that may not use it', async () => {
    for (const [ctx, name] of [
      [agent, 'config.get'],
      [supervisor, 'config.save'],
      [agent, 'updates.check'],
      [supervisor, 'updates.install'],
      [supervisor, 'backups.list'],
      [supervisor, 'backups.run'],
      [agent, 'diagnostics.export'],
    ] as const) {
      expect(failure(await call(services, ctx, name, name === 'config.save' ? { config: {} } : {})).code, name).toBe('FORBIDDEN');
    }
  });

  it('tells every role that the browser host does not auto-update, and why', async () => {
    const status = data(await call(services, agent, 'updates.status', {}));
    expect(status.phase).toBe('disabled');
    expect(status.disabledReason?.zh).toContain('浏览器模式');
    expect(data(await call(services, supervisor, 'updates.check', {})).phase).toBe('disabled');
    const install = failure(await call(services, admin, 'updates.install', {}));
    expect(install.code).toBe('CONFLICT');
  });

  it('reports bad configuration values at their field and saves nothing', async () => {
    const view = data(await call(services, admin, 'config.get', {}));
    expect(view.source).toBe('defaults');
    const bad = { ...view.config, update: { ...view.config.update, quietHour: 25, feedUrl: 'ftp://updates.local' } };
    for (const channel of ['config.validate', 'config.save'] as const) {
      const error = failure(await call(services, admin, channel, { config: bad }));
      expect(error.code).toBe('VALIDATION');
      const paths = (error.issues ?? []).map((i) => i.path);
      expect(paths).toContain('config.update.quietHour');
      expect(paths).toContain('config.update.feedUrl');
      expect(error.issues?.find((i) => i.path === 'config.update.quietHour')?.message.zh).toBe('数值超出允许范围');
    }
    expect(existsSync(configFile())).toBe(false);

    const unknown = failure(await call(services, admin, 'config.validate', { config: { ...view.config, typo: 1 } }));
    expect(unknown.issues?.[0]?.path).toBe('config');
    expect(unknown.issues?.[0]?.message.zh).toContain('typo');

    const otherDealer = failure(await call(services, admin, 'config.save', { config: { ...view.config, dealerId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' } }));
    expect(otherDealer.issues?.map((i) => i.path)).toEqual(['config.dealerId']);
    expect(existsSync(configFile())).toBe(false);

    const notAnObject = failure(await call(services, admin, 'config.save', { config: 'x' }));
    expect(notAnObject.issues?.[0]?.path).toBe('config');
  });

  it('saves a good configuration, keeps secrets masked and unchanged when sent back masked, and announces it', async () => {
    const view = data(await call(services, admin, 'config.get', {}));
    const edited = {
      ...view.config,
      seatName: '前台 1 号',
      dealerId: store.dealerId,
      dms: { ...view.config.dms, kind: 'rest', baseUrl: 'http://dms.local:8080', password: 'dms-pass-123' },
      backup: { ...view.config.backup, keepDaily: 10 },
      update: { ...view.config.update, channel: 'beta' },
    };
    const saved = data(await call(services, admin, 'config.save', { config: edited }));
    expect(saved.source).toBe('file');
    expect(saved.config.dms.password).toBe('******');
    expect(saved.config.seatName).toBe('前台 1 号');
    const onDisk = JSON.parse(readFileSync(configFile(), 'utf8')) as { dms: { password: string }; backup: { keepDaily: number } };
    expect(onDisk.dms.password).toBe('dms-pass-123');
    expect(onDisk.backup.keepDaily).toBe(10);

    // The screen sends the masked value back when the admin edits another field: the secret stays.
    data(await call(services, admin, 'config.save', { config: { ...saved.config, seatName: '前台 2 号' } }));
    const again = JSON.parse(readFileSync(configFile(), 'utf8')) as { seatName: string; dms: { password: string } };
    expect(again).toMatchObject({ seatName: '前台 2 号', dms: { password: 'dms-pass-123' } });

    expect(events.some((e) => e.name === 'config.changed')).toBe(true);
    // The update source follows the new channel.
    expect(data(await call(services, agent, 'updates.status', {})).channel).toBe('beta');
  });

  it('validates without saving', async () => {
    const before = readFileSync(configFile(), 'utf8');
    const view = data(await call(services, admin, 'config.get', {}));
    const checked = data(await call(services, admin, 'config.validate', { config: { ...view.config, seatName: '只是检查' } }));
    expect(checked.config.seatName).toBe('只是检查');
    expect(checked.config.dms.password).toBe('******');
    expect(readFileSync(configFile(), 'utf8')).toBe(before);
  });

  it('runs a backup, lists it as fresh, verifies it, and reports a damaged copy', async () => {
    const empty = data(await call(services, admin, 'backups.list', {}));
    expect(empty.items).toEqual([]);
    expect(empty.freshness.level).toBe('critical');

    const made = data(await call(services, admin, 'backups.run', {}));
    expect(made.integrity).toBe('ok');
    expect(made.trigger).toBe('manual');
    const listed = data(await call(services, admin, 'backups.list', {}));
    expect(listed.items.map((i) => i.file)).toEqual([made.file]);
    expect(listed.freshness.level).toBe('ok');
    expect(listed.status.lastRun?.ok).toBe(true);
    expect(events.filter((e) => e.name === 'backups.status').length).toBeGreaterThanOrEqual(2);

    const verified = data(await call(services, admin, 'backups.verify', { file: made.file }));
    expect(verified).toMatchObject({ ok: true, checksum: 'ok', problem: null });

    // A second copy, then damage it on disk.
    const second = data(await call(services, admin, 'backups.run', {}));
    const file = path.join(listed.status.folder, second.file);
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);
    const damaged = data(await call(services, admin, 'backups.verify', { file: second.file }));
    expect(damaged.ok).toBe(false);
    expect(damaged.problem?.zh).toContain('校验和不符');
  });

  it('accepts only backup names from the list and a confirmed restore', async () => {
    const traversal = failure(await call(services, admin, 'backups.verify', { file: '../store.sqlite' }));
    expect(traversal.code).toBe('VALIDATION');
    expect(traversal.issues?.[0]).toMatchObject({ path: 'file', message: { zh: '请从列表中选择一个备份文件' } });

    const missing = failure(await call(services, admin, 'backups.verify', { file: 'dealercs-20200101-000000-zzzz.sqlite' }));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.issues?.[0]?.path).toBe('file');

    const { items } = data(await call(services, admin, 'backups.list', {}));
    const unconfirmed = failure(await call(services, admin, 'backups.restore', { file: items[0]?.file, confirm: false }));
    expect(unconfirmed.issues?.[0]).toMatchObject({ path: 'confirm', message: { zh: '恢复前必须确认' } });
  });

  it('exports a diagnostics zip with logs, masked configuration and database statistics', async () => {
    const bundle = data(await call(services, supervisor, 'diagnostics.export', {}));
    expect(bundle.fileName).toMatch(/\.zip$/);
    const zip = await JSZip.loadAsync(Buffer.from(bundle.base64, 'base64'));
    const names = Object.keys(zip.files).filter((n) => !zip.files[n]?.dir);
    expect(names.length).toBe(bundle.entries.length);
    expect(names.some((n) => n.endsWith('.log'))).toBe(true);
    let all = '';
    for (const name of names) all += await zip.files[name]?.async('string');
    expect(all).toContain('前台 2 号');
    expect(all).not.toContain('dms-pass-123');
  });
});

describe('restore through the channel', () => {
  const tmp = tempDir('dealercs-ops-restore-');
  let store: TestStore;

  beforeAll(async () => {
    store = await createTestStore(tmp.dir);
  });
  afterAll(() => tmp.cleanup());

  it('swaps the backup in, closes the services, answers UNAVAILABLE until restarted, and the restart sees the old data', async () => {
    let restarts = 0;
    const first = await start(store, () => restarts++);
    const admin = await signIn(first, store.staff.admin);
    const backup = data(await call(first, admin, 'backups.run', {}));
    first.handle.sqlite.prepare("update dealer set name = '改过的名字'").run();

    const result = data(await call(first, admin, 'backups.restore', { file: backup.file, confirm: true }));
    expect(result).toMatchObject({ file: backup.file, restartRequired: true, restarting: true });
    expect(result.previousFile).not.toBeNull();
    expect(existsSync(result.previousFile ?? '')).toBe(true);
    const after = failure(await call(first, admin, 'app.info', {}));
    expect(after.code).toBe('UNAVAILABLE');
    expect(after.message.zh).toContain('重新启动');
    await first.close(); // the host's own shutdown after a restore is harmless
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(restarts).toBe(1);

    const second = await start(store);
    try {
      const info = data(await call(second, admin, 'app.info', {}));
      expect(info.dealerName).toBe('测试本田 4S 店');
      // The pre-restore copy of the changed data is in the list, so a wrong restore can be undone.
      const relogged = await signIn(second, store.staff.admin);
      const { items } = data(await call(second, relogged, 'backups.list', {}));
      expect(items.map((i) => i.trigger)).toContain('pre-restore');
    } finally {
      await second.close();
    }
  });
});

describe('restore in the browser host (services re-created in-process)', () => {
  const tmp = tempDir('dealercs-ops-restart-');
  let store: TestStore;

  beforeAll(async () => {
    store = await createTestStore(tmp.dir);
  });
  afterAll(() => tmp.cleanup());

  it('answers, swaps fresh services in behind the same dispatcher, and they serve the restored data', async () => {
    const services = await createRestartableServices((onRestored) =>
      createServices({ dbFile: store.file, host: 'browser', version: '0.0.0-test', validateOutput: true, onRestored }),
    );
    const seen: EventName[] = [];
    services.onEvent((name) => seen.push(name));
    try {
      await services.start();
      const admin = await signIn(services, store.staff.admin);
      const backup = data(await call(services, admin, 'backups.run', {}));
      services.handle.sqlite.prepare("update staff set display_name = '改过的名字' where username = 'agent1'").run();
      const agentName = async (ctx: CallContext) =>
        data(await call(services, ctx, 'staff.list', {})).find((s) => s.username === 'agent1')?.displayName;
      expect(await agentName(admin)).toBe('改过的名字');

      const result = data(await call(services, admin, 'backups.restore', { file: backup.file, confirm: true }));
      expect(result.restarting).toBe(true);

      // Until the new services are up, calls answer UNAVAILABLE; then the restored data is served.
      expect(failure(await call(services, admin, 'app.info', {})).code).toBe('UNAVAILABLE');
      await expect.poll(async () => (await call(services, admin, 'app.info', {})).ok, { timeout: 10_000 }).toBe(true);
      // The old session ended with the old services: sign in again on the same "host".
      expect(failure(await call(services, admin, 'backups.list', {})).code).toBe('UNAUTHENTICATED');
      const again = await signIn(services, store.staff.admin);
      expect(await agentName(again)).toBe('测试agent');
      const { items } = data(await call(services, again, 'backups.list', {}));
      expect(items.map((i) => i.trigger).sort()).toEqual(['manual', 'pre-restore']);
      // Events of the new services still reach the host's subscription.
      data(await call(services, again, 'backups.run', {}));
      expect(seen).toContain('backups.status');
    } finally {
      await services.close();
    }
  });
});
