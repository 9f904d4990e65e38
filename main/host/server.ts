import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { clientFrameSchema, HOST_TOKEN_PARAM, WS_PATH, type ServerFrame } from '../../preload/wire';
import type { CallContext } from '../rpc';
import type { Services } from '../services';
import { contentSecurityPolicy, serveStatic } from './static';

export interface BrowserHostOptions {
  services: Services;
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Per-run secret the page must present to open the socket; random unless a test fixes it. */
  token?: string;
}

export interface BrowserHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_FRAME_BYTES = 8 * 1024 * 1024;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The browser host: the built renderer over HTTP and the contract over one WebSocket per page, both on
 * 127.0.0.1 only. The socket needs the per-run token and a same-origin page, so other local users' web
 * pages cannot drive it (a plain localhost port would let any site in the seat's browser try).
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const { services } = options;
  const server = createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const clients = new Map<WebSocket, CallContext>();
  let origin = '';
  const allowedOrigins = new Set<string>();

  server.on('request', (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    void serveStatic(options.rendererDir, req.url ?? '/', res, contentSecurityPolicy(origin.replace(/^http/, 'ws'))).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', origin);
    const presented = url.searchParams.get(HOST_TOKEN_PARAM) ?? '';
    const pageOrigin = req.headers.origin;
    if (url.pathname !== WS_PATH || !sameSecret(presented, token) || (pageOrigin && !allowedOrigins.has(pageOrigin))) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  wss.on('connection', (ws: WebSocket) => {
    const ctx: CallContext = { connectionId: randomUUID(), host: 'browser', staff: null };
    clients.set(ws, ctx);
    const send = (frame: ServerFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    ws.on('message', (data: RawData, isBinary: boolean) => {
      let parsedJson: unknown;
      try {
        parsedJson = isBinary ? undefined : JSON.parse(data.toString());
      } catch {
        parsedJson = undefined;
      }
      const frame = clientFrameSchema.safeParse(parsedJson);
      if (!frame.success) {
        // A page that sends garbage is not ours; there is no call id to answer, so end the conversation.
        ws.close(1008, 'malformed frame');
        return;
      }
      void services.dispatcher
        .dispatch(frame.data.channel, frame.data.input, ctx)
        .then((result) => send({ type: 'result', id: frame.data.id, result }));
    });
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
  });

  const unsubscribe = services.onEvent((event, payload) => {
    const frame = JSON.stringify({ type: 'event', event, payload } satisfies ServerFrame);
    for (const [ws, ctx] of clients) if (ctx.staff && ws.readyState === ws.OPEN) ws.send(frame);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  allowedOrigins.add(origin).add(`http://localhost:${port}`);

  return {
    url: `${origin}/?${HOST_TOKEN_PARAM}=${encodeURIComponent(token)}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of clients.keys()) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
