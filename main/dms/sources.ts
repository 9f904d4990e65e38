/** DMS sources (a REST endpoint or a file drop), their saved column mappings, run history. */
import { z } from 'zod';
import type { DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';
import type { DmsSourceKind } from '../../db/tables/dms';
import { columnMappingSchema, type ColumnMapping } from './file/mapping';

export const restSourceConfigSchema = z.object({
  baseUrl: z.string().url(),
  apiKey: z.string().min(1),
  attempts: z.number().int().min(1).max(20).optional(),
  timeoutMs: z.number().int().min(100).max(600_000).optional(),
  /** croner pattern of the full key/hash comparison (e.g. nightly "0 2 * * *"); absent = on demand only. */
  reconcileSchedule: z.string().min(1).optional(),
});
export type RestSourceConfig = z.infer<typeof restSourceConfigSchema>;

export interface DmsSource {
  id: string;
  name: string;
  kind: DmsSourceKind;
  rest: RestSourceConfig | null;
  schedule: string | null;
  enabled: boolean;
}

export interface SourceInput {
  name: string;
  kind: DmsSourceKind;
  rest?: RestSourceConfig;
  schedule?: string | null;
  enabled?: boolean;
}

export function createSources(handle: DbHandle, dealerId: string) {
  const { db } = handle;
  const toSource = (r: { id: string; name: string; kind: DmsSourceKind; config: string; schedule: string | null; enabled: number }): DmsSource => {
    const rest = r.kind === 'rest' ? restSourceConfigSchema.safeParse(JSON.parse(r.config)) : null;
    return { id: r.id, name: r.name, kind: r.kind, rest: rest?.success ? rest.data : null, schedule: r.schedule, enabled: r.enabled === 1 };
  };
  return {
    async list(): Promise<DmsSource[]> {
      const rows = await db.selectFrom('dms_source').selectAll().where('dealer_id', '=', dealerId).orderBy('name').execute();
      return rows.map(toSource);
    },
    async get(id: string): Promise<DmsSource | null> {
      const row = await db.selectFrom('dms_source').selectAll().where('dealer_id', '=', dealerId).where('id', '=', id).executeTakeFirst();
      return row ? toSource(row) : null;
    },
    async save(input: SourceInput, id?: string): Promise<DmsSource> {
      const at = nowIso();
      const config = JSON.stringify(input.kind === 'rest' ? restSourceConfigSchema.parse(input.rest) : {});
      const values = { name: input.name, kind: input.kind, config, schedule: input.schedule ?? null, enabled: input.enabled === false ? 0 : 1, updated_at: at };
      const sourceId = id ?? newId();
      if (id) await db.updateTable('dms_source').set(values).where('dealer_id', '=', dealerId).where('id', '=', id).execute();
      else await db.insertInto('dms_source').values({ ...values, id: sourceId, dealer_id: dealerId, created_at: at }).execute();
      const saved = await this.get(sourceId);
      if (!saved) throw new Error(`source ${sourceId} vanished`);
      return saved;
    },
    async loadMapping(sourceId: string): Promise<ColumnMapping | null> {
      const row = await db.selectFrom('dms_column_mapping').select('mapping').where('dealer_id', '=', dealerId).where('source_id', '=', sourceId).executeTakeFirst();
      if (!row) return null;
      const parsed = columnMappingSchema.safeParse(JSON.parse(row.mapping));
      return parsed.success ? parsed.data : null;
    },
    async saveMapping(sourceId: string, mapping: ColumnMapping): Promise<void> {
      const at = nowIso();
      const text = JSON.stringify(columnMappingSchema.parse(mapping));
      await db
        .insertInto('dms_column_mapping')
        .values({ id: newId(), dealer_id: dealerId, source_id: sourceId, mapping: text, created_at: at, updated_at: at })
        .onConflict((oc) => oc.columns(['dealer_id', 'source_id']).doUpdateSet({ mapping: text, updated_at: at }))
        .execute();
    },
    async runs(sourceId: string | null, limit = 50) {
      let q = db.selectFrom('dms_run').selectAll().where('dealer_id', '=', dealerId);
      if (sourceId) q = q.where('source_id', '=', sourceId);
      return q.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    },
  };
}
export type Sources = ReturnType<typeof createSources>;
