/**
 * One logger interface for both hosts. Underneath is electron-log: its `node` entry in plain Node (the
 * browser host, tools, tests) and its `main` entry in the Electron host — same file transport, same
 * rotation. Every message is masked for secrets before it reaches a file.
 */
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import nodeLog from 'electron-log/node';
import { maskSecretsInText } from '../config/mask';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, ...meta: unknown[]): void;
  info(message: string, ...meta: unknown[]): void;
  warn(message: string, ...meta: unknown[]): void;
  error(message: string, ...meta: unknown[]): void;
  /** A logger that prefixes messages with a scope, e.g. "[backup]". */
  scope(name: string): Logger;
  /** The current file and its rotated predecessors (for the diagnostics bundle). */
  files(): string[];
}

export interface LoggerOptions {
  /** Folder for the log files (e.g. <userData>/logs). */
  dir: string;
  fileName?: string;
  level?: LogLevel;
  maxFileMb?: number;
  /** Files kept including the current one: main.log, main.1.log … main.(n-1).log. */
  maxFiles?: number;
  console?: boolean;
  /** Electron host: pass `require('electron-log/main')`; default is electron-log's Node entry. */
  electronLog?: typeof nodeLog;
}

let instances = 0;

/**
 * Shifts main.log → main.1.log → main.2.log …, dropping the oldest. electron-log calls this when the
 * current file passes maxSize; its default keeps only a single main.old.log.
 */
export function rotateLogFiles(current: string, maxFiles: number): void {
  const dir = dirname(current);
  const stem = basename(current).replace(/\.log$/, '');
  const numbered = (i: number) => join(dir, `${stem}.${i}.log`);
  rmSync(numbered(maxFiles - 1), { force: true });
  for (let i = maxFiles - 2; i >= 1; i--) if (existsSync(numbered(i))) renameSync(numbered(i), numbered(i + 1));
  if (maxFiles > 1) renameSync(current, numbered(1));
  else rmSync(current, { force: true });
}

function format(message: string, meta: unknown[]): string {
  const parts = [message];
  for (const m of meta) {
    if (m instanceof Error) parts.push(m.stack ?? `${m.name}: ${m.message}`);
    else if (typeof m === 'string') parts.push(m);
    else {
      try {
        parts.push(JSON.stringify(m));
      } catch {
        parts.push(String(m));
      }
    }
  }
  return maskSecretsInText(parts.join(' '));
}

export function createLogger(options: LoggerOptions): Logger {
  const fileName = options.fileName ?? 'main.log';
  const current = join(options.dir, fileName);
  const maxFiles = options.maxFiles ?? 5;
  // A separate electron-log instance per logger: no shared global state between hosts or tests.
  const log = (options.electronLog ?? nodeLog).create({ logId: `dealercs-${process.pid}-${++instances}` });
  log.transports.file.resolvePathFn = () => current;
  log.transports.file.maxSize = (options.maxFileMb ?? 5) * 1024 * 1024;
  log.transports.file.level = options.level ?? 'info';
  log.transports.file.sync = true;
  log.transports.file.archiveLogFn = (file) => rotateLogFiles(file.path, maxFiles);
  log.transports.console.level = options.console ? (options.level ?? 'info') : false;

  const make = (prefix: string): Logger => ({
    debug: (m, ...meta) => log.debug(prefix + format(m, meta)),
    info: (m, ...meta) => log.info(prefix + format(m, meta)),
    warn: (m, ...meta) => log.warn(prefix + format(m, meta)),
    error: (m, ...meta) => log.error(prefix + format(m, meta)),
    scope: (name) => make(`${prefix}[${name}] `),
    files: () => listLogFiles(options.dir),
  });
  return make('');
}

/** Every *.log file in the folder, newest name first (main.log, main.1.log, …). */
export function listLogFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith('.log'))
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
      .map((n) => join(dir, n));
  } catch {
    return [];
  }
}

function rank(name: string): number {
  const m = /\.(\d+)\.log$/.exec(name);
  return m ? Number(m[1]) : 0;
}
