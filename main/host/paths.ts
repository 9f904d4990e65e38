import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'DealerCS';
export const DB_FILE_NAME = 'dealer.sqlite';

/** Where Electron's app.getPath('userData') puts it, so both hosts open the same store on one PC. */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env = process.env): string {
  if (env.DEALERCS_DATA_DIR) return env.DEALERCS_DATA_DIR;
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), PRODUCT_NAME);
}

/**
 * On first run the seat opens a copy of the embedded demo dealer. The copy goes through a temporary
 * name so a crash mid-copy never leaves a truncated database that would be opened next time.
 */
export function ensureDatabase(dataDir: string, embeddedDemo: string): { dbFile: string; createdFromDemo: boolean } {
  mkdirSync(dataDir, { recursive: true });
  const dbFile = path.join(dataDir, DB_FILE_NAME);
  if (existsSync(dbFile)) return { dbFile, createdFromDemo: false };
  if (!existsSync(embeddedDemo)) {
    throw new Error(`No database at ${dbFile} and no embedded demo database at ${embeddedDemo}; run "npm run build" first.`);
  }
  const partial = `${dbFile}.copying`;
  copyFileSync(embeddedDemo, partial);
  renameSync(partial, dbFile);
  return { dbFile, createdFromDemo: true };
}
