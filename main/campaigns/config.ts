/**
 * Campaign configuration: default rows per dealer (idempotent), loading campaigns with parsed params
 * and ordered steps, and the supervisor's edits (params, steps, dispositions, reasons, 年审 rules).
 */
import { z } from 'zod';
import type { DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';
import { STEP_CHANNELS, type CampaignKind, type CampaignReasonKind, type ContactPurpose, type StepChannel } from '../../db/tables/campaigns';
import { fieldError, ServiceError } from '../rpc';
import { DEALER_UTC_OFFSET_MINUTES, localDate } from './dates';
import {
  CAMPAIGN_DEFAULTS,
  CLOSE_REASON_DEFAULTS,
  DISPOSITION_DEFAULTS,
  FEEDBACK_REASON_DEFAULTS,
  INSPECTION_RULE_DEFAULTS,
  paramSchemas,
  type CampaignParams,
} from './params';

export interface CampaignStep {
  seq: number;
  offsetDays: number;
  channel: StepChannel;
  templateId: string | null;
}

export interface LoadedCampaign<K extends CampaignKind = CampaignKind> {
  id: string;
  kind: K;
  nameZh: string;
  nameEn: string;
  purpose: ContactPurpose;
  enabled: boolean;
  priority: number;
  params: CampaignParams<K>;
  /** Ordered by offset; seq is the index in this order. */
  steps: CampaignStep[];
  /** The dealer-local day the campaign was set up (lapsing pools: who entered before it is due on the day generated). */
  createdOn: string;
}

export interface Disposition {
  code: string;
  labelZh: string;
  labelEn: string;
  reached: boolean;
  unreachable: boolean;
  hideDays: number;
  callback: boolean;
  active: boolean;
}

export function parseParams<K extends CampaignKind>(kind: K, json: unknown): CampaignParams<K> {
  const schema: z.ZodType<CampaignParams<K>> = paramSchemas[kind] as unknown as z.ZodType<CampaignParams<K>>;
  return schema.parse(json);
}

export const stepInputSchema = z
  .array(z.object({ offsetDays: z.number().int().min(-365).max(365), channel: z.enum(STEP_CHANNELS), templateId: z.string().nullable().default(null) }))
  .min(1)
  .max(10);

export function createCampaignConfig(handle: DbHandle) {
  const { db } = handle;

  async function ensureDefaults(dealerId: string): Promise<void> {
    const at = nowIso();
    const stamps = { dealer_id: dealerId, created_at: at, updated_at: at };
    const templates = new Map(
      (await db.selectFrom('message_template').select(['id', 'code']).where('dealer_id', '=', dealerId).execute()).map((t) => [t.code, t.id]),
    );
    await db.transaction().execute(async (tx) => {
      for (const c of CAMPAIGN_DEFAULTS) {
        const exists = await tx.selectFrom('campaign').select('id').where('dealer_id', '=', dealerId).where('kind', '=', c.kind).executeTakeFirst();
        if (exists) continue;
        const id = newId();
        await tx
          .insertInto('campaign')
          .values({ id, kind: c.kind, name_zh: c.nameZh, name_en: c.nameEn, purpose: c.purpose, enabled: 1, priority: c.priority, params: JSON.stringify(paramSchemas[c.kind].parse({})), ...stamps })
          .execute();
        await tx
          .insertInto('campaign_step')
          .values(c.steps.map((s, seq) => ({ id: newId(), campaign_id: id, seq, offset_days: s.offsetDays, channel: s.channel, template_id: (s.template && templates.get(s.template)) ?? null, ...stamps })))
          .execute();
      }
      const dispositions = DISPOSITION_DEFAULTS.map((d, sort) => ({
        id: newId(), code: d.code, label_zh: d.zh, label_en: d.en, reached: d.reached, unreachable: d.unreachable, hide_days: d.hideDays, callback: d.callback, active: 1, sort, ...stamps,
      }));
      await tx.insertInto('campaign_disposition').values(dispositions).onConflict((oc) => oc.columns(['dealer_id', 'code']).doNothing()).execute();
      const reasons = [
        ...FEEDBACK_REASON_DEFAULTS.map((r, sort) => ({ kind: 'feedback' as const, r, sort })),
        ...CLOSE_REASON_DEFAULTS.map((r, sort) => ({ kind: 'close' as const, r, sort })),
      ].map(({ kind, r, sort }) => ({ id: newId(), kind, code: r.code, label_zh: r.zh, label_en: r.en, active: 1, sort, ...stamps }));
      await tx.insertInto('campaign_reason').values(reasons).onConflict((oc) => oc.columns(['dealer_id', 'kind', 'code']).doNothing()).execute();
      const hasRules = await tx.selectFrom('inspection_rule').select('id').where('dealer_id', '=', dealerId).executeTakeFirst();
      if (!hasRules) {
        await tx
          .insertInto('inspection_rule')
          .values(INSPECTION_RULE_DEFAULTS.map((r) => ({ id: newId(), vehicle_class: r.vehicleClass, from_months: r.fromMonths, to_months: r.toMonths, every_months: r.everyMonths, on_site: r.onSite, note_zh: r.note, ...stamps })))
          .execute();
      }
    });
  }

  async function load(dealerId: string): Promise<LoadedCampaign[]> {
    const rows = await db.selectFrom('campaign').selectAll().where('dealer_id', '=', dealerId).orderBy('priority', 'desc').execute();
    const steps = await db.selectFrom('campaign_step').selectAll().where('dealer_id', '=', dealerId).orderBy('offset_days').orderBy('seq').execute();
    return rows.map((r) => {
      const own = steps.filter((s) => s.campaign_id === r.id);
      return {
        id: r.id,
        kind: r.kind,
        nameZh: r.name_zh,
        nameEn: r.name_en,
        purpose: r.purpose,
        enabled: r.enabled === 1,
        priority: r.priority,
        params: parseParams(r.kind, JSON.parse(r.params)),
        steps: own.map((s, seq) => ({ seq, offsetDays: s.offset_days, channel: s.channel, templateId: s.template_id })),
        createdOn: localDate(new Date(r.created_at), DEALER_UTC_OFFSET_MINUTES),
      };
    });
  }

  /** Changes a campaign; steps are replaced as a whole (tasks keep their step index, new ones use the new plan). */
  async function update(
    dealerId: string,
    id: string,
    patch: { enabled?: boolean; priority?: number; params?: unknown; steps?: z.input<typeof stepInputSchema> },
  ): Promise<LoadedCampaign> {
    const row = await db.selectFrom('campaign').select(['kind', 'params']).where('id', '=', id).where('dealer_id', '=', dealerId).executeTakeFirst();
    if (!row) throw new ServiceError('NOT_FOUND');
    const at = nowIso();
    const params = patch.params === undefined ? null : paramSchemas[row.kind].safeParse(patch.params);
    if (params && !params.success) throw fieldError('VALIDATION', 'params', { zh: '活动参数不正确', en: 'Campaign parameters are not valid' });
    const steps = patch.steps === undefined ? null : stepInputSchema.parse(patch.steps);
    await db.transaction().execute(async (tx) => {
      await tx
        .updateTable('campaign')
        .set({
          ...(patch.enabled === undefined ? {} : { enabled: patch.enabled ? 1 : 0 }),
          ...(patch.priority === undefined ? {} : { priority: patch.priority }),
          ...(params ? { params: JSON.stringify(params.data) } : {}),
          updated_at: at,
        })
        .where('id', '=', id)
        .execute();
      if (steps) {
        await tx.deleteFrom('campaign_step').where('campaign_id', '=', id).execute();
        const sorted = [...steps].sort((a, b) => a.offsetDays - b.offsetDays);
        await tx
          .insertInto('campaign_step')
          .values(sorted.map((s, seq) => ({ id: newId(), dealer_id: dealerId, campaign_id: id, seq, offset_days: s.offsetDays, channel: s.channel, template_id: s.templateId, created_at: at, updated_at: at })))
          .execute();
      }
    });
    const loaded = (await load(dealerId)).find((c) => c.id === id);
    if (!loaded) throw new ServiceError('NOT_FOUND');
    return loaded;
  }

  async function dispositions(dealerId: string): Promise<Disposition[]> {
    const rows = await db.selectFrom('campaign_disposition').selectAll().where('dealer_id', '=', dealerId).orderBy('sort').execute();
    return rows.map((r) => ({
      code: r.code,
      labelZh: r.label_zh,
      labelEn: r.label_en,
      reached: r.reached === 1,
      unreachable: r.unreachable === 1,
      hideDays: r.hide_days,
      callback: r.callback === 1,
      active: r.active === 1,
    }));
  }

  async function saveDisposition(dealerId: string, d: Omit<Disposition, 'active'> & { active?: boolean }): Promise<void> {
    const at = nowIso();
    const values = { label_zh: d.labelZh, label_en: d.labelEn, reached: d.reached ? 1 : 0, unreachable: d.unreachable ? 1 : 0, hide_days: d.hideDays, callback: d.callback ? 1 : 0, active: d.active === false ? 0 : 1, updated_at: at };
    await db
      .insertInto('campaign_disposition')
      .values({ id: newId(), dealer_id: dealerId, code: d.code, sort: 100, created_at: at, ...values })
      .onConflict((oc) => oc.columns(['dealer_id', 'code']).doUpdateSet(values))
      .execute();
  }

  async function reasons(dealerId: string, kind: CampaignReasonKind) {
    const rows = await db.selectFrom('campaign_reason').selectAll().where('dealer_id', '=', dealerId).where('kind', '=', kind).orderBy('sort').execute();
    return rows.map((r) => ({ code: r.code, labelZh: r.label_zh, labelEn: r.label_en, active: r.active === 1 }));
  }

  async function saveReason(dealerId: string, kind: CampaignReasonKind, r: { code: string; labelZh: string; labelEn: string; active?: boolean }) {
    const at = nowIso();
    const values = { label_zh: r.labelZh, label_en: r.labelEn, active: r.active === false ? 0 : 1, updated_at: at };
    await db
      .insertInto('campaign_reason')
      .values({ id: newId(), dealer_id: dealerId, kind, code: r.code, sort: 100, created_at: at, ...values })
      .onConflict((oc) => oc.columns(['dealer_id', 'kind', 'code']).doUpdateSet(values))
      .execute();
  }

  async function inspectionRules(dealerId: string) {
    const rows = await db.selectFrom('inspection_rule').selectAll().where('dealer_id', '=', dealerId).orderBy('vehicle_class').orderBy('from_months').execute();
    return rows.map((r) => ({ vehicleClass: r.vehicle_class, fromMonths: r.from_months, toMonths: r.to_months, everyMonths: r.every_months, onSite: r.on_site === 1, noteZh: r.note_zh }));
  }

  async function replaceInspectionRules(
    dealerId: string,
    rules: ReadonlyArray<{ vehicleClass: string; fromMonths: number; toMonths: number; everyMonths: number; onSite: boolean; noteZh?: string | null }>,
  ): Promise<void> {
    for (const r of rules) {
      if (!(r.everyMonths > 0 && r.fromMonths > 0 && r.toMonths >= r.fromMonths)) {
        throw fieldError('VALIDATION', 'rules', { zh: '年审规则的月份不正确', en: 'Inspection rule months are not valid' });
      }
    }
    const at = nowIso();
    await db.transaction().execute(async (tx) => {
      await tx.deleteFrom('inspection_rule').where('dealer_id', '=', dealerId).execute();
      if (rules.length === 0) return;
      await tx
        .insertInto('inspection_rule')
        .values(rules.map((r) => ({ id: newId(), dealer_id: dealerId, vehicle_class: r.vehicleClass, from_months: r.fromMonths, to_months: r.toMonths, every_months: r.everyMonths, on_site: r.onSite ? 1 : 0, note_zh: r.noteZh ?? null, created_at: at, updated_at: at })))
        .execute();
    });
  }

  /** Records a known due date (e.g. the policy's real expiry); it replaces the anniversary estimate. */
  async function setKnownDueDate(dealerId: string, vehicleId: string, kind: 'insurance_compulsory' | 'insurance_commercial' | 'inspection', dueOn: string) {
    const at = nowIso();
    await db
      .insertInto('vehicle_due_date')
      .values({ dealer_id: dealerId, vehicle_id: vehicleId, kind, due_on: dueOn, created_at: at, updated_at: at })
      .onConflict((oc) => oc.columns(['vehicle_id', 'kind']).doUpdateSet({ due_on: dueOn, updated_at: at }))
      .execute();
  }

  return { ensureDefaults, load, update, dispositions, saveDisposition, reasons, saveReason, inspectionRules, replaceInspectionRules, setKnownDueDate };
}

export type CampaignConfig = ReturnType<typeof createCampaignConfig>;
