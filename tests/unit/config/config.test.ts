import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  MASK,
  createSeatConfig,
  defaultSeatConfig,
  loadSeatConfig,
  maskSecrets,
  maskSecretsInText,
  parseSeatConfigText,
  saveSeatConfig,
  type SeatConfig,
} from '../../../main/config';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seat-config-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const full = {
  dealerId: '01J8Z3Q4R5S6T7V8W9X0Y1Z2AB',
  seatName: '客服 3 号',
  dms: { kind: 'rest', baseUrl: 'https://dms.dealer.local/api', apiKey: 'dms-key-123', username: 'cs', password: 'dmsPa55' },
  modem: { enabled: true, port: 'COM3', baudRate: 115200, pin: '1234' },
  healthAgents: [{ name: 'backup server', url: 'http://10.0.0.5:9100', apiKey: 'agent-secret' }],
  update: { feedUrl: 'https://updates.dealer.local/dealercs/', channel: 'beta', install: 'quiet-hour', quietHour: 3, authToken: 'tok-abc' },
  backup: { folder: '\\\\nas01\\backups\\dealercs', keepDaily: 10, keepWeekly: 6 },
};

describe('seat configuration schema', () => {
  it('fills every section with defaults from an empty file', () => {
    const config = parseSeatConfigText('{}');
    expect(config).toEqual(defaultSeatConfig());
    expect(config.update).toMatchObject({ enabled: true, channel: 'stable', checkIntervalHours: 4, install: 'on-quit', feedUrl: null });
    expect(config.backup).toMatchObject({ keepDaily: 7, keepWeekly: 4, maxAgeHours: 26, folder: null });
    expect(config.modem.enabled).toBe(false);
  });

  it('accepts a complete configuration and keeps its values', () => {
    const config = parseSeatConfigText(JSON.stringify(full));
    expect(config.update.channel).toBe('beta');
    expect(config.update.quietHour).toBe(3);
    expect(config.dms.password).toBe('dmsPa55');
    expect(config.healthAgents[0]?.intervalSeconds).toBe(30);
  });

  it('tolerates the BOM Windows Notepad writes', () => {
    expect(parseSeatConfigText('\uFEFF{"seatName":"A"}').seatName).toBe('A');
  });

  it('names every bad field with a bilingual message', () => {
    const error = configError(() =>
      parseSeatConfigText(
        JSON.stringify({
          update: { quietHour: 25, feedUrl: 'ftp://x/y', channel: 'nightly' },
          modem: { enabled: true, baudRate: 12345 },
          backup: { schedule: 'every day' },
          healthAgents: [{ name: 'x', url: 'not a url' }],
          updte: {},
        }),
        'seat.json',
      ),
    );
    const byPath = new Map(error.issues.map((i) => [i.path, i.message]));
    expect(byPath.get('update.quietHour')?.en).toMatch(/range/);
    expect(byPath.get('update.feedUrl')?.zh).toContain('http://');
    expect(byPath.has('update.channel')).toBe(true);
    expect(byPath.get('modem.baudRate')?.en).toContain('115200');
    expect(byPath.get('backup.schedule')?.zh).toContain('cron');
    expect(byPath.has('healthAgents.0.url')).toBe(true);
    expect(byPath.get('(root)')?.en).toContain('updte');
    // The thrown message itself is readable in a log: file, section names in both languages, each field.
    expect(error.message).toContain('seat.json');
    expect(error.message).toContain('update.quietHour (自动升级 / auto-update)');
    expect(error.message).toContain('座席配置有误 / The seat configuration is not valid');
  });

  it('enforces cross-field rules (enabled modem needs a port, REST DMS needs a URL)', () => {
    const error = configError(() => parseSeatConfigText(JSON.stringify({ modem: { enabled: true }, dms: { kind: 'rest' } })));
    expect(error.issues.map((i) => i.path).sort()).toEqual(['dms.baseUrl', 'modem.port']);
  });

  it('reports broken JSON as such, bilingually', () => {
    const error = configError(() => parseSeatConfigText('{"seatName": ', 'seat.json'));
    expect(error.summary.zh).toContain('JSON');
    expect(error.summary.en).toContain('not valid JSON');
  });
});

