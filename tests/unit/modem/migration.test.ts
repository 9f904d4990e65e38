import { afterEach, describe, expect, it } from 'vitest';
import { newId, nowIso } from '../../../db/ids';
import { createTestDb, type TestDb } from './db';

let t: TestDb | null = null;
afterEach(() => {
  t?.cleanup();
  t = null;
});

describe('migration 0003-modem', () => {
  it('creates the modem tables with their state checks and the idempotency key', async () => {
    t = await createTestDb();
    const tables = t.handle.sqlite.prepare(`select name from sqlite_master where type = 'table' order by name`).all() as Array<{ name: string }>;
    const names = tables.map((r) => r.name);
    for (const n of ['sms_message', 'sms_part', 'sms_inbox', 'sms_inbox_part', 'sms_fingerprint', 'call_log', 'contact_preference', 'modem_state']) {
      expect(names).toContain(n);
    }
    const at = nowIso();
    const row = { id: newId(), dealer_id: t.dealerId, customer_id: null, recipient: '13800000000', body: 'x', kind: 'service' as const, encoding: 'gsm7' as const, part_count: 1, concat_ref: 0, state: 'queued' as const, staff_id: null, origin: 'manual' as const, client_ref: 'k1', error_code: null, error_text: null, sent_at: null, delivered_at: null, created_at: at, updated_at: at };
    await t.handle.db.insertInto('sms_message').values(row).execute();
    await expect(t.handle.db.insertInto('sms_message').values({ ...row, id: newId() }).execute()).rejects.toThrow(/UNIQUE/);
    await expect(
      t.handle.db.insertInto('sms_message').values({ ...row, id: newId(), client_ref: null, state: 'lost' as never }).execute(),
    ).rejects.toThrow(/CHECK/);
  });
});
