import { afterAll, describe, expect, it } from 'vitest';
import { newId, nowIso } from '../../../db/ids';
import { tempDir } from '../../support/db';
import { workstation } from './support';

describe('migration 0004-dms', () => {
  const tmp = tempDir('dms-migration-');
  afterAll(() => tmp.cleanup());

  it('keeps one open conflict per field, any number of resolved ones, and refuses unknown entities and statuses', async () => {
    const ws = await workstation(tmp.dir);
    try {
      const at = nowIso();
      const conflict = (status: 'open' | 'kept_local' | 'took_dms') =>
        ws.handle.db.insertInto('dms_conflict').values({
          id: newId(), dealer_id: ws.dealerId, entity: 'customer', dms_id: 'C1', local_id: newId(), field: 'mobile',
          local_value: 'a', dms_value: 'b', base_value: 'c', run_id: newId(), status, created_at: at, updated_at: at, resolved_at: null, resolved_by: null,
        }).execute();
      await conflict('kept_local');
      await conflict('took_dms');
      await conflict('open');
      await expect(conflict('open')).rejects.toThrow(/UNIQUE/);
      expect(() => ws.handle.sqlite.prepare(`update dms_conflict set status = 'maybe'`).run()).toThrow(/CHECK/);
      expect(() => ws.handle.sqlite.prepare(`insert into dms_record values (?, 'invoice', 'X', 'L', 'h', null, null, 'r', ?)`).run(ws.dealerId, at)).toThrow(/CHECK/);
    } finally {
      ws.handle.close();
    }
  });

  it('deduplicates quarantined rows by fingerprint per source and keys sync state by (source, entity)', async () => {
    const ws = await workstation(tmp.dir, 'b.sqlite');
    try {
      const at = nowIso();
      const q = () =>
        ws.handle.db.insertInto('dms_quarantine').values({
          id: newId(), dealer_id: ws.dealerId, source_id: ws.sourceId, run_id: newId(), entity: 'customer', ref: 'row 2', dms_id: null,
          reason_zh: '原因', reason_en: 'reason', raw: '{}', fingerprint: 'f1', status: 'open', created_at: at, updated_at: at,
        }).execute();
      await q();
      await expect(q()).rejects.toThrow(/UNIQUE/);
      const state = () =>
        ws.handle.db.insertInto('dms_sync_state').values({ dealer_id: ws.dealerId, source_id: ws.sourceId, entity: 'vehicle', watermark: at, since: null, cursor: null, run_id: null, updated_at: at }).execute();
      await state();
      await expect(state()).rejects.toThrow(/UNIQUE|PRIMARY/);
      const run = await ws.handle.db.insertInto('dms_run').values({ id: newId(), dealer_id: ws.dealerId, source_id: ws.sourceId, mode: 'file', trigger: 'manual', status: 'running', started_at: at }).returningAll().executeTakeFirstOrThrow();
      expect(run).toMatchObject({ fetched: 0, inserted: 0, quarantined: 0, finished_at: null, error_zh: null });
    } finally {
      ws.handle.close();
    }
  });
});
