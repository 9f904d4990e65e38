/**
 * SMS length and segment counter, the live counter the template editor shows. Pure: no Node imports,
 * so the renderer can use the same numbers the outbox will produce.
 * GSM 03.38: 160 septets in one part, 153 per part when concatenated (the UDH takes 7); extension
 * characters cost two septets and an escape pair never straddles parts. Anything outside the alphabet
 * (any Chinese) switches the whole message to UCS-2: 70 code units alone, 67 per part; a surrogate
 * pair (emoji, rare CJK) is never split between parts.
 */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const basic = new Set(Array.from(GSM7_BASIC).filter((c) => c !== '\u001b'));
const extension = new Set(Array.from(GSM7_EXTENSION));

export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SegmentCount {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  units: number;
  /** Characters as people count them (code points). */
  characters: number;
  parts: number;
  /** Capacity of one part at this length: 160/153 or 70/67. */
  perPart: number;
  /** Units still free in the last part before another part is needed. */
  remaining: number;
}

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!basic.has(ch) && !extension.has(ch)) return false;
  return true;
}

/** Splits the text into the units each character costs, keeping escape pairs and surrogates whole. */
function costs(text: string, encoding: SmsEncoding): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(encoding === 'gsm7' ? (extension.has(ch) ? 2 : 1) : ch.length);
  return out;
}

export function countSegments(text: string): SegmentCount {
  const encoding: SmsEncoding = isGsm7(text) ? 'gsm7' : 'ucs2';
  const single = encoding === 'gsm7' ? 160 : 70;
  const multi = encoding === 'gsm7' ? 153 : 67;
  const each = costs(text, encoding);
  const units = each.reduce((a, b) => a + b, 0);
  const characters = each.length;
  if (units <= single) {
    return { encoding, units, characters, parts: units === 0 ? 0 : 1, perPart: single, remaining: single - units };
  }
  // Fill parts greedily; an indivisible character that does not fit starts the next part.
  let parts = 1;
  let used = 0;
  for (const c of each) {
    if (used + c > multi) {
      parts += 1;
      used = 0;
    }
    used += c;
  }
  return { encoding, units, characters, parts, perPart: multi, remaining: multi - used };
}
