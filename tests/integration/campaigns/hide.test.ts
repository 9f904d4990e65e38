/**
 * "Call outcomes … are configurable dispositions; each can hide the vehicle from that campaign for N days"
 * (issue 5): the hide holds for the vehicle in that campaign — across the next due cycle's task — and for
 * nothing else. Fixed clocks throughout; 号码错误 (wrong_number) hides for 7 days by default.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { migrateToLatest } from '../../../db/migrate';
import { createCampaigns, type Campaigns } from '../../../main/campaigns';
import { createTemplates } from '../../../main/templates';
import { createTestStore, tempDir } from '../../support/db';
import { addCustomer, addRepairOrder, addVehicle } from './fixture';

let handle: DbHandle;
let dealerId: string;
let agent: string;
let cleanup: () => void;
let campaigns: Campaigns;

beforeEach(async () => {
  const tmp = tempDir('campaign-hide-');
  cleanup = tmp.cleanup;
  const store = await createTestStore(tmp.dir);
  dealerId = store.dealerId;
  agent = store.staff.agent.id;
  handle = openDatabase(store.file);
  await createTemplates({ handle }).ensureDefaults(dealerId);
  campaigns = createCampaigns({ handle });
  await campaigns.config.ensureDefaults(dealerId);
});
afterEach(() => {
  handle.close();
  cleanup();
});

const at = (iso: string) => new Date(iso);

/**
 * A car with two campaigns at once: 定保 (last service 2025-08-31: due 02-28, call step 03-02) and 售后回访
 * for a repair order closed 2026-03-01 (call on 03-04). A second repair order closing 03-05 is the
 * follow-up campaign's next cycle (call on 03-08). No purchase date, so no insurance or inspection tasks.
 */
function car() {
  const c = addCustomer(handle, dealerId);
  const v = addVehicle(handle, dealerId, c, { purchaseDate: null, purchasedHere: false });
  addRepairOrder(handle, dealerId, v, { openedOn: '2025-08-31', category: 'maintenance' });
  addRepairOrder(handle, dealerId, v, { openedOn: '2026-03-01', category: 'repair' });
  return { c, v };
}

function taskOf(vehicleId: string, kind: string, cycleKey?: string): { id: string; hidden_until: string | null } {
  const rows = handle.sqlite
    .prepare(`select t.id, t.hidden_until, t.cycle_key from campaign_task t join campaign c on c.id = t.campaign_id where t.vehicle_id = ? and c.kind = ? order by t.due_on`)
    .all(vehicleId, kind) as Array<{ id: string; hidden_until: string | null; cycle_key: string }>;
  const row = cycleKey ? rows.find((r) => r.cycle_key === cycleKey) : rows[0];
  if (!row) throw new Error(`no ${kind} task for ${vehicleId}`);
  return { id: row.id, hidden_until: row.hidden_until };
}

async function queueOn(day: string): Promise<Array<{ vehicleId: string | null; campaignKind: string; taskId: string }>> {
  const items = await campaigns.work.queue(dealerId, agent, day, at(`${day}T02:00:00Z`));
  return items.map((i) => ({ vehicleId: i.vehicleId, campaignKind: i.campaignKind, taskId: i.taskId }));
}

