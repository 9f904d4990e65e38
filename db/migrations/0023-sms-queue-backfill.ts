import { sql, type Kysely, type Migration } from 'kysely';
import { newId } from '../ids';

/**
 * Follow-ups to 0020 (one SMS per customer, campaign and day; one timeline entry per SMS):
 *
 * - Timeline entries for SMS still waiting in the campaign queue from before 0020. The modem's outbox used
 *   to write the entry of every SMS it took; since 0020 the queue writes it when it queues a message, and
 *   the outbox writes none for automated SMS. A row queued by the old code and handed over by the new one
 *   would have no entry at all: appointment confirmations ('appt:…' keys) never had one before the
 *   outbox, while the old campaign steps and query campaigns wrote theirs when queuing (detail.taskId,
 *   detail.queryCampaign), so those already show. Each waiting row without an entry gets the one the queue
 *   writes now (main/campaigns/sms-queue.ts): when it was queued, the label and text, the row it follows
 *   (detail.smsQueueId) and what sent it (detail.source), so the timeline shows its state from now on.
 *   "Waiting" includes a row a dead hand-off had claimed without reaching the outbox: it is queued again.
 * - The per-customer daily cap counts the customer's SMS since local midnight on every send; without an
 *   index on (customer_id, created_at) that was a scan of the whole outbox.
 */
export const migration0023: Migration = {
  async up(db: Kysely<unknown>) {
    // Only well-formed details are read: one bad entry must not fail the upgrade.
    const field = (path: string) => sql.raw(`(case when json_valid(e.detail) then json_extract(e.detail, '${path}') end)`);
    const rows = await sql<{ id: string; dealer_id: string; customer_id: string; text: string; dedupe_key: string; created_at: string }>`
      select s.id, s.dealer_id, s.customer_id, s.text, s.dedupe_key, s.created_at
      from campaign_sms s
      where (s.status = 'queued'
          or (s.status = 'handed_off' and s.sms_message_id is null and s.handoff_error is null
            and not exists (select 1 from sms_message m where m.dealer_id = s.dealer_id and m.client_ref = 'campaign_sms:' || s.id)))
        and not exists (select 1 from contact_event e
          where e.customer_id = s.customer_id and e.kind = 'sms_out'
            and (${field('$.smsQueueId')} = s.id
              or (s.dedupe_key like 'task:%' and s.dedupe_key like 'task:' || ${field('$.taskId')} || ':%')
              or s.dedupe_key = 'query:' || ${field('$.queryCampaign')} || ':' || s.customer_id))
      order by s.created_at, s.id`.execute(db);

    const at = new Date().toISOString();
    for (const row of rows.rows) {
      const entry = await describe(db, row);
      if (!entry) continue;
      await sql`insert into contact_event (id, dealer_id, customer_id, vehicle_id, kind, occurred_at, staff_id, summary, detail, created_at)
        values (${newId(Date.parse(row.created_at) || Date.now())}, ${row.dealer_id}, ${row.customer_id}, ${entry.vehicleId}, 'sms_out', ${row.created_at}, null,
          ${`${entry.label}：${row.text}`}, ${JSON.stringify({ smsQueueId: row.id, source: entry.source })}, ${at})`.execute(db);
    }

    await sql`create index sms_message_customer_day on sms_message (customer_id, created_at) where customer_id is not null`.execute(db);
  },
};

/** The labels main/appointments gives its two confirmations (REMINDERS). */
const REMINDER_LABELS: Record<string, string> = { day_before: '预约提醒（前一天）', hour_before: '预约提醒（前一小时）' };

type Source =
  | { kind: 'campaign'; campaignId: string; step: number | null; taskIds: string[]; vehicleIds: string[] }
  | { kind: 'appointment'; appointmentId: string; reminder: string };

/** What sent a queued row, from its key as the code of its time wrote it; null for a key it cannot read. */
async function describe(
  db: Kysely<unknown>,
  row: { dealer_id: string; customer_id: string; dedupe_key: string },
): Promise<{ source: Source; label: string; vehicleId: string | null } | null> {
  const parts = row.dedupe_key.split(':');
  const [kind, id = ''] = parts;
  if (kind === 'appt' && parts.length === 3) {
    const reminder = parts[2] ?? '';
    const appointment = await sql<{ vehicle_id: string | null }>`select vehicle_id from appointment where id = ${id} and dealer_id = ${row.dealer_id}`.execute(db);
    return { source: { kind: 'appointment', appointmentId: id, reminder }, label: REMINDER_LABELS[reminder] ?? '预约提醒', vehicleId: appointment.rows[0]?.vehicle_id ?? null };
  }
  if (kind === 'task') {
    // task:<id>:step:<seq> (a campaign step) or task:<id>:fallback (the unreachable fallback).
    const task = await sql<{ campaign_id: string; vehicle_id: string | null; name_zh: string }>`
      select t.campaign_id, t.vehicle_id, cp.name_zh from campaign_task t join campaign cp on cp.id = t.campaign_id
      where t.id = ${id} and t.dealer_id = ${row.dealer_id}`.execute(db);
    const t = task.rows[0];
    if (!t) return null;
    const step = parts[2] === 'step' ? Number(parts[3]) : null;
    const vehicleIds = t.vehicle_id ? [t.vehicle_id] : [];
    return { source: { kind: 'campaign', campaignId: t.campaign_id, step: Number.isInteger(step) ? step : null, taskIds: [id], vehicleIds }, label: t.name_zh, vehicleId: t.vehicle_id };
  }
  if (kind === 'query') {
    // query:<request id>:<customer id>: the ad-hoc campaign's one SMS step for this customer.
    const made = await sql<{ campaign_id: string; name_zh: string }>`
      select qc.campaign_id, cp.name_zh from query_campaign qc join campaign cp on cp.id = qc.campaign_id
      where qc.dealer_id = ${row.dealer_id} and qc.request_id = ${id}`.execute(db);
    const q = made.rows[0];
    if (!q) return null;
    const tasks = await sql<{ id: string; vehicle_id: string | null }>`
      select id, vehicle_id from campaign_task where campaign_id = ${q.campaign_id} and customer_id = ${row.customer_id} order by id`.execute(db);
    const vehicleIds = tasks.rows.flatMap((t) => (t.vehicle_id ? [t.vehicle_id] : []));
    return {
      source: { kind: 'campaign', campaignId: q.campaign_id, step: 0, taskIds: tasks.rows.map((t) => t.id), vehicleIds },
      label: q.name_zh,
      vehicleId: vehicleIds.length === 1 ? (vehicleIds[0] ?? null) : null,
    };
  }
  return null;
}
