/**
 * Diagnostics: the logger both hosts use (electron-log underneath, rotation, secrets masked) and the
 * "export diagnostics" zip for support. Plain Node.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { buildDiagnostics, exportDiagnostics, type DiagnosticsBundle } from './export';
import type { Logger } from './logger';

export { buildDiagnostics, databaseStats, exportDiagnostics, type DatabaseStats, type DiagnosticsBundle, type DiagnosticsInput } from './export';
export { createLogger, listLogFiles, rotateLogFiles, type LogLevel, type Logger, type LoggerOptions } from './logger';

export interface DiagnosticsDeps {
  appVersion: string;
  host: 'electron' | 'browser';
  seatId: string;
  getSeatName(): string;
  /** The current seat configuration (unmasked is fine: the bundle masks it). */
  getConfig(): unknown;
  logger: Logger;
  sqlite: BetterSqlite3.Database | null;
  /** Sections other capabilities contribute at export time, e.g. { updates: status, backups: list }. */
  collectExtra?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
}

export interface Diagnostics {
  /** For the contract: the bundle as bytes (the renderer offers it as a download / save dialog). */
  build(): Promise<DiagnosticsBundle>;
  /** Writes the bundle into a folder (Electron host: the folder the admin chose). */
  exportTo(folder: string): Promise<{ path: string; bytes: number; entries: string[] }>;
}

export function createDiagnostics(deps: DiagnosticsDeps): Diagnostics {
  const input = async () => ({
    appVersion: deps.appVersion,
    host: deps.host,
    seatId: deps.seatId,
    seatName: deps.getSeatName(),
    config: deps.getConfig(),
    logFiles: deps.logger.files(),
    sqlite: deps.sqlite,
    extra: (await deps.collectExtra?.()) ?? {},
  });
  return {
    build: async () => {
      deps.logger.info('diagnostics bundle requested');
      return buildDiagnostics(await input());
    },
    exportTo: async (folder) => {
      deps.logger.info('diagnostics bundle exported');
      return exportDiagnostics(await input(), folder);
    },
  };
}
