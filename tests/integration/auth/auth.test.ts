import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Services } from '../../../main/services';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { call, newContext, signIn, startServices } from '../../support/services';

let scratch: ReturnType<typeof tempDir>;
let store: TestStore;
let services: Services;

beforeEach(async () => {
  scratch = tempDir();
  store = await createTestStore(scratch.dir);
  services = await startServices(store);
});
afterEach(async () => {
  await services.close();
  scratch.cleanup();
});

describe('signing in', () => {
  it('gives a session with the staff member, role and dealer', async () => {
    const ctx = newContext();
    const result = await call(services, ctx, 'auth.login', { username: 'AGENT1', password: 'agent-secret' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.staff).toMatchObject({ username: 'agent1', role: 'agent' });
    expect(result.data.dealer.name).toBe('测试本田 4S 店');
    expect(result.data.token.length).toBeGreaterThanOrEqual(32);
    expect(ctx.staff?.role).toBe('agent');
  });

  it('refuses a wrong password and an unknown user with the same bilingual message', async () => {
    const wrong = await call(services, newContext(), 'auth.login', { username: 'agent1', password: 'nope' });
    const unknown = await call(services, newContext(), 'auth.login', { username: 'ghost', password: 'nope' });
    expect(wrong).toEqual(unknown);
    expect(wrong.ok).toBe(false);
    if (wrong.ok) return;
    expect(wrong.error.code).toBe('BAD_CREDENTIALS');
    expect(wrong.error.message.zh).toContain('密码');
    expect(JSON.stringify(wrong)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('locks a username after five wrong passwords, even for the right one', async () => {
    for (let i = 0; i < 5; i++) await call(services, newContext(), 'auth.login', { username: 'agent1', password: `bad${i}` });
    const locked = await call(services, newContext(), 'auth.login', { username: 'agent1', password: 'agent-secret' });
    expect(locked.ok ? null : locked.error.code).toBe('RATE_LIMITED');
    const other = await call(services, newContext(), 'auth.login', { username: 'admin1', password: 'admin-secret' });
    expect(other.ok).toBe(true);
  });

  it('reports empty fields at the field', async () => {
    const result = await call(services, newContext(), 'auth.login', { username: ' ', password: '' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.issues?.map((i) => i.path).sort()).toEqual(['password', 'username']);
    expect(result.error.issues?.[0]?.message.zh).toBe('此项必填');
  });

  it('resumes a session on a new connection (page reload) and ends it on sign-out', async () => {
    const first = newContext();
    const login = await call(services, first, 'auth.login', { username: 'admin1', password: 'admin-secret' });
    if (!login.ok) throw new Error('login failed');
    const reloaded = newContext();
    const resumed = await call(services, reloaded, 'auth.resume', { token: login.data.token });
    expect(resumed.ok && resumed.data.staff.username).toBe('admin1');
    expect((await call(services, reloaded, 'staff.list', {})).ok).toBe(true);

    await call(services, reloaded, 'auth.logout', {});
    const after = await call(services, first, 'staff.list', {});
    expect(after.ok ? null : after.error.code).toBe('UNAUTHENTICATED');
    const again = await call(services, newContext(), 'auth.resume', { token: login.data.token });
    expect(again.ok ? null : again.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('roles are enforced by the host', () => {
  it('keeps agents out of staff administration and supervisors out of account changes', async () => {
    const agent = await signIn(services, store.staff.agent);
    const supervisor = await signIn(services, store.staff.supervisor);
    const list = await call(services, agent, 'staff.list', {});
    expect(list.ok ? null : list.error.code).toBe('FORBIDDEN');
    expect((await call(services, supervisor, 'staff.list', {})).ok).toBe(true);
    const create = await call(services, supervisor, 'staff.create', {
      username: 'newbie',
      displayName: '新人',
      role: 'agent',
      password: 'longenough',
    });
    expect(create.ok ? null : create.error.code).toBe('FORBIDDEN');
  });

  it('answers anonymous calls to protected channels with UNAUTHENTICATED', async () => {
    const result = await call(services, newContext(), 'customers.search', { q: '张' });
    expect(result.ok ? null : result.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('staff administration', () => {
  it('creates an account that can sign in, and rejects a duplicate username at the field', async () => {
    const admin = await signIn(services, store.staff.admin);
    const created = await call(services, admin, 'staff.create', {
      username: 'zhang.wei',
      displayName: '张伟',
      role: 'agent',
      password: 'password-1',
    });
    expect(created.ok).toBe(true);
    const login = await call(services, newContext(), 'auth.login', { username: 'zhang.wei', password: 'password-1' });
    expect(login.ok).toBe(true);

    const dup = await call(services, admin, 'staff.create', {
      username: 'Zhang.Wei',
      displayName: '另一个张伟',
      role: 'agent',
      password: 'password-2',
    });
    expect(dup.ok).toBe(false);
    if (dup.ok) return;
    expect(dup.error.code).toBe('DUPLICATE');
    expect(dup.error.issues).toEqual([{ path: 'username', message: { zh: '该用户名已被使用', en: 'This username is already taken' } }]);
    const list = await call(services, admin, 'staff.list', {});
    expect(list.ok && list.data.filter((s) => s.username.toLowerCase() === 'zhang.wei')).toHaveLength(1);
  });

  it('validates new accounts field by field', async () => {
    const admin = await signIn(services, store.staff.admin);
    const bad = await call(services, admin, 'staff.create', { username: 'x', displayName: '', role: 'boss', password: 'short' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.issues?.map((i) => i.path).sort()).toEqual(['displayName', 'password', 'role', 'username']);
  });

  it('signs a deactivated member out at once and refuses their password afterwards', async () => {
    const admin = await signIn(services, store.staff.admin);
    const agent = await signIn(services, store.staff.agent);
    const off = await call(services, admin, 'staff.setActive', { id: store.staff.agent.id, active: false });
    expect(off.ok).toBe(true);
    const next = await call(services, agent, 'customers.search', { q: '张' });
    expect(next.ok ? null : next.error.code).toBe('UNAUTHENTICATED');
    const login = await call(services, newContext(), 'auth.login', { username: 'agent1', password: 'agent-secret' });
    expect(login.ok ? null : login.error.code).toBe('BAD_CREDENTIALS');
  });

  it('does not let an admin lock themselves out', async () => {
    const admin = await signIn(services, store.staff.admin);
    const result = await call(services, admin, 'staff.setActive', { id: store.staff.admin.id, active: false });
    expect(result.ok ? null : result.error.issues?.[0]?.path).toBe('id');
  });
});

describe('the dispatcher boundary', () => {
  it('names unknown channels and never leaks internals', async () => {
    const result = await services.dispatcher.dispatch('customers.drop', {}, newContext());
    expect(result).toEqual({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: { zh: '未知的请求', en: 'Unknown request' } } });
    const proto = await services.dispatcher.dispatch('__proto__', {}, newContext());
    expect(proto.ok ? null : proto.error.code).toBe('UNKNOWN_CHANNEL');
  });

  it('rejects extra fields rather than ignoring them', async () => {
    const result = await call(services, newContext(), 'auth.login', { username: 'a', password: 'b', role: 'admin' });
    expect(result.ok ? null : result.error.code).toBe('VALIDATION');
  });
});
