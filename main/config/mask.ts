/**
 * Secrets never leave the seat: logs, diagnostics bundles and the settings screen all see masked values.
 * A secret is recognised by its key name (so new sections are covered without a list to maintain) and
 * passwords embedded in URLs (http://user:pass@host) are masked too.
 */

export const MASK = '******';

const SECRET_KEY = /(password|passwd|secret|token|apikey|api_key|pin|credential|privatekey)$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

function maskUrlPassword(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/i.test(value)) return value;
  try {
    const url = new URL(value);
    if (url.password) url.password = MASK;
    return url.toString();
  } catch {
    return value;
  }
}

/** A deep copy of `value` with every secret replaced by MASK (empty secrets stay empty: "not set"). */
export function maskSecrets<T>(value: T): T {
  return walk(value, null) as T;
}

function walk(value: unknown, key: string | null): unknown {
  if (key !== null && isSecretKey(key) && typeof value === 'string') return value === '' ? '' : MASK;
  if (typeof value === 'string') return maskUrlPassword(value);
  if (Array.isArray(value)) return value.map((item) => walk(item, null));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, k);
    return out;
  }
  return value;
}

/**
 * The settings screen sends back what it was shown. A secret still equal to MASK means "unchanged":
 * take the stored value from `previous` at the same path, so editing one field never wipes a password.
 */
export function restoreMaskedSecrets(incoming: unknown, previous: unknown): unknown {
  if (incoming === MASK) return previous;
  if (Array.isArray(incoming)) {
    const prev = Array.isArray(previous) ? previous : [];
    return incoming.map((item, i) => restoreMaskedSecrets(item, prev[i]));
  }
  if (incoming !== null && typeof incoming === 'object') {
    const prev: Record<string, unknown> =
      previous !== null && typeof previous === 'object' && !Array.isArray(previous) ? { ...previous } : {};
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(incoming)) out[k] = restoreMaskedSecrets(v, prev[k]);
    return out;
  }
  return incoming;
}

/** Masks secrets that appear as `key=value` or `"key":"value"` inside free text (log lines, errors). */
export function maskSecretsInText(text: string): string {
  return text
    .replace(/("?(?:password|passwd|secret|token|apiKey|api_key|pin|authToken)"?\s*[:=]\s*"?)([^"\s,;&}]+)/gi, `$1${MASK}`)
    .replace(/(authorization\s*[:=]\s*(?:bearer|basic)\s+)(\S+)/gi, `$1${MASK}`)
    .replace(/(\/\/[^/@\s:]+:)([^/@\s]+)(@)/g, `$1${MASK}$3`);
}
