/**
 * How the customer page reads its contact timeline (renderer/features/customers/timeline-reader.ts):
 * a re-read after SMS news keeps the pages the agent loaded, never runs into a "load more" half-way, is
 * caused only by news of this customer's SMS, and does not lose news that came while it was under way.
 */
import { describe, expect, it } from 'vitest';
import type { ContactEventDto } from '../../../preload/contract';
import { createTimelineReader, type TimelinePage } from '../../../renderer/features/customers/timeline-reader';

const CUSTOMER = '01JCUSTMER0000000000000001';
const PAGE = 2;

function entry(n: number, messageId: string | null = null): ContactEventDto {
  const sms = messageId === null ? null : { state: 'queued' as const, notBefore: null, reason: null, messageId, campaign: null, appointmentId: null, plates: [] };
  return { id: `E${String(n).padStart(25, '0')}`, kind: 'sms_out', occurredAt: `2026-03-01T00:00:${String(n).padStart(2, '0')}Z`, staffName: null, summary: `第 ${n} 条`, vehicleId: null, detail: null, sms };
}

/** A host over `entries` (newest first), `PAGE` a page; `hold` keeps the next reads waiting until released. */
function host(entries: ContactEventDto[]) {
  const reads: Array<string | null> = [];
  let held: Array<() => void> | null = null;
  const fetchPage = async (cursor: string | null): Promise<TimelinePage> => {
    reads.push(cursor);
    if (held) await new Promise<void>((resolve) => held?.push(resolve));
    const from = cursor === null ? 0 : Number(cursor);
    const items = entries.slice(from, from + PAGE);
    return { items, nextCursor: from + PAGE < entries.length ? String(from + PAGE) : null };
  };
  return {
    entries,
    reads,
    fetchPage,
    hold: () => {
      held = [];
    },
    release: () => {
      const waiting = held ?? [];
      held = null;
      for (const resolve of waiting) resolve();
    },
  };
}
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function reader(h: ReturnType<typeof host>) {
  const shown: TimelinePage[] = [];
  const r = createTimelineReader(CUSTOMER, h.fetchPage, (page) => shown.push(page));
  return { r, shown, last: () => shown.at(-1) };
}

describe('the customer timeline reader', () => {
  it('re-reads as many pages as the agent loaded, newest first, with the cursor after them', async () => {
    const h = host([5, 4, 3, 2, 1].map((n) => entry(n)));
    const { r, last } = reader(h);
    await r.refresh();
    await r.loadMore();
    expect(last()?.items.map((i) => i.summary)).toEqual(['第 5 条', '第 4 条', '第 3 条', '第 2 条']);
    // A new SMS is written: the re-read shows it and still two pages.
    h.entries.unshift(entry(6, 'M6'));
    await r.refresh();
    expect(last()).toEqual({ items: [6, 5, 4, 3].map((n) => expect.objectContaining({ summary: `第 ${n} 条` })), nextCursor: '4' });
    await r.loadMore();
    expect(last()?.items.map((i) => i.summary)).toEqual(['第 6 条', '第 5 条', '第 4 条', '第 3 条', '第 2 条', '第 1 条']);
  });

  it('runs a re-read asked during a "load more" after it, so no page is lost or repeated', async () => {
    const h = host([5, 4, 3, 2, 1].map((n) => entry(n)));
    const { r, last } = reader(h);
    await r.refresh();
    h.hold();
    const more = r.loadMore();
    const again = r.refresh();
    await flush();
    // Only the "load more" is reading; the re-read waits for it.
    expect(h.reads).toEqual([null, '2']);
    h.release();
    await more;
    await again;
    expect(h.reads).toEqual([null, '2', null, '2']);
    expect(last()?.items.map((i) => i.summary)).toEqual(['第 5 条', '第 4 条', '第 3 条', '第 2 条']);
  });

  it('is concerned only by news of its own customer’s SMS', async () => {
    const h = host([entry(2, 'M2'), entry(1)]);
    const { r } = reader(h);
    await r.refresh();
    expect(r.concerns({ messageId: 'M2' })).toBe(true); // an SMS an entry names moved on
    expect(r.concerns({ messageId: 'M9', customerId: CUSTOMER })).toBe(true); // a new SMS to this customer
    expect(r.concerns({ customerId: CUSTOMER })).toBe(true); // a queued one held back or dropped
    expect(r.concerns({ messageId: 'M7', customerId: '01JOTHERCUST00000000000001' })).toBe(false); // another customer's
    expect(r.concerns({ messageId: 'M8' })).toBe(false);
  });

  it('reads once more when news of a message came while the read that first shows it was under way', async () => {
    const h = host([entry(1)]);
    const { r, last } = reader(h);
    await r.refresh();
    // A new SMS: the re-read is under way when its "sending" news comes (it names no entry shown yet).
    h.entries.unshift(entry(2, 'M2'));
    h.hold();
    const again = r.refresh();
    await flush();
    expect(r.concerns({ messageId: 'M2' })).toBe(false);
    h.release();
    await again;
    await flush();
    // The read that showed M2's entry was followed by one more, which sees where M2 is now.
    expect(h.reads).toEqual([null, null, null]);
    expect(last()?.items.map((i) => i.sms?.messageId ?? null)).toEqual(['M2', null]);
    // Nothing more without news.
    await flush();
    expect(h.reads).toHaveLength(3);
  });
});
