import { describe, expect, it } from 'vitest';
import { normalizeRecord, parseDate } from '../../../main/dms/normalize';
import { contentHash } from '../../../main/dms/hash';
import { backoffDelay, defaultRetryPolicy } from '../../../main/dms/rest/retry';

describe('dates as DMS exports write them', () => {
  it.each([
    ['2024-01-05', '2024-01-05'],
    ['2024/1/5', '2024-01-05'],
    ['2024.1.5', '2024-01-05'],
    ['20240105', '2024-01-05'],
    ['2024年1月5日', '2024-01-05'],
    ['2024 年 1 月 5 日', '2024-01-05'],
    ['2024-01-05 13:45:00', '2024-01-05'],
    ['2024-01-05T13:45:00Z', '2024-01-05'],
    ['45296', '2024-01-05'],
    [45296, '2024-01-05'],
    [new Date(Date.UTC(2024, 0, 5)), '2024-01-05'],
    ['', null],
  ])('%s → %s', (input, expected) => {
    expect(parseDate('opened_on', input)).toBe(expected);
  });

  it.each(['2024-02-30', '2023-02-29', '2024-13-01', '昨天', '5/1/2024', '12', 12, '1899-12-31'])('rejects %s with a reason', (input) => {
    const n = normalizeRecord('repair_order', { dms_id: 'R1', vehicle_dms_id: 'V1', ro_no: 'RO1', opened_on: input, category: '保养' });
    expect(n.ok).toBe(false);
    if (!n.ok) expect(n.reason.zh.startsWith('维修日期：')).toBe(true);
  });
});

describe('normalizeRecord', () => {
  it('reads yuan amounts to integer fen without float drift and sums labour and parts when no total is given', () => {
    const n = normalizeRecord('repair_order', {
      dms_id: 'R1', vehicle_dms_id: 'V1', ro_no: 'RO1', opened_on: '2024-01-05', category: '钣喷', labor_yuan: '1,000.10', parts_yuan: '￥0.2元',
    });
    expect(n).toMatchObject({ ok: true, change: { op: 'upsert', record: { labor_fen: 100010, parts_fen: 20, total_fen: 100030, category: 'bodywork' } } });
  });

  it('normalizes mobiles, genders, VINs and yes/no', () => {
    const c = normalizeRecord('customer', { dms_id: 'C1', name: ' 王伟 ', mobile: '+86 138-0013-8000', gender: '女', phone2: '020-12345678' });
    expect(c).toMatchObject({ ok: true, change: { record: { name: '王伟', mobile: '13800138000', gender: 'F', phone2: '02012345678' } } });
    const v = normalizeRecord('vehicle', { dms_id: 'V1', customer_dms_id: 'C1', vin: 'lhgcm 56707a000001', model: '雅阁', purchased_here: '是' });
    expect(v).toMatchObject({ ok: true, change: { record: { vin: 'LHGCM56707A000001', purchased_here: true } } });
  });

  it('treats a record with deleted_at as a deletion even when its other fields are gone', () => {
    expect(normalizeRecord('vehicle', { dms_id: 'V1', deleted_at: '2026-01-01T00:00:00Z' })).toEqual({
      ok: true,
      change: { op: 'delete', tombstone: { dms_id: 'V1', deleted_at: '2026-01-01T00:00:00.000Z', updated_at: null } },
    });
  });

  it.each([
    [null, 'not a record'],
    [[1, 2], 'not a record'],
    [{ dms_id: 'C1' }, 'customer name: is missing'],
    [{ dms_id: 'C1', name: 'x'.repeat(41) }, 'customer name: is longer than 40 characters'],
    [{ dms_id: 'C1', name: '王\u0000伟' }, 'customer name: contains control characters'],
    [{ dms_id: 'C1', name: '王伟', gender: 'X' }, 'gender: "X" should be M/F (男/女)'],
    [{ dms_id: 'C1', name: '王伟', mobile: { n: 1 } }, 'mobile: should be text'],
    [{ name: '王伟' }, 'DMS id: is missing'],
  ])('rejects %j: %s', (raw, reason) => {
    const n = normalizeRecord('customer', raw);
    expect(n.ok).toBe(false);
    if (!n.ok) expect(n.reason.en).toContain(reason);
  });

  it('hashes content, not the stamp: a bumped updated_at alone is not a change', () => {
    const a = normalizeRecord('customer', { dms_id: 'C1', name: '王伟', updated_at: '2026-01-01T00:00:00Z' });
    const b = normalizeRecord('customer', { dms_id: 'C1', name: '王伟', updated_at: '2026-02-01T00:00:00Z' });
    const c = normalizeRecord('customer', { dms_id: 'C1', name: '王伟', city: '广州' });
    if (!a.ok || !b.ok || !c.ok || a.change.op !== 'upsert' || b.change.op !== 'upsert' || c.change.op !== 'upsert') throw new Error('expected records');
    expect(contentHash('customer', a.change.record)).toBe(contentHash('customer', b.change.record));
    expect(contentHash('customer', a.change.record)).not.toBe(contentHash('customer', c.change.record));
  });
});

describe('retry backoff', () => {
  it('grows exponentially up to the cap, with full jitter', () => {
    const policy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(policy, a))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay({ ...policy, random: () => 0 }, 4)).toBe(0);
  });
});
