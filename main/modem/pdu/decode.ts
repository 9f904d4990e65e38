/**
 * Decoders for what a modem hands us (SMS-DELIVER, SMS-STATUS-REPORT) and for SMS-SUBMIT (the
 * simulator reads what we send). Payloads stay raw so multipart texts are joined before decoding.
 */
import { createHash } from 'node:crypto';
import {
  fromHex,
  payloadText,
  PduError,
  readAddress,
  readSmsc,
  readTimestamp,
  readUserData,
  Reader,
  type ConcatInfo,
  type Payload,
} from './fields';

export interface DeliverPdu {
  type: 'deliver';
  smsc: string | null;
  sender: string;
  /** Service-centre time stamp, UTC ISO-8601. */
  timestamp: string;
  dcs: number;
  concat: ConcatInfo | null;
  payload: Payload;
  /** This part's text alone; for a multipart message use `joinParts` instead. */
  text: string;
  /** sha256 of the TPDU (without the SMSC), the key of the re-delivery guard. */
  fingerprint: string;
}

export interface StatusReportPdu {
  type: 'status-report';
  smsc: string | null;
  /** TP-MR of the SUBMIT this reports on (0–255, wraps). */
  reference: number;
  recipient: string;
  /** When the SMSC received the SUBMIT. */
  submittedAt: string;
  /** When the final state was reached (delivery or failure). */
  dischargedAt: string;
  /** TP-ST: 0x00–0x1F done, 0x20–0x3F still trying, 0x40–0x7F failed. */
  status: number;
  outcome: DeliveryOutcome;
  fingerprint: string;
}

export interface SubmitPdu {
  type: 'submit';
  reference: number;
  recipient: string;
  dcs: number;
  statusReport: boolean;
  concat: ConcatInfo | null;
  payload: Payload;
  text: string;
}

export type DeliveryOutcome = 'delivered' | 'pending' | 'failed';

export function deliveryOutcome(status: number): DeliveryOutcome {
  if (status <= 0x1f) return 'delivered';
  if (status <= 0x3f) return 'pending';
  return 'failed';
}

function fingerprintOf(tpdu: Uint8Array): string {
  return createHash('sha256').update(tpdu).digest('hex');
}

/** Decodes a PDU as +CMGR/+CMGL/+CDS show it (SMSC address first). */
export function decodeIncoming(hex: string): DeliverPdu | StatusReportPdu {
  const r = new Reader(fromHex(hex));
  const smsc = readSmsc(r);
  const tpdu = r.bytes.subarray(r.pos);
  const first = r.byte();
  const mti = first & 0x03;
  if (mti === 0x00) {
    const sender = readAddress(r);
    r.byte(); // TP-PID
    const dcs = r.byte();
    const timestamp = readTimestamp(r);
    const ud = readUserData(r, dcs, (first & 0x40) !== 0);
    return {
      type: 'deliver',
      smsc,
      sender,
      timestamp,
      dcs,
      concat: ud.concat,
      payload: ud.payload,
      text: payloadText(ud.payload),
      fingerprint: fingerprintOf(tpdu),
    };
  }
  if (mti === 0x02) {
    const reference = r.byte();
    const recipient = readAddress(r);
    const submittedAt = readTimestamp(r);
    const dischargedAt = readTimestamp(r);
    const status = r.byte();
    return {
      type: 'status-report',
      smsc,
      reference,
      recipient,
      submittedAt,
      dischargedAt,
      status,
      outcome: deliveryOutcome(status),
      fingerprint: fingerprintOf(tpdu),
    };
  }
  throw new PduError(`Not an incoming PDU (TP-MTI ${mti})`);
}

/** Decodes an SMS-SUBMIT with a leading SMSC octet, as written after AT+CMGS. */
export function decodeSubmit(hex: string): SubmitPdu {
  const r = new Reader(fromHex(hex));
  readSmsc(r);
  const first = r.byte();
  if ((first & 0x03) !== 0x01) throw new PduError('Not an SMS-SUBMIT');
  const reference = r.byte();
  const recipient = readAddress(r);
  r.byte(); // TP-PID
  const dcs = r.byte();
  const vpf = (first >> 3) & 0x03;
  if (vpf === 0x02) r.byte();
  else if (vpf === 0x01 || vpf === 0x03) r.take(7);
  const ud = readUserData(r, dcs, (first & 0x40) !== 0);
  return {
    type: 'submit',
    reference,
    recipient,
    dcs,
    statusReport: (first & 0x20) !== 0,
    concat: ud.concat,
    payload: ud.payload,
    text: payloadText(ud.payload),
  };
}

/**
 * Joins the payloads of a multipart message in sequence order, then decodes once: a surrogate pair
 * (emoji, rare CJK names) or a GSM escape pair may straddle two parts.
 */
export function joinParts(parts: ReadonlyArray<{ seq: number; payload: Payload }>): string {
  const ordered = [...parts].sort((a, b) => a.seq - b.seq);
  const first = ordered[0];
  if (!first) return '';
  if (first.payload.alphabet === 'gsm7') {
    const septets: number[] = [];
    for (const p of ordered) if (p.payload.alphabet === 'gsm7') septets.push(...p.payload.septets);
    return payloadText({ alphabet: 'gsm7', septets });
  }
  const chunks = ordered.map((p) => (p.payload.alphabet === 'gsm7' ? new Uint8Array() : p.payload.bytes));
  const joined = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    joined.set(c, at);
    at += c.length;
  }
  return payloadText({ alphabet: first.payload.alphabet, bytes: joined });
}
