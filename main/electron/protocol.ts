import { readFile } from 'node:fs/promises';
import { contentTypeFor, resolveStaticPath } from '../host/static';
import { ELECTRON_CSP } from './security';

/** Serves the built renderer for app://renderer/… requests; refuses paths that leave rendererDir. */
export function createAppProtocolHandler(rendererDir: string) {
  return async (request: { url: string }): Promise<Response> => {
    const file = resolveStaticPath(rendererDir, new URL(request.url).pathname);
    const body = file ? await readFile(file).catch(() => null) : null;
    if (!file || !body) return new Response('Not found', { status: 404 });
    return new Response(new Uint8Array(body), {
      headers: {
        'content-type': contentTypeFor(file),
        'content-security-policy': ELECTRON_CSP,
        'x-content-type-options': 'nosniff',
      },
    });
  };
}
