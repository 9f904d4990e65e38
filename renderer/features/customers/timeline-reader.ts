/**
 * Reading one customer's contact timeline page by page, for ContactTimeline. Plain TypeScript (no React),
 * so the rules are tested on their own:
 * - reads run one after another: a re-read never lands in the middle of a "load more" (or the other way
 *   round) and drops or repeats a page;
 * - a re-read reads as many pages as are loaded, so what the agent opened stays open;
 * - it is told which SMS news concerns this customer (a message an entry names, a new message to them, a
 *   queued one held back or dropped), and other customers' SMS cause no read at all;
 * - news of a message no entry named yet (the entry of a new SMS learns its message id from a re-read)
 *   that turns out to be shown after the re-read under way leads to one more read, so it is not lost.
 * One reader per customer: `show` decides whether what it read is still wanted (another customer opened).
 */
import type { ContactEventDto } from '../../../preload/contract';

export interface TimelinePage {
  items: ContactEventDto[];
  nextCursor: string | null;
}

/** News of an SMS: sms.state (a message, and its customer when it is new) or a queue row held back / dropped. */
export interface SmsNews {
  customerId?: string | null;
  messageId?: string;
}

/** How many message ids of other news it remembers at most: only news of the last moments matters. */
const MISSED_LIMIT = 500;

export function createTimelineReader(customerId: string, fetchPage: (cursor: string | null) => Promise<TimelinePage>, show: (page: TimelinePage) => void) {
  let chain: Promise<void> = Promise.resolve();
  let pages = 0;
  let shown: TimelinePage = { items: [], nextCursor: null };
  let shownMessages = new Set<string>();
  const missed = new Set<string>();

  function enqueue(read: () => Promise<void>): Promise<void> {
    const result = chain.then(read);
    chain = result.catch(() => undefined);
    return result;
  }

  function display(page: TimelinePage): void {
    shown = page;
    shownMessages = new Set(page.items.flatMap((item) => (item.sms?.messageId ? [item.sms.messageId] : [])));
    show(page);
  }

  async function reread(): Promise<void> {
    const items: ContactEventDto[] = [];
    let cursor: string | null = null;
    const count = Math.max(1, pages);
    for (let i = 0; i < count; i++) {
      const page: TimelinePage = await fetchPage(cursor);
      items.push(...page.items);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    pages = count;
    display({ items, nextCursor: cursor });
    const late = [...shownMessages].some((id) => missed.has(id));
    missed.clear();
    if (late) void enqueue(reread).catch(() => undefined);
  }

  return {
    /** Reads the loaded pages again (the first page the first time). */
    refresh(): Promise<void> {
      return enqueue(reread);
    },
    /** Reads the page after the last one shown. */
    loadMore(): Promise<void> {
      return enqueue(async () => {
        const from = shown.nextCursor;
        if (!from) return;
        const page = await fetchPage(from);
        pages += 1;
        display({ items: [...shown.items, ...page.items], nextCursor: page.nextCursor });
      });
    },
    /** Whether the news is about this timeline (then re-read it); remembers other messages' news for a while. */
    concerns(news: SmsNews): boolean {
      if (news.customerId === customerId) return true;
      if (!news.messageId) return false;
      if (shownMessages.has(news.messageId)) return true;
      if (missed.size >= MISSED_LIMIT) missed.clear();
      missed.add(news.messageId);
      return false;
    },
  };
}

export type TimelineReader = ReturnType<typeof createTimelineReader>;
