/**
 * The durable outbox. Every SMS is a row (with its encoded PDUs per part) before it touches the modem.
 * Part states: queued → sending → sent(mr) → delivered | failed, plus UNCERTAIN for a part caught
 * between Ctrl-Z and its answer: exactly-once does not exist over AT+CMGS, so a person decides.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { DbHandle } from '../../../db/connection';
import { newId } from '../../../db/ids';
import type { SmsKind, SmsMessageState, SmsOrigin, SmsPartTable } from '../../../db/tables/modem';
import { automatedDailyAllowance } from '../../../preload/channels/modem';
import { ServiceError } from '../../rpc/errors';
import { encodeSubmit, PduError, segment, type DeliveryOutcome } from '../pdu';
import { crmNumber, sameNumber } from '../phone';
import { isOptedOut } from './customers';

export interface StoreContext {
  handle: DbHandle;
  dealerId: string;
  now: () => number;
}

export const iso = (ctx: StoreContext, offsetMs = 0) => new Date(ctx.now() + offsetMs).toISOString();

export interface OutboxPolicy {
  /**
   * SMS a customer may get per local calendar day, all kinds together. Automated SMS stop one short of it
   * (see `automatedDailyAllowance`), so the last one of the day is always left for an agent's own SMS.
   */
  perCustomerDailyCap: number;
  /** Local time zone of the dealer, minutes east of UTC (China: 480). */
  utcOffsetMinutes: number;
  statusReport: boolean;
  validityMinutes: number;
}

export interface EnqueueInput {
  customerId: string | null;
  /** Defaults to the customer's mobile. */
  recipient: string | null;
  body: string;
  kind: SmsKind;
  /** 'manual': typed (or picked from a template) by an agent; 'automated': sent by the system (campaign queue, alarms). */
  origin: SmsOrigin;
  staffId: string | null;
  clientRef: string | null;
  /** Not sent at all after this instant (UTC ISO): a message not begun by then fails as expired. */
  expiresAt?: string | null;
}

export interface EnqueuedMessage {
  id: string;
  parts: number;
  encoding: 'gsm7' | 'ucs2';
  duplicate: boolean;
}

const msg = (zh: string, en: string) => ({ zh, en });

/** Start of the dealer's local day, as a UTC ISO string. */
function localDayStart(ctx: StoreContext, offsetMinutes: number): string {
  const shifted = ctx.now() + offsetMinutes * 60_000;
  const dayStart = shifted - (shifted % 86_400_000);
  return new Date(dayStart - offsetMinutes * 60_000).toISOString();
}

/**
 * The per-customer daily cap: every SMS of the day counts, whoever wrote it. An automated SMS is refused
 * once the total reaches the automated allowance (cap − 1, see automatedDailyAllowance), a hand-written
 * one only at the cap itself, so automated sending can never use up an agent's last SMS of the day.
 */
export function dailyCapCheck(cap: number, origin: SmsOrigin, sentToday: number): void {
  if (origin === 'automated') {
    const allowance = automatedDailyAllowance(cap);
    if (sentToday >= allowance) {
      const kept = cap - allowance;
      throw new ServiceError(
        'RATE_LIMITED',
        kept > 0
          ? msg(`该客户今日自动短信已达上限（${allowance} 条，另留 ${kept} 条给坐席手工发送）`, `Automated SMS limit for this customer reached today (${allowance}; ${kept} kept for agents' own SMS)`)
          : msg(`该客户今日短信已达上限（${cap} 条）`, `Daily SMS limit for this customer reached (${cap})`),
      );
    }
  } else if (sentToday >= cap) {
    throw new ServiceError('RATE_LIMITED', msg(`该客户今日短信已达上限（${cap} 条）`, `Daily SMS limit for this customer reached (${cap})`));
  }
}

/**
 * How many SMS the customer has had since `since` (the dealer's local midnight), for the daily cap. It runs
 * on every send: the index sms_message_customer_day (0023) keeps it to the customer's own rows.
 */
export function sentSinceQuery(handle: DbHandle, customerId: string, since: string) {
  return handle.db
    .selectFrom('sms_message')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', '=', customerId)
    .where('created_at', '>=', since)
    .where('state', '!=', 'cancelled');
}

