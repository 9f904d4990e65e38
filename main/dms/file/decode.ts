/**
 * Text of a DMS export whatever its encoding: a BOM decides first; otherwise strict UTF-8, and if that
 * fails GB18030 (a superset of GBK/GB2312, which Chinese Windows tools write by default).
 */
import iconv from 'iconv-lite';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export function detectEncoding(bytes: Uint8Array): TextEncodingName {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  const encoding = detectEncoding(bytes);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = encoding === 'gb18030' ? iconv.decode(buffer, 'gb18030') : iconv.decode(buffer, encoding === 'utf-8' ? 'utf8' : encoding);
  // iconv strips a UTF-8/16 BOM by default; drop a stray one left in the middle-less case too.
  return { text: text.replace(/^\uFEFF/, ''), encoding };
}
