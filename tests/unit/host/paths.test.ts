import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, ensureDatabase } from '../../../main/host/paths';
import { tempDir } from '../../support/db';

describe('the data folder', () => {
  it('matches Electron userData on each platform and honours DEALERCS_DATA_DIR', () => {
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\li\\AppData\\Roaming' })).toBe(path.join('C:\\Users\\li\\AppData\\Roaming', 'DealerCS'));
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/home/li/.config' })).toBe('/home/li/.config/DealerCS');
    expect(defaultDataDir('linux', { DEALERCS_DATA_DIR: '/srv/cs' })).toBe('/srv/cs');
  });

  it('copies the embedded demo on first run only and never overwrites a dealer store', () => {
    const { dir, cleanup } = tempDir();
    try {
      const demo = path.join(dir, 'demo.sqlite');
      writeFileSync(demo, 'demo v1');
      const first = ensureDatabase(path.join(dir, 'data'), demo);
      expect(first.createdFromDemo).toBe(true);
      writeFileSync(first.dbFile, 'dealer data');
      writeFileSync(demo, 'demo v2');
      const second = ensureDatabase(path.join(dir, 'data'), demo);
      expect(second.createdFromDemo).toBe(false);
      expect(readFileSync(second.dbFile, 'utf8')).toBe('dealer data');
      expect(existsSync(`${second.dbFile}.copying`)).toBe(false);
    } finally {
      cleanup();
    }
  });

  it('says what to do when there is neither a store nor a demo', () => {
    const { dir, cleanup } = tempDir();
    try {
      expect(() => ensureDatabase(path.join(dir, 'data'), path.join(dir, 'missing.sqlite'))).toThrow(/npm run build/);
    } finally {
      cleanup();
    }
  });
});
