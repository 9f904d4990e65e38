/**
 * Models are stored by English name (Accord); the templates are Chinese, so every merged SMS and
 * letter of a campaign says 雅阁. The task DTO keeps the stored name and the screens pick the UI's
 * language for the list and the call script.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { createCampaigns, type Campaigns } from '../../../main/campaigns';
import { createTemplates } from '../../../main/templates';
import { MODEL_NAMES_ZH } from '../../../preload/vocabulary';
import { modelName } from '../../../renderer/features/campaigns/columns';
import { createTestStore, tempDir } from '../../support/db';
import { addCustomer, addRepairOrder, addVehicle } from './fixture';

let handle: DbHandle;
let dealerId: string;
let cleanup: () => void;
let campaigns: Campaigns;
let agent: string;

beforeEach(async () => {
  const tmp = tempDir('campaign-models-');
  cleanup = tmp.cleanup;
  const store = await createTestStore(tmp.dir);
  dealerId = store.dealerId;
  agent = store.staff.agent.id;
  handle = openDatabase(store.file);
  await createTemplates({ handle }).ensureDefaults(dealerId);
  campaigns = createCampaigns({ handle, modelNamesZh: MODEL_NAMES_ZH });
  await campaigns.config.ensureDefaults(dealerId);
});
afterEach(() => {
  handle.close();
  cleanup();
});

const taskId = (vehicleId: string, kind: string) =>
  String(handle.sqlite.prepare(`select t.id from campaign_task t join campaign c on c.id = t.campaign_id where t.vehicle_id = ? and c.kind = ?`).pluck().get(vehicleId, kind));

describe('model names in campaign merge fields', () => {
  it('a 定保 letter names the car 雅阁, not Accord', async () => {
    const c = addCustomer(handle, dealerId, { name: '王芳', gender: 'F', address: '广州市天河路 1 号' });
    const v = addVehicle(handle, dealerId, c, { purchaseDate: null, purchasedHere: false, model: 'Accord' });
    addRepairOrder(handle, dealerId, v, { openedOn: '2025-08-31', category: 'maintenance' });
    await campaigns.runDaily(dealerId, '2026-01-29');
    const doc = await campaigns.letters.render(dealerId, [taskId(v, 'maintenance')], '2026-01-29');
    expect(doc.html).toContain('雅阁');
    expect(doc.html).not.toContain('Accord');
  });

  it('a 首保 SMS step names the car 飞度, and a model missing from the vocabulary is merged as stored', async () => {
    const c = addCustomer(handle, dealerId, { name: '李强', mobile: '13912345678' });
    addVehicle(handle, dealerId, c, { purchaseDate: '2025-11-30', model: 'Fit' });
    const other = addCustomer(handle, dealerId, { name: '赵敏', mobile: '13912345679' });
    addVehicle(handle, dealerId, other, { purchaseDate: '2025-11-30', model: 'Prelude' });
    // Due 2026-02-28; the SMS step (−7) comes on 02-21.
    const day = await campaigns.runDaily(dealerId, '2026-02-21');
    expect(day.sms.queued).toBeGreaterThanOrEqual(2);
    const text = (customerId: string) =>
      handle.sqlite.prepare(`select text from campaign_sms where customer_id = ? and text like '%首次保养%'`).pluck().get(customerId) as string;
    expect(text(c)).toContain('您的飞度（');
    expect(text(other)).toContain('您的Prelude（');
  });

  it('the queue keeps the stored name; a Chinese desk shows 雅阁 in the list and the script, an English one Accord', async () => {
    const c = addCustomer(handle, dealerId);
    const v = addVehicle(handle, dealerId, c, { purchaseDate: null, purchasedHere: false, model: 'Accord' });
    addRepairOrder(handle, dealerId, v, { openedOn: '2025-08-31', category: 'maintenance' });
    await campaigns.runDaily(dealerId, '2026-03-03');
    const [item] = await campaigns.work.queue(dealerId, agent, '2026-03-03', new Date('2026-03-03T02:00:00Z'));
    expect(item?.model).toBe('Accord');
    expect(modelName('Accord', 'zh-CN')).toBe('雅阁');
    expect(modelName('Accord', 'en')).toBe('Accord');
    expect(modelName('Prelude', 'zh-CN')).toBe('Prelude');
    expect(modelName(null, 'zh-CN')).toBeNull();
  });
});
