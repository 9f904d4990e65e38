/**
 * The desktop host itself, driven through Playwright's Electron support. It runs where the Electron binary
 * is installed (a developer's or IT's PC) and is skipped where its download is impossible (CI here), like
 * Theia's USE_ELECTRON suites; the browser-host specs cover the same screens everywhere.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

function electronBinary(): string | null {
  try {
    const bin: unknown = createRequire(import.meta.url)('electron');
    return typeof bin === 'string' && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();

test.describe('the Electron host', () => {
  test.skip(binary === null, 'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD)');

  test('opens a sandboxed window on the demo dealer and signs in', async () => {
    const userData = mkdtempSync(path.join(tmpdir(), 'dealercs-electron-'));
    const app = await electron.launch({
      executablePath: binary ?? undefined,
      args: [root, '--no-sandbox'],
      env: { ...process.env, DEALERCS_DATA_DIR: userData },
    });
    try {
      const page = await app.firstWindow();
      await expect(page.getByRole('button', { name: /登\s*录/ })).toBeVisible();
      // The preload exposes only the contract surface: no Node, no ipcRenderer.
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => Object.keys(window.api ?? {}).sort())).toEqual(['invoke', 'on']);
      await page.getByLabel('用户名').fill('agent1');
      await page.getByLabel('密码').fill('agent123');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('current-user')).toBeVisible();
    } finally {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
