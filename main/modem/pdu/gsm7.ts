/**
 * GSM 03.38 default alphabet and its extension table, and septet packing (3GPP TS 23.038 / 23.040).
 * Written here rather than taken from npm because the npm encoders split by characters instead of
 * septets and silently replace characters (see research/modem.md §3).
 */

// Index = septet value. 0x1B is the escape to the extension table, never a character on its own.
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

const EXTENSION: ReadonlyArray<readonly [number, string]> = [
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
];

export const ESC = 0x1b;

const basicByChar = new Map<string, number>();
for (let i = 0; i < BASIC.length; i++) if (i !== ESC) basicByChar.set(BASIC[i] as string, i);
const extByChar = new Map<string, number>(EXTENSION.map(([code, ch]) => [ch, code]));
const extByCode = new Map<number, string>(EXTENSION);

/** Septets one character costs in GSM 7-bit (1, 2 for the extension table), or null if it has none. */
export function gsm7Cost(ch: string): 1 | 2 | null {
  if (basicByChar.has(ch)) return 1;
  if (extByChar.has(ch)) return 2;
  return null;
}

export function isGsm7Text(text: string): boolean {
  for (const ch of text) if (gsm7Cost(ch) === null) return false;
  return true;
}

/** Septet values of one character (1 or 2 of them); throws for characters GSM 7-bit cannot carry. */
export function charToSeptets(ch: string): number[] {
  const basic = basicByChar.get(ch);
  if (basic !== undefined) return [basic];
  const ext = extByChar.get(ch);
  if (ext !== undefined) return [ESC, ext];
  throw new Error(`Character U+${ch.codePointAt(0)?.toString(16)} has no GSM 7-bit code`);
}

export function textToSeptets(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(...charToSeptets(ch));
  return out;
}

export function septetsToText(septets: readonly number[]): string {
  let out = '';
  for (let i = 0; i < septets.length; i++) {
    const s = septets[i] as number;
    if (s === ESC && i + 1 < septets.length) {
      const next = septets[++i] as number;
      // An unknown extension code shows its basic-table character, as 23.038 asks of receivers.
      out += extByCode.get(next) ?? BASIC[next] ?? '';
    } else if (s !== ESC) {
      out += BASIC[s] ?? '';
    }
  }
  return out;
}

/**
 * Packs septets LSB-first into octets, starting `skipBits` into the buffer (the UDH plus fill bits
 * occupy that space). Returns only the octets that hold septets.
 */
export function packSeptets(septets: readonly number[], skipBits = 0): Uint8Array {
  const totalBits = skipBits + septets.length * 7;
  const out = new Uint8Array(Math.ceil(totalBits / 8));
  let bit = skipBits;
  for (const s of septets) {
    for (let b = 0; b < 7; b++, bit++) if ((s >> b) & 1) out[bit >> 3] = (out[bit >> 3] as number) | (1 << (bit & 7));
  }
  return out.subarray(Math.floor(skipBits / 8));
}

/** Reads `count` septets from `bytes`, starting `skipBits` in. */
export function unpackSeptets(bytes: Uint8Array, count: number, skipBits = 0): number[] {
  const out: number[] = [];
  let bit = skipBits;
  for (let i = 0; i < count; i++) {
    let s = 0;
    for (let b = 0; b < 7; b++, bit++) {
      const byte = bytes[bit >> 3];
      if (byte === undefined) return out;
      if ((byte >> (bit & 7)) & 1) s |= 1 << b;
    }
    out.push(s);
  }
  return out;
}
