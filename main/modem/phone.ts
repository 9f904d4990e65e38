/** Number handling shared by SMS and calls: what the network shows (+86…) vs what the CRM stores (11 digits). */
import { normalizePhone } from '../../preload/contract';

/** The CRM's form of a number: +86/86 dropped from mobiles, spaces and dashes removed. */
export function crmNumber(raw: string): string {
  return normalizePhone(raw.trim()).replace(/^\+?86(?=1\d{10}$)/, '');
}

/**
 * Same subscriber? Exact after normalisation, else the last 8 digits when one side is international and
 * the other national (oFono's fuzzy match uses the tail for the same reason).
 */
export function sameNumber(a: string, b: string): boolean {
  const x = crmNumber(a);
  const y = crmNumber(b);
  if (x === y) return true;
  const dx = x.replace(/\D/g, '');
  const dy = y.replace(/\D/g, '');
  return dx.length >= 8 && dy.length >= 8 && dx.slice(-8) === dy.slice(-8) && (dx.length !== dy.length);
}

const OPT_OUT = new Set(['TD', '退订', '取消', '退定']);

/** A reply that is only an opt-out word (punctuation and spaces ignored): "TD", "td。", "退订！". */
export function isOptOut(body: string): boolean {
  const core = body.normalize('NFKC').replace(/[\s\p{P}\p{S}]/gu, '').toUpperCase();
  return OPT_OUT.has(core);
}
