import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveStaticPath } from '../host/static';
import { ELECTRON_CSP } from './security';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.json': 'application/json',
};

/** Serves the built renderer for app://renderer/… requests; refuses paths that leave rendererDir. */
export function createAppProtocolHandler(rendererDir: string) {
  return async (request: { url: string }): Promise<Response> => {
    const file = resolveStaticPath(rendererDir, new URL(request.url).pathname);
    const body = file ? await readFile(file).catch(() => null) : null;
    if (!file || !body) return new Response('Not found', { status: 404 });
    return new Response(new Uint8Array(body), {
      headers: {
        'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-security-policy': ELECTRON_CSP,
        'x-content-type-options': 'nosniff',
      },
    });
  };
}
