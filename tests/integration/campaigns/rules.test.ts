import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { createCampaigns } from '../../../main/campaigns';
import { createTemplates } from '../../../main/templates';
import { createTestStore, tempDir } from '../../support/db';
import { addCustomer, addRepairOrder, addVehicle } from './fixture';

let handle: DbHandle;
let dealerId: string;
let cleanup: () => void;
let campaigns: ReturnType<typeof createCampaigns>;

beforeEach(async () => {
  const tmp = tempDir('campaign-rules-');
  cleanup = tmp.cleanup;
  const store = await createTestStore(tmp.dir);
  dealerId = store.dealerId;
  handle = openDatabase(store.file);
  await createTemplates({ handle }).ensureDefaults(dealerId);
  campaigns = createCampaigns({ handle });
  await campaigns.config.ensureDefaults(dealerId);
});
afterEach(() => {
  handle.close();
  cleanup();
});

function tasks(subjectId: string): Record<string, { due: string; cycle: string; step: string | null; gift: string | null }> {
  const rows = handle.sqlite
    .prepare(`select c.kind, t.due_on, t.cycle_key, t.step_channel, t.gift from campaign_task t join campaign c on c.id = t.campaign_id where t.subject_id = ?`)
    .all(subjectId) as Array<{ kind: string; due_on: string; cycle_key: string; step_channel: string | null; gift: string | null }>;
  return Object.fromEntries(rows.map((r) => [r.kind, { due: r.due_on, cycle: r.cycle_key, step: r.step_channel, gift: r.gift }]));
}

