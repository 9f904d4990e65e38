/**
 * The merge fields templates may use. The list itself is declared with the contract
 * (preload/channels/templates.ts) so the editor's field buttons and this engine can never disagree.
 */
import { MERGE_FIELDS, type MergeFieldKey } from '../../preload/channels/templates';

export { MERGE_FIELDS, type MergeFieldKey };
export type MergeValues = Partial<Record<MergeFieldKey, string | null>>;

const byName = new Map<string, MergeFieldKey>();
for (const f of MERGE_FIELDS) {
  byName.set(f.key, f.key);
  byName.set(f.zh, f.key);
}

/** The canonical key for a name written in a template, or null when no such field exists. */
export function resolveField(name: string): MergeFieldKey | null {
  return byName.get(name.trim()) ?? null;
}

export function sampleValues(): MergeValues {
  const out: MergeValues = {};
  for (const f of MERGE_FIELDS) out[f.key] = f.sample;
  return out;
}
