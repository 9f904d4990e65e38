/**
 * A queued SMS the outbox can never send (a text over the 255 parts an SMS can be cut into) is dropped by
 * the hand-off with its reason, like a refused one, instead of going back to the head of the queue and
 * stopping every campaign SMS behind it; its tasks were not reminded, and 生成与分配's skips card says so.
 * Through the real composition root for the skips card; the modem's outbox without a line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, createCampaigns, createSmsHandoff, type Campaigns } from '../../../main/campaigns';
import { timeline } from '../../../main/customers/timeline';
import { createModem, type Modem } from '../../../main/modem';
import type { CallContext } from '../../../main/rpc';
import type { Services } from '../../../main/services';
import { createTemplates } from '../../../main/templates';
import { createTestStore, tempDir, type TestStore } from '../../support/db';
import { call, signIn, startServices } from '../../support/services';
import { addCustomer, addRepairOrder, addVehicle } from './fixture';

let services: Services;
let store: TestStore;
let cleanup: () => void;
let supervisor: CallContext;
let campaigns: Campaigns;
let modem: Modem;
const NOW = new Date('2026-02-21T02:00:00Z'); // 10:00 in Beijing on the SMS step's day

beforeAll(async () => {
  const tmp = tempDir('campaign-sms-unsendable-');
  cleanup = tmp.cleanup;
  store = await createTestStore(tmp.dir);
  services = await startServices(store);
  supervisor = await signIn(services, store.staff.supervisor);
  await createTemplates({ handle: services.handle }).ensureDefaults(store.dealerId);
  campaigns = createCampaigns({ handle: services.handle });
  await campaigns.config.ensureDefaults(store.dealerId);
  modem = createModem({ handle: services.handle, emit: () => undefined, dealerId: store.dealerId, config: { port: '' }, clock: () => NOW.getTime() });
});
afterAll(async () => {
  await modem.stop();
  await services.close();
  cleanup();
});

function dueCar(name: string, mobile: string) {
  const c = addCustomer(services.handle, store.dealerId, { name, mobile });
  const v = addVehicle(services.handle, store.dealerId, c, { purchaseDate: null, purchasedHere: false });
  addRepairOrder(services.handle, store.dealerId, v, { openedOn: addMonths('2026-02-28', -6), category: 'maintenance' });
  return { c, v };
}

describe('an SMS the outbox can never send', () => {
  it('is dropped with its reason, the rows behind it still go, and the skips card counts its task', async () => {
    const sqlite = services.handle.sqlite;
    // The only car of a customer whose 定保 SMS is written (by mistake) far past what an SMS can carry.
    const huge = dueCar('张伟', '13900000001');
    const fine = dueCar('王芳', '13900000002');
    sqlite.prepare(`update message_template set body = ? where dealer_id = ? and code = 'sms.maintenance'`).run(`{{称呼}}{{车牌}}${'保养提醒'.repeat(4400)}`, store.dealerId);
    await campaigns.runDaily(store.dealerId, '2026-02-21');
    sqlite.prepare(`update message_template set body = '{{称呼}}，您的爱车{{车牌}}该保养了' where dealer_id = ? and code = 'sms.maintenance'`).run(store.dealerId);
    // The over-long one is first in line.
    sqlite.prepare(`update campaign_sms set created_at = '2026-02-20T00:00:00.000Z' where customer_id = ?`).run(huge.c);
    sqlite.prepare(`update campaign_sms set text = '王女士，您的爱车该保养了' where customer_id = ?`).run(fine.c);

    const handoff = createSmsHandoff({ handle: services.handle, dealerId: () => store.dealerId, outbox: () => modem, now: () => NOW });
    expect(await handoff.run()).toEqual({ handedOff: 1, deferred: 0, dropped: { unsendable: 1 } });
    expect(sqlite.prepare(`select customer_id, handoff_error from campaign_sms order by created_at`).all()).toEqual([
      { customer_id: huge.c, handoff_error: 'unsendable' },
      { customer_id: fine.c, handoff_error: null },
    ]);
    expect(sqlite.prepare(`select customer_id from sms_message`).pluck().all()).toEqual([fine.c]);
    // Nothing left to retry: the next run has nothing to do.
    expect(await handoff.run()).toEqual({ handedOff: 0, deferred: 0, dropped: {} });

    // The customer's timeline says why it did not go.
    const page = await timeline(services.handle.db, store.dealerId, { customerId: huge.c, cursor: null, limit: 10 });
    expect(page.items.find((i) => i.kind === 'sms_out')?.sms).toMatchObject({ state: 'failed', reason: { zh: '短信过长，无法发送' } });

    // Its task was not reminded: the skips card lists it under the SMS step, with the reason.
    const skips = await call(services, supervisor, 'campaigns.skips', { day: '2026-02-21' });
    if (!skips.ok) throw new Error(skips.error.code);
    expect(skips.data.steps.map((s) => [s.kind, s.channel, s.reason, s.count])).toEqual([['maintenance', 'sms', 'sms_unsendable', 1]]);
    expect(sqlite.prepare(`select last_touch_channel from campaign_task where vehicle_id = ?`).pluck().get(huge.v)).toBeNull();
  });
});
