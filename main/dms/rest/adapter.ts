/** The REST connector: the JSON API written down in docs/dms-api.md. */
import { z } from 'zod';
import type { DmsConnector, KeysPage, PullPage, PullRequest } from '../connector';
import type { DmsEntity } from '../records';
import { defaultRetryPolicy, fetchJsonWithRetry, type RetryPolicy } from './retry';

export interface RestConnectorOptions {
  baseUrl: string;
  apiKey: string;
  retry?: Partial<RetryPolicy>;
}

export const ENTITY_PATHS: Record<DmsEntity, string> = {
  customer: 'customers',
  vehicle: 'vehicles',
  repair_order: 'repair_orders',
};

const pageSchema = z.object({
  items: z.array(z.unknown()),
  next_cursor: z.string().nullable(),
  total: z.number().int().min(0).optional(),
});
const keysSchema = z.object({
  items: z.array(z.object({ dms_id: z.string(), hash: z.string(), updated_at: z.string().nullable() })),
  next_cursor: z.string().nullable(),
});
const lookupSchema = z.object({ items: z.array(z.unknown()) });

export function createRestConnector(options: RestConnectorOptions): DmsConnector {
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const base = options.baseUrl.replace(/\/+$/, '');
  const headers = { 'x-api-key': options.apiKey, accept: 'application/json' };
  let pageNo = 0;

  return {
    kind: 'rest',
    async pull(request: PullRequest): Promise<PullPage> {
      const url = new URL(`${base}/api/v1/${ENTITY_PATHS[request.entity]}`);
      if (request.since) url.searchParams.set('updated_since', request.since);
      if (request.cursor) url.searchParams.set('cursor', request.cursor);
      url.searchParams.set('limit', String(request.limit));
      const page = await fetchJsonWithRetry(url.toString(), { headers }, (b) => pageSchema.parse(b), policy, request.signal);
      pageNo += 1;
      return {
        items: page.items.map((raw, i) => ({ ref: `${request.entity} page ${pageNo} item ${i + 1}`, raw })),
        rejects: [],
        nextCursor: page.next_cursor,
        ...(page.total !== undefined ? { total: page.total } : {}),
      };
    },
    async listKeys(entity, cursor, limit, signal): Promise<KeysPage> {
      const url = new URL(`${base}/api/v1/${ENTITY_PATHS[entity]}/keys`);
      if (cursor) url.searchParams.set('cursor', cursor);
      url.searchParams.set('limit', String(limit));
      const page = await fetchJsonWithRetry(url.toString(), { headers }, (b) => keysSchema.parse(b), policy, signal);
      return {
        keys: page.items.map((k) => ({ dmsId: k.dms_id, hash: k.hash, updatedAt: k.updated_at })),
        nextCursor: page.next_cursor,
      };
    },
    async fetchByIds(entity, ids, signal) {
      const out: unknown[] = [];
      // The lookup endpoint takes at most 500 ids per call.
      for (let i = 0; i < ids.length; i += 500) {
        const body = JSON.stringify({ ids: ids.slice(i, i + 500) });
        const page = await fetchJsonWithRetry(
          `${base}/api/v1/${ENTITY_PATHS[entity]}/lookup`,
          { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body },
          (b) => lookupSchema.parse(b),
          policy,
          signal,
        );
        out.push(...page.items);
      }
      return out;
    },
  };
}
