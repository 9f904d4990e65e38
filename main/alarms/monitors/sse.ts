/**
 * A minimal server-sent-events reader over fetch (Node 20 has no EventSource): resolves when the
 * stream ends, rejects on connection errors; the caller decides about reconnecting.
 */
export interface SseEvent {
  event: string;
  data: string;
}

export async function readSse(
  url: string,
  options: { headers?: Record<string, string>; signal: AbortSignal; onOpen?: () => void; onEvent: (event: SseEvent) => void },
): Promise<void> {
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...options.headers }, signal: options.signal });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status}`);
  }
  options.onOpen?.();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = 'message';
  let data: string[] = [];
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        if (line === '') {
          if (data.length > 0) options.onEvent({ event, data: data.join('\n') });
          event = 'message';
          data = [];
        } else if (line.startsWith(':')) {
          continue;
        } else {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event = text;
          else if (field === 'data') data.push(text);
        }
      }
    }
  } finally {
    reader.releaseLock();
  }
}
