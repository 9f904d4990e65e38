/** What people review after a run: conflicts (keep the workstation value or take the DMS one) and quarantined rows. */
import type { DbHandle } from '../../db/connection';
import { nowIso } from '../../db/ids';
import { EDITABLE_FIELDS, type DmsEntity } from './records';

const NUMERIC_FIELDS = new Set(['mileage_km', 'model_year']);

export function createReview(handle: DbHandle, dealerId: string) {
  const { db } = handle;
  return {
    async conflicts(status: 'open' | 'all' = 'open', limit = 200) {
      let q = db.selectFrom('dms_conflict').selectAll().where('dealer_id', '=', dealerId);
      if (status === 'open') q = q.where('status', '=', 'open');
      return q.orderBy('updated_at', 'desc').limit(limit).execute();
    },
    /** Keeps the workstation value, or writes the DMS value into the record (customers get a new version). */
    async resolveConflict(id: string, choice: 'kept_local' | 'took_dms', staffId: string | null): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const c = await trx.selectFrom('dms_conflict').selectAll().where('id', '=', id).where('dealer_id', '=', dealerId).where('status', '=', 'open').executeTakeFirst();
        if (!c) return false;
        // Conflicts only ever name editable fields; refuse anything else rather than write an arbitrary column.
        if (!(EDITABLE_FIELDS[c.entity] as readonly string[]).includes(c.field)) throw new Error(`not an editable field: ${c.field}`);
        const at = nowIso();
        if (choice === 'took_dms') {
          const value = c.dms_value !== null && NUMERIC_FIELDS.has(c.field) ? Number(c.dms_value) : c.dms_value;
          const entity: DmsEntity = c.entity;
          if (entity === 'customer') {
            await trx.updateTable('customer').set((eb) => ({ [c.field]: value, updated_at: at, version: eb('version', '+', 1) })).where('id', '=', c.local_id).execute();
          } else {
            await trx.updateTable(entity).set({ [c.field]: value, updated_at: at }).where('id', '=', c.local_id).execute();
          }
        }
        await trx.updateTable('dms_conflict').set({ status: choice, resolved_at: at, resolved_by: staffId, updated_at: at }).where('id', '=', id).execute();
        return true;
      });
    },
    async quarantine(options: { runId?: string; status?: 'open' | 'dismissed'; limit?: number } = {}) {
      let q = db.selectFrom('dms_quarantine').selectAll().where('dealer_id', '=', dealerId);
      if (options.runId) q = q.where('run_id', '=', options.runId);
      if (options.status) q = q.where('status', '=', options.status);
      return q.orderBy('updated_at', 'desc').limit(options.limit ?? 200).execute();
    },
    async dismissQuarantined(ids: readonly string[]): Promise<number> {
      if (ids.length === 0) return 0;
      const r = await db.updateTable('dms_quarantine').set({ status: 'dismissed', updated_at: nowIso() }).where('dealer_id', '=', dealerId).where('id', 'in', ids).executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
  };
}
