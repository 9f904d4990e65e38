/**
 * The browser host's print service: a headless Chromium (or Chrome / Edge on Windows) prints the
 * document with --print-to-pdf. Each print runs in its own temp folder (document, PDF and a throw-away
 * browser profile, so it never meets the seat's own browser) that is removed afterwards, and the child is
 * killed with its helper processes on timeout or cancel. The paper size comes from the document's CSS
 * @page rule, which headless Chromium honours.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ServiceError } from '../rpc';
import { PrintCancelled, type PrintService } from './types';

export interface BrowserLookup {
  /** The seat configuration's print.browserPath (IT's choice wins). */
  configured?: string | null;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  exists?: (file: string) => boolean;
}

/** Where a browser usually lives when neither the seat file nor CHROMIUM_PATH names one. */
export function browserCandidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'win32') {
    const programFiles = env.ProgramFiles ?? 'C:\\Program Files';
    const programFilesX86 = env['ProgramFiles(x86)'] ?? 'C:\\Program Files (x86)';
    const local = env.LOCALAPPDATA;
    const join = path.win32.join;
    return [
      // Edge ships with every Windows 10/11 seat, so it is tried first.
      join(programFilesX86, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
      join(programFiles, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
      join(programFiles, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      join(programFilesX86, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      ...(local ? [join(local, 'Google', 'Chrome', 'Application', 'chrome.exe'), join(local, 'Chromium', 'Application', 'chrome.exe')] : []),
    ];
  }
  if (platform === 'darwin') {
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ];
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/usr/bin/microsoft-edge'];
}

const notFound = (tried: readonly string[]) =>
  new ServiceError('UNAVAILABLE', {
    zh: `未找到可生成 PDF 的浏览器（Chromium、Chrome 或 Edge）。请安装其中一个，或在座席配置的 print.browserPath（或环境变量 CHROMIUM_PATH）中填写浏览器程序的完整路径。已查找：${tried.join('；')}`,
    en: `No browser found to make the PDF (Chromium, Chrome or Edge). Install one, or put the browser program's full path in the seat configuration's print.browserPath (or the CHROMIUM_PATH environment variable). Looked at: ${tried.join('; ')}`,
  });

/**
 * The browser to print with: the seat file's path, else CHROMIUM_PATH, else the first usual install
 * folder that has one. A path that was named but does not exist is reported as such, never skipped.
 */
export function findBrowser(lookup: BrowserLookup = {}): string {
  const env = lookup.env ?? process.env;
  const exists = lookup.exists ?? existsSync;
  const named = lookup.configured?.trim() || env.CHROMIUM_PATH?.trim();
  if (named) {
    if (exists(named)) return named;
    throw notFound([named]);
  }
  const candidates = browserCandidates(lookup.platform ?? process.platform, env);
  const found = candidates.find((c) => exists(c));
  if (!found) throw notFound(candidates);
  return found;
}

export interface ChromiumPrintDeps {
  /** Read on every print, so a seat-file change applies without a restart. */
  browserPath?: () => string | null;
  timeoutMs?: () => number;
  env?: NodeJS.ProcessEnv;
  /** Parent of the per-print temp folders; the OS temp folder by default. */
  tmpDir?: string;
  log?: (message: string) => void;
}

export const DEFAULT_PRINT_TIMEOUT_MS = 120_000;
const STDERR_KEEP = 4096;

/** Stops the browser and every helper process it started (they share its process group / job tree). */
function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  if (process.platform === 'win32') {
    if (child.exitCode !== null || child.signalCode !== null) return;
    spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' }).on('error', () => child.kill());
    return;
  }
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is gone already (ESRCH): nothing left to stop.
  }
}

function runBrowser(exe: string, args: readonly string[], timeoutMs: number, signal: AbortSignal | undefined, log: (m: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    // Its own process group (POSIX), so a kill reaches the renderer and GPU helpers too.
    const child = spawn(exe, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: process.platform !== 'win32', windowsHide: true });
    let stderr = '';
    let stopped: 'timeout' | 'cancelled' | null = null;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_KEEP);
    });
    const stop = (why: 'timeout' | 'cancelled') => {
      stopped ??= why;
      killTree(child);
    };
    const timer = setTimeout(() => stop('timeout'), timeoutMs);
    const onAbort = () => stop('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    let failed = false;
    child.once('error', (error: NodeJS.ErrnoException) => {
      failed = true;
      done();
      log(`print: the browser ${exe} could not start: ${error.message}`);
      reject(
        new ServiceError('UNAVAILABLE', {
          zh: `无法启动浏览器生成 PDF（${exe}：${error.code ?? error.message}）。请检查座席配置的 print.browserPath。`,
          en: `The browser could not be started to make the PDF (${exe}: ${error.code ?? error.message}). Check print.browserPath in the seat configuration.`,
        }),
      );
    });
    // 'exit', not 'close': a helper (crash handler) may hold stderr open after the browser is done.
    child.once('exit', (code) => {
      done();
      if (failed) return;
      // Whatever helper outlived the browser goes with it.
      if (process.platform !== 'win32') killTree(child);
      if (stopped === 'cancelled') return reject(new PrintCancelled());
      if (stopped === 'timeout') {
        log(`print: ${exe} did not finish within ${timeoutMs} ms and was stopped; stderr: ${stderr.trim()}`);
        return reject(
          new ServiceError('UNAVAILABLE', {
            zh: `生成 PDF 超时（${Math.round(timeoutMs / 1000)} 秒），浏览器已停止。请减少一次打印的信件数后重试。`,
            en: `Making the PDF took longer than ${Math.round(timeoutMs / 1000)} s and the browser was stopped. Print fewer letters at a time and try again.`,
          }),
        );
      }
      if (code !== 0) {
        log(`print: ${exe} exited with ${String(code)}; stderr: ${stderr.trim()}`);
        return reject(
          new ServiceError('UNAVAILABLE', {
            zh: `浏览器生成 PDF 失败（退出码 ${String(code)}），详情已记录日志。`,
            en: `The browser failed to make the PDF (exit code ${String(code)}); the details are in the log.`,
          }),
        );
      }
      resolve();
    });
  });
}