describe('campaign rules on a hand-built fixture', () => {
  it('定保: last service + 6 months, clamped at month end, created when the letter step (−30) comes', async () => {
    const c = addCustomer(handle, dealerId);
    const v = addVehicle(handle, dealerId, c, { purchaseDate: '2024-01-10' });
    addRepairOrder(handle, dealerId, v, { openedOn: '2025-08-31', category: 'maintenance' });
    await campaigns.generate(dealerId, '2026-01-28');
    expect(tasks(v).maintenance).toBeUndefined();
    await campaigns.generate(dealerId, '2026-01-29');
    expect(tasks(v).maintenance).toEqual({ due: '2026-02-28', cycle: '2025-08-31', step: 'letter', gift: null });
  });

  it('定保 into a leap February: Aug 31 + 6 months = Feb 29', async () => {
    const c = addCustomer(handle, dealerId);
    const v = addVehicle(handle, dealerId, c, { purchaseDate: '2022-01-10' });
    addRepairOrder(handle, dealerId, v, { openedOn: '2023-08-31', category: 'maintenance' });
    await campaigns.generate(dealerId, '2024-02-23');
    expect(tasks(v).maintenance).toMatchObject({ due: '2024-02-29', step: 'sms' });
  });

  it('定保 by estimated km when that comes first (50 km/day, 5000 km interval)', async () => {
    const c = addCustomer(handle, dealerId);
    const v = addVehicle(handle, dealerId, c, { purchaseDate: '2024-01-10', mileageKm: 13000, mileageDate: '2025-07-31' });
    addRepairOrder(handle, dealerId, v, { openedOn: '2025-06-01', category: 'maintenance', mileageKm: 10000 });
    await campaigns.generate(dealerId, '2025-08-10');
    // 15000 km reached 2000 km / 50 km per day = 40 days after the 2025-07-31 reading.
    expect(tasks(v).maintenance).toMatchObject({ due: '2025-09-09', step: 'letter' });
  });

  it('首保: purchase + 3 months (Nov 30 → Feb 28), only for cars sold here and not yet serviced', async () => {
    const c = addCustomer(handle, dealerId);
    const here = addVehicle(handle, dealerId, c, { purchaseDate: '2025-11-30' });
    const elsewhere = addVehicle(handle, dealerId, c, { purchaseDate: '2025-11-30', purchasedHere: false });
    const serviced = addVehicle(handle, dealerId, c, { purchaseDate: '2025-11-30' });
    addRepairOrder(handle, dealerId, serviced, { openedOn: '2026-01-05', category: 'first_service' });
    await campaigns.generate(dealerId, '2026-01-29');
    expect(tasks(here).first_service).toMatchObject({ due: '2026-02-28', cycle: '2025-11-30' });
    expect(tasks(elsewhere).first_service).toBeUndefined();
    expect(tasks(serviced).first_service).toBeUndefined();
  });

  it('交强险 / 商业险: separate tasks from the purchase anniversary (Feb 29 → Feb 28), or from a known expiry', async () => {
    const c = addCustomer(handle, dealerId);
    const v = addVehicle(handle, dealerId, c, { purchaseDate: '2020-02-29' });
    const known = addVehicle(handle, dealerId, c, { purchaseDate: '2020-02-29' });
    await campaigns.config.setKnownDueDate(dealerId, known, 'insurance_compulsory', '2025-03-20');
    await campaigns.generate(dealerId, '2026-02-03');
    // 25 days before: the SMS (−45) step has passed, the first call (−30) is now due.
    expect(tasks(v).insurance_compulsory).toMatchObject({ due: '2026-02-28', cycle: '2026-02-28', step: 'phone' });
    expect(tasks(v).insurance_commercial).toMatchObject({ due: '2026-02-28' });
    // The known expiry recurs yearly from itself: 2026-03-20 is 45 days out on 2026-02-03.
    expect(tasks(known).insurance_compulsory).toMatchObject({ due: '2026-03-20' });
    expect(tasks(known).insurance_commercial).toMatchObject({ due: '2026-02-28' });
  });

  it('年审 from the editable rule table: every 2 years to year 10, then yearly', async () => {
    const c = addCustomer(handle, dealerId);
    const six = addVehicle(handle, dealerId, c, { purchaseDate: '2020-03-10' });
    const five = addVehicle(handle, dealerId, c, { purchaseDate: '2021-03-10' });
    const eleven = addVehicle(handle, dealerId, c, { purchaseDate: '2015-03-10' });
    await campaigns.generate(dealerId, '2026-02-10');
    expect(tasks(six).inspection).toMatchObject({ due: '2026-03-10' });
    expect(tasks(five).inspection).toBeUndefined();
    expect(tasks(eleven).inspection).toMatchObject({ due: '2026-03-10' });
    // A dealer edits the rules: yearly from year 5 → the five-year-old car is due too.
    await campaigns.config.replaceInspectionRules(dealerId, [{ vehicleClass: 'private_small', fromMonths: 60, toMonths: 600, everyMonths: 12, onSite: true }]);
    await campaigns.generate(dealerId, '2026-02-10');
    expect(tasks(five).inspection).toMatchObject({ due: '2026-03-10' });
  });

  it('生日: card 5 days before (across the new year), Feb 29 birthdays on Feb 28, gift by member tier, none without a birthday', async () => {
    const newYear = addCustomer(handle, dealerId, { birthday: '1990-01-02', memberTier: 'gold' });
    const leap = addCustomer(handle, dealerId, { birthday: '1988-02-29', memberTier: null });
    const none = addCustomer(handle, dealerId, { birthday: null });
    await campaigns.generate(dealerId, '2025-12-28');
    expect(tasks(newYear).birthday).toMatchObject({ due: '2026-01-02', cycle: '2026', step: 'letter', gift: '免费保养工时券' });
    await campaigns.generate(dealerId, '2026-02-23');
    expect(tasks(leap).birthday).toMatchObject({ due: '2026-02-28', cycle: '2026', gift: null });
    expect(tasks(none).birthday).toBeUndefined();
  });

  it('售后回访: 3 days after the repair order closes, not after it expired (12 more days)', async () => {
    const c = addCustomer(handle, dealerId);
    const v = addVehicle(handle, dealerId, c);
    const late = addVehicle(handle, dealerId, c);
    const ro = addRepairOrder(handle, dealerId, v, { openedOn: '2026-01-08', closedOn: '2026-01-10', category: 'repair' });
    addRepairOrder(handle, dealerId, late, { openedOn: '2025-12-01', closedOn: '2025-12-10', category: 'repair' });
    await campaigns.generate(dealerId, '2026-01-12');
    expect(tasks(v).service_followup).toBeUndefined();
    await campaigns.generate(dealerId, '2026-01-13');
    expect(tasks(v).service_followup).toMatchObject({ due: '2026-01-13', cycle: ro, step: 'phone' });
    expect(tasks(late).service_followup).toBeUndefined();
  });

  /** Backdates when the lapsing-pool campaigns were set up (created_at is UTC; the dealer's day is UTC+8). */
  function setUp(createdAt: string) {
    handle.sqlite.prepare(`update campaign set created_at = ? where dealer_id = ? and kind like 'lapsed%'`).run(createdAt, dealerId);
  }
  const taskRow = (subjectId: string, kind: string) =>
    handle.sqlite
      .prepare(`select t.due_on, t.step_on, t.step_channel, t.settle_on, t.expire_on from campaign_task t join campaign c on c.id = t.campaign_id where t.subject_id = ? and c.kind = ?`)
      .get(subjectId, kind);

  it('lapsing pools: 首保流失, 基础流失 (12–24 months) and 流失 (24+), due the day the vehicle entered when the campaign already existed', async () => {
    setUp('2020-01-01T00:00:00.000Z');
    const c = addCustomer(handle, dealerId);
    const noFirst = addVehicle(handle, dealerId, c, { purchaseDate: '2024-10-01' });
    const basic = addVehicle(handle, dealerId, c, { purchaseDate: '2018-01-01', purchasedHere: false });
    const lost = addVehicle(handle, dealerId, c, { purchaseDate: '2018-01-01', purchasedHere: false });
    addRepairOrder(handle, dealerId, basic, { openedOn: '2024-12-01', category: 'repair' });
    addRepairOrder(handle, dealerId, lost, { openedOn: '2023-06-01', category: 'maintenance' });
    await campaigns.generate(dealerId, '2026-01-29');
    expect(tasks(noFirst).lapsed_first_service).toMatchObject({ due: '2025-10-01' });
    expect(tasks(basic).lapsed_basic).toMatchObject({ due: '2025-12-01', cycle: '2024-12-01' });
    expect(tasks(basic).lapsed_lost).toBeUndefined();
    expect(tasks(lost).lapsed_lost).toMatchObject({ due: '2025-06-01' });
    expect(tasks(lost).lapsed_basic).toBeUndefined();
    // Leaving the pool is still counted from entering it: 流失 expires 3650 days after 2025-06-01, 基础流失 at 24 months.
    expect(taskRow(lost, 'lapsed_lost')).toMatchObject({ expire_on: '2035-05-30' });
    expect(taskRow(basic, 'lapsed_basic')).toMatchObject({ expire_on: '2026-12-01' });
  });

  it('lapsing pools: a vehicle already in the pool when the campaign was set up is due on the generation day, not years overdue', async () => {
    // Set up at 00:30 Beijing time on 2026-01-10 (16:30 UTC the day before).
    setUp('2026-01-09T16:30:00.000Z');
    const c = addCustomer(handle, dealerId);
    const longLost = addVehicle(handle, dealerId, c, { purchaseDate: '2015-01-01', purchasedHere: false });
    const enteredBefore = addVehicle(handle, dealerId, c, { purchaseDate: '2015-01-01', purchasedHere: false });
    const enteredAfter = addVehicle(handle, dealerId, c, { purchaseDate: '2015-01-01', purchasedHere: false });
    const enteredOnSetUp = addVehicle(handle, dealerId, c, { purchaseDate: '2015-01-01', purchasedHere: false });
    const noFirst = addVehicle(handle, dealerId, c, { purchaseDate: '2024-06-15' });
    addRepairOrder(handle, dealerId, longLost, { openedOn: '2020-03-01', category: 'repair' });
    addRepairOrder(handle, dealerId, enteredBefore, { openedOn: '2025-01-09', category: 'repair' });
    addRepairOrder(handle, dealerId, enteredAfter, { openedOn: '2025-01-20', category: 'repair' });
    addRepairOrder(handle, dealerId, enteredOnSetUp, { openedOn: '2025-01-10', category: 'repair' });

    await campaigns.generate(dealerId, '2026-01-15');
    // 流失 since 2022-03-01: the first step (SMS, day 0) is today's work, its result settles 90 days on.
    expect(taskRow(longLost, 'lapsed_lost')).toEqual({ due_on: '2026-01-15', step_on: '2026-01-15', step_channel: 'sms', settle_on: '2026-04-15', expire_on: '2032-02-27' });
    // 首保流失 since 2025-06-15 (bought here, never serviced): due today too.
    expect(taskRow(noFirst, 'lapsed_first_service')).toMatchObject({ due_on: '2026-01-15', step_on: '2026-01-15', step_channel: 'sms' });
    // 基础流失 entered on 2026-01-09, the day before the set-up: today; on the set-up day itself: that day.
    expect(taskRow(enteredBefore, 'lapsed_basic')).toMatchObject({ due_on: '2026-01-15', step_channel: 'letter' });
    expect(taskRow(enteredOnSetUp, 'lapsed_basic')).toMatchObject({ due_on: '2026-01-10' });
    // Not in the pool yet (enters 2026-01-20).
    expect(taskRow(enteredAfter, 'lapsed_basic')).toBeUndefined();

    // Later nights change nothing already generated; a vehicle entering after the set-up is due the day it entered.
    await campaigns.generate(dealerId, '2026-01-22');
    expect(taskRow(longLost, 'lapsed_lost')).toMatchObject({ due_on: '2026-01-15' });
    expect(taskRow(enteredAfter, 'lapsed_basic')).toMatchObject({ due_on: '2026-01-20', step_on: '2026-01-20', step_channel: 'letter' });
  });

  it('lapsing pools: a campaign set up after a backdated run does not pull in vehicles still outside the pool', async () => {
    const c = addCustomer(handle, dealerId);
    const inside = addVehicle(handle, dealerId, c, { purchaseDate: '2015-01-01', purchasedHere: false });
    const outside = addVehicle(handle, dealerId, c, { purchaseDate: '2015-01-01', purchasedHere: false });
    addRepairOrder(handle, dealerId, inside, { openedOn: '2024-12-01', category: 'repair' });
    addRepairOrder(handle, dealerId, outside, { openedOn: '2025-03-01', category: 'repair' });
    // The campaigns were set up today (real clock); the run is for a day long before that.
    await campaigns.generate(dealerId, '2026-01-29');
    expect(taskRow(inside, 'lapsed_basic')).toMatchObject({ due_on: '2026-01-29' });
    expect(taskRow(outside, 'lapsed_basic')).toBeUndefined();
  });

  it('购车感谢 the day after a purchase here', async () => {
    const c = addCustomer(handle, dealerId);
    const v = addVehicle(handle, dealerId, c, { purchaseDate: '2026-01-27' });
    await campaigns.generate(dealerId, '2026-01-29');
    expect(tasks(v).purchase_thanks).toMatchObject({ due: '2026-01-28', step: 'letter' });
  });
});
