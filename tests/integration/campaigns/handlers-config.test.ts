/**
 * Campaign settings through the channels: list, enable/disable, params merged and validated, steps
 * replaced; the configurable call outcomes, feedback and close reasons, and the 年审 rule table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../main/rpc';
import type { Services } from '../../../main/services';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { call, ok, signIn, startServices } from '../../support/services';

let services: Services;
let store: TestStore;
let cleanup: () => void;
let agent: CallContext;
let supervisor: CallContext;

beforeAll(async () => {
  const tmp = tempDir('campaign-config-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  services = await startServices(store);
  agent = await signIn(services, store.staff.agent);
  supervisor = await signIn(services, store.staff.supervisor);
});
afterAll(async () => {
  await services.close();
  cleanup();
});

describe('campaign settings channels', () => {
  it('agents cannot read or change settings', async () => {
    const r = await call(services, agent, 'campaigns.config.list', {});
    expect(r.ok ? null : r.error.code).toBe('FORBIDDEN');
  });

  it('a supervisor turns a campaign off, changes its interval and its channel plan', async () => {
    const list = await call(services, supervisor, 'campaigns.config.list', {});
    if (!list.ok) throw new Error(list.error.code);
    const m = list.data.find((c) => c.kind === 'maintenance');
    if (!m) throw new Error('no maintenance campaign');
    expect(m.steps.map((s) => [s.offsetDays, s.channel])).toEqual([[-30, 'letter'], [-7, 'sms'], [2, 'phone'], [30, 'reason_call']]);
    expect(m.params.intervalMonths).toBe(6);

    const off = await call(services, supervisor, 'campaigns.config.update', { id: m.id, enabled: false, params: { intervalMonths: 5 } });
    if (!off.ok) throw new Error(off.error.code);
    expect(off.data).toMatchObject({ enabled: false, params: { intervalMonths: 5, intervalKm: 5000 } });

    const bad = await call(services, supervisor, 'campaigns.config.update', { id: m.id, params: { intervalMonths: 0 } });
    expect(!bad.ok && bad.error.issues?.[0]?.path).toBe('params');
    const badStep = await call(services, supervisor, 'campaigns.config.update', { id: m.id, steps: [{ offsetDays: 400, channel: 'phone' }] });
    expect(!badStep.ok && badStep.error.issues?.[0]?.path).toBe('steps.0.offsetDays');
    const noSteps = await call(services, supervisor, 'campaigns.config.update', { id: m.id, steps: [] });
    expect(!noSteps.ok && noSteps.error.issues?.[0]?.path).toBe('steps');

    const steps = await call(services, supervisor, 'campaigns.config.update', { id: m.id, steps: [{ offsetDays: 5, channel: 'phone' }, { offsetDays: -10, channel: 'sms', templateId: m.steps[1]?.templateId ?? null }] });
    if (!steps.ok) throw new Error(steps.error.code);
    expect(steps.data.steps.map((s) => [s.offsetDays, s.channel])).toEqual([[-10, 'sms'], [5, 'phone']]);
    expect(steps.data.steps[0]?.templateId).toBe(m.steps[1]?.templateId ?? null);

    const gen = await call(services, supervisor, 'campaigns.generate', {});
    if (!gen.ok) throw new Error(gen.error.code);
    expect(gen.data.byCampaign.some((c) => c.kind === 'maintenance')).toBe(false);
  });

  it('a supervisor adds and switches off call outcomes; agents are offered the active ones', async () => {
    const denied = await call(services, agent, 'campaigns.config.dispositions', {});
    expect(denied.ok ? null : denied.error.code).toBe('FORBIDDEN');
    const list = ok(await call(services, supervisor, 'campaigns.config.dispositions', {}));
    expect(list.map((d) => d.code)).toEqual(['reached', 'callback', 'no_answer', 'busy', 'powered_off', 'wrong_number', 'not_owner']);
    const message = { code: 'left_message', labelZh: '已留言', labelEn: 'Left a message', reached: false, unreachable: true, hideDays: 2, callback: false, active: true };
    const both = await call(services, supervisor, 'campaigns.config.saveDisposition', { ...message, reached: true });
    expect(!both.ok && both.error.issues?.[0]).toMatchObject({ path: 'unreachable', message: { zh: '“已接通”和“联系不上”不能同时选' } });
    const badCode = await call(services, supervisor, 'campaigns.config.saveDisposition', { ...message, code: 'Left Message' });
    expect(!badCode.ok && badCode.error.issues?.[0]?.path).toBe('code');
    const badDays = await call(services, supervisor, 'campaigns.config.saveDisposition', { ...message, hideDays: -1 });
    expect(!badDays.ok && badDays.error.issues?.[0]?.path).toBe('hideDays');
    const added = ok(await call(services, supervisor, 'campaigns.config.saveDisposition', message));
    expect(added.at(-1)).toEqual(message);
    const busy = added.find((d) => d.code === 'busy');
    if (!busy) throw new Error('no busy outcome');
    ok(await call(services, supervisor, 'campaigns.config.saveDisposition', { ...busy, labelZh: '忙线', active: false }));
    const offered = ok(await call(services, agent, 'campaigns.dispositions', {}));
    expect(offered.map((d) => d.code)).toContain('left_message');
    expect(offered.map((d) => d.code)).not.toContain('busy');
    expect(offered.find((d) => d.code === 'left_message')).toMatchObject({ labelZh: '已留言', hideDays: 2, reached: false });
  });

  it('a supervisor keeps the feedback and close reason lists; the system’s own close reasons stay on', async () => {
    const feedback = ok(await call(services, supervisor, 'campaigns.config.reasons', { kind: 'feedback' }));
    expect(feedback.some((r) => r.code === 'price' && !r.automatic)).toBe(true);
    const saved = ok(await call(services, supervisor, 'campaigns.config.saveReason', { kind: 'feedback', code: 'moved_away', labelZh: '已搬离本市', labelEn: 'Moved away', active: true }));
    expect(saved.at(-1)).toEqual({ code: 'moved_away', labelZh: '已搬离本市', labelEn: 'Moved away', active: true, automatic: false });
    expect(ok(await call(services, agent, 'campaigns.reasons', { kind: 'feedback' })).map((r) => r.code)).toContain('moved_away');
    const close = ok(await call(services, supervisor, 'campaigns.config.reasons', { kind: 'close' }));
    expect(close.filter((r) => r.automatic).map((r) => r.code)).toEqual(['came_early', 'expired', 'unreachable']);
    const expired = close.find((r) => r.code === 'expired');
    if (!expired) throw new Error('no expired reason');
    const off = await call(services, supervisor, 'campaigns.config.saveReason', { kind: 'close', code: 'expired', labelZh: expired.labelZh, labelEn: expired.labelEn, active: false });
    expect(!off.ok && off.error.issues?.[0]?.path).toBe('active');
    const noLabel = await call(services, supervisor, 'campaigns.config.saveReason', { kind: 'close', code: 'duplicate', labelZh: ' ', labelEn: 'Duplicate', active: true });
    expect(!noLabel.ok && noLabel.error.issues?.[0]).toMatchObject({ path: 'labelZh', message: { zh: '名称为 1–40 个字符' } });
    ok(await call(services, supervisor, 'campaigns.config.saveReason', { kind: 'close', code: 'duplicate', labelZh: '重复任务', labelEn: 'Duplicate', active: false }));
    expect(ok(await call(services, agent, 'campaigns.reasons', { kind: 'close' })).map((r) => r.code)).not.toContain('duplicate');
  });

  it('a supervisor replaces the 年审 rule table, checked per row', async () => {
    const rules = ok(await call(services, supervisor, 'campaigns.config.inspectionRules', {}));
    expect(rules.map((r) => [r.vehicleClass, r.fromMonths, r.toMonths, r.everyMonths, r.onSite])).toEqual([
      ['private_small', 24, 120, 24, false],
      ['private_small', 132, 180, 12, true],
      ['private_small', 186, 600, 6, true],
    ]);
    const bad = await call(services, supervisor, 'campaigns.config.saveInspectionRules', { rules: [rules[0], { ...rules[1], toMonths: 100 }] });
    expect(!bad.ok && bad.error.issues?.[0]).toMatchObject({ path: 'rules.1.toMonths', message: { zh: '截止月数不能小于起始月数' } });
    const next = [{ ...rules[0], toMonths: 72, noteZh: '6 年内每 2 年' }, { vehicleClass: 'private_small', fromMonths: 84, toMonths: 600, everyMonths: 12, onSite: true, noteZh: null }];
    expect(ok(await call(services, supervisor, 'campaigns.config.saveInspectionRules', { rules: next }))).toEqual(next);
    expect(ok(await call(services, supervisor, 'campaigns.config.inspectionRules', {}))).toEqual(next);
    const denied = await call(services, agent, 'campaigns.config.saveInspectionRules', { rules: next });
    expect(denied.ok ? null : denied.error.code).toBe('FORBIDDEN');
  });
});

