/**
 * Saved queries of the query builder (issue 6). The tree is stored as react-querybuilder JSON exactly
 * as the UI produced it, and re-validated against the catalog every time it is run, so a catalog
 * change can never make an old query run with a meaning it did not have.
 */
type Timestamp = string;

export interface SavedQueryTable {
  id: string;
  dealer_id: string;
  name: string;
  description: string | null;
  owner_staff_id: string;
  /** 1 = every seat of the dealer sees (and may run) it; only the owner or an admin changes it. */
  shared: number;
  /** JSON text of the RuleGroupType tree. */
  tree: string;
  last_run_at: Timestamp | null;
  last_count: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
}

export interface QueryTables {
  saved_query: SavedQueryTable;
}
