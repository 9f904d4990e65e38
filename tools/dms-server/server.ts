/**
 * The reference DMS: plain node:http serving the REST contract of docs/dms-api.md from a DmsStore, plus
 * /_admin endpoints for tests and the demo to change records over time and to inject faults
 * (500s, slow answers, truncated JSON, dropped connections).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { DMS_ENTITIES, type DmsEntity } from '../../main/dms/records';
import { apiItem, rowHash, type DmsStore } from './store';

export type FaultMode = 'none' | 'error500' | 'slow' | 'malformed' | 'reset';
export interface FaultPlan {
  mode: FaultMode;
  /** How many matching requests to affect; -1 = until told otherwise. */
  count: number;
  delayMs: number;
  /** Only requests whose path contains this text (e.g. "/repair_orders"). */
  match: string;
  /** Let this many matching requests through untouched before the fault starts. */
  after: number;
}

export interface DmsServer {
  url: string;
  store: DmsStore;
  setFaults(plan: Partial<FaultPlan> & { mode: FaultMode }): void;
  /** Requests served under /api/ so far (tests assert retries happened). */
  readonly requests: number;
  close(): Promise<void>;
}

export interface DmsServerOptions {
  store: DmsStore;
  apiKey: string;
  port?: number;
  host?: string;
}

const PATHS: Record<string, DmsEntity> = { customers: 'customer', vehicles: 'vehicle', repair_orders: 'repair_order' };
const faultSchema = z.object({
  mode: z.enum(['none', 'error500', 'slow', 'malformed', 'reset']),
  count: z.number().int().optional(),
  delayMs: z.number().int().min(0).optional(),
  match: z.string().optional(),
  after: z.number().int().min(0).optional(),
});
const entitySchema = z.enum(DMS_ENTITIES);
const upsertSchema = z.object({ entity: entitySchema, record: z.record(z.string(), z.unknown()), updated_at: z.string().optional() });
const deleteSchema = z.object({ entity: entitySchema, dms_id: z.string(), hard: z.boolean().optional() });
const mutateSchema = z.object({
  updates: z.number().int().min(0).default(0),
  inserts: z.number().int().min(0).default(0),
  deletes: z.number().int().min(0).default(0),
  seed: z.number().int().default(1),
});
const lookupSchema = z.object({ ids: z.array(z.string()).max(500) });

function encodeCursor(updatedAt: string, dmsId: string): string {
  return Buffer.from(JSON.stringify([updatedAt, dmsId])).toString('base64url');
}
function decodeCursor(text: string): [string, string] | null {
  try {
    const v = z.tuple([z.string(), z.string()]).safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return v.success ? v.data : null;
  } catch {
    return null;
  }
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startDmsServer(options: DmsServerOptions): Promise<DmsServer> {
  const { store } = options;
  let plan: FaultPlan = { mode: 'none', count: 0, delayMs: 0, match: '', after: 0 };
  let requests = 0;
  const timers = new Set<NodeJS.Timeout>();
  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const parts = url.pathname.split('/').filter(Boolean); // api, v1, entity, [keys|lookup]
    const entity = PATHS[parts[2] ?? ''];
    if (!entity || parts.length > 4) return send(res, 404, { error: 'not_found' });
    const limit = Math.min(5000, Math.max(1, Number(url.searchParams.get('limit') ?? 500) || 500));
    const cursorText = url.searchParams.get('cursor');
    if (parts[3] === 'keys' && req.method === 'GET') {
      const rows = store.keys(entity, cursorText, limit);
      const last = rows.at(-1);
      return send(res, 200, {
        items: rows.map((r) => ({ dms_id: r.dms_id, hash: rowHash(entity, r), updated_at: r.updated_at })),
        next_cursor: rows.length === limit && last ? last.dms_id : null,
      });
    }
    if (parts[3] === 'lookup' && req.method === 'POST') {
      const body = lookupSchema.safeParse(await readBody(req));
      if (!body.success) return send(res, 400, { error: 'bad_request' });
      return send(res, 200, { items: store.lookup(entity, body.data.ids).map(apiItem) });
    }
    if (parts.length !== 3 || req.method !== 'GET') return send(res, 404, { error: 'not_found' });
    const since = url.searchParams.get('updated_since');
    if (since !== null && Number.isNaN(Date.parse(since))) return send(res, 400, { error: 'bad_updated_since' });
    const after = cursorText ? decodeCursor(cursorText) : null;
    if (cursorText && !after) return send(res, 400, { error: 'bad_cursor' });
    const rows = store.page(entity, since ? new Date(since).toISOString() : null, after, limit);
    const last = rows.at(-1);
    send(res, 200, {
      items: rows.map(apiItem),
      next_cursor: rows.length === limit && last ? encodeCursor(last.updated_at, last.dms_id) : null,
      ...(after ? {} : { total: store.countSince(entity, since ? new Date(since).toISOString() : null) }),
      server_time: new Date().toISOString(),
    });
  }

  async function admin(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const body = await readBody(req);
    switch (url.pathname) {
      case '/_admin/faults': {
        const p = faultSchema.parse(body);
        plan = { mode: p.mode, count: p.count ?? 1, delayMs: p.delayMs ?? 0, match: p.match ?? '', after: p.after ?? 0 };
        return send(res, 200, { ok: true });
      }
      case '/_admin/mutate':
        return send(res, 200, store.mutate(mutateSchema.parse(body)));
      case '/_admin/upsert': {
        const p = upsertSchema.parse(body);
        return send(res, 200, { updated_at: store.upsert(p.entity, p.record, p.updated_at ? { updatedAt: p.updated_at } : {}) });
      }
      case '/_admin/delete': {
        const p = deleteSchema.parse(body);
        store.remove(p.entity, p.dms_id, { hard: p.hard ?? false });
        return send(res, 200, { ok: true });
      }
      default:
        return send(res, 404, { error: 'not_found' });
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') return send(res, 200, { ok: true });
    if (req.headers['x-api-key'] !== options.apiKey) return send(res, 401, { error: 'unauthorized' });
    const handle = async () => {
      if (url.pathname.startsWith('/_admin/') && req.method === 'POST') return admin(req, res, url);
      if (!url.pathname.startsWith('/api/v1/')) return send(res, 404, { error: 'not_found' });
      requests += 1;
      if (plan.mode !== 'none' && plan.count !== 0 && url.pathname.includes(plan.match)) {
        if (plan.after > 0) plan.after -= 1;
        else {
          if (plan.count > 0) plan.count -= 1;
          switch (plan.mode) {
            case 'error500':
              return send(res, 500, { error: 'internal' });
            case 'slow':
              await delay(plan.delayMs);
              break;
            case 'malformed':
              res.writeHead(200, { 'content-type': 'application/json' });
              return void res.end('{"items": [{"dms_id": "C1", "na');
            case 'reset':
              return void req.socket.destroy();
          }
        }
      }
      if (res.destroyed) return;
      return api(req, res, url);
    };
    handle().catch((e: unknown) => {
      if (!res.headersSent) send(res, e instanceof z.ZodError || e instanceof SyntaxError ? 400 : 500, { error: String(e) });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    setFaults(p) {
      plan = { count: 1, delayMs: 0, match: '', after: 0, ...p };
    },
    get requests() {
      return requests;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
