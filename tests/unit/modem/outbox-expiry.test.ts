/**
 * The outbox's expiry, on the store directly: a message handed over with an expiry is picked while it
 * is still useful, never after (the modem was stalled meanwhile), and then fails as expired with a
 * reason instead of waiting to go out late. A message already begun finishes, and one without an
 * expiry waits as long as it takes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as outbox from '../../../main/modem/store/outbox';
import { createTestDb, type TestDb } from './db';

const policy: outbox.OutboxPolicy = { perCustomerDailyCap: 10, utcOffsetMinutes: 480, statusReport: false, validityMinutes: 1440 };
let t: TestDb;
let now = Date.parse('2026-05-10T01:00:00Z');
let ctx: outbox.StoreContext;

beforeEach(async () => {
  t = await createTestDb();
  now = Date.parse('2026-05-10T01:00:00Z');
  ctx = { handle: t.handle, dealerId: t.dealerId, now: () => now };
});
afterEach(() => t.cleanup());

const message = (id: string) =>
  t.handle.sqlite.prepare(`select state, error_text, expires_at from sms_message where id = ?`).get(id) as { state: string; error_text: string | null; expires_at: string | null };
const parts = (id: string) => t.handle.sqlite.prepare(`select state from sms_part where message_id = ? order by seq`).pluck().all(id);

describe('outbox expiry', () => {
  it('keeps the expiry, picks the message before it and fails it unsent after it', async () => {
    const expiresAt = '2026-05-10T02:00:00.000Z';
    const m = await outbox.enqueue(ctx, policy, { customerId: null, recipient: '13800138000', body: '您预约的保养今天 10:00 开始', kind: 'service', origin: 'manual', staffId: null, clientRef: 'appt:1', expiresAt });
    expect(message(m.id)).toMatchObject({ state: 'queued', expires_at: expiresAt });
    expect((await outbox.nextDue(ctx, true))?.message_id).toBe(m.id);
    expect(outbox.expireOverdue(ctx)).toEqual([]);

    // The modem stalls past the appointment's start: the message is not offered again.
    now = Date.parse(expiresAt);
    expect(await outbox.nextDue(ctx, true)).toBeNull();
    expect(outbox.expireOverdue(ctx)).toEqual([m.id]);
    expect(message(m.id)).toMatchObject({ state: 'failed', error_text: outbox.EXPIRED_TEXT });
    expect(parts(m.id)).toEqual(['failed']);
    expect(outbox.expireOverdue(ctx)).toEqual([]);
  });

  it('lets a message already begun finish and one without an expiry wait', async () => {
    const long = '很'.repeat(100);
    const begun = await outbox.enqueue(ctx, policy, { customerId: null, recipient: '13800138001', body: long, kind: 'service', origin: 'manual', staffId: null, clientRef: 'a', expiresAt: '2026-05-10T01:30:00.000Z' });
    const open = await outbox.enqueue(ctx, policy, { customerId: null, recipient: '13800138002', body: '你好', kind: 'service', origin: 'manual', staffId: null, clientRef: 'b' });
    const first = await outbox.nextDue(ctx, true);
    if (!first) throw new Error('nothing due');
    await outbox.markSending(ctx, first);
    await outbox.markSent(ctx, first.id, 1);
    now = Date.parse('2026-05-11T01:00:00Z');
    expect(outbox.expireOverdue(ctx)).toEqual([]);
    const next = await outbox.nextDue(ctx, true);
    expect([next?.message_id, next?.seq]).toEqual([begun.id, 2]);
    expect(message(open.id)).toMatchObject({ state: 'queued', expires_at: null });
  });
});
