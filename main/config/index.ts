/**
 * Seat configuration: the one file (JSON, validated by zod) that drives a workstation — dealer, DMS,
 * modem, health agents, update feed and policy, backups, logging. Plain Node.
 */
import { ConfigError } from './messages';
import { maskSecrets, restoreMaskedSecrets } from './mask';
import { defaultSeatConfig, type SeatConfig } from './schema';
import { loadSeatConfig, saveSeatConfig, validateSeatConfig, watchSeatConfig } from './store';

export * from './schema';
export { ConfigError, describeConfigIssue, type ConfigIssue } from './messages';
export { MASK, isSecretKey, maskSecrets, maskSecretsInText, restoreMaskedSecrets } from './mask';
export { loadSeatConfig, parseSeatConfigText, saveSeatConfig, validateSeatConfig, watchSeatConfig, writeFileAtomic } from './store';

export interface SeatConfigDeps {
  /** Absolute path of the seat configuration file (e.g. <userData>/seat-config.json). */
  file: string;
  /** Reload when IT replaces the file; off in tests that do not need it. */
  watch?: boolean;
  log?: { info(message: string): void; warn(message: string): void };
}

export type ConfigListener = (next: SeatConfig, previous: SeatConfig) => void;

export interface SeatConfigService {
  readonly file: string;
  /** 'defaults' until a file exists. */
  readonly source: 'file' | 'defaults';
  get(): SeatConfig;
  /** What admins and diagnostics see: secrets replaced by MASK. */
  getMasked(): SeatConfig;
  /**
   * Saves a configuration edited from the masked view: MASK values keep the stored secret. Throws
   * ConfigError (with per-field bilingual issues) and leaves the file untouched when it does not validate.
   */
  save(edited: unknown): SeatConfig;
  /** Checks a candidate without saving (settings screen "validate" button). */
  validate(edited: unknown): SeatConfig;
  reload(): Promise<SeatConfig>;
  onChange(listener: ConfigListener): () => void;
  close(): void;
}

export async function createSeatConfig(deps: SeatConfigDeps): Promise<SeatConfigService> {
  const loaded = await loadSeatConfig(deps.file);
  let current: SeatConfig = loaded.config;
  let source = loaded.source;
  const listeners = new Set<ConfigListener>();

  const apply = (next: SeatConfig) => {
    const previous = current;
    current = next;
    if (JSON.stringify(previous) === JSON.stringify(next)) return;
    deps.log?.info(`seat configuration applied: ${JSON.stringify(maskSecrets(next))}`);
    for (const listener of listeners) listener(next, previous);
  };

  const stopWatch = deps.watch
    ? watchSeatConfig(deps.file, current, {
        onChange: (next) => {
          source = 'file';
          apply(next);
        },
        onError: (error) => deps.log?.warn(`seat configuration change ignored: ${error.message}`),
      })
    : () => {};

  const merge = (edited: unknown) => restoreMaskedSecrets(edited, current);

  return {
    file: deps.file,
    get source() {
      return source;
    },
    get: () => current,
    getMasked: () => maskSecrets(current),
    validate: (edited) => validateSeatConfig(merge(edited), deps.file),
    save(edited) {
      const saved = saveSeatConfig(deps.file, merge(edited));
      source = 'file';
      apply(saved);
      return saved;
    },
    async reload() {
      const next = await loadSeatConfig(deps.file);
      source = next.source;
      apply(next.config);
      return current;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      stopWatch();
      listeners.clear();
    },
  };
}

export { defaultSeatConfig };
export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof ConfigError;
}
