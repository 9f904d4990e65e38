/** What the checkpointer and its worker thread send each other. */
import { z } from 'zod';

export const checkpointJobSchema = z.object({ dbFile: z.string().min(1), intervalMs: z.number().int().positive() });
export type CheckpointJob = z.infer<typeof checkpointJobSchema>;

/** One row of `pragma wal_checkpoint`: frames in the WAL and how many of them are in the database file now. */
export const walCheckpointRowSchema = z.object({ busy: z.number(), log: z.number(), checkpointed: z.number() });

/** Main → worker: check point now (and answer with the same id), or close the connection and exit. */
export const checkpointRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('checkpoint'), id: z.number().int() }),
  z.object({ type: z.literal('stop') }),
]);
export type CheckpointRequest = z.infer<typeof checkpointRequestSchema>;

/** Worker → main. */
export type CheckpointMessage =
  | { type: 'ready' }
  | { type: 'checkpointed'; id: number; walFrames: number; copiedFrames: number; ms: number }
  | { type: 'failed'; message: string };
