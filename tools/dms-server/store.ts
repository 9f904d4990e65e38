/**
 * The reference DMS's own SQLite file: one table of records per entity kept as JSON bodies (a real DMS
 * is not obliged to hold clean data, so tests can plant malformed rows), with tombstones for soft
 * deletions and an index on (entity, updated_at, dms_id) for keyset paging.
 */
import BetterSqlite3 from 'better-sqlite3';
import { hashContent } from '../../main/dms/hash';
import type { DmsEntity } from '../../main/dms/records';
import { mulberry32, type Fixture } from './fixture';

export interface StoredRow {
  dms_id: string;
  updated_at: string;
  deleted_at: string | null;
  body: string;
}

export interface DmsStore {
  seed(fixture: Fixture): void;
  upsert(entity: DmsEntity, body: Record<string, unknown>, options?: { updatedAt?: string }): string;
  /** Soft delete (a tombstone the API reports) or hard delete (the row vanishes, as some DMSs do). */
  remove(entity: DmsEntity, dmsId: string, options?: { hard?: boolean }): void;
  /** Random edits over time: phone/address changes, mileage updates, new repair orders, deletions. */
  mutate(options: { updates: number; inserts: number; deletes: number; seed: number }): { changed: string[] };
  get(entity: DmsEntity, dmsId: string): Record<string, unknown> | null;
  page(entity: DmsEntity, since: string | null, after: [string, string] | null, limit: number): StoredRow[];
  keys(entity: DmsEntity, after: string | null, limit: number): StoredRow[];
  lookup(entity: DmsEntity, ids: readonly string[]): StoredRow[];
  count(entity: DmsEntity): number;
  /** Rows (live or tombstones) a pass from `since` will deliver: the API's `total` on a pass's first page. */
  countSince(entity: DmsEntity, since: string | null): number;
  close(): void;
}

function parseBody(text: string): Record<string, unknown> {
  const v: unknown = JSON.parse(text);
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...v } : {};
}

