import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join, normalize } from 'node:path';

/** One answered request: what a differential download asked for and how many body bytes it cost. */
export interface Served {
  path: string;
  range: string | null;
  status: number;
  bytes: number;
}

export interface FeedServer {
  /** Base URL with a trailing slash, as the seat configuration's update.feedUrl. */
  url: string;
  /** Paths requested so far (without query strings), e.g. "/latest-linux.yml". */
  requests: string[];
  /** Every answered request with its Range header and the body bytes sent. */
  served: Served[];
  /** Headers of the last request for a path. */
  headers: Map<string, Record<string, string | string[] | undefined>>;
  /** Paths answered with headers and then nothing: a stalled proxy or server. */
  stalled: Set<string>;
  /** Paths whose Range answers carry the right lengths but wrong bytes: a proxy serving a stale or mangled copy. */
  corruptRanges: Set<string>;
  /** Ignore Range headers and answer 200 with the whole file, without Accept-Ranges (a server or proxy without Range support). */
  noRanges: boolean;
  /** Answer only the first range of a multi-range request, as object stores and some CDNs do. */
  singleRanges: boolean;
  close(): Promise<void>;
}

type ByteRange = [start: number, end: number];

/** "bytes=0-99, 200-299, -50" → inclusive ranges within `size`; null when unsatisfiable or malformed. */
function parseRanges(header: string, size: number): ByteRange[] | null {
  const specs = /^bytes=(.+)$/.exec(header.trim())?.[1];
  if (specs === undefined) return null;
  const ranges: ByteRange[] = [];
  for (const spec of specs.split(',')) {
    const r = /^\s*(\d*)-(\d*)\s*$/.exec(spec);
    if (!r || (r[1] === '' && r[2] === '')) return null;
    const [start, end] = r[1] === '' ? [size - Number(r[2]), size - 1] : [Number(r[1]), r[2] === '' ? size - 1 : Math.min(Number(r[2]), size - 1)];
    if (start < 0 || start > end || start >= size) return null;
    ranges.push([start, end]);
  }
  return ranges;
}

/** A static update server on 127.0.0.1, like IT's folder behind IIS/nginx, with single- and multi-range answers. */
export async function startFeedServer(root: string): Promise<FeedServer> {
  const requests: string[] = [];
  const served: Served[] = [];
  const headers = new Map<string, Record<string, string | string[] | undefined>>();
  const stalled = new Set<string>();
  const corruptRanges = new Set<string>();
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  const feed: FeedServer = {
    url: '',
    requests,
    served,
    headers,
    stalled,
    corruptRanges,
    noRanges: false,
    singleRanges: false,
    close: () => Promise.resolve(),
  };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    headers.set(path, req.headers);
    const range = typeof req.headers.range === 'string' ? req.headers.range : null;
    const send = (status: number, head: Record<string, string | number>, body: Buffer | string) => {
      res.writeHead(status, head);
      res.end(body);
      served.push({ path, range, status, bytes: Buffer.byteLength(body) });
    };
    if (stalled.has(path)) {
      res.writeHead(200, { 'content-type': 'text/yaml' });
      res.write('version: ');
      hanging.add(res);
      return;
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      send(404, { 'content-type': 'text/plain' }, 'not found');
      return;
    }
    const data = readFileSync(file);
    if (range === null || feed.noRanges) {
      send(200, { 'content-type': 'application/octet-stream', ...(feed.noRanges ? {} : { 'accept-ranges': 'bytes' }) }, data);
      return;
    }
    const ranges = parseRanges(range, data.length);
    if (!ranges) {
      send(416, { 'content-range': `bytes */${data.length}` }, '');
      return;
    }
    const slice = ([start, end]: ByteRange) => {
      const part = Buffer.from(data.subarray(start, end + 1));
      if (corruptRanges.has(path)) for (let i = 0; i < part.length; i += 512) part.writeUInt8(part.readUInt8(i) ^ 0xff, i);
      return part;
    };
    const [only, ...more] = ranges;
    if (only && (more.length === 0 || feed.singleRanges)) {
      send(206, { 'content-type': 'application/octet-stream', 'content-range': `bytes ${only[0]}-${only[1]}/${data.length}` }, slice(only));
      return;
    }
    // multipart/byteranges as RFC 9110 §14.6 and nginx/IIS send it.
    const boundary = 'dealercs-feed-boundary';
    const parts = ranges.flatMap((r) => [
      Buffer.from(`--${boundary}\r\ncontent-type: application/octet-stream\r\ncontent-range: bytes ${r[0]}-${r[1]}/${data.length}\r\n\r\n`),
      slice(r),
      Buffer.from('\r\n'),
    ]);
    send(206, { 'content-type': `multipart/byteranges; boundary=${boundary}` }, Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  feed.url = `http://127.0.0.1:${port}/`;
  feed.close = () =>
    new Promise<void>((resolve) => {
      for (const res of hanging) res.destroy();
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return feed;
}