export async function enqueue(ctx: StoreContext, policy: OutboxPolicy, input: EnqueueInput): Promise<EnqueuedMessage> {
  const { db } = ctx.handle;
  if (input.clientRef) {
    const existing = await db
      .selectFrom('sms_message')
      .select(['id', 'part_count', 'encoding'])
      .where('dealer_id', '=', ctx.dealerId)
      .where('client_ref', '=', input.clientRef)
      .executeTakeFirst();
    if (existing) return { id: existing.id, parts: existing.part_count, encoding: existing.encoding, duplicate: true };
  }
  let recipient = input.recipient ? crmNumber(input.recipient) : null;
  if (input.customerId) {
    const c = await db
      .selectFrom('customer')
      .select(['mobile'])
      .where('id', '=', input.customerId)
      .where('dealer_id', '=', ctx.dealerId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!c) throw new ServiceError('NOT_FOUND');
    recipient ??= c.mobile;
    if (await isOptedOut(ctx.handle, input.customerId)) {
      throw new ServiceError('FORBIDDEN', msg('该客户已退订短信', 'This customer has opted out of SMS'));
    }
    const today = await sentSinceQuery(ctx.handle, input.customerId, localDayStart(ctx, policy.utcOffsetMinutes)).executeTakeFirstOrThrow();
    dailyCapCheck(policy.perCustomerDailyCap, input.origin, Number(today.n));
  }
  if (!recipient) throw new ServiceError('VALIDATION', msg('没有可发送的手机号', 'There is no mobile number to send to'));
  if (!/^\+?[0-9]{3,20}$/.test(recipient)) throw new ServiceError('VALIDATION', msg('手机号格式不正确', 'Not a valid mobile number'));
  const to = recipient;

  return db.transaction().execute(async (trx) => {
    const at = iso(ctx);
    // The concatenation reference is allocated and persisted with the message, so a resumed
    // message keeps it and two messages in flight to one handset do not share it.
    const counter = await trx
      .selectFrom('modem_state')
      .select('value')
      .where('dealer_id', '=', ctx.dealerId)
      .where('key', '=', 'concat_ref')
      .executeTakeFirst();
    const ref = counter ? (Number(counter.value) + 1) % 256 : 0;
    await trx
      .insertInto('modem_state')
      .values({ dealer_id: ctx.dealerId, key: 'concat_ref', value: String(ref), updated_at: at })
      .onConflict((oc) => oc.columns(['dealer_id', 'key']).doUpdateSet({ value: String(ref), updated_at: at }))
      .execute();
    const parts = encodeOrRefuse(() => encodeSubmit({ recipient: to, text: input.body, concatRef: ref, statusReport: policy.statusReport, validityMinutes: policy.validityMinutes }));
    const id = newId(ctx.now());
    const encoding = segment(input.body).encoding;
    await trx
      .insertInto('sms_message')
      .values({
        id,
        dealer_id: ctx.dealerId,
        customer_id: input.customerId,
        recipient: to,
        body: input.body,
        kind: input.kind,
        encoding,
        part_count: parts.length,
        concat_ref: ref,
        state: 'queued',
        staff_id: input.staffId,
        client_ref: input.clientRef,
        error_code: null,
        error_text: null,
        sent_at: null,
        delivered_at: null,
        expires_at: input.expiresAt ?? null,
        origin: input.origin,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await trx
      .insertInto('sms_part')
      .values(
        parts.map((p) => ({
          id: newId(ctx.now()),
          dealer_id: ctx.dealerId,
          message_id: id,
          seq: p.seq,
          pdu: p.pdu,
          tpdu_length: p.tpduLength,
          state: 'queued' as const,
          mr: null,
          attempts: 0,
          next_attempt_at: null,
          submitted_at: null,
          report_status: null,
          reported_at: null,
          error_code: null,
          error_text: null,
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
    // One timeline entry per SMS, written where the SMS is born and in the same transaction, so a crash
    // cannot leave a message without its entry (a retry with the same clientRef is a duplicate and writes
    // nothing). An automated SMS got its entry when the campaign queue took it (it follows this message
    // from there), so only a hand-written one gets one here.
    if (input.customerId && input.origin === 'manual') {
      await trx
        .insertInto('contact_event')
        .values({ id: newId(ctx.now()), dealer_id: ctx.dealerId, customer_id: input.customerId, vehicle_id: null, kind: 'sms_out', occurred_at: at, staff_id: input.staffId, summary: input.body.slice(0, 200), detail: JSON.stringify({ messageId: id, kind: input.kind }), created_at: at })
        .execute();
    }
    return { id, parts: parts.length, encoding, duplicate: false };
  });
}

/**
 * A text the PDU encoder refuses (over 255 parts) can never be sent: it is the caller's input that is
 * wrong, reported as a field error on the body like any other refusal, so the campaign hand-off drops
 * the row instead of retrying it forever.
 */
function encodeOrRefuse<T>(encode: () => T): T {
  try {
    return encode();
  } catch (error) {
    if (!(error instanceof PduError)) throw error;
    const tooLong = msg('短信过长，无法发送', 'Too long to send as an SMS');
    throw new ServiceError('VALIDATION', tooLong, [{ path: 'body', message: tooLong }]);
  }
}

export type DuePart = Selectable<SmsPartTable> & { recipient: string; kind: SmsKind; customer_id: string | null; part_count: number };

/**
 * The send loop's per-part statements, compiled once per connection: they sit between two submits,
 * so their cost is paid on every SMS (engineering.md: hot loops reuse prepared statements).
 */
type Stmt = BetterSqlite3.Statement;
interface HotStatements {
  nextDue: Stmt;
  expiredMessages: Stmt;
  expireParts: Stmt;
  expireMessage: Stmt;
  partSending: Stmt;
  msgSending: Stmt;
  partSent: Stmt;
  partStates: Stmt;
  message: Stmt;
  setMessage: Stmt;
}
const statements = new WeakMap<BetterSqlite3.Database, HotStatements>();

function hot(ctx: StoreContext): HotStatements {
  const cached = statements.get(ctx.handle.sqlite);
  if (cached) return cached;
  const db = ctx.handle.sqlite;
  const made: HotStatements = {
    nextDue: db.prepare(
      `select p.*, m.recipient, m.kind, m.customer_id, m.part_count
         from sms_part p join sms_message m on m.id = p.message_id
        where p.dealer_id = ? and p.state = 'queued' and m.state in ('queued', 'sending')
          and (p.next_attempt_at is null or p.next_attempt_at <= ?) and (? = 1 or m.kind != 'marketing')
          and (m.state = 'sending' or m.expires_at is null or m.expires_at > ?)
        order by m.created_at, m.id, p.seq limit 1`,
    ),
    // Only messages not begun: once a part has gone, the rest follow (half a message is noise).
    expiredMessages: db.prepare(`select id from sms_message where dealer_id = ? and state = 'queued' and expires_at is not null and expires_at <= ?`).pluck(),
    expireParts: db.prepare(`update sms_part set state = 'failed', error_text = ?, updated_at = ? where message_id = ? and state = 'queued'`),
    expireMessage: db.prepare(`update sms_message set state = 'failed', error_text = ?, updated_at = ? where id = ? and state = 'queued'`),
    partSending: db.prepare(`update sms_part set state = 'sending', attempts = ?, updated_at = ? where id = ?`),
    msgSending: db.prepare(`update sms_message set state = 'sending', updated_at = ? where id = ? and state = 'queued'`),
    partSent: db.prepare(`update sms_part set state = 'sent', mr = ?, submitted_at = ?, error_code = null, error_text = null, updated_at = ? where id = ?`),
    partStates: db.prepare(`select state from sms_part where message_id = ?`).pluck(),
    message: db.prepare(`select state, sent_at, delivered_at from sms_message where id = ?`),
    setMessage: db.prepare(
      `update sms_message set state = ?, updated_at = ?, sent_at = coalesce(sent_at, ?), delivered_at = coalesce(delivered_at, ?) where id = ?`,
    ),
  };
  statements.set(db, made);
  return made;
}
/** The next part to submit: oldest message first, parts in order; marketing waits out quiet hours; a message past its expiry is never picked. */
export async function nextDue(ctx: StoreContext, allowMarketing: boolean): Promise<DuePart | null> {
  const now = iso(ctx);
  const row = hot(ctx).nextDue.get(ctx.dealerId, now, allowMarketing ? 1 : 0, now) as DuePart | undefined;
  return row ?? null;
}

export const EXPIRED_TEXT = '已过期，未发送 / expired before it could be sent';

/** Fails the messages whose expiry passed before any part went (nextDue already skips them); returns their ids. */
export function expireOverdue(ctx: StoreContext): string[] {
  const s = hot(ctx);
  const at = iso(ctx);
  return ctx.handle.sqlite.transaction(() => {
    const ids = s.expiredMessages.all(ctx.dealerId, at) as string[];
    for (const id of ids) {
      s.expireParts.run(EXPIRED_TEXT, at, id);
      s.expireMessage.run(EXPIRED_TEXT, at, id);
    }
    return ids;
  })();
}

/** When the earliest deferred part becomes due (for the send loop's wake-up), or null. */
export async function nextWakeAt(ctx: StoreContext): Promise<string | null> {
  const row = await ctx.handle.db
    .selectFrom('sms_part')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('dealer_id', '=', ctx.dealerId)
    .where('state', '=', 'queued')
    .where('next_attempt_at', 'is not', null)
    .executeTakeFirst();
  return row?.at ?? null;
}

/** Committed before the PDU is written: a crash from here on leaves evidence, never a silent resend. */
export async function markSending(ctx: StoreContext, part: DuePart): Promise<void> {
  const s = hot(ctx);
  const at = iso(ctx);
  ctx.handle.sqlite.transaction(() => {
    s.partSending.run(part.attempts + 1, at, part.id);
    s.msgSending.run(at, part.message_id);
  })();
}

const MESSAGE_STATES = new Set<string>(['queued', 'sending', 'sent', 'delivered', 'failed', 'uncertain', 'cancelled']);
const asState = (s: unknown): SmsMessageState => {
  if (typeof s === 'string' && MESSAGE_STATES.has(s)) return s as SmsMessageState;
  throw new Error(`unexpected SMS state ${String(s)}`);
};

/** The message state its parts add up to. */
export function messageStateOf(states: readonly SmsMessageState[]): SmsMessageState {
  const all = (s: string) => states.every((x) => x === s);
  if (states.includes('failed')) return 'failed';
  if (states.includes('uncertain')) return 'uncertain';
  if (all('delivered')) return 'delivered';
  if (states.every((s) => s === 'sent' || s === 'delivered')) return 'sent';
  if (states.includes('cancelled') && states.every((s) => s !== 'queued' && s !== 'sending')) return 'cancelled';
  if (states.some((s) => s !== 'queued')) return 'sending';
  return 'queued';
}

/** Recomputes a message's state from its parts; returns the new state. */
export async function rollUp(ctx: StoreContext, messageId: string): Promise<SmsMessageState> {
  const s = hot(ctx);
  const state = messageStateOf((s.partStates.all(messageId) as unknown[]).map(asState));
  const current = s.message.get(messageId) as { state: string } | undefined;
  if (current && current.state !== state) {
    const at = iso(ctx);
    s.setMessage.run(state, at, state === 'sent' || state === 'delivered' ? at : null, state === 'delivered' ? at : null, messageId);
  }
  return state;
}

export async function markSent(ctx: StoreContext, partId: string, mr: number | null): Promise<void> {
  const at = iso(ctx);
  hot(ctx).partSent.run(mr, at, at, partId);
}

/** Proven not sent (explicit error, or no prompt): back in the queue after `delayMs`, or failed when out of attempts. */
export async function markRetry(ctx: StoreContext, part: DuePart, delayMs: number, error: { code: number | null; text: string }, maxAttempts: number, countAttempt: boolean): Promise<'retry' | 'failed'> {
  const attempts = countAttempt ? part.attempts + 1 : part.attempts;
  if (attempts >= maxAttempts) {
    await markFailed(ctx, part, error);
    return 'failed';
  }
  await ctx.handle.db
    .updateTable('sms_part')
    .set({ state: 'queued', attempts, next_attempt_at: iso(ctx, delayMs), error_code: error.code, error_text: error.text, updated_at: iso(ctx) })
    .where('id', '=', part.id)
    .execute();
  return 'retry';
}

/** Permanent failure: the part fails and the parts still waiting are cancelled (half a message is noise). */
export async function markFailed(ctx: StoreContext, part: { id: string; message_id: string }, error: { code: number | null; text: string }): Promise<void> {
  const at = iso(ctx);
  await ctx.handle.db.transaction().execute(async (trx) => {
    await trx.updateTable('sms_part').set({ state: 'failed', error_code: error.code, error_text: error.text, updated_at: at }).where('id', '=', part.id).execute();
    await trx.updateTable('sms_part').set({ state: 'cancelled', updated_at: at }).where('message_id', '=', part.message_id).where('state', '=', 'queued').execute();
    await trx.updateTable('sms_message').set({ state: 'failed', error_code: error.code, error_text: error.text, updated_at: at }).where('id', '=', part.message_id).execute();
  });
}

export async function markUncertain(ctx: StoreContext, part: { id: string; message_id: string }, text: string): Promise<void> {
  const at = iso(ctx);
  await ctx.handle.db.updateTable('sms_part').set({ state: 'uncertain', error_text: text, updated_at: at }).where('id', '=', part.id).execute();
  await ctx.handle.db.updateTable('sms_message').set({ state: 'uncertain', error_text: text, updated_at: at }).where('id', '=', part.message_id).execute();
}

/** On start: parts left in 'sending' by a crash become UNCERTAIN (the modem may have sent them). */
export async function recoverInterrupted(ctx: StoreContext): Promise<string[]> {
  const stuck = await ctx.handle.db.selectFrom('sms_part').select(['id', 'message_id']).where('dealer_id', '=', ctx.dealerId).where('state', '=', 'sending').execute();
  for (const p of stuck) await markUncertain(ctx, p, 'interrupted mid-send (crash or restart)');
  // A message whose parts were all still queued when we stopped goes back to 'queued'.
  const sendingMsgs = await ctx.handle.db.selectFrom('sms_message').select('id').where('dealer_id', '=', ctx.dealerId).where('state', '=', 'sending').execute();
  for (const m of sendingMsgs) await rollUp(ctx, m.id);
  return [...new Set(stuck.map((p) => p.message_id))];
}

export type UncertainAction = 'resend' | 'mark_sent' | 'cancel';

/** A person's decision about an UNCERTAIN message: resend its uncertain parts, accept them as sent, or cancel. */
export async function resolveUncertain(ctx: StoreContext, messageId: string, action: UncertainAction): Promise<SmsMessageState> {
  const at = iso(ctx);
  const msgRow = await ctx.handle.db.selectFrom('sms_message').select('state').where('id', '=', messageId).where('dealer_id', '=', ctx.dealerId).executeTakeFirst();
  if (!msgRow) throw new ServiceError('NOT_FOUND');
  if (msgRow.state !== 'uncertain') throw new ServiceError('CONFLICT', msg('该短信不处于“结果未知”状态', 'This SMS is not in the "outcome unknown" state'));
  const next = action === 'resend' ? 'queued' : action === 'mark_sent' ? 'sent' : 'cancelled';
  await ctx.handle.db.transaction().execute(async (trx) => {
    await trx.updateTable('sms_part').set({ state: next, next_attempt_at: null, updated_at: at }).where('message_id', '=', messageId).where('state', '=', 'uncertain').execute();
    if (action === 'cancel') await trx.updateTable('sms_part').set({ state: 'cancelled', updated_at: at }).where('message_id', '=', messageId).where('state', '=', 'queued').execute();
    await trx.updateTable('sms_message').set({ state: action === 'cancel' ? 'cancelled' : 'sending', updated_at: at }).where('id', '=', messageId).execute();
  });
  return action === 'cancel' ? 'cancelled' : rollUp(ctx, messageId);
}

export interface ReportInput {
  reference: number;
  recipient: string;
  status: number;
  outcome: DeliveryOutcome;
  dischargedAt: string;
}

/**
 * Matches a status report to a part by (TP-MR, recipient, submitted within the window), newest first:
 * TP-MR wraps every 256 submits, so the reference alone would mis-attribute.
 */
export async function applyReport(ctx: StoreContext, report: ReportInput, windowMs: number): Promise<{ messageId: string; state: SmsMessageState } | null> {
  const candidates = await ctx.handle.db
    .selectFrom('sms_part as p')
    .innerJoin('sms_message as m', 'm.id', 'p.message_id')
    .select(['p.id', 'p.message_id', 'm.recipient', 'p.state'])
    .where('p.dealer_id', '=', ctx.dealerId)
    .where('p.mr', '=', report.reference)
    .where('p.state', 'in', ['sent', 'delivered'])
    .where('p.submitted_at', '>=', iso(ctx, -windowMs))
    .orderBy('p.submitted_at', 'desc')
    .orderBy('p.id', 'desc')
    .execute();
  const match = candidates.find((c) => sameNumber(c.recipient, report.recipient) && c.state === 'sent') ?? candidates.find((c) => sameNumber(c.recipient, report.recipient));
  if (!match) return null;
  const at = iso(ctx);
  if (report.outcome === 'pending') {
    await ctx.handle.db.updateTable('sms_part').set({ report_status: report.status, reported_at: report.dischargedAt, updated_at: at }).where('id', '=', match.id).execute();
  } else if (report.outcome === 'delivered') {
    await ctx.handle.db.updateTable('sms_part').set({ state: 'delivered', report_status: report.status, reported_at: report.dischargedAt, updated_at: at }).where('id', '=', match.id).execute();
  } else {
    await ctx.handle.db
      .updateTable('sms_part')
      .set({ state: 'failed', report_status: report.status, reported_at: report.dischargedAt, error_text: `delivery failed (TP-ST 0x${report.status.toString(16)})`, updated_at: at })
      .where('id', '=', match.id)
      .execute();
  }
  return { messageId: match.message_id, state: await rollUp(ctx, match.message_id) };
}
