/**
 * "Make campaign" from a query (the seed's service-fortnight flow): the prepared recipient list becomes
 * an ad-hoc campaign (kind 'adhoc', one step on the chosen channel) with one task per recipient, so it
 * is worked and reported like the built-in campaigns:
 * - SMS: one message per recipient queued now (merge fields filled), the task's only step done (a touch
 *   linked to the queued message), so the report counts it as reminded; the queue writes the one timeline
 *   entry, which names the campaign and follows the message's state;
 * - phone: open tasks on a phone step due today, in the agents' 招揽 work queue;
 * - letter: open tasks on a letter step due today, in today's letter batch.
 * Everything is written in one IMMEDIATE transaction together with the query_campaign row whose
 * (dealer, request id) key is unique: the same request twice creates nothing the second time and
 * returns the first result.
 */
import { z } from 'zod';
import type { DbHandle } from '../../db/connection';
import { newId, nowIso } from '../../db/ids';
import type { QueryCampaignChannel } from '../../db/tables/query';
import type { QueryGroupShape } from '../../preload/channels/query';
import type { Bilingual } from '../../preload/messages';
import { addDays } from '../campaigns';
import { dealerProfileFrom, mergeValues } from '../campaigns/merge';
import { paramSchemas } from '../campaigns/params';
import type { SmsQueue } from '../campaigns/sms-queue';
import { ServiceError, fieldError } from '../rpc';
import { countSegments, parseTemplate, renderTokens } from '../templates';
import type { CampaignPreparation } from './campaign';

/** Below the reminder campaigns (定保 50, 首保 60) and above the lapsed pools: a supervisor chose these. */
const PRIORITY = 25;
const CHUNK = 500;
/** The cycle key of every task of an ad-hoc campaign: one task per customer per campaign. */
const CYCLE = 'query';

const storedResultSchema = z.object({
  campaignId: z.string(),
  name: z.string(),
  channel: z.enum(['sms', 'phone', 'letter']),
  matched: z.number().int(),
  tasks: z.number().int(),
  queued: z.number().int(),
  alreadyQueued: z.number().int(),
  dropped: z.array(z.object({ code: z.string(), label: z.object({ zh: z.string(), en: z.string() }), count: z.number().int() })),
  segments: z.number().int(),
});
export type MadeCampaign = z.infer<typeof storedResultSchema> & { repeated: boolean };

export interface MakeCampaignInput {
  dealerId: string;
  staffId: string;
  requestId: string;
  channel: QueryCampaignChannel;
  name: string;
  tree: QueryGroupShape;
  savedQueryId: string | null;
  sentenceZh: string;
  today: string;
  /** SMS text with merge fields (SMS only). */
  body?: string;
  /** Letter or card layout (letters only); validated by `letterTemplate`. */
  templateId?: string | null;
  assign: 'none' | 'responsible';
}

export interface MakeCampaignDeps {
  handle: DbHandle;
  smsQueue: SmsQueue;
  modelNamesZh: Readonly<Record<string, string>>;
}

const REQUEST_REUSED: Bilingual = {
  zh: '这个请求已用于另一种招揽方式，请关闭对话框后重新生成',
  en: 'This request was already used for another channel: close the dialog and start again',
};

