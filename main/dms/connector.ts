/**
 * What the sync engine needs from a DMS, whatever the transport: pages of changes per entity from a
 * watermark/cursor, and (for reconciliation) every live key with its content hash, plus whole records
 * by id. Rows come back raw: the engine normalizes them so that bad rows land in quarantine, not in a crash.
 */
import type { Bilingual } from '../../preload/messages';
import type { DmsEntity } from './records';

export interface PullRequest {
  entity: DmsEntity;
  /** updated_since: the committed watermark minus the overlap window; null on the first pass. */
  since: string | null;
  /** Opaque cursor from the previous page of the same pass; null for its first page. */
  cursor: string | null;
  limit: number;
  signal?: AbortSignal;
}

export interface RawItem {
  /** Where the row came from, for people: "page 3 item 7", "第 12 行 / row 12". */
  ref: string;
  raw: unknown;
}

/** A row the connector itself could not turn into records (e.g. a file row with an unreadable date). */
export interface Reject {
  ref: string;
  raw: unknown;
  reason: Bilingual;
  dmsId: string | null;
}

export interface PullPage {
  items: RawItem[];
  rejects: Reject[];
  /** null when the pass is complete. */
  nextCursor: string | null;
  /** Rows in the whole pass, when the source says (first page only); drives the ETA. */
  total?: number;
}

export interface KeyStamp {
  dmsId: string;
  hash: string;
  updatedAt: string | null;
}

export interface KeysPage {
  keys: KeyStamp[];
  nextCursor: string | null;
}

export interface DmsConnector {
  readonly kind: 'rest' | 'file';
  pull(request: PullRequest): Promise<PullPage>;
  listKeys(entity: DmsEntity, cursor: string | null, limit: number, signal?: AbortSignal): Promise<KeysPage>;
  /** Whole raw records for the given ids; ids the DMS no longer has are simply absent. */
  fetchByIds(entity: DmsEntity, ids: readonly string[], signal?: AbortSignal): Promise<unknown[]>;
}

export type DmsErrorCode = 'DMS_UNAVAILABLE' | 'DMS_AUTH' | 'DMS_BAD_RESPONSE' | 'DMS_BAD_FILE' | 'CANCELLED';

/** A failure of the DMS as a whole (not of one row): the run stops and says why, in both languages. */
export class DmsError extends Error {
  constructor(
    readonly code: DmsErrorCode,
    readonly userMessage: Bilingual,
    readonly attempts = 1,
  ) {
    super(`${code}: ${userMessage.en}`);
  }
}
