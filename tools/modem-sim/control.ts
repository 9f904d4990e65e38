/**
 * A small HTTP control API on 127.0.0.1 so a test or the demo can drive a simulator running in
 * another process: inject SMS and calls, faults, resets, and read back what it "sent".
 *   POST /sms {from, text}   POST /call {from|null}   POST /hangup   POST /reset   POST /fault {…Fault}
 *   POST /state {registered?, csq?, simState?}   GET /sent   GET /state
 */
import { createServer, type Server } from 'node:http';
import { z } from 'zod';
import type { ModemSim } from './sim';

const faultSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('cms'), code: z.number().int(), count: z.number().int().positive().optional() }),
  z.object({ type: z.literal('noPrompt') }),
  z.object({ type: z.literal('noResult') }),
  z.object({ type: z.literal('holdResult'), ms: z.number().int().nonnegative() }),
  z.object({ type: z.literal('silent'), count: z.number().int().positive().optional() }),
]);
const smsSchema = z.object({ from: z.string().min(1), text: z.string().min(1) });
const callSchema = z.object({ from: z.string().min(1).nullable() });
const stateSchema = z.object({
  registered: z.boolean().optional(),
  csq: z.number().int().min(0).max(99).optional(),
  simState: z.enum(['READY', 'SIM PIN', 'NOT INSERTED']).optional(),
});

export interface ControlServer {
  port: number;
  close(): Promise<void>;
}

export function startControlServer(sim: ModemSim, port = 0, extra: { drop?: () => void } = {}): Promise<ControlServer> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const reply = (status: number, data: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(data));
      };
      try {
        const json: unknown = body ? JSON.parse(body) : {};
        const route = `${req.method} ${req.url}`;
        switch (route) {
          case 'GET /sent':
            return reply(200, sim.sent);
          case 'GET /state':
            return reply(200, { call: sim.callState, registered: sim.registered, csq: sim.csq, simState: sim.simState, stored: { SM: sim.stored('SM'), SR: sim.stored('SR') } });
          case 'POST /sms': {
            const { from, text } = smsSchema.parse(json);
            return reply(200, { indices: sim.injectSms(from, text) });
          }
          case 'POST /call':
            sim.injectCall(callSchema.parse(json).from);
            return reply(200, { ok: true });
          case 'POST /hangup':
            sim.remoteHangup();
            return reply(200, { ok: true });
          case 'POST /reset':
            sim.reset();
            return reply(200, { ok: true });
          case 'POST /fault':
            sim.inject(faultSchema.parse(json));
            return reply(200, { ok: true });
          case 'POST /state': {
            const s = stateSchema.parse(json);
            if (s.registered !== undefined) sim.registered = s.registered;
            if (s.csq !== undefined) sim.csq = s.csq;
            if (s.simState !== undefined) sim.simState = s.simState;
            return reply(200, { ok: true });
          }
          case 'POST /drop':
            extra.drop?.();
            return reply(200, { ok: Boolean(extra.drop) });
          default:
            return reply(404, { error: `no route ${route}` });
        }
      } catch (error) {
        reply(400, { error: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