export function createChromiumPrintService(deps: ChromiumPrintDeps = {}): PrintService {
  const log = deps.log ?? (() => undefined);
  return {
    engine: 'chromium',
    async toPdf(html, _page, options = {}) {
      const { signal } = options;
      if (signal?.aborted) throw new PrintCancelled();
      const exe = findBrowser({ configured: deps.browserPath?.() ?? null, ...(deps.env ? { env: deps.env } : {}) });
      const dir = await mkdtemp(path.join(deps.tmpDir ?? tmpdir(), 'dealercs-print-'));
      try {
        const input = path.join(dir, 'document.html');
        const output = path.join(dir, 'document.pdf');
        await writeFile(input, html, 'utf8');
        const args = [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-pdf-header-footer',
          // The same switch under its name before Chromium 111 (older Edge and Chrome on seats).
          '--print-to-pdf-no-header',
          '--no-first-run',
          '--no-default-browser-check',
          '--disable-extensions',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          `--user-data-dir=${path.join(dir, 'profile')}`,
          `--print-to-pdf=${output}`,
          pathToFileURL(input).href,
        ];
        await runBrowser(exe, args, deps.timeoutMs?.() ?? DEFAULT_PRINT_TIMEOUT_MS, signal, log);
        const pdf = await readFile(output).catch(() => null);
        if (!pdf || pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
          log(`print: ${exe} finished without writing a PDF`);
          throw new ServiceError('UNAVAILABLE', {
            zh: '浏览器没有生成 PDF 文件，请确认 print.browserPath 指向 Chromium、Chrome 或 Edge。',
            en: 'The browser did not write a PDF; check that print.browserPath points at Chromium, Chrome or Edge.',
          });
        }
        return pdf;
      } finally {
        // Windows may hold the profile for a moment after the browser exits.
        await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }).catch((error: unknown) =>
          log(`print: temp folder ${dir} not removed: ${String(error)}`),
        );
      }
    },
  };
}
