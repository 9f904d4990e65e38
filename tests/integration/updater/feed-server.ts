import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join, normalize } from 'node:path';

export interface FeedServer {
  /** Base URL with a trailing slash, as the seat configuration's update.feedUrl. */
  url: string;
  /** Paths requested so far (without query strings), e.g. "/latest-linux.yml". */
  requests: string[];
  /** Headers of the last request for a path. */
  headers: Map<string, Record<string, string | string[] | undefined>>;
  /** Paths answered with headers and then nothing: a stalled proxy or server. */
  stalled: Set<string>;
  close(): Promise<void>;
}

/** A static update server on 127.0.0.1, like IT's folder behind IIS/nginx (HTTP Range not needed here). */
export async function startFeedServer(root: string): Promise<FeedServer> {
  const requests: string[] = [];
  const headers = new Map<string, Record<string, string | string[] | undefined>>();
  const stalled = new Set<string>();
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    headers.set(path, req.headers);
    if (stalled.has(path)) {
      res.writeHead(200, { 'content-type': 'text/yaml' });
      res.write('version: ');
      hanging.add(res);
      return;
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-length': statSync(file).size, 'content-type': 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    headers,
    stalled,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
