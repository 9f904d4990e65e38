import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../../db/connection';
import { newId } from '../../../db/ids';
import { createTestStore, tempDir, type TestStore } from '../../support/db';

describe('migration 0007-query (saved_query)', () => {
  const tmp = tempDir();
  let store: TestStore;
  let handle: DbHandle;
  const at = '2026-03-15T00:00:00.000Z';

  beforeAll(async () => {
    store = await createTestStore(tmp.dir);
    handle = openDatabase(store.file);
  });
  afterAll(() => {
    handle.close();
    tmp.cleanup();
  });

  const insert = (name: string, owner: string, tree = '{"combinator":"and","rules":[]}', shared = 0, deletedAt: string | null = null) =>
    handle.sqlite
      .prepare(`insert into saved_query (id, dealer_id, name, owner_staff_id, shared, tree, created_at, updated_at, deleted_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(newId(), store.dealerId, name, owner, shared, tree, at, at, deletedAt);

  it('keeps names unique per owner among live queries only', () => {
    insert('流失客户', store.staff.agent.id);
    expect(() => insert('流失客户', store.staff.agent.id)).toThrow(/UNIQUE/);
    insert('流失客户', store.staff.supervisor.id);
    insert('旧查询', store.staff.agent.id, undefined, 0, at);
    insert('旧查询', store.staff.agent.id);
  });

  it('rejects trees that are not JSON, flags other than 0/1 and unknown owners', () => {
    expect(() => insert('坏树', store.staff.agent.id, '{combinator: and')).toThrow(/CHECK/);
    expect(() => insert('坏标志', store.staff.agent.id, undefined, 2)).toThrow(/CHECK/);
    expect(() => insert('无主', newId())).toThrow(/FOREIGN KEY/);
  });
});
