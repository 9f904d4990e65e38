/** Campaign settings through the channels: list, enable/disable, params merged and validated, steps replaced. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../main/rpc';
import type { Services } from '../../../main/services';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { call, signIn, startServices } from '../../support/services';

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
});
