/**
 * HTTP with a per-attempt timeout, retries with exponential backoff and full jitter, and a clear error
 * after the last attempt. Only transient failures are retried: network errors, timeouts, 408/429/5xx and
 * unreadable bodies. A 401/403 or another 4xx will not get better by asking again.
 */
import { DmsError } from '../connector';

export interface RetryPolicy {
  attempts: number;
  timeoutMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected so tests never wait on the wall clock and backoff stays deterministic. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 5,
  timeoutMs: 15_000,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new DmsError('CANCELLED', { zh: '已取消', en: 'Cancelled' }));
      }, { once: true });
    }),
  random: Math.random,
};

export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(policy.random() * cap);
}

class Transient extends Error {}

/** Fetches JSON and hands it to `parse`; a parse failure counts as a transient bad response. */
export async function fetchJsonWithRetry<T>(
  url: string,
  init: RequestInit,
  parse: (body: unknown) => T,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<T> {
  let last = '';
  let lastWasBadBody = false;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    if (signal?.aborted) throw new DmsError('CANCELLED', { zh: '已取消', en: 'Cancelled' }, attempt - 1);
    lastWasBadBody = false;
    try {
      const timeout = AbortSignal.timeout(policy.timeoutMs);
      const response = await fetch(url, { ...init, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      if (response.status === 401 || response.status === 403) {
        throw new DmsError('DMS_AUTH', {
          zh: `DMS 拒绝了访问（HTTP ${response.status}），请检查 API 密钥`,
          en: `The DMS refused access (HTTP ${response.status}); check the API key`,
        }, attempt);
      }
      if (response.status === 408 || response.status === 429 || response.status >= 500) {
        await response.body?.cancel();
        throw new Transient(`HTTP ${response.status}`);
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new DmsError('DMS_BAD_RESPONSE', {
          zh: `DMS 返回错误 HTTP ${response.status}`,
          en: `The DMS answered HTTP ${response.status}`,
        }, attempt);
      }
      let body: unknown;
      try {
        body = JSON.parse(await response.text());
        return parse(body);
      } catch (e) {
        lastWasBadBody = true;
        throw new Transient(`unreadable page: ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`);
      }
    } catch (e) {
      if (e instanceof DmsError) throw e;
      if (signal?.aborted) throw new DmsError('CANCELLED', { zh: '已取消', en: 'Cancelled' }, attempt);
      last = e instanceof Error ? (e.name === 'TimeoutError' ? `no answer within ${policy.timeoutMs} ms` : e.message) : String(e);
      if (attempt < policy.attempts) await policy.sleep(backoffDelay(policy, attempt), signal);
    }
  }
  if (lastWasBadBody) {
    throw new DmsError('DMS_BAD_RESPONSE', {
      zh: `DMS 返回的数据无法解析（已尝试 ${policy.attempts} 次）：${last}`,
      en: `The DMS sent data that cannot be read (tried ${policy.attempts} times): ${last}`,
    }, policy.attempts);
  }
  throw new DmsError('DMS_UNAVAILABLE', {
    zh: `无法连接 DMS（已尝试 ${policy.attempts} 次）：${last}`,
    en: `Cannot reach the DMS (tried ${policy.attempts} times): ${last}`,
  }, policy.attempts);
}