export function createCampaignMaker(deps: MakeCampaignDeps) {
  const { handle, smsQueue, modelNamesZh } = deps;
  const { db, sqlite } = handle;

  const findRequest = sqlite.prepare<[string, string], { channel: QueryCampaignChannel; result: string }>(
    'select channel, result from query_campaign where dealer_id = ? and request_id = ?',
  );
  const insertCampaign = sqlite.prepare(`insert into campaign (id, dealer_id, kind, name_zh, name_en, purpose, enabled, priority, params, created_at, updated_at)
    values (@id, @dealer_id, 'adhoc', @name, @name, 'marketing', 1, @priority, @params, @at, @at)`);
  const insertStep = sqlite.prepare(`insert into campaign_step (id, dealer_id, campaign_id, seq, offset_days, channel, template_id, created_at, updated_at)
    values (?, ?, ?, 0, 0, ?, ?, ?, ?)`);
  const insertTask = sqlite.prepare(`insert into campaign_task (id, dealer_id, campaign_id, subject_id, vehicle_id, customer_id, cycle_key,
      due_on, window_from, settle_on, expire_on, status, step_seq, step_channel, step_on, fallback, priority, assigned_staff_id,
      unreachable_days, last_touch_on, last_touch_channel, created_on, created_at, updated_at)
    values (@id, @dealer_id, @campaign_id, @customer_id, @vehicle_id, @customer_id, '${CYCLE}',
      @today, @today, @settle_on, @expire_on, 'open', @step_seq, @step_channel, @step_on, 0, ${PRIORITY}, @assigned,
      0, @last_touch_on, @last_touch_channel, @today, @at, @at)
    on conflict (campaign_id, subject_id, cycle_key) do nothing`);
  const insertTouch = sqlite.prepare(`insert into campaign_touch (id, dealer_id, task_id, step_seq, channel, touch_on, occurred_at, staff_id, reached, sms_id, created_at)
    values (?, ?, ?, 0, 'sms', ?, ?, null, 0, ?, ?)`);
  const insertRequest = sqlite.prepare(`insert into query_campaign (id, dealer_id, request_id, campaign_id, saved_query_id, channel, tree, sentence_zh,
      template_id, sms_body, result, created_by, created_at)
    values (@id, @dealer_id, @request_id, @campaign_id, @saved_query_id, @channel, @tree, @sentence_zh, @template_id, @sms_body, @result, @created_by, @at)`);

  /** The first result of a request made before, or null. A request id reused for another channel is refused. */
  function previous(dealerId: string, requestId: string, channel: QueryCampaignChannel): MadeCampaign | null {
    const row = findRequest.get(dealerId, requestId);
    if (!row) return null;
    if (row.channel !== channel) throw new ServiceError('CONFLICT', REQUEST_REUSED);
    return { ...storedResultSchema.parse(JSON.parse(row.result)), repeated: true };
  }

  /** The letter or card layout to print with: the one chosen (active, of this dealer), else the default reminder letter. */
  async function letterTemplate(dealerId: string, templateId: string | null | undefined): Promise<string | null> {
    let q = db.selectFrom('message_template').select('id').where('dealer_id', '=', dealerId).where('active', '=', 1).where('kind', 'in', ['letter', 'card']);
    q = templateId ? q.where('id', '=', templateId) : q.where('code', '=', 'letter.reminder');
    const row = await q.executeTakeFirst();
    if (templateId && !row) throw fieldError('VALIDATION', 'templateId', { zh: '请选择一个启用的信件或贺卡模板', en: 'Choose an active letter or card template' });
    return row?.id ?? null;
  }

  /** Per recipient: the customer's newest live, unsold vehicle (the task's vehicle), their responsible agent and SMS merge values. */
  async function recipientDetails(dealerId: string, ids: readonly string[], campaignName: string, today: string) {
    const dealer = dealerProfileFrom(handle, dealerId);
    const out = new Map<string, { vehicleId: string | null; responsible: string | null; merge: ReturnType<typeof mergeValues> }>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const customers = await db
        .selectFrom('customer')
        .select(['id', 'name', 'gender', 'address', 'member_tier', 'responsible_staff_id'])
        .where('dealer_id', '=', dealerId)
        .where('id', 'in', chunk)
        .execute();
      const vehicles = await db
        .selectFrom('vehicle')
        .select(['id', 'customer_id', 'model', 'plate', 'vin', 'mileage_km'])
        .where('dealer_id', '=', dealerId)
        .where('customer_id', 'in', chunk)
        .where('deleted_at', 'is', null)
        // A car marked sold is no longer theirs to be reminded about.
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('contact_turnoff as t').select('t.id').whereRef('t.vehicle_id', '=', 'vehicle.id').where('t.kind', '=', 'sold'))))
        .orderBy('customer_id')
        .orderBy('purchase_date', 'desc')
        .orderBy('id')
        .execute();
      const newest = new Map<string, (typeof vehicles)[number]>();
      for (const v of vehicles) if (!newest.has(v.customer_id)) newest.set(v.customer_id, v);
      for (const c of customers) {
        const v = newest.get(c.id);
        const merge = mergeValues(
          {
            customer_name: c.name,
            gender: c.gender,
            address: c.address,
            member_tier: c.member_tier,
            plate: v?.plate ?? null,
            model: v ? (modelNamesZh[v.model] ?? v.model) : null,
            vin: v?.vin ?? null,
            mileage_km: v?.mileage_km ?? null,
            due_on: today,
            gift: null,
            campaign_name: campaignName,
          },
          dealer,
          today,
        );
        out.set(c.id, { vehicleId: v?.id ?? null, responsible: c.responsible_staff_id, merge });
      }
    }
    return out;
  }

  async function make(input: MakeCampaignInput, prep: CampaignPreparation): Promise<MadeCampaign> {
    const { dealerId, channel, today } = input;
    const earlier = previous(dealerId, input.requestId, channel);
    if (earlier) return earlier;
    const templateId = channel === 'letter' ? await letterTemplate(dealerId, input.templateId) : null;
    const tokens = channel === 'sms' ? parseTemplate(input.body ?? '').tokens : [];
    const details = await recipientDetails(dealerId, prep.recipients.map((r) => r.customerId), input.name, today);
    const params = paramSchemas.adhoc.parse({});
    const settleOn = addDays(today, params.settleAfterDays);
    const expireOn = addDays(today, params.expireAfterDays);

    const write = sqlite.transaction((): MadeCampaign => {
      // A concurrent call with the same request may have committed while this one prepared.
      const raced = previous(dealerId, input.requestId, channel);
      if (raced) return raced;
      const at = nowIso();
      const campaignId = newId();
      insertCampaign.run({ id: campaignId, dealer_id: dealerId, name: input.name, priority: PRIORITY, params: JSON.stringify(params), at });
      insertStep.run(newId(), dealerId, campaignId, channel, templateId, at, at);
      let tasks = 0;
      let queued = 0;
      let alreadyQueued = 0;
      let segments = 0;
      for (const r of prep.recipients) {
        const d = details.get(r.customerId);
        const taskId = newId();
        const sms = channel === 'sms';
        const created = insertTask.run({
          id: taskId,
          dealer_id: dealerId,
          campaign_id: campaignId,
          customer_id: r.customerId,
          vehicle_id: d?.vehicleId ?? null,
          today,
          settle_on: settleOn,
          expire_on: expireOn,
          // An SMS step is done as it is queued; phone and letter steps are due today.
          step_seq: sms ? 1 : 0,
          step_channel: sms ? null : channel,
          step_on: sms ? null : today,
          assigned: channel === 'phone' && input.assign === 'responsible' ? (d?.responsible ?? null) : null,
          last_touch_on: sms ? today : null,
          last_touch_channel: sms ? 'sms' : null,
          at,
        });
        if (created.changes === 0) continue;
        tasks++;
        if (!sms) continue;
        const text = renderTokens(tokens, d?.merge ?? {}, false).text;
        segments = Math.max(segments, countSegments(text).parts);
        const vehicleId = d?.vehicleId ?? null;
        const result = smsQueue.enqueue({
          dealerId, customerId: r.customerId, mobile: r.contact, text, purpose: 'marketing', dedupeKey: `query:${input.requestId}:${r.customerId}`,
          source: { kind: 'campaign', campaignId, step: 0, taskIds: [taskId], vehicleIds: vehicleId ? [vehicleId] : [] },
          label: input.name, vehicleId, staffId: input.staffId,
        });
        if (result.queued) queued++;
        else alreadyQueued++;
        // The touch is linked to the queued row: if the hand-off drops the message, it takes the touch back.
        insertTouch.run(newId(), dealerId, taskId, today, at, result.id, at);
      }
      const result = {
        campaignId,
        name: input.name,
        channel,
        matched: prep.matched,
        tasks,
        queued,
        alreadyQueued,
        dropped: prep.dropped.map((g) => ({ code: g.code, label: g.label, count: g.count })),
        segments,
      };
      insertRequest.run({
        id: newId(),
        dealer_id: dealerId,
        request_id: input.requestId,
        campaign_id: campaignId,
        saved_query_id: input.savedQueryId,
        channel,
        tree: JSON.stringify(input.tree),
        sentence_zh: input.sentenceZh,
        template_id: templateId,
        sms_body: channel === 'sms' ? (input.body ?? null) : null,
        result: JSON.stringify(result),
        created_by: input.staffId,
        at,
      });
      return { ...result, repeated: false };
    });
    return write.immediate();
  }

  return { make, previous };
}

export type CampaignMaker = ReturnType<typeof createCampaignMaker>;