describe('a call outcome hides the vehicle from that campaign', () => {
  it('hides the next due cycle of the same campaign until the date, and shows it again on that day', async () => {
    const { v } = car();
    await campaigns.generate(dealerId, '2026-03-04');
    const first = taskOf(v, 'service_followup');
    await campaigns.work.recordCall({ dealerId, taskId: first.id, staffId: agent, disposition: 'wrong_number', now: at('2026-03-04T03:00:00Z'), today: '2026-03-04' });
    expect(handle.sqlite.prepare('select hidden_until, task_id from campaign_hide where subject_id = ?').all(v)).toEqual([{ hidden_until: '2026-03-11', task_id: first.id }]);

    // The car comes in again; three days after that repair order closes, its follow-up is the campaign's next cycle.
    const ro2 = addRepairOrder(handle, dealerId, v, { openedOn: '2026-03-05', category: 'repair' });
    await campaigns.generate(dealerId, '2026-03-08');
    const second = taskOf(v, 'service_followup', ro2);
    expect(second.id).not.toBe(first.id);
    // Generation writes the new task hidden, with the date the outcome set for the car.
    expect(second.hidden_until).toBe('2026-03-11');

    for (const day of ['2026-03-08', '2026-03-10']) {
      expect((await queueOn(day)).filter((q) => q.campaignKind === 'service_followup')).toEqual([]);
      expect(await campaigns.work.next(dealerId, agent, day, at(`${day}T02:00:00Z`))).toMatchObject({ campaignKind: 'maintenance' });
      await campaigns.work.release(dealerId, taskOf(v, 'maintenance').id, agent);
    }
    // Seven days after the call both follow-ups are back.
    const back = (await queueOn('2026-03-11')).filter((q) => q.campaignKind === 'service_followup').map((q) => q.taskId);
    expect(back.sort()).toEqual([first.id, second.id].sort());
  });

  it('leaves the car in its other campaigns, and other cars in this one', async () => {
    const a = car();
    const b = car();
    await campaigns.generate(dealerId, '2026-03-04');
    const queue = await queueOn('2026-03-04');
    expect(queue).toHaveLength(4);
    await campaigns.work.recordCall({ dealerId, taskId: taskOf(a.v, 'service_followup').id, staffId: agent, disposition: 'wrong_number', now: at('2026-03-04T03:00:00Z'), today: '2026-03-04' });

    const after = await queueOn('2026-03-05');
    expect(after.map((q) => `${q.vehicleId === a.v ? 'a' : q.vehicleId === b.v ? 'b' : '?'}:${q.campaignKind}`).sort()).toEqual(['a:maintenance', 'b:maintenance', 'b:service_followup']);
    // The maintenance task of the same car was not touched by the outcome.
    expect(taskOf(a.v, 'maintenance').hidden_until).toBeNull();
  });

  it('a later outcome decides: a reached call or a callback lifts the hide, another hiding outcome moves it', async () => {
    const { v } = car();
    await campaigns.generate(dealerId, '2026-03-04');
    const first = taskOf(v, 'service_followup');
    const call = (disposition: string, day: string, extra: { callbackAt?: string } = {}) =>
      campaigns.work.recordCall({ dealerId, taskId: first.id, staffId: agent, disposition, now: at(`${day}T03:00:00Z`), today: day, ...extra });
    const hide = () => handle.sqlite.prepare('select hidden_until from campaign_hide where subject_id = ?').pluck().all(v);

    await call('wrong_number', '2026-03-04');
    expect(hide()).toEqual(['2026-03-11']);
    // 无人接听 hides for a day: the car's date is now 03-06, not 03-11.
    await call('no_answer', '2026-03-05');
    expect(hide()).toEqual(['2026-03-06']);
    // 占线 hides nothing and changes nothing.
    await call('busy', '2026-03-06');
    expect(hide()).toEqual(['2026-03-06']);
    await call('callback', '2026-03-06', { callbackAt: '2026-03-06T08:00:00.000Z' });
    expect(hide()).toEqual([]);

    const ro2 = addRepairOrder(handle, dealerId, v, { openedOn: '2026-03-05', category: 'repair' });
    await campaigns.generate(dealerId, '2026-03-08');
    expect(taskOf(v, 'service_followup', ro2).hidden_until).toBeNull();
    expect((await queueOn('2026-03-08')).filter((q) => q.campaignKind === 'service_followup').map((q) => q.taskId)).toContain(taskOf(v, 'service_followup', ro2).id);
  });
});

describe('migration 0022-campaign-hide', () => {
  it('carries the hide of tasks hidden before the upgrade over to their vehicle (latest date per campaign and vehicle)', async () => {
    const tmp = tempDir('campaign-hide-migration-');
    const old = openDatabase(`${tmp.dir}/old.sqlite`);
    try {
      await migrateToLatest(old.db, '0018-campaign-sms-touch');
      const AT = '2026-03-01T00:00:00.000Z';
      const run = (q: string, ...args: unknown[]) => old.sqlite.prepare(q).run(...args);
      run(`insert into dealer (id, code, name, brand, created_at, updated_at) values ('01J00000000000000000000000', 'OLD', '老店', 'Honda', ?, ?)`, AT, AT);
      const dealer = '01J00000000000000000000000';
      const c = addCustomer(old, dealer);
      const v = addVehicle(old, dealer, c);
      run(`insert into campaign (id, dealer_id, kind, name_zh, name_en, purpose, params, created_at, updated_at) values ('01J00000000000000000000C01', ?, 'service_followup', '售后回访', 'Follow-up', 'survey', '{}', ?, ?)`, dealer, AT, AT);
      const task = (id: string, cycle: string, hidden: string | null) =>
        run(`insert into campaign_task (id, dealer_id, campaign_id, subject_id, vehicle_id, customer_id, cycle_key, due_on, window_from, settle_on, expire_on, hidden_until, created_on, created_at, updated_at)
          values (?, ?, '01J00000000000000000000C01', ?, ?, ?, ?, '2026-03-04', '2026-03-01', '2026-04-04', '2026-03-16', ?, '2026-03-04', ?, ?)`, id, dealer, v, v, c, cycle, hidden, AT, AT);
      task('01J00000000000000000000T01', 'ro-1', '2026-03-11');
      task('01J00000000000000000000T02', 'ro-2', '2026-03-06');
      task('01J00000000000000000000T03', 'ro-3', null);

      await migrateToLatest(old.db);
      expect(old.sqlite.prepare('select campaign_id, subject_id, dealer_id, hidden_until, task_id from campaign_hide').all()).toEqual([
        { campaign_id: '01J00000000000000000000C01', subject_id: v, dealer_id: dealer, hidden_until: '2026-03-11', task_id: '01J00000000000000000000T01' },
      ]);
      expect(old.sqlite.pragma('foreign_key_check')).toEqual([]);
    } finally {
      old.close();
      tmp.cleanup();
    }
  });
});
