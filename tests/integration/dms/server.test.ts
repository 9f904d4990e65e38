import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashContent } from '../../../main/dms/hash';
import type { DmsServer } from '../../../tools/dms-server/server';
import { tempDir } from '../../support/db';
import { API_KEY, referenceServer, stopServer } from './support';

describe('reference DMS server', () => {
  const tmp = tempDir('dms-server-');
  let server: DmsServer;
  beforeAll(async () => {
    server = await referenceServer(tmp.dir, 10);
  });
  afterAll(async () => {
    await stopServer(server);
    tmp.cleanup();
  });
  const get = (p: string, key = API_KEY) => fetch(`${server.url}${p}`, { headers: { 'x-api-key': key } });
  const post = (p: string, body: unknown) =>
    fetch(`${server.url}${p}`, { method: 'POST', headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('refuses a wrong key and a forged cursor', async () => {
    expect((await get('/api/v1/customers', 'nope')).status).toBe(401);
    expect((await get('/api/v1/customers?cursor=xyz')).status).toBe(400);
    expect((await get('/api/v1/nothing')).status).toBe(404);
  });

  it('pages with >= and a keyset cursor: every record once, ties included', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let total: number | undefined;
    do {
      const res = await get(`/api/v1/repair_orders?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      const body = (await res.json()) as { items: { dms_id: string }[]; next_cursor: string | null; total?: number };
      total ??= body.total;
      seen.push(...body.items.map((i) => i.dms_id));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen.length).toBe(server.store.count('repair_order'));
    expect(new Set(seen).size).toBe(seen.length);
    expect(total).toBe(seen.length);
  });

  it('lists keys with the documented content hash and looks records up by id', async () => {
    const keys = (await (await get('/api/v1/customers/keys?limit=100')).json()) as { items: { dms_id: string; hash: string }[] };
    const first = keys.items[0];
    const record = server.store.get('customer', first?.dms_id ?? '');
    expect(first?.hash).toBe(hashContent('customer', record ?? {}));
    const lookup = (await (await post('/api/v1/customers/lookup', { ids: [first?.dms_id, 'missing'] })).json()) as { items: { dms_id: string }[] };
    expect(lookup.items.map((i) => i.dms_id)).toEqual([first?.dms_id]);
  });

  it('mutates over time and injects faults through /_admin', async () => {
    const before = (await (await get('/api/v1/customers')).json()) as { server_time: string };
    const m = (await (await post('/_admin/mutate', { updates: 2, inserts: 1, deletes: 1, seed: 5 })).json()) as { changed: string[] };
    expect(m.changed).toHaveLength(4);
    const since = (await (await get(`/api/v1/repair_orders?updated_since=${encodeURIComponent(before.server_time)}`)).json()) as { items: { deleted_at?: string }[] };
    expect(since.items).toHaveLength(2);
    expect(since.items.filter((i) => i.deleted_at)).toHaveLength(1);
    expect((await post('/_admin/faults', { mode: 'error500', count: 1 })).status).toBe(200);
    expect((await get('/api/v1/customers')).status).toBe(500);
    expect((await get('/api/v1/customers')).status).toBe(200);
    expect((await post('/_admin/delete', { entity: 'customer', dms_id: 'C0000001', hard: true })).status).toBe(200);
    expect(server.store.get('customer', 'C0000001')).toBeNull();
  });

  it('runs as a command: seeds its file, prints its URL, stops on SIGTERM', async () => {
    const main = fileURLToPath(new URL('../../../tools/dms-server/main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', main, '--db', path.join(tmp.dir, 'cli.sqlite'), '--customers', '5', '--api-key', 'cli-key'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
      const { url } = JSON.parse(line) as { url: string };
      const res = await fetch(`${url}/api/v1/customers`, { headers: { 'x-api-key': 'cli-key' } });
      expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(5);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
