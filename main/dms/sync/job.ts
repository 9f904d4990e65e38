/** What a sync worker is asked to do: plain data (structured-clone safe), validated on arrival. */
import { z } from 'zod';

export const restConnectorConfigSchema = z.object({
  kind: z.literal('rest'),
  baseUrl: z.string().url(),
  apiKey: z.string().min(1),
  attempts: z.number().int().min(1).max(20).optional(),
  timeoutMs: z.number().int().min(10).optional(),
  baseDelayMs: z.number().int().min(0).optional(),
});

export const fileConnectorConfigSchema = z.object({
  kind: z.literal('file'),
  /** Absolute path of the CSV/XLSX export. */
  path: z.string().min(1),
  /** Canonical field → header, as confirmed by the user. */
  mapping: z.record(z.string(), z.string()),
});

export const connectorConfigSchema = z.discriminatedUnion('kind', [restConnectorConfigSchema, fileConnectorConfigSchema]);
export type ConnectorConfig = z.infer<typeof connectorConfigSchema>;

export const syncJobSchema = z.object({
  dbFile: z.string().min(1),
  dealerId: z.string().min(1),
  sourceId: z.string().min(1),
  trigger: z.enum(['manual', 'schedule']),
  connector: connectorConfigSchema,
  pageSize: z.number().int().min(1).max(5000).optional(),
  overlapMs: z.number().int().min(0).optional(),
});
export type SyncJob = z.infer<typeof syncJobSchema>;
