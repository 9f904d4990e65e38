/**
 * SMS-SUBMIT encoder and segmenter. Our own, because npm encoders split long GSM text by characters
 * instead of septets and lose characters (research/modem.md §3); `split-sms` is the oracle in tests.
 */
import { gsm7Cost, isGsm7Text } from './gsm7';
import { encodeAddress, encodeGsm7UserData, PduError, toHex, utf16beEncode } from './fields';

export type Encoding = 'gsm7' | 'ucs2';

export interface Segmentation {
  encoding: Encoding;
  /** The text of each part, in order; joining them gives the (NFC-normalised) message. */
  parts: string[];
  /** Septets (gsm7) or UTF-16 code units (ucs2) used by the whole message. */
  units: number;
}

const SINGLE = { gsm7: 160, ucs2: 70 } as const;
// With the 6-octet concatenation header (IEI 00): 153 septets or 67 UTF-16 code units per part.
const CONCAT = { gsm7: 153, ucs2: 67 } as const;

/** Splits at unit boundaries without cutting an escape pair (gsm7) or a surrogate pair (ucs2). */
export function segment(rawText: string): Segmentation {
  const text = rawText.normalize('NFC');
  const encoding: Encoding = isGsm7Text(text) ? 'gsm7' : 'ucs2';
  // Iterating a string by code point keeps surrogate pairs together; each costs 2 code units in UCS2.
  const cost = (ch: string) => (encoding === 'gsm7' ? (gsm7Cost(ch) as number) : ch.length);
  let units = 0;
  for (const ch of text) units += cost(ch);
  if (units <= SINGLE[encoding]) return { encoding, parts: [text], units };
  const limit = CONCAT[encoding];
  const parts: string[] = [];
  let current = '';
  let used = 0;
  for (const ch of text) {
    const c = cost(ch);
    if (used + c > limit) {
      parts.push(current);
      current = '';
      used = 0;
    }
    current += ch;
    used += c;
  }
  if (current) parts.push(current);
  return { encoding, parts, units };
}

/** What the UI shows before sending: "3 条短信 (UCS2, 150 字)". */
export function countSegments(text: string): { encoding: Encoding; parts: number; units: number } {
  const s = segment(text);
  return { encoding: s.encoding, parts: text.length === 0 ? 0 : s.parts.length, units: s.units };
}

export interface SubmitOptions {
  /** '+8613812345678' (international) or '13812345678' (sent with type "unknown"). */
  recipient: string;
  text: string;
  /** 0–255, allocated and persisted by the caller so a resumed message keeps its reference. */
  concatRef: number;
  statusReport?: boolean;
  /** Relative validity period in minutes (rounded up to what TP-VP can express); omitted when undefined. */
  validityMinutes?: number;
}

export interface EncodedPart {
  seq: number;
  /** Hex of the whole PDU as written after AT+CMGS, starting with "00" (use the SIM's SMSC). */
  pdu: string;
  /** The AT+CMGS=<n> length: TPDU octets, not counting the SMSC octet. */
  tpduLength: number;
  text: string;
}

/** 23.040 §9.2.3.12.1 relative TP-VP: 5-minute steps to 12 h, 30-minute steps to 24 h, then days, then weeks. */
export function encodeRelativeValidity(minutes: number): number {
  if (minutes <= 0) throw new PduError('Validity must be positive');
  if (minutes <= 720) return Math.max(0, Math.ceil(minutes / 5) - 1);
  if (minutes <= 1440) return 143 + Math.ceil((minutes - 720) / 30);
  const days = Math.ceil(minutes / 1440);
  if (days <= 30) return 166 + days;
  return Math.min(255, 192 + Math.ceil(days / 7));
}

export function encodeSubmit(options: SubmitOptions): EncodedPart[] {
  const { encoding, parts } = segment(options.text);
  if (parts.length > 255) throw new PduError('A message cannot have more than 255 parts');
  if (!Number.isInteger(options.concatRef) || options.concatRef < 0 || options.concatRef > 255) {
    throw new PduError(`Concatenation reference must be 0–255, got ${options.concatRef}`);
  }
  const address = encodeAddress(options.recipient);
  const concatenated = parts.length > 1;
  const hasVp = options.validityMinutes !== undefined;
  return parts.map((text, i) => {
    // TP-MTI=01 (SUBMIT); TP-VPF=10 (relative); TP-SRR; TP-UDHI when a concatenation header follows.
    const first = 0x01 | (hasVp ? 0x10 : 0) | (options.statusReport ? 0x20 : 0) | (concatenated ? 0x40 : 0);
    const udh = concatenated ? Uint8Array.of(0x00, 0x03, options.concatRef, parts.length, i + 1) : null;
    let udl: number;
    let ud: Uint8Array;
    if (encoding === 'gsm7') {
      ({ udl, ud } = encodeGsm7UserData(text, udh));
    } else {
      const body = utf16beEncode(text);
      ud = udh ? Uint8Array.of(udh.length, ...udh, ...body) : body;
      udl = ud.length;
    }
    const tpdu = Uint8Array.of(
      first,
      0x00, // TP-MR: the modem assigns it and tells us in +CMGS: <mr>
      ...address,
      0x00, // TP-PID: plain SME-to-SME
      encoding === 'gsm7' ? 0x00 : 0x08,
      ...(hasVp ? [encodeRelativeValidity(options.validityMinutes as number)] : []),
      udl,
      ...ud,
    );
    return { seq: i + 1, pdu: `00${toHex(tpdu)}`, tpduLength: tpdu.length, text };
  });
}
