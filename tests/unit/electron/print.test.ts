/** The desktop host's print service against a fake hidden window: paper size, sandbox, cleanup, cancel. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createElectronPrintService, printWebPreferences, type PdfOptions, type PrintWindowLike } from '../../../main/electron/print';
import { isPrintCancelled } from '../../../main/print';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fakeWindow(print: (options: PdfOptions) => Promise<Buffer>) {
  const seen: { loaded: string[]; html: string[]; options: PdfOptions[]; destroyed: boolean } = { loaded: [], html: [], options: [], destroyed: false };
  const win: PrintWindowLike = {
    async loadFile(file) {
      seen.loaded.push(file);
      seen.html.push(readFileSync(file, 'utf8'));
    },
    webContents: {
      printToPDF(options) {
        seen.options.push(options);
        return print(options);
      },
    },
    isDestroyed: () => seen.destroyed,
    destroy: () => {
      seen.destroyed = true;
    },
  };
  return { win, seen };
}

describe('Electron print service', () => {
  it('prints the document at the template paper size in a window it then destroys, leaving no temp files', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'electron-print-'));
    const { win, seen } = fakeWindow(async () => Buffer.from('%PDF-1.7 fake'));
    const service = createElectronPrintService(() => win, { tmpDir: dir });
    const pdf = await service.toPdf('<p>王女士</p>', 'DL');
    expect(pdf.toString()).toBe('%PDF-1.7 fake');
    expect(seen.html).toEqual(['<p>王女士</p>']);
    const [options] = seen.options;
    expect(options?.pageSize.width).toBeCloseTo(220 / 25.4, 5);
    expect(options?.pageSize.height).toBeCloseTo(110 / 25.4, 5);
    expect(options).toMatchObject({ printBackground: true, preferCSSPageSize: true, margins: { marginType: 'none' } });
    expect(seen.destroyed).toBe(true);
    expect(existsSync(seen.loaded[0] ?? '')).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(printWebPreferences()).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false });
  });

  it('a cancel destroys the window and ends the print as cancelled', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'electron-print-'));
    const controller = new AbortController();
    let started = () => undefined as void;
    const printing = new Promise<void>((resolve) => (started = resolve));
    // A print that never finishes by itself, like a huge batch.
    const { win, seen } = fakeWindow(() => {
      started();
      return new Promise<Buffer>(() => undefined);
    });
    const result = createElectronPrintService(() => win, { tmpDir: dir }).toPdf('<p>x</p>', 'A4', { signal: controller.signal });
    await printing;
    controller.abort();
    const error = await result.then(() => null, (e: unknown) => e);
    expect(isPrintCancelled(error)).toBe(true);
    expect(seen.destroyed).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a print past its time limit is stopped with a bilingual message', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'electron-print-'));
    const { win, seen } = fakeWindow(() => new Promise<Buffer>(() => undefined));
    const error = await createElectronPrintService(() => win, { tmpDir: dir, timeoutMs: () => 50 })
      .toPdf('<p>x</p>', 'A4')
      .then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', userMessage: { zh: expect.stringContaining('超时') as unknown, en: expect.stringContaining('longer than') as unknown } });
    expect(seen.destroyed).toBe(true);
  });
});
