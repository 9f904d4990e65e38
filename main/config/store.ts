/**
 * Reading, writing and watching the seat configuration file. Writes are atomic (temp file + fsync +
 * rename) so a crash or a push from IT mid-write never leaves a half-written file for the next start.
 */
import { closeSync, fsyncSync, openSync, watch, writeFileSync, renameSync, rmSync, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { seatConfigSchema, type SeatConfig } from './schema';
import { ConfigError, describeConfigIssue } from './messages';

export interface LoadedConfig {
  config: SeatConfig;
  /** 'file' when read from disk, 'defaults' when no file exists yet (a fresh or demo seat). */
  source: 'file' | 'defaults';
}

/** Validates already-parsed JSON; throws ConfigError naming every bad field. */
export function validateSeatConfig(raw: unknown, file = '(input)'): SeatConfig {
  const parsed = seatConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    file,
    { zh: '座席配置有误', en: 'The seat configuration is not valid' },
    parsed.error.issues.map(describeConfigIssue),
  );
}

export function parseSeatConfigText(text: string, file = '(input)'): SeatConfig {
  let raw: unknown;
  try {
    // Windows editors (Notepad) like to prepend a BOM; JSON.parse rejects it.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ConfigError(file, { zh: `配置文件不是有效的 JSON（${detail}）`, en: `The configuration file is not valid JSON (${detail})` });
  }
  return validateSeatConfig(raw, file);
}

export async function loadSeatConfig(file: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') return { config: seatConfigSchema.parse({}), source: 'defaults' };
    const detail = error instanceof Error ? error.message : String(error);
    throw new ConfigError(file, { zh: `无法读取配置文件（${detail}）`, en: `Cannot read the configuration file (${detail})` });
  }
  return { config: parseSeatConfigText(text, file), source: 'file' };
}

/** Validates, then writes atomically. Returns the normalised configuration that is now on disk. */
export function saveSeatConfig(file: string, raw: unknown): SeatConfig {
  const config = validateSeatConfig(raw, file);
  writeFileAtomic(file, `${JSON.stringify(config, null, 2)}\n`);
  return config;
}

export function writeFileAtomic(file: string, content: string | Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(temp, 'w');
    try {
      writeFileSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncDirectory(dirname(file));
}

/** Makes the rename itself durable; not supported on Windows, where NTFS journals the rename anyway. */
function fsyncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort: some network filesystems refuse fsync on directories
  }
}

export interface WatchOptions {
  onChange(config: SeatConfig): void;
  /** A pushed file that does not validate: the seat keeps running on the previous configuration. */
  onError(error: ConfigError): void;
  /** Editors and copy tools write in bursts; wait this long after the last event before re-reading. */
  debounceMs?: number;
}

/**
 * Watches the file's folder (not the file: an atomic replace swaps the inode a file watch is bound to)
 * and reloads after changes settle. Calls onChange only when the effective configuration differs.
 */
export function watchSeatConfig(file: string, initial: SeatConfig, options: WatchOptions): () => void {
  const debounceMs = options.debounceMs ?? 300;
  let current = JSON.stringify(initial);
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  mkdirSync(dirname(file), { recursive: true });

  const reload = async () => {
    timer = null;
    try {
      const loaded = await loadSeatConfig(file);
      if (stopped || loaded.source === 'defaults') return;
      const next = JSON.stringify(loaded.config);
      if (next === current) return;
      current = next;
      options.onChange(loaded.config);
    } catch (error) {
      if (!stopped && error instanceof ConfigError) options.onError(error);
    }
  };

  const watcher: FSWatcher = watch(dirname(file), (_event, name) => {
    if (stopped || (name !== null && name !== basename(file))) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void reload(), debounceMs);
  });
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    watcher.close();
  };
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}
