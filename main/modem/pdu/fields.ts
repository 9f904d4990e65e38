/** Field codecs shared by the SUBMIT encoder and the DELIVER/STATUS-REPORT decoders (3GPP TS 23.040 §9). */
import { packSeptets, septetsToText, textToSeptets, unpackSeptets } from './gsm7';

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.trim();
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(clean)) throw new PduError(`Not a hex string of whole octets: "${clean.slice(0, 20)}…"`);
  return new Uint8Array(Buffer.from(clean, 'hex'));
}

export class PduError extends Error {}

/** A forward-only reader over the octets of a PDU that fails with PduError instead of reading past the end. */
export class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}
  byte(): number {
    const b = this.bytes[this.pos];
    if (b === undefined) throw new PduError(`PDU ends early at octet ${this.pos}`);
    this.pos++;
    return b;
  }
  take(n: number): Uint8Array {
    if (this.pos + n > this.bytes.length) throw new PduError(`PDU ends early: need ${n} octets at ${this.pos}`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  rest(): Uint8Array {
    const out = this.bytes.subarray(this.pos);
    this.pos = this.bytes.length;
    return out;
  }
  get remaining(): number {
    return this.bytes.length - this.pos;
  }
}

// ---------- addresses ----------
const TOA_INTERNATIONAL = 0x91;
const TOA_UNKNOWN = 0x81;

function swapDigits(digits: string): Uint8Array {
  const padded = digits.length % 2 ? `${digits}F` : digits;
  const out = new Uint8Array(padded.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(`${padded[2 * i + 1]}${padded[2 * i]}`, 16);
  return out;
}

function unswapDigits(bytes: Uint8Array, digitCount: number): string {
  let out = '';
  for (const b of bytes) out += (b & 0x0f).toString(16) + (b >> 4).toString(16);
  // Semi-octets above 9 stand for * # a b c in 23.040; F is padding.
  return out
    .slice(0, digitCount)
    .replace(/a/g, '*')
    .replace(/b/g, '#')
    .toUpperCase();
}

/** TP-DA / TP-OA: a leading '+' means an international number (TON 1), anything else is sent as "unknown". */
export function encodeAddress(number: string): Uint8Array {
  const international = number.startsWith('+');
  const digits = number.replace(/^\+/, '');
  if (!/^[0-9*#]{1,20}$/.test(digits)) throw new PduError(`Not a dialable number: "${number}"`);
  const body = swapDigits(digits.replace(/\*/g, 'A').replace(/#/g, 'B'));
  return Uint8Array.of(digits.length, international ? TOA_INTERNATIONAL : TOA_UNKNOWN, ...body);
}

/** Reads an address whose length octet counts digits (TP-OA, TP-DA, TP-RA). */
export function readAddress(r: Reader): string {
  const digitCount = r.byte();
  const toa = r.byte();
  const body = r.take(Math.ceil(digitCount / 2));
  if (((toa >> 4) & 0x07) === 0x05) {
    // Alphanumeric sender (e.g. "10086" shown as a name): GSM 7-bit packed, length counts semi-octets.
    return septetsToText(unpackSeptets(body, Math.floor((digitCount * 4) / 7)));
  }
  const digits = unswapDigits(body, digitCount);
  return ((toa >> 4) & 0x07) === 0x01 ? `+${digits}` : digits;
}

/** Reads the SMSC address in front of a PDU as a modem shows it (length counts octets, may be 0). */
export function readSmsc(r: Reader): string | null {
  const len = r.byte();
  if (len === 0) return null;
  const toa = r.byte();
  const digits = unswapDigits(r.take(len - 1), (len - 1) * 2).replace(/F$/, '');
  return ((toa >> 4) & 0x07) === 0x01 ? `+${digits}` : digits;
}

// ---------- timestamps ----------
function bcd(b: number): number {
  return (b & 0x0f) * 10 + (b >> 4);
}

/** TP-SCTS / TP-DT: seven swapped-BCD octets with a quarter-hour zone; returned as UTC ISO-8601. */
export function readTimestamp(r: Reader): string {
  const o = r.take(7);
  const [yy, mo, dd, hh, mi, ss] = [0, 1, 2, 3, 4, 5].map((i) => bcd(o[i] as number)) as [number, number, number, number, number, number];
  const tzByte = o[6] as number;
  const quarters = (tzByte & 0x07) * 10 + (tzByte >> 4);
  const sign = tzByte & 0x08 ? -1 : 1;
  // Two-digit years: 23.040 has no century; anything from 90 on is the 1990s (old handsets, published vectors).
  const utcMs = Date.UTC((yy >= 90 ? 1900 : 2000) + yy, mo - 1, dd, hh, mi, ss) - sign * quarters * 15 * 60_000;
  return new Date(utcMs).toISOString();
}

export function encodeTimestamp(iso: string, zoneQuarters = 32): Uint8Array {
  const local = new Date(Date.parse(iso) + zoneQuarters * 15 * 60_000);
  const swap = (n: number) => ((n % 10) << 4) | Math.floor(n / 10);
  const tzAbs = Math.abs(zoneQuarters);
  const tz = ((tzAbs % 10) << 4) | Math.floor(tzAbs / 10) | (zoneQuarters < 0 ? 0x08 : 0);
  return Uint8Array.of(
    swap(local.getUTCFullYear() % 100),
    swap(local.getUTCMonth() + 1),
    swap(local.getUTCDate()),
    swap(local.getUTCHours()),
    swap(local.getUTCMinutes()),
    swap(local.getUTCSeconds()),
    tz,
  );
}

// ---------- user data ----------
export type Alphabet = 'gsm7' | '8bit' | 'ucs2';

/** TP-DCS → alphabet, for the coding groups a handset or SMSC actually sends. */
export function alphabetOf(dcs: number): Alphabet {
  const group = dcs >> 4;
  if (group <= 0x07) {
    const a = (dcs >> 2) & 0x03;
    return a === 1 ? '8bit' : a === 2 ? 'ucs2' : 'gsm7';
  }
  if (group === 0x0e) return 'ucs2';
  if (group === 0x0f) return dcs & 0x04 ? '8bit' : 'gsm7';
  return 'gsm7';
}

export interface ConcatInfo {
  ref: number;
  total: number;
  seq: number;
  /** 8 for IEI 00, 16 for IEI 08: the same number means a different message in the two spaces. */
  refBits: 8 | 16;
}

/** The payload of one part, kept raw so multipart messages are joined before they are decoded. */
export type Payload = { alphabet: 'gsm7'; septets: number[] } | { alphabet: 'ucs2' | '8bit'; bytes: Uint8Array };

export interface UserData {
  udh: Uint8Array | null;
  concat: ConcatInfo | null;
  payload: Payload;
}

export function parseUdh(udh: Uint8Array): ConcatInfo | null {
  let i = 0;
  let concat: ConcatInfo | null = null;
  while (i + 1 < udh.length) {
    const iei = udh[i] as number;
    const len = udh[i + 1] as number;
    const v = udh.subarray(i + 2, i + 2 + len);
    if (iei === 0x00 && len === 3) concat = { ref: v[0] as number, total: v[1] as number, seq: v[2] as number, refBits: 8 };
    if (iei === 0x08 && len === 4)
      concat = { ref: ((v[0] as number) << 8) | (v[1] as number), total: v[2] as number, seq: v[3] as number, refBits: 16 };
    i += 2 + len;
  }
  return concat && concat.total > 0 && concat.seq > 0 && concat.seq <= concat.total ? concat : null;
}

export function readUserData(r: Reader, dcs: number, hasUdh: boolean): UserData {
  const alphabet = alphabetOf(dcs);
  const udl = r.byte();
  const octets = alphabet === 'gsm7' ? Math.ceil((udl * 7) / 8) : udl;
  const ud = r.take(Math.min(octets, r.remaining));
  let udh: Uint8Array | null = null;
  let headerOctets = 0;
  if (hasUdh && ud.length > 0) {
    headerOctets = (ud[0] as number) + 1;
    udh = ud.subarray(1, headerOctets);
  }
  const concat = udh ? parseUdh(udh) : null;
  if (alphabet === 'gsm7') {
    const headerSeptets = Math.ceil((headerOctets * 8) / 7);
    return { udh, concat, payload: { alphabet, septets: unpackSeptets(ud, udl - headerSeptets, headerSeptets * 7) } };
  }
  return { udh, concat, payload: { alphabet, bytes: ud.slice(headerOctets) } };
}

export function encodeGsm7UserData(text: string, udh: Uint8Array | null): { udl: number; ud: Uint8Array } {
  const septets = textToSeptets(text);
  const headerOctets = udh ? udh.length + 1 : 0;
  const headerSeptets = Math.ceil((headerOctets * 8) / 7);
  const packed = packSeptets(septets, headerSeptets * 7);
  const ud = new Uint8Array(headerOctets + packed.length);
  if (udh) ud.set([udh.length, ...udh]);
  ud.set(packed, headerOctets);
  return { udl: headerSeptets + septets.length, ud };
}

/** UTF-16BE: SMS UCS2 is big-endian (Node's 'ucs2' is little-endian) and carries surrogate pairs as-is. */
export function utf16beEncode(text: string): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  return new Uint8Array(le.swap16());
}

export function utf16beDecode(bytes: Uint8Array): string {
  const even = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  return even.swap16().toString('utf16le');
}

export function payloadText(p: Payload): string {
  if (p.alphabet === 'gsm7') return septetsToText(p.septets);
  if (p.alphabet === 'ucs2') return utf16beDecode(p.bytes);
  return Buffer.from(p.bytes).toString('latin1');
}
