/** Builds the connector a source's stored configuration describes. */
import { readFile } from 'node:fs/promises';
import type { DbHandle } from '../../db/connection';
import { createFileConnector, readFileImport } from './file/adapter';
import type { DmsConnector } from './connector';
import { createRestConnector } from './rest/adapter';
import type { ConnectorConfig } from './sync/job';

export async function createConnector(config: ConnectorConfig, _handle: DbHandle, _dealerId: string, _sourceId: string): Promise<DmsConnector> {
  switch (config.kind) {
    case 'rest':
      return createRestConnector({
        baseUrl: config.baseUrl,
        apiKey: config.apiKey,
        retry: {
          ...(config.attempts ? { attempts: config.attempts } : {}),
          ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
          ...(config.baseDelayMs !== undefined ? { baseDelayMs: config.baseDelayMs } : {}),
        },
      });
    case 'file':
      return createFileConnector(await readFileImport(new Uint8Array(await readFile(config.path)), config.mapping));
  }
}
