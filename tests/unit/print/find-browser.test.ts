/** Which browser the browser host prints with: the seat file, CHROMIUM_PATH, then the usual install folders. */
import { describe, expect, it } from 'vitest';
import { browserCandidates } from '../../../main/print/chromium';
import { findBrowser } from '../../../main/print';
import { ServiceError } from '../../../main/rpc';

const only = (...present: string[]) => (file: string) => present.includes(file);

function failure(run: () => unknown): ServiceError {
  try {
    run();
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('expected findBrowser to fail');
}

describe('findBrowser', () => {
  it('prefers the seat file, then CHROMIUM_PATH, then /usr/bin/chromium on Linux', () => {
    const env = { CHROMIUM_PATH: '/opt/chrome/chrome' };
    const exists = only('/srv/chromium', '/opt/chrome/chrome', '/usr/bin/chromium');
    expect(findBrowser({ configured: '/srv/chromium', env, platform: 'linux', exists })).toBe('/srv/chromium');
    expect(findBrowser({ configured: null, env, platform: 'linux', exists })).toBe('/opt/chrome/chrome');
    expect(findBrowser({ configured: '  ', env: {}, platform: 'linux', exists })).toBe('/usr/bin/chromium');
    expect(findBrowser({ env: {}, platform: 'linux', exists: only('/usr/bin/google-chrome') })).toBe('/usr/bin/google-chrome');
  });

  it('looks for Edge, then Chrome in the usual Windows install folders', () => {
    const env = { ProgramFiles: 'C:\\Program Files', 'ProgramFiles(x86)': 'C:\\Program Files (x86)', LOCALAPPDATA: 'C:\\Users\\kf01\\AppData\\Local' };
    const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
    const chrome = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
    const userChrome = 'C:\\Users\\kf01\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe';
    expect(browserCandidates('win32', env)[0]).toBe(edge);
    expect(findBrowser({ env, platform: 'win32', exists: only(chrome, edge) })).toBe(edge);
    expect(findBrowser({ env, platform: 'win32', exists: only(chrome) })).toBe(chrome);
    expect(findBrowser({ env, platform: 'win32', exists: only(userChrome) })).toBe(userChrome);
  });

  it('says in both languages that no browser was found, and where it looked', () => {
    const none = failure(() => findBrowser({ env: {}, platform: 'linux', exists: () => false }));
    expect(none.code).toBe('UNAVAILABLE');
    expect(none.userMessage.zh).toContain('未找到可生成 PDF 的浏览器');
    expect(none.userMessage.zh).toContain('print.browserPath');
    expect(none.userMessage.en).toContain('No browser found');
    expect(none.userMessage.en).toContain('/usr/bin/chromium');
  });

  it('reports a named browser that is missing instead of quietly using another', () => {
    const missing = failure(() => findBrowser({ configured: 'D:\\Chrome\\chrome.exe', env: {}, platform: 'win32', exists: only('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe') }));
    expect(missing.userMessage.zh).toContain('D:\\Chrome\\chrome.exe');
    expect(missing.userMessage.en).toContain('Looked at: D:\\Chrome\\chrome.exe');
  });
});
