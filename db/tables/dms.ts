/**
 * Tables of the DMS sync capability: sources and their saved column mappings, per-entity sync state
 * (watermark + resumable cursor), provenance of every imported row (content hash and the last DMS values
 * of workstation-editable fields, the base of the three-way field rule), conflicts, quarantine, run history.
 */
import type { ColumnType } from 'kysely';

type Timestamp = string;
/** A counter the database defaults to 0 on insert. */
type Counter = ColumnType<number, number | undefined, number>;

export type DmsEntity = 'customer' | 'vehicle' | 'repair_order';
export type DmsSourceKind = 'rest' | 'file';
export type DmsRunMode = 'incremental' | 'file' | 'reconcile';
export type DmsRunTrigger = 'manual' | 'schedule';
export type DmsRunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
export type DmsConflictStatus = 'open' | 'kept_local' | 'took_dms';

export interface DmsSourceTable {
  id: string;
  dealer_id: string;
  name: string;
  kind: DmsSourceKind;
  /** JSON: { baseUrl, apiKey? } for REST; { fileName? } for file sources. */
  config: string;
  /** croner pattern for scheduled runs; null = manual only. */
  schedule: string | null;
  enabled: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DmsColumnMappingTable {
  id: string;
  dealer_id: string;
  source_id: string;
  /** JSON object: canonical field → file header, as the user confirmed it. */
  mapping: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DmsSyncStateTable {
  dealer_id: string;
  source_id: string;
  entity: DmsEntity;
  /** Highest DMS updated_at committed so far; the next pass starts at this minus the overlap window. */
  watermark: Timestamp | null;
  /** updated_since of the pass in progress; kept with `cursor` so a crashed pass resumes where it stopped. */
  since: Timestamp | null;
  /** Opaque page cursor of the pass in progress; null when the last pass completed. */
  cursor: string | null;
  run_id: string | null;
  updated_at: Timestamp;
}

export interface DmsRecordTable {
  dealer_id: string;
  entity: DmsEntity;
  dms_id: string;
  local_id: string;
  content_hash: string;
  dms_updated_at: Timestamp | null;
  /** JSON of the last DMS values of workstation-editable fields; null for entities with none. */
  base: string | null;
  run_id: string;
  imported_at: Timestamp;
}

export interface DmsConflictTable {
  id: string;
  dealer_id: string;
  entity: DmsEntity;
  dms_id: string;
  local_id: string;
  field: string;
  local_value: string | null;
  dms_value: string | null;
  base_value: string | null;
  run_id: string;
  status: DmsConflictStatus;
  created_at: Timestamp;
  updated_at: Timestamp;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
}

export interface DmsQuarantineTable {
  id: string;
  dealer_id: string;
  source_id: string;
  run_id: string;
  entity: DmsEntity | null;
  /** Where the row came from, for people: "第 12 行 / row 12" or "page 3 item 7". */
  ref: string;
  dms_id: string | null;
  reason_zh: string;
  reason_en: string;
  /** The row as received (JSON), so nobody has to dig it out of the source again. */
  raw: string;
  /** sha1 of entity + raw: the same bad row seen again updates its entry instead of adding one. */
  fingerprint: string;
  status: 'open' | 'dismissed';
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DmsRunTable {
  id: string;
  dealer_id: string;
  source_id: string;
  mode: DmsRunMode;
  trigger: DmsRunTrigger;
  status: DmsRunStatus;
  started_at: Timestamp;
  finished_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  fetched: Counter;
  inserted: Counter;
  updated: Counter;
  unchanged: Counter;
  deleted: Counter;
  conflicts: Counter;
  quarantined: Counter;
  error_zh: ColumnType<string | null, string | null | undefined, string | null>;
  error_en: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface DmsTables {
  dms_source: DmsSourceTable;
  dms_column_mapping: DmsColumnMappingTable;
  dms_sync_state: DmsSyncStateTable;
  dms_record: DmsRecordTable;
  dms_conflict: DmsConflictTable;
  dms_quarantine: DmsQuarantineTable;
  dms_run: DmsRunTable;
}
