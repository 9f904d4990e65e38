import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { MIGRATION_NAMES, migrateToLatest } from '../../../db/migrate';
import { tempDir } from '../../support/db';

let scratch: { dir: string; cleanup: () => void };
let handle: DbHandle;
beforeEach(() => {
  scratch = tempDir('alarms-mig-');
  handle = openDatabase(`${scratch.dir}/m.sqlite`);
});
afterEach(() => {
  handle.close();
  scratch.cleanup();
});

describe('migration 0005-alarms', () => {
  it('creates the alarm tables with their guards and is registered in order', async () => {
    expect(MIGRATION_NAMES).toContain('0005-alarms');
    await migrateToLatest(handle.db);
    const tables = handle.sqlite
      .prepare<[], { name: string }>(`select name from sqlite_master where type = 'table' and name like 'alarm%' order by name`)
      .all()
      .map((r) => r.name);
    expect(tables).toEqual(['alarm', 'alarm_agent', 'alarm_event', 'alarm_notice', 'alarm_silence', 'alarm_source', 'alarm_target']);
    const guards = handle.sqlite
      .prepare<[], { name: string }>(`select name from sqlite_master where type in ('trigger','index') and name in
        ('alarm_event_no_update','alarm_event_no_delete','alarm_open_fingerprint','alarm_agent_name') order by name`)
      .all()
      .map((r) => r.name);
    expect(guards).toEqual(['alarm_agent_name', 'alarm_event_no_delete', 'alarm_event_no_update', 'alarm_open_fingerprint']);
    // Running it again is a no-op (already applied).
    expect(await migrateToLatest(handle.db)).toEqual([]);
  });
});
