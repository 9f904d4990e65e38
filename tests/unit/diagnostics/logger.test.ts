import { readFileSync, readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, listLogFiles } from '../../../main/diagnostics';
import { tempDir } from '../../support/db';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir('logs-'));
});
afterEach(() => cleanup());

describe('logger (electron-log node entry)', () => {
  it('writes levels to the file and honours the level threshold', () => {
    const log = createLogger({ dir, level: 'info' });
    log.debug('hidden detail');
    log.info('座席启动', { seat: 3 });
    log.warn('modem slow');
    log.error('failed', new Error('boom'));
    const text = readFileSync(`${dir}/main.log`, 'utf8');
    expect(text).toContain('[info]  座席启动 {"seat":3}');
    expect(text).toMatch(/\[warn\]\s+modem slow/);
    expect(text).toContain('Error: boom');
    expect(text).not.toContain('hidden detail');
  });

  it('masks secrets before they reach the file', () => {
    const log = createLogger({ dir });
    log.scope('dms').info('login password=hunter2 to http://cs:pa55@dms.local/api', { apiKey: 'k-123' });
    const text = readFileSync(`${dir}/main.log`, 'utf8');
    expect(text).toContain('[dms] login');
    expect(text).not.toMatch(/hunter2|pa55|k-123/);
  });

  it('rotates into numbered files and keeps at most maxFiles', () => {
    const log = createLogger({ dir, maxFileMb: 1, maxFiles: 3 });
    const line = 'x'.repeat(10_000);
    for (let i = 0; i < 400; i++) log.info(`${i} ${line}`);
    expect(readdirSync(dir).sort()).toEqual(['main.1.log', 'main.2.log', 'main.log']);
    expect(listLogFiles(dir).map((f) => f.slice(dir.length + 1))).toEqual(['main.log', 'main.1.log', 'main.2.log']);
    // the newest line is in the current file, older lines in the rotated ones
    expect(readFileSync(`${dir}/main.log`, 'utf8')).toContain('399 x');
    expect(readFileSync(`${dir}/main.2.log`, 'utf8')).not.toContain('399 x');
    expect(log.files()).toHaveLength(3);
  });
});
