/**
 * Customer 360: search-as-you-type, the customer page, the contact timeline, edits of contact details
 * and notes, and the search list and a customer's page as Excel. Every query is scoped to the signed-in staff member's dealer.
 */
import type { DbHandle } from '../../db/connection';
import { EXPORT_ROW_LIMIT } from '../../preload/channels/kit';
import { MODEL_NAMES_ZH } from '../../preload/vocabulary';
import type { EventSink, HandlerMap } from '../rpc';
import { searchWorkbook } from './export';
import { signedIn } from './mappers';
import { getCustomer, updateCustomer } from './profile';
import { recordWorkbook, timelineRows } from './record-export';
import { searchCustomers } from './search';
import { addNote, timeline } from './timeline';

export interface CustomersDeps {
  handle: DbHandle;
  emit: EventSink;
  now?: () => Date;
}

/** Substring matches considered per search: enough for any useful list, bounded for the p95 target. */
export const SEARCH_WINDOW = 1000;
export const EXPORT_MAX_ROWS = 5000;

export function createCustomers(deps: CustomersDeps): HandlerMap {
  const { db } = deps.handle;
  const now = deps.now ?? (() => new Date());
  return {
    'customers.search': async ({ q, limit }, ctx) =>
      searchCustomers(db, signedIn(ctx).dealerId, q, { limit, window: Math.max(SEARCH_WINDOW, limit * 4) }),

    'customers.get': async ({ id }, ctx) => getCustomer(db, signedIn(ctx).dealerId, id),

    'customers.timeline': async (input, ctx) => timeline(db, signedIn(ctx).dealerId, input),

    'customers.update': async ({ id, version, patch }, ctx) => {
      const me = signedIn(ctx);
      const { customer, changed } = await updateCustomer(db, {
        dealerId: me.dealerId,
        staffId: me.staffId,
        id,
        version,
        patch,
        now: now(),
      });
      if (changed) deps.emit('customer.changed', { customerId: id, by: me.staffId });
      return customer;
    },

    'customers.addNote': async (input, ctx) => {
      const me = signedIn(ctx);
      const note = await addNote(db, me, input, now());
      deps.emit('customer.changed', { customerId: input.customerId, by: me.staffId });
      return note;
    },

    'customers.exportSearch': async ({ q }, ctx) => {
      const { items } = await searchCustomers(db, signedIn(ctx).dealerId, q, {
        limit: EXPORT_MAX_ROWS,
        window: EXPORT_MAX_ROWS * 4,
      });
      return searchWorkbook(items, q, now());
    },

    'customers.exportRecord': async ({ id, lang }, ctx) => {
      const { dealerId } = signedIn(ctx);
      const record = await getCustomer(db, dealerId, id);
      // One entry past the limit tells a full history from a cut one.
      const timeline = await timelineRows(db, dealerId, id, EXPORT_ROW_LIMIT + 1);
      const truncated = timeline.length > EXPORT_ROW_LIMIT;
      if (truncated) timeline.length = EXPORT_ROW_LIMIT;
      const buffer = await recordWorkbook(record, timeline, { lang, modelNamesZh: MODEL_NAMES_ZH });
      const who = record.customer.name.replace(/[\\/:*?"<>|\s]+/g, '_');
      const day = new Date(now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
      return {
        fileName: `客户档案_${who}_${day}.xlsx`,
        base64: buffer.toString('base64'),
        rows: record.vehicles.length + record.repairOrders.length + timeline.length,
        truncated,
      };
    },
  };
}
