/**
 * Saved queries: a name, an owner, shared with the dealer's seats or private. Only valid trees are
 * saved (checked against the catalog), and a stored tree is re-checked whenever it runs. Everyone of
 * the dealer sees shared queries; only the owner or an admin changes or deletes one.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { newId } from '../../db/ids';
import type { Database, StaffRole } from '../../db/schema';
import { fieldError, ServiceError } from '../rpc/errors';
import { describeQueryIssue } from './messages';
import { checkTree, queryGroupSchema, type QueryGroup } from './tree';

export interface Viewer {
  staffId: string;
  dealerId: string;
  role: StaffRole;
}

const savedQueryFields = {
  name: z.string().trim().min(1, 'required').max(60, 'tooLong'),
  description: z.string().trim().max(500, 'tooLong').nullable(),
  shared: z.boolean(),
  tree: queryGroupSchema,
};
export const savedQueryInputSchema = z
  .object({ ...savedQueryFields, description: savedQueryFields.description.default(null), shared: savedQueryFields.shared.default(false) })
  .strict();
export type SavedQueryInput = z.input<typeof savedQueryInputSchema>;
// Built without the defaults: zod applies a default even under .partial(), which would turn a rename into "unshare".
const patchSchema = z.object(savedQueryFields).partial().strict();

export interface SavedQuery {
  id: string;
  name: string;
  description: string | null;
  ownerStaffId: string;
  ownerName: string;
  shared: boolean;
  tree: QueryGroup;
  lastRunAt: string | null;
  lastCount: number | null;
  createdAt: string;
  updatedAt: string;
  /** Whether this viewer may change or delete it. */
  canEdit: boolean;
}

const duplicateName = () => fieldError('DUPLICATE', 'name', { zh: '您已有同名的查询', en: 'You already have a query with this name' });

function parseInput<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ServiceError(
      'VALIDATION',
      undefined,
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: describeQueryIssue(i) })),
    );
  }
  return parsed.data;
}

export function createSavedQueries(db: Kysely<Database>, clock: () => Date) {
  const base = () =>
    db
      .selectFrom('saved_query as q')
      .innerJoin('staff as s', 's.id', 'q.owner_staff_id')
      .selectAll('q')
      .select('s.display_name as owner_name')
      .where('q.deleted_at', 'is', null);
  type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

  const toDto = (row: Row, viewer: Viewer): SavedQuery => ({
    id: row.id,
    name: row.name,
    description: row.description,
    ownerStaffId: row.owner_staff_id,
    ownerName: row.owner_name,
    shared: row.shared === 1,
    tree: queryGroupSchema.parse(JSON.parse(row.tree)),
    lastRunAt: row.last_run_at,
    lastCount: row.last_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    canEdit: row.owner_staff_id === viewer.staffId || viewer.role === 'admin',
  });

  async function visible(viewer: Viewer, id: string): Promise<Row> {
    const row = await base()
      .where('q.id', '=', id)
      .where('q.dealer_id', '=', viewer.dealerId)
      .where((eb) => eb.or([eb('q.shared', '=', 1), eb('q.owner_staff_id', '=', viewer.staffId)]))
      .executeTakeFirst();
    if (!row) throw new ServiceError('NOT_FOUND');
    return row;
  }

  async function nameTaken(viewer: Viewer, ownerId: string, name: string, exceptId: string | null): Promise<boolean> {
    let q = db
      .selectFrom('saved_query')
      .select('id')
      .where('dealer_id', '=', viewer.dealerId)
      .where('owner_staff_id', '=', ownerId)
      .where('name', '=', name)
      .where('deleted_at', 'is', null);
    if (exceptId) q = q.where('id', '!=', exceptId);
    return (await q.executeTakeFirst()) !== undefined;
  }

  return {
    async list(viewer: Viewer): Promise<SavedQuery[]> {
      const rows = await base()
        .where('q.dealer_id', '=', viewer.dealerId)
        .where((eb) => eb.or([eb('q.shared', '=', 1), eb('q.owner_staff_id', '=', viewer.staffId)]))
        .orderBy('q.name')
        .execute();
      return rows.map((r) => toDto(r, viewer));
    },
    async get(viewer: Viewer, id: string): Promise<SavedQuery> {
      return toDto(await visible(viewer, id), viewer);
    },
    async create(viewer: Viewer, raw: SavedQueryInput): Promise<SavedQuery> {
      const input = parseInput(savedQueryInputSchema, raw);
      checkTree(input.tree);
      if (await nameTaken(viewer, viewer.staffId, input.name, null)) throw duplicateName();
      const id = newId();
      const at = clock().toISOString();
      await db
        .insertInto('saved_query')
        .values({
          id,
          dealer_id: viewer.dealerId,
          name: input.name,
          description: input.description,
          owner_staff_id: viewer.staffId,
          shared: input.shared ? 1 : 0,
          tree: JSON.stringify(input.tree),
          last_run_at: null,
          last_count: null,
          created_at: at,
          updated_at: at,
          deleted_at: null,
        })
        .execute();
      return toDto(await visible(viewer, id), viewer);
    },
    async update(viewer: Viewer, id: string, rawPatch: Partial<SavedQueryInput>): Promise<SavedQuery> {
      const patch = parseInput(patchSchema, rawPatch);
      const row = await visible(viewer, id);
      if (row.owner_staff_id !== viewer.staffId && viewer.role !== 'admin') throw new ServiceError('FORBIDDEN');
      if (patch.tree) checkTree(patch.tree);
      if (patch.name !== undefined && (await nameTaken(viewer, row.owner_staff_id, patch.name, id))) throw duplicateName();
      await db
        .updateTable('saved_query')
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(patch.shared !== undefined ? { shared: patch.shared ? 1 : 0 } : {}),
          ...(patch.tree ? { tree: JSON.stringify(patch.tree), last_run_at: null, last_count: null } : {}),
          updated_at: clock().toISOString(),
        })
        .where('id', '=', id)
        .execute();
      return toDto(await visible(viewer, id), viewer);
    },
    async remove(viewer: Viewer, id: string): Promise<void> {
      const row = await visible(viewer, id);
      if (row.owner_staff_id !== viewer.staffId && viewer.role !== 'admin') throw new ServiceError('FORBIDDEN');
      const at = clock().toISOString();
      await db.updateTable('saved_query').set({ deleted_at: at, updated_at: at }).where('id', '=', id).execute();
    },
    /** Remembers the last run's count so the list shows "1,234 位客户 · 3 月 15 日". */
    async recordRun(viewer: Viewer, id: string, count: number): Promise<void> {
      await visible(viewer, id);
      await db.updateTable('saved_query').set({ last_run_at: clock().toISOString(), last_count: count }).where('id', '=', id).execute();
    },
  };
}

export type SavedQueries = ReturnType<typeof createSavedQueries>;
