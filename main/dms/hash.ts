/**
 * Content hash of a canonical record, as documented in docs/dms-api.md ("Content hash"): sha1 over the
 * JSON array of the entity's content fields in CONTENT_FIELDS order (missing = null; LATER_FIELDS are
 * left out while null). The reference
 * server computes the same value for its /keys listing, so reconciliation compares hashes without
 * fetching whole records.
 */
import { createHash } from 'node:crypto';
import { CONTENT_FIELDS, LATER_FIELDS, type DmsEntity, type DmsRecordOf } from './records';

export function hashContent(entity: DmsEntity, values: Readonly<Record<string, unknown>>): string {
  const fields: readonly string[] = CONTENT_FIELDS[entity];
  // A field added later counts only once it has a value: records without it keep the hash they had.
  const counted = fields.filter((f) => !(LATER_FIELDS.has(f) && (values[f] ?? null) === null));
  return createHash('sha1')
    .update(JSON.stringify(counted.map((f) => values[f] ?? null)))
    .digest('hex');
}

export function contentHash<E extends DmsEntity>(entity: E, record: DmsRecordOf[E]): string {
  return hashContent(entity, { ...record });
}

/** Deletions hash to a fixed marker plus the time, so a re-delivered tombstone is a no-op too. */
export function tombstoneHash(deletedAt: string): string {
  return createHash('sha1').update(JSON.stringify(['deleted', deletedAt])).digest('hex');
}
