/**
 * "Export diagnostics": one zip for support with logs, the seat configuration (secrets masked),
 * versions and database statistics. Everything textual passes the secret mask once more on the way out.
 */
import { readFileSync, statSync } from 'node:fs';
import { arch, platform, release, totalmem, freemem, hostname } from 'node:os';
import { basename, join } from 'node:path';
import JSZip from 'jszip';
import type BetterSqlite3 from 'better-sqlite3';
import { maskSecrets, maskSecretsInText } from '../config/mask';
import { writeFileAtomic } from '../config/store';

export interface DatabaseStats {
  file: string | null;
  bytes: number | null;
  walBytes: number | null;
  pageSize: number;
  pageCount: number;
  freelistCount: number;
  journalMode: string;
  sqliteVersion: string;
  quickCheck: string;
  migrations: string[];
  tables: Record<string, number>;
}

const fileSize = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
};

/** Row counts and storage figures; FTS shadow tables and SQLite internals are left out. */
export function databaseStats(sqlite: BetterSqlite3.Database): DatabaseStats {
  const pragma = (name: string) => sqlite.pragma(name, { simple: true });
  const tables = (sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[])
    .map((t) => t.name)
    .filter((name) => !/_(data|idx|docsize|config|content)$/.test(name));
  const counts: Record<string, number> = {};
  for (const name of tables) {
    const row = sqlite.prepare(`select count(*) as n from "${name.replace(/"/g, '""')}"`).get() as { n: number };
    counts[name] = row.n;
  }
  const migrations = tables.includes('kysely_migration')
    ? (sqlite.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name)
    : [];
  const file = sqlite.name && sqlite.name !== ':memory:' ? sqlite.name : null;
  return {
    file: file ? basename(file) : null,
    bytes: file ? fileSize(file) : null,
    walBytes: file ? fileSize(`${file}-wal`) : null,
    pageSize: Number(pragma('page_size')),
    pageCount: Number(pragma('page_count')),
    freelistCount: Number(pragma('freelist_count')),
    journalMode: String(pragma('journal_mode')),
    sqliteVersion: String((sqlite.prepare('select sqlite_version() as v').get() as { v: string }).v),
    quickCheck: String(pragma('quick_check')),
    migrations,
    tables: counts,
  };
}

export interface DiagnosticsInput {
  appVersion: string;
  host: 'electron' | 'browser';
  seatId: string;
  seatName: string;
  /** The seat configuration as loaded (masked here, whatever the caller passes). */
  config: unknown;
  logFiles: string[];
  sqlite: BetterSqlite3.Database | null;
  /** More sections from other capabilities (update status, backups, alarms), masked and added as JSON. */
  extra?: Record<string, unknown>;
  now?: Date;
}

export interface DiagnosticsBundle {
  fileName: string;
  zip: Buffer;
  entries: string[];
}

/** Keeps a bundle mailable: only the newest part of a very large log goes in. */
const MAX_LOG_BYTES = 20 * 1024 * 1024;

export async function buildDiagnostics(input: DiagnosticsInput): Promise<DiagnosticsBundle> {
  const now = input.now ?? new Date();
  const zip = new JSZip();
  const json = (value: unknown) => `${JSON.stringify(maskSecrets(value), null, 2)}\n`;
  zip.file(
    'README.txt',
    [
      'DealerCS 诊断包 / diagnostics bundle',
      `生成时间 / created: ${now.toISOString()}`,
      `座席 / seat: ${input.seatName || '-'} (${input.seatId})`,
      '',
      'config.json    座席配置（密码、密钥已隐藏） / seat configuration, secrets masked',
      'versions.json  版本与系统信息 / versions and system',
      'database.json  数据库统计 / database statistics',
      'logs/          日志文件 / log files',
      '',
    ].join('\n'),
  );
  zip.file('config.json', json(input.config));
  zip.file(
    'versions.json',
    json({
      app: input.appVersion,
      host: input.host,
      node: process.versions.node,
      electron: process.versions['electron'] ?? null,
      chrome: process.versions['chrome'] ?? null,
      v8: process.versions.v8,
      os: { platform: platform(), release: release(), arch: arch(), hostname: hostname() },
      memory: { totalMb: Math.round(totalmem() / 1048576), freeMb: Math.round(freemem() / 1048576) },
      uptimeSeconds: Math.round(process.uptime()),
    }),
  );
  if (input.sqlite) {
    let stats: unknown;
    try {
      stats = databaseStats(input.sqlite);
    } catch (error) {
      stats = { error: error instanceof Error ? error.message : String(error) };
    }
    zip.file('database.json', json(stats));
  }
  for (const [name, value] of Object.entries(input.extra ?? {})) {
    zip.file(`${name.replace(/[^A-Za-z0-9_-]/g, '_')}.json`, json(value));
  }
  for (const file of input.logFiles) {
    let text: string;
    try {
      const buf = readFileSync(file);
      text = buf.subarray(Math.max(0, buf.length - MAX_LOG_BYTES)).toString('utf8');
    } catch (error) {
      text = `(unreadable: ${error instanceof Error ? error.message : String(error)})`;
    }
    zip.file(join('logs', basename(file)).replace(/\\/g, '/'), maskSecretsInText(text));
  }
  const buffer = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const seat = (input.seatName || input.seatId.slice(0, 8)).replace(/[^\p{L}\p{N}_-]/gu, '_');
  return { fileName: `DealerCS-diagnostics-${seat}-${stamp}.zip`, zip: buffer, entries: Object.keys(zip.files).filter((n) => !zip.files[n]?.dir) };
}

/** Writes the bundle into `folder` (atomically) and returns its path. */
export async function exportDiagnostics(input: DiagnosticsInput, folder: string): Promise<{ path: string; bytes: number; entries: string[] }> {
  const bundle = await buildDiagnostics(input);
  const path = join(folder, bundle.fileName);
  writeFileAtomic(path, bundle.zip);
  return { path, bytes: bundle.zip.length, entries: bundle.entries };
}
