/**
 * Receiving: every PDU read from the modem is fingerprinted (sha256 of the TPDU) before anything else,
 * so a message the modem hands over twice is handled once; multipart texts wait in sms_inbox_part and
 * are joined as raw bytes. A complete message lands in sms_inbox, threaded by customer (mobile or
 * second phone), with a contact_event and the opt-out check.
 */
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../../db/ids';
import type { Database } from '../../../db/schema';
import { decodeIncoming, joinParts, type DeliverPdu, type Payload, type StatusReportPdu } from '../pdu';
import { crmNumber, isOptOut } from '../phone';
import { findCustomerByNumber } from './customers';
import { iso, type StoreContext } from './outbox';

export interface ReceivedMessage {
  id: string;
  customerId: string | null;
  customerName: string | null;
  sender: string;
  body: string;
  receivedAt: string;
  optOut: boolean;
}

export type IncomingResult =
  | { kind: 'duplicate' }
  | { kind: 'partial' }
  | { kind: 'message'; message: ReceivedMessage }
  | { kind: 'report'; report: StatusReportPdu }
  | { kind: 'undecodable'; error: string };

function payloadToHex(p: Payload): string {
  return p.alphabet === 'gsm7' ? Buffer.from(p.septets).toString('hex') : Buffer.from(p.bytes).toString('hex');
}

function payloadFromHex(alphabet: 'gsm7' | 'ucs2' | '8bit', hex: string): Payload {
  const bytes = new Uint8Array(Buffer.from(hex, 'hex'));
  return alphabet === 'gsm7' ? { alphabet, septets: [...bytes] } : { alphabet, bytes };
}