export function openDmsStore(file: string): DmsStore {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`create table if not exists record (
    entity text not null, dms_id text not null, updated_at text not null, deleted_at text, body text not null,
    primary key (entity, dms_id)) without rowid;
    create index if not exists record_updated on record (entity, updated_at, dms_id);`);
  let last = 0;
  // Strictly increasing stamps, like a DMS that writes updated_at from one clock.
  const clock = () => {
    last = Math.max(Date.now(), last + 1);
    return new Date(last).toISOString();
  };
  const maxRow = db.prepare<[], { m: string | null }>('select max(updated_at) m from record').get();
  if (maxRow?.m) last = Date.parse(maxRow.m);

  const put = db.prepare<[string, string, string, string | null, string]>(
    `insert into record (entity, dms_id, updated_at, deleted_at, body) values (?, ?, ?, ?, ?)
     on conflict (entity, dms_id) do update set updated_at = excluded.updated_at, deleted_at = excluded.deleted_at, body = excluded.body`,
  );
  const getRow = db.prepare<[string, string], StoredRow>('select dms_id, updated_at, deleted_at, body from record where entity = ? and dms_id = ?');
  const pageFirst = db.prepare<[string, string, number], StoredRow>(
    `select dms_id, updated_at, deleted_at, body from record where entity = ? and updated_at >= ?
     order by updated_at, dms_id limit ?`,
  );
  const pageAfter = db.prepare<[string, string, string, string, number], StoredRow>(
    `select dms_id, updated_at, deleted_at, body from record where entity = ? and updated_at >= ?
       and (updated_at, dms_id) > (?, ?) order by updated_at, dms_id limit ?`,
  );
  const keysStmt = db.prepare<[string, string, number], StoredRow>(
    `select dms_id, updated_at, deleted_at, body from record where entity = ? and deleted_at is null and dms_id > ?
     order by dms_id limit ?`,
  );
  const hardDelete = db.prepare<[string, string]>('delete from record where entity = ? and dms_id = ?');
  const countStmt = db.prepare<[string], { n: number }>('select count(*) n from record where entity = ? and deleted_at is null');
  const countSinceStmt = db.prepare<[string, string], { n: number }>('select count(*) n from record where entity = ? and updated_at >= ?');
  const idsOf = db.prepare<[string], { dms_id: string }>('select dms_id from record where entity = ? and deleted_at is null order by dms_id');

  const store: DmsStore = {
    seed(fixture) {
      db.transaction(() => {
        const all: [DmsEntity, { dms_id: string; updated_at: string | null }[]][] = [
          ['customer', fixture.customers],
          ['vehicle', fixture.vehicles],
          ['repair_order', fixture.repairOrders],
        ];
        for (const [entity, rows] of all) {
          for (const r of rows) {
            const at = r.updated_at ?? clock();
            put.run(entity, r.dms_id, at, null, JSON.stringify({ ...r, updated_at: undefined }));
            last = Math.max(last, Date.parse(at));
          }
        }
      })();
    },
    upsert(entity, body, options = {}) {
      const dmsId = typeof body['dms_id'] === 'string' ? body['dms_id'] : '';
      if (!dmsId) throw new Error('dms_id required');
      const at = options.updatedAt ?? clock();
      const current = getRow.get(entity, dmsId);
      const merged = { ...(current ? parseBody(current.body) : {}), ...body, updated_at: undefined, deleted_at: undefined };
      put.run(entity, dmsId, at, null, JSON.stringify(merged));
      return at;
    },
    remove(entity, dmsId, options = {}) {
      if (options.hard) {
        hardDelete.run(entity, dmsId);
        return;
      }
      const current = getRow.get(entity, dmsId);
      if (!current) return;
      const at = clock();
      put.run(entity, dmsId, at, at, current.body);
    },
    mutate({ updates, inserts, deletes, seed }) {
      const rand = mulberry32(seed);
      const changed: string[] = [];
      const pickId = (entity: DmsEntity) => {
        const ids = idsOf.all(entity);
        return ids[Math.floor(rand() * ids.length)]?.dms_id ?? null;
      };
      db.transaction(() => {
        for (let i = 0; i < updates; i++) {
          const id = pickId('customer');
          if (!id) break;
          store.upsert('customer', { dms_id: id, mobile: `139${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`, address: `广州市越秀区${i + 1}号` });
          changed.push(`customer:${id}`);
        }
        for (let i = 0; i < inserts; i++) {
          const vid = pickId('vehicle');
          if (!vid) break;
          const n = `M${seed}-${i}`;
          store.upsert('repair_order', {
            dms_id: `R${n}`, vehicle_dms_id: vid, ro_no: `RO${n}`, opened_on: '2026-03-01', closed_on: '2026-03-01',
            category: 'maintenance', mileage_km: 30000, labor_fen: 20000, parts_fen: 30000, total_fen: 50000, advisor: '陈顾问',
          });
          changed.push(`repair_order:R${n}`);
        }
        for (let i = 0; i < deletes; i++) {
          const id = pickId('repair_order');
          if (!id) break;
          store.remove('repair_order', id);
          changed.push(`repair_order:${id}:deleted`);
        }
      })();
      return { changed };
    },
    get(entity, dmsId) {
      const row = getRow.get(entity, dmsId);
      return row && row.deleted_at === null ? { ...parseBody(row.body), dms_id: row.dms_id, updated_at: row.updated_at } : null;
    },
    page(entity, since, after, limit) {
      const from = since ?? '';
      return after ? pageAfter.all(entity, from, after[0], after[1], limit) : pageFirst.all(entity, from, limit);
    },
    keys(entity, after, limit) {
      return keysStmt.all(entity, after ?? '', limit);
    },
    lookup(entity, ids) {
      return ids.map((id) => getRow.get(entity, id)).filter((r): r is StoredRow => r !== undefined && r.deleted_at === null);
    },
    countSince(entity, since) {
      return countSinceStmt.get(entity, since ?? '')?.n ?? 0;
    },
    count(entity) {
      return countStmt.get(entity)?.n ?? 0;
    },
    close() {
      if (db.open) db.close();
    },
  };
  return store;
}

/** The API's view of a stored row: the record, or a tombstone for a deletion. */
export function apiItem(row: StoredRow): Record<string, unknown> {
  if (row.deleted_at !== null) return { dms_id: row.dms_id, updated_at: row.updated_at, deleted_at: row.deleted_at };
  return { ...parseBody(row.body), dms_id: row.dms_id, updated_at: row.updated_at };
}

export function rowHash(entity: DmsEntity, row: StoredRow): string {
  return hashContent(entity, parseBody(row.body));
}
