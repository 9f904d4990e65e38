import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSeatConfigText } from '../../../main/config';
import { createDiagnostics, createLogger } from '../../../main/diagnostics';
import { tempDir } from '../../support/db';
import { makeStore } from '../backup/helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir('diag-'));
});
afterEach(() => cleanup());

const config = parseSeatConfigText(
  JSON.stringify({
    seatName: '客服1',
    dms: { kind: 'rest', baseUrl: 'https://dms.local/api', apiKey: 'DMS-KEY-SECRET', password: 'DmsPassword1' },
    update: { feedUrl: 'https://it:FeedPass@updates.local/dealercs/', authToken: 'UPDATE-TOKEN' },
    modem: { enabled: true, port: 'COM3', pin: '4321' },
  }),
);
const SECRETS = ['DMS-KEY-SECRET', 'DmsPassword1', 'FeedPass', 'UPDATE-TOKEN', '4321'];

describe('export diagnostics', () => {
  it('bundles logs, masked configuration, versions and database statistics into one zip', async () => {
    const store = await makeStore(dir, 42);
    const logger = createLogger({ dir: join(dir, 'logs') });
    logger.info('seat started');
    logger.error('DMS sync failed with token=UPDATE-TOKEN');
    const diagnostics = createDiagnostics({
      appVersion: '1.2.3',
      host: 'browser',
      seatId: '6f1c2a9e-0000-4000-8000-000000000001',
      getSeatName: () => config.seatName,
      getConfig: () => config,
      logger,
      sqlite: store.handle.sqlite,
      collectExtra: () => ({ updates: { phase: 'up-to-date', feedUrl: config.update.feedUrl } }),
    });
    try {
      const out = await diagnostics.exportTo(join(dir, 'out'));
      expect(existsSync(out.path)).toBe(true);
      expect(out.path).toMatch(/DealerCS-diagnostics-客服1-\d{8}T\d{6}\.zip$/);

      // A standard unzip tool can open it (support staff use whatever is on their machine).
      const listing = execFileSync('unzip', ['-l', out.path], { encoding: 'utf8' });
      for (const name of ['README.txt', 'config.json', 'versions.json', 'database.json', 'updates.json', 'logs/main.log']) expect(listing).toContain(name);

      const zip = await JSZip.loadAsync(readFileSync(out.path));
      const text = async (name: string) => {
        const entry = zip.file(name);
        if (!entry) throw new Error(`missing ${name}`);
        return entry.async('string');
      };
      const cfg: unknown = JSON.parse(await text('config.json'));
      expect(cfg).toMatchObject({ seatName: '客服1', dms: { apiKey: '******', password: '******', baseUrl: 'https://dms.local/api' }, modem: { pin: '******', port: 'COM3' } });
      const db: unknown = JSON.parse(await text('database.json'));
      expect(db).toMatchObject({ tables: { customer: 42, dealer: 1 }, quickCheck: 'ok', journalMode: 'wal' });
      const versions: unknown = JSON.parse(await text('versions.json'));
      expect(versions).toMatchObject({ app: '1.2.3', host: 'browser', node: process.versions.node });
      expect(await text('logs/main.log')).toContain('seat started');

      const everything = (await Promise.all(Object.keys(zip.files).filter((n) => !zip.files[n]?.dir).map(text))).join('\n');
      for (const secret of SECRETS) expect(everything).not.toContain(secret);
    } finally {
      store.handle.close();
    }
  });

  it('still produces a bundle without a database', async () => {
    const logger = createLogger({ dir: join(dir, 'logs') });
    const bundle = await createDiagnostics({ appVersion: '1.0.0', host: 'electron', seatId: 'abcdef12-seat', getSeatName: () => '', getConfig: () => ({}), logger, sqlite: null }).build();
    const zip = await JSZip.loadAsync(bundle.zip);
    expect(zip.file('database.json')).toBeNull();
    expect(bundle.entries).toContain('config.json');
    expect(bundle.fileName).toContain('abcdef12');
  });
});