async function remember(trx: Transaction<Database> | Kysely<Database>, ctx: StoreContext, fingerprint: string, kind: 'deliver' | 'status-report', raw: string): Promise<boolean> {
  const r = await trx
    .insertInto('sms_fingerprint')
    .values({ fingerprint, dealer_id: ctx.dealerId, kind, raw_pdu: raw, created_at: iso(ctx) })
    .onConflict((oc) => oc.column('fingerprint').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Persists one PDU read from the modem. Only after this resolves may the caller delete it from the
 * modem's storage. Status reports are returned for the outbox to match.
 */
export async function persistIncoming(ctx: StoreContext, rawPdu: string): Promise<IncomingResult> {
  let decoded: DeliverPdu | StatusReportPdu;
  try {
    decoded = decodeIncoming(rawPdu);
  } catch (error) {
    // Kept verbatim (under a fingerprint of the raw text) so nothing read from the SIM is silently lost.
    await remember(ctx.handle.db, ctx, createHash('sha256').update(rawPdu).digest('hex'), 'deliver', rawPdu);
    return { kind: 'undecodable', error: error instanceof Error ? error.message : String(error) };
  }
  if (decoded.type === 'status-report') {
    const fresh = await remember(ctx.handle.db, ctx, decoded.fingerprint, 'status-report', rawPdu);
    return fresh ? { kind: 'report', report: decoded } : { kind: 'duplicate' };
  }
  const deliver = decoded;
  const customer = await findCustomerByNumber(ctx.handle, ctx.dealerId, deliver.sender);
  return ctx.handle.db.transaction().execute(async (trx): Promise<IncomingResult> => {
    if (!(await remember(trx, ctx, deliver.fingerprint, 'deliver', rawPdu))) return { kind: 'duplicate' };
    const at = iso(ctx);
    let body = deliver.text;
    let partCount = 1;
    let receivedAt = deliver.timestamp;
    let partIds: string[] = [];
    const c = deliver.concat;
    if (c && c.total > 1) {
      await trx
        .insertInto('sms_inbox_part')
        .values({ id: newId(ctx.now()), dealer_id: ctx.dealerId, sender: deliver.sender, ref: c.ref, ref_bits: c.refBits, total: c.total, seq: c.seq, alphabet: deliver.payload.alphabet, payload: payloadToHex(deliver.payload), received_at: deliver.timestamp, message_id: null, created_at: at })
        .execute();
      const open = await trx
        .selectFrom('sms_inbox_part')
        .selectAll()
        .where('dealer_id', '=', ctx.dealerId)
        .where('sender', '=', deliver.sender)
        .where('ref', '=', c.ref)
        .where('ref_bits', '=', c.refBits)
        .where('total', '=', c.total)
        .where('message_id', 'is', null)
        .orderBy('seq')
        .execute();
      const bySeq = new Map(open.map((p) => [p.seq, p]));
      if (bySeq.size < c.total) return { kind: 'partial' };
      const parts = [...bySeq.values()];
      body = joinParts(parts.map((p) => ({ seq: p.seq, payload: payloadFromHex(p.alphabet, p.payload) })));
      partCount = c.total;
      receivedAt = parts[0]?.received_at ?? receivedAt;
      partIds = parts.map((p) => p.id);
    }
    const optOut = isOptOut(body);
    const id = newId(ctx.now());
    await trx
      .insertInto('sms_inbox')
      .values({ id, dealer_id: ctx.dealerId, customer_id: customer?.id ?? null, sender: crmNumber(deliver.sender), body, received_at: receivedAt, part_count: partCount, read_at: null, opt_out: optOut ? 1 : 0, created_at: at, updated_at: at })
      .execute();
    if (partIds.length) await trx.updateTable('sms_inbox_part').set({ message_id: id }).where('id', 'in', partIds).execute();
    if (customer) {
      await trx
        .insertInto('contact_event')
        .values({ id: newId(ctx.now()), dealer_id: ctx.dealerId, customer_id: customer.id, vehicle_id: null, kind: 'sms_in', occurred_at: receivedAt, staff_id: null, summary: body.slice(0, 200), detail: JSON.stringify({ inboxId: id, sender: deliver.sender, optOut }), created_at: at })
        .execute();
      if (optOut) {
        await trx
          .insertInto('contact_preference')
          .values({ customer_id: customer.id, dealer_id: ctx.dealerId, sms_opt_out: 1, opt_out_at: at, opt_out_source: `sms_reply:${id}`, created_at: at, updated_at: at })
          .onConflict((oc) => oc.column('customer_id').doUpdateSet({ sms_opt_out: 1, opt_out_at: at, opt_out_source: `sms_reply:${id}`, updated_at: at }))
          .execute();
      }
    }
    return { kind: 'message', message: { id, customerId: customer?.id ?? null, customerName: customer?.name ?? null, sender: crmNumber(deliver.sender), body, receivedAt, optOut } };
  });
}

export interface ThreadSummary {
  /** customer id, or 'n:<number>' for numbers that match no customer. */
  key: string;
  customerId: string | null;
  customerName: string | null;
  number: string;
  lastAt: string;
  lastText: string;
  lastDirection: 'in' | 'out';
  unread: number;
}

/** Inbox threads (by customer, else by number), newest first, with unread counts. */
export async function listThreads(ctx: StoreContext, limit = 100): Promise<ThreadSummary[]> {
  const { sqlite } = ctx.handle;
  const rows = sqlite
    .prepare(
      `with msgs as (
         select coalesce(customer_id, 'n:' || sender) as key, customer_id, sender as number, received_at as at, body, 'in' as dir,
                case when read_at is null then 1 else 0 end as unread
           from sms_inbox where dealer_id = ?
         union all
         select coalesce(customer_id, 'n:' || recipient), customer_id, recipient, created_at, body, 'out', 0
           from sms_message where dealer_id = ?
       ), ranked as (
         select *, row_number() over (partition by key order by at desc) as rn, sum(unread) over (partition by key) as unread_total from msgs
       )
       select r.key, r.customer_id, c.name as customer_name, r.number, r.at, r.body, r.dir, r.unread_total
         from ranked r left join customer c on c.id = r.customer_id
        where r.rn = 1 order by r.at desc limit ?`,
    )
    .all(ctx.dealerId, ctx.dealerId, limit) as Array<{ key: string; customer_id: string | null; customer_name: string | null; number: string; at: string; body: string; dir: 'in' | 'out'; unread_total: number }>;
  return rows.map((r) => ({ key: r.key, customerId: r.customer_id, customerName: r.customer_name, number: r.number, lastAt: r.at, lastText: r.body, lastDirection: r.dir, unread: r.unread_total }));
}

export interface ThreadItem {
  id: string;
  direction: 'in' | 'out';
  number: string;
  body: string;
  at: string;
  /** Inbound: 'unread' | 'read'; outbound: the message state. */
  state: string;
  parts: number;
}

/** One thread's messages in both directions, oldest first. */
export async function threadItems(ctx: StoreContext, key: { customerId: string } | { number: string }): Promise<ThreadItem[]> {
  const { db } = ctx.handle;
  const inbound = await db
    .selectFrom('sms_inbox')
    .select(['id', 'sender', 'body', 'received_at', 'read_at', 'part_count'])
    .where('dealer_id', '=', ctx.dealerId)
    .where((eb) => ('customerId' in key ? eb('customer_id', '=', key.customerId) : eb.and([eb('customer_id', 'is', null), eb('sender', '=', key.number)])))
    .execute();
  const outbound = await db
    .selectFrom('sms_message')
    .select(['id', 'recipient', 'body', 'created_at', 'state', 'part_count'])
    .where('dealer_id', '=', ctx.dealerId)
    .where((eb) => ('customerId' in key ? eb('customer_id', '=', key.customerId) : eb.and([eb('customer_id', 'is', null), eb('recipient', '=', key.number)])))
    .execute();
  return [
    ...inbound.map((m) => ({ id: m.id, direction: 'in' as const, number: m.sender, body: m.body, at: m.received_at, state: m.read_at ? 'read' : 'unread', parts: m.part_count })),
    ...outbound.map((m) => ({ id: m.id, direction: 'out' as const, number: m.recipient, body: m.body, at: m.created_at, state: m.state, parts: m.part_count })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1));
}

export async function markThreadRead(ctx: StoreContext, key: { customerId: string } | { number: string }): Promise<number> {
  const r = await ctx.handle.db
    .updateTable('sms_inbox')
    .set({ read_at: iso(ctx), updated_at: iso(ctx) })
    .where('dealer_id', '=', ctx.dealerId)
    .where('read_at', 'is', null)
    .where((eb) => ('customerId' in key ? eb('customer_id', '=', key.customerId) : eb.and([eb('customer_id', 'is', null), eb('sender', '=', key.number)])))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function unreadTotal(ctx: StoreContext): Promise<number> {
  const r = await ctx.handle.db.selectFrom('sms_inbox').select((eb) => eb.fn.countAll<number>().as('n')).where('dealer_id', '=', ctx.dealerId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}
