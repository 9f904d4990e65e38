/**
 * Backup folder layout. Each good backup is two files written in this order:
 *   dealercs-20260310-123000-ab12.sqlite        the copy (renamed from .partial-… once verified)
 *   dealercs-20260310-123000-ab12.sqlite.json   its manifest (written last, atomically)
 * A copy without a manifest, or any .partial-* file, is an interrupted backup: ignored and cleaned.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const BACKUP_PREFIX = 'dealercs-';
export const PARTIAL_PREFIX = '.partial-';
export const MANIFEST_SUFFIX = '.json';

export const manifestSchema = z.object({
  format: z.literal('dealercs-backup/1'),
  file: z.string(),
  createdAt: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Name of the newest migration applied in the copy, e.g. "0008-campaigns". */
  schemaVersion: z.string().nullable(),
  migrations: z.array(z.string()),
  integrity: z.literal('ok'),
  appVersion: z.string(),
  seatName: z.string(),
  dealerId: z.string().nullable(),
  trigger: z.enum(['scheduled', 'manual', 'pre-restore', 'pre-update']),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

export interface BackupRecord extends BackupManifest {
  /** Absolute path of the copy. */
  path: string;
}

/** UTC timestamp in the name keeps names sortable and unique across time zones and DST changes. */
export function backupFileName(now: Date, suffix: string): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return `${BACKUP_PREFIX}${stamp}-${suffix}.sqlite`;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every backup with a valid manifest whose copy exists, newest first. Damaged manifests are skipped. */
export async function listBackups(folder: string): Promise<BackupRecord[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const present = new Set(names);
  const records: BackupRecord[] = [];
  for (const name of names) {
    if (!name.startsWith(BACKUP_PREFIX) || !name.endsWith(`.sqlite${MANIFEST_SUFFIX}`)) continue;
    try {
      const manifest = manifestSchema.parse(JSON.parse(await readFile(join(folder, name), 'utf8')));
      if (!present.has(manifest.file) || `${manifest.file}${MANIFEST_SUFFIX}` !== name) continue;
      records.push({ ...manifest, path: join(folder, manifest.file) });
    } catch {
      // unreadable or foreign manifest: not a backup we can vouch for
    }
  }
  return records.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}
