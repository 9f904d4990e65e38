/**
 * The browser host's WebSocket frames. The Electron host needs none of this: it carries the same
 * (channel, input) → Result calls over ipcRenderer.invoke and events over webContents.send.
 */
import { z } from 'zod';

export const clientFrameSchema = z.object({
  id: z.number().int().nonnegative(),
  channel: z.string().max(100),
  input: z.unknown(),
});
export type ClientFrame = z.infer<typeof clientFrameSchema>;

export type ServerFrame =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'event'; event: string; payload: unknown };

/** The browser host reads the per-run token from this query parameter of the page URL. */
export const HOST_TOKEN_PARAM = 'token';
export const WS_PATH = '/rpc';
