/**
 * The desktop host's print service: a hidden, sandboxed window without scripts loads the document and
 * webContents.printToPDF makes the PDF, at the template's paper size with backgrounds. Written against
 * small interfaces (like notifications.ts) so it is unit-tested without the Electron binary.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PAGE_SIZES } from '../templates';
import { DEFAULT_PRINT_TIMEOUT_MS } from '../print/chromium';
import { PrintCancelled, type PrintService } from '../print/types';
import { ServiceError } from '../rpc';

export interface PdfOptions {
  pageSize: { width: number; height: number };
  printBackground: true;
  preferCSSPageSize: true;
  margins: { marginType: 'none' };
}

export interface PrintWindowLike {
  loadFile(file: string): Promise<void>;
  webContents: { printToPDF(options: PdfOptions): Promise<Buffer> };
  isDestroyed(): boolean;
  destroy(): void;
}

/** A hidden window for one print (show: false, printWebPreferences()). */
export type PrintWindowFactory = () => PrintWindowLike;

/** No preload, no Node, no scripts: the printed document is data, never code. */
export function printWebPreferences() {
  return { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, webSecurity: true, spellcheck: false } as const;
}

const MM_PER_INCH = 25.4;

export function createElectronPrintService(createWindow: PrintWindowFactory, options: { timeoutMs?: () => number; tmpDir?: string } = {}): PrintService {
  return {
    engine: 'electron',
    async toPdf(html, page, { signal } = {}) {
      if (signal?.aborted) throw new PrintCancelled();
      const size = PAGE_SIZES[page];
      const dir = await mkdtemp(path.join(options.tmpDir ?? tmpdir(), 'dealercs-print-'));
      const win = createWindow();
      let stopped: 'timeout' | 'cancelled' | null = null;
      let halt: (error: Error) => void = () => undefined;
      // A destroyed window may leave its pending load or print unsettled; this settles the wait instead.
      const halted = new Promise<never>((_resolve, reject) => {
        halt = reject;
      });
      halted.catch(() => undefined);
      const stop = (why: 'timeout' | 'cancelled') => {
        stopped ??= why;
        halt(new Error(why));
        if (!win.isDestroyed()) win.destroy();
      };
      const timeoutMs = options.timeoutMs?.() ?? DEFAULT_PRINT_TIMEOUT_MS;
      const timer = setTimeout(() => stop('timeout'), timeoutMs);
      const onAbort = () => stop('cancelled');
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const file = path.join(dir, 'document.html');
        await writeFile(file, html, 'utf8');
        await Promise.race([win.loadFile(file), halted]);
        const pdf = win.webContents.printToPDF({
          pageSize: { width: size.widthMm / MM_PER_INCH, height: size.heightMm / MM_PER_INCH },
          printBackground: true,
          preferCSSPageSize: true,
          margins: { marginType: 'none' },
        });
        return await Promise.race([pdf, halted]);
      } catch (error) {
        if (stopped === 'cancelled') throw new PrintCancelled();
        if (stopped === 'timeout') {
          throw new ServiceError('UNAVAILABLE', {
            zh: `生成 PDF 超时（${Math.round(timeoutMs / 1000)} 秒），已停止。请减少一次打印的信件数后重试。`,
            en: `Making the PDF took longer than ${Math.round(timeoutMs / 1000)} s and was stopped. Print fewer letters at a time and try again.`,
          });
        }
        throw error;
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (!win.isDestroyed()) win.destroy();
        await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }).catch(() => undefined);
      }
    },
  };
}
