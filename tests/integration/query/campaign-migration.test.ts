import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/connection';
import { newId } from '../../../db/ids';
import { migrateToLatest } from '../../../db/migrate';
import { tempDir } from '../../support/db';
import { insertFixture } from './fixture';

const AT = '2026-03-15T00:00:00.000Z';

describe('migration 0011-query-campaigns (campaign rebuilt for ad-hoc kinds, query_campaign)', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('keeps campaigns, steps and tasks across the rebuild and enforces the new rules', async () => {
    const handle = openDatabase(path.join(tmp.dir, 'old.sqlite'));
    try {
      await migrateToLatest(handle.db, '0010-appointments');
      const run = (q: string, ...args: unknown[]) => handle.sqlite.prepare(q).run(...args);
      const dealerId = newId();
      run(`insert into dealer (id, code, name, brand, city, created_at, updated_at) values (?, 'T1', '测试店', 'Honda', '广州', ?, ?)`, dealerId, AT, AT);
      const staffId = newId();
      run(`insert into staff (id, dealer_id, username, display_name, role, password_hash, created_at, updated_at) values (?, ?, 'sup', '主管', 'supervisor', 'x', ?, ?)`, staffId, dealerId, AT, AT);
      const customerId = insertFixture(handle, dealerId, [{ key: 'c', mobile: '13800138000' }]).get('c');
      const campaignId = newId();
      run(`insert into campaign (id, dealer_id, kind, name_zh, name_en, purpose, enabled, priority, params, created_at, updated_at)
        values (?, ?, 'maintenance', '定期保养招揽', 'Maintenance', 'maintenance', 1, 50, '{}', ?, ?)`, campaignId, dealerId, AT, AT);
      run(`insert into campaign_step (id, dealer_id, campaign_id, seq, offset_days, channel, created_at, updated_at) values (?, ?, ?, 0, 0, 'phone', ?, ?)`, newId(), dealerId, campaignId, AT, AT);
      const taskId = newId();
      run(`insert into campaign_task (id, dealer_id, campaign_id, subject_id, customer_id, cycle_key, due_on, window_from, settle_on, expire_on, created_on, created_at, updated_at)
        values (?, ?, ?, ?, ?, 'k', '2026-03-15', '2026-03-15', '2026-04-15', '2026-04-30', '2026-03-15', ?, ?)`, taskId, dealerId, campaignId, customerId, customerId, AT, AT);

      await migrateToLatest(handle.db);

      expect(handle.sqlite.prepare('select id, kind, priority from campaign').all()).toEqual([{ id: campaignId, kind: 'maintenance', priority: 50 }]);
      expect(handle.sqlite.prepare('select campaign_id from campaign_task where id = ?').get(taskId)).toEqual({ campaign_id: campaignId });
      expect(handle.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(handle.sqlite.pragma('foreign_key_check')).toEqual([]);

      const insertCampaign = (kind: string) =>
        run(`insert into campaign (id, dealer_id, kind, name_zh, name_en, purpose, params, created_at, updated_at) values (?, ?, ?, 'x', 'x', 'marketing', '{}', ?, ?)`, newId(), dealerId, kind, AT, AT);
      // Built-in kinds stay one per dealer; ad-hoc ones are as many as the supervisors make.
      expect(() => insertCampaign('maintenance')).toThrow(/UNIQUE/);
      insertCampaign('adhoc');
      insertCampaign('adhoc');
      expect(() => insertCampaign('made_up')).toThrow(/CHECK/);
      // References into the rebuilt table are still enforced.
      expect(() =>
        run(`insert into campaign_step (id, dealer_id, campaign_id, seq, offset_days, channel, created_at, updated_at) values (?, ?, ?, 0, 0, 'phone', ?, ?)`, newId(), dealerId, newId(), AT, AT),
      ).toThrow(/FOREIGN KEY/);

      const insertRequest = (requestId: string) =>
        run(`insert into query_campaign (id, dealer_id, request_id, campaign_id, channel, tree, sentence_zh, result, created_by, created_at)
          values (?, ?, ?, ?, 'phone', '{"combinator":"and","rules":[]}', '全部客户', '{}', ?, ?)`, newId(), dealerId, requestId, campaignId, staffId, AT);
      insertRequest('req-000000001');
      expect(() => insertRequest('req-000000001')).toThrow(/UNIQUE/);
      expect(() => insertRequest('short')).toThrow(/CHECK/);
    } finally {
      handle.close();
    }
  });
});