describe('secret masking', () => {
  it('masks passwords, keys, tokens and PINs at any depth, leaving other values', () => {
    const masked = maskSecrets(parseSeatConfigText(JSON.stringify(full)));
    expect(masked.dms.password).toBe(MASK);
    expect(masked.dms.apiKey).toBe(MASK);
    expect(masked.modem.pin).toBe(MASK);
    expect(masked.update.authToken).toBe(MASK);
    expect(masked.healthAgents[0]?.apiKey).toBe(MASK);
    expect(masked.dms.username).toBe('cs');
    expect(masked.update.feedUrl).toBe(full.update.feedUrl);
    const text = JSON.stringify(masked);
    for (const secret of ['dms-key-123', 'dmsPa55', '1234', 'tok-abc', 'agent-secret']) expect(text).not.toContain(secret);
  });

  it('leaves unset secrets empty so "not configured" stays visible', () => {
    expect(maskSecrets(defaultSeatConfig()).dms.password).toBe('');
  });

  it('masks credentials inside URLs and free text', () => {
    expect(maskSecrets({ url: 'https://it:hunter2@updates.local/x' }).url).toBe(`https://it:${encodeURIComponent(MASK)}@updates.local/x`);
    const line = maskSecretsInText('connect password=hunter2 token: abc123 Authorization: Bearer xyz http://u:p4ss@h/');
    expect(line).not.toMatch(/hunter2|abc123|xyz|p4ss/);
  });
});

describe('seat configuration file', () => {
  it('uses defaults when the file does not exist yet', async () => {
    const loaded = await loadSeatConfig(join(dir, 'missing.json'));
    expect(loaded.source).toBe('defaults');
    expect(loaded.config).toEqual(defaultSeatConfig());
  });

  it('saves atomically: a valid file, no temp files left, and an invalid save leaves the old file', () => {
    const file = join(dir, 'seat-config.json');
    saveSeatConfig(file, full);
    const before = readFileSync(file, 'utf8');
    expect(JSON.parse(before)).toMatchObject({ seatName: '客服 3 号' });
    expect(() => saveSeatConfig(file, { ...full, update: { quietHour: -1 } })).toThrow(ConfigError);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(dir)).toEqual(['seat-config.json']);
  });

  it('service: saving the masked view keeps the stored secrets and notifies listeners', async () => {
    const file = join(dir, 'seat-config.json');
    saveSeatConfig(file, full);
    const service = await createSeatConfig({ file });
    try {
      const changes: SeatConfig[] = [];
      service.onChange((next) => changes.push(next));
      const edited = { ...service.getMasked(), seatName: '客服 4 号' };
      const saved = service.save(edited);
      expect(saved.dms.password).toBe('dmsPa55');
      expect(saved.update.authToken).toBe('tok-abc');
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ seatName: '客服 4 号', dms: { password: 'dmsPa55' } });
      expect(changes.map((c) => c.seatName)).toEqual(['客服 4 号']);
      // A new secret typed by the admin replaces the old one.
      const rotated = service.save({ ...service.getMasked(), dms: { ...service.getMasked().dms, password: 'n3w' } });
      expect(rotated.dms.password).toBe('n3w');
    } finally {
      service.close();
    }
  });

  it('service: picks up a file IT pushes (watch) and ignores an invalid push', async () => {
    const file = join(dir, 'seat-config.json');
    saveSeatConfig(file, { seatName: 'A' });
    const warnings: string[] = [];
    const service = await createSeatConfig({ file, watch: true, log: { info() {}, warn: (m) => warnings.push(m) } });
    try {
      const changed = new Promise<SeatConfig>((resolve) => service.onChange((next) => resolve(next)));
      writeFileSync(file, JSON.stringify({ seatName: 'bad', update: { quietHour: 99 } }));
      await vi_waitFor(() => warnings.length > 0);
      expect(warnings[0]).toContain('update.quietHour');
      expect(service.get().seatName).toBe('A');
      saveSeatConfig(file, { seatName: 'B' });
      expect((await changed).seatName).toBe('B');
      expect(service.get().seatName).toBe('B');
    } finally {
      service.close();
    }
  });
});

/** Polls a condition driven by file-system events (no timing assertion: only waits for the event). */
async function vi_waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!condition()) throw new Error('condition not reached');
}
