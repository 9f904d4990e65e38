/**
 * Handlers of the IT-operations channels (config.*, updates.*, backups.*, diagnostics.*). User-facing
 * failures are ServiceErrors: configuration problems carry one issue per bad field under `config.`
 * (the settings form shows them at the field), backup problems say what is wrong in both languages.
 */
import type { Bilingual } from '../../preload/messages';
import { errorMessages } from '../../preload/messages';
import type { BackupCheck, BackupRecord, Backups, SwapResult } from '../backup';
import { BackupError } from '../backup';
import { ConfigError, maskSecrets, type SeatConfigService } from '../config';
import type { Diagnostics, Logger } from '../diagnostics';
import { ServiceError, staffOf, type CallContext, type EventSink, type HandlerMap } from '../rpc';
import type { UpdateController } from '../updater';

export interface OpsHandlerDeps {
  config: SeatConfigService;
  backups: Backups;
  diagnostics: Diagnostics;
  updates: UpdateController;
  logger: Logger;
  emit: EventSink;
  /** Called after each manual backup (the alarms hear the new freshness at once). */
  afterBackup?: () => void;
  /** Restores a backup (absolute path): closes the live services, swaps the store in. */
  restore(file: string): Promise<SwapResult & { check: BackupCheck; migrated: string[]; restarting: boolean }>;
}

const BACKUP_PROBLEMS: Record<BackupError['reason'], Bilingual> = {
  integrity: { zh: '备份文件已损坏（完整性检查未通过）', en: 'The backup is damaged (integrity check failed)' },
  checksum: { zh: '备份文件在写入后被修改过（校验和不符）', en: 'The backup changed after it was written (checksum mismatch)' },
  foreign: { zh: '这不是本系统的数据库备份', en: 'This is not a backup of this workstation' },
  'newer-schema': { zh: '备份来自更新版本的程序，请先升级', en: 'The backup comes from a newer version; update the workstation first' },
  io: { zh: '无法读写备份文件夹（网络共享是否可用？）', en: 'The backup folder cannot be read or written (is the network share available?)' },
};

function backupProblem(error: BackupError): Bilingual {
  const known = BACKUP_PROBLEMS[error.reason];
  return { zh: `${known.zh}：${error.message}`, en: `${known.en}: ${error.message}` };
}

/** Node's file-system errors (ENOTDIR, EACCES, ENOSPC, a share that went away…) are the folder's fault. */
function asBackupError(error: unknown): BackupError | null {
  if (error instanceof BackupError) return error;
  if (error instanceof Error && 'code' in error && typeof error.code === 'string' && /^E[A-Z]+$/.test(error.code)) {
    return new BackupError(error.message, 'io');
  }
  return null;
}

export function createOpsHandlers(deps: OpsHandlerDeps): HandlerMap {
  const { config, backups, diagnostics, updates, logger } = deps;

  const view = () => ({ config: config.getMasked(), source: config.source, file: config.file });

  /** The seat works for the signed-in staff's dealer: a configuration for another dealer is refused. */
  function checked(edited: Record<string, unknown>, ctx: CallContext, save: boolean) {
    const staff = staffOf(ctx);
    try {
      const result = save ? config.save(edited) : config.validate(edited);
      if (result.dealerId !== null && result.dealerId !== staff.dealerId) {
        throw new ServiceError('VALIDATION', errorMessages.VALIDATION, [
          { path: 'config.dealerId', message: { zh: '经销商编号与当前登录的经销商不一致', en: 'The dealer id is not the dealer you are signed in to' } },
        ]);
      }
      return result;
    } catch (error) {
      if (error instanceof ConfigError) {
        throw new ServiceError(
          'VALIDATION',
          errorMessages.VALIDATION,
          error.issues.map((issue) => ({ path: issue.path === '(root)' ? 'config' : `config.${issue.path}`, message: issue.message })),
        );
      }
      throw error;
    }
  }

  const item = (r: BackupRecord) => ({
    file: r.file,
    createdAt: r.createdAt,
    bytes: r.bytes,
    schemaVersion: r.schemaVersion,
    integrity: r.integrity,
    appVersion: r.appVersion,
    seatName: r.seatName,
    trigger: r.trigger,
  });

  /** Only names from the backup list are accepted: never a path the caller made up. */
  async function findBackup(file: string): Promise<BackupRecord> {
    const found = (await backups.list()).find((r) => r.file === file);
    if (!found) {
      throw new ServiceError('NOT_FOUND', errorMessages.NOT_FOUND, [
        { path: 'file', message: { zh: '备份列表中没有这个文件', en: 'This file is not in the backup list' } },
      ]);
    }
    return found;
  }

  return {
    'config.get': (_input, ctx) => {
      staffOf(ctx);
      return view();
    },
    'config.validate': (input, ctx) => {
      const candidate = checked(input.config, ctx, false);
      return { config: maskSecrets(candidate), source: config.source, file: config.file };
    },
    'config.save': (input, ctx) => {
      // A dealer mismatch must not reach the file: validate fully first, then save.
      checked(input.config, ctx, false);
      checked(input.config, ctx, true);
      logger.info(`seat configuration saved by ${staffOf(ctx).username}`);
      return view();
    },

    'updates.status': () => updates.getStatus(),
    'updates.check': async (_input, ctx) => {
      logger.info(`update check requested by ${staffOf(ctx).username}`);
      return updates.checkNow();
    },
    'updates.install': (_input, ctx) => {
      if (!updates.installNow()) {
        throw new ServiceError('CONFLICT', { zh: '还没有已下载的更新可以安装', en: 'No downloaded update is waiting to be installed' });
      }
      logger.info(`update install requested by ${staffOf(ctx).username}`);
      return { installing: true as const };
    },

    'backups.list': async (_input, ctx) => {
      staffOf(ctx);
      const [records, freshness] = await Promise.all([backups.list(), backups.freshness()]);
      return { items: records.map(item), freshness, status: backups.status() };
    },
    'backups.run': async (_input, ctx) => {
      logger.info(`backup requested by ${staffOf(ctx).username}`);
      deps.emit('backups.status', { ...backups.status(), running: true });
      try {
        return item(await backups.runNow('manual'));
      } catch (error) {
        const problem = asBackupError(error);
        if (problem) throw new ServiceError('UNAVAILABLE', backupProblem(problem));
        throw error;
      } finally {
        deps.emit('backups.status', backups.status());
        deps.afterBackup?.();
      }
    },
    'backups.verify': async (input, ctx) => {
      staffOf(ctx);
      const record = await findBackup(input.file);
      try {
        const check = await backups.verify(record.path);
        return { file: record.file, ok: true, checksum: check.checksum, schemaVersion: check.schemaVersion, pendingMigrations: check.pendingMigrations, problem: null };
      } catch (error) {
        if (!(error instanceof BackupError)) throw error;
        logger.warn(`backup ${record.file} failed verification: ${error.message}`);
        return { file: record.file, ok: false, checksum: null, schemaVersion: record.schemaVersion, pendingMigrations: [], problem: backupProblem(error) };
      }
    },
    'backups.restore': async (input, ctx) => {
      const staff = staffOf(ctx);
      const record = await findBackup(input.file);
      logger.warn(`restore of ${record.file} requested by ${staff.username}`);
      try {
        const result = await deps.restore(record.path);
        return { file: record.file, previousFile: result.previousFile, migrated: result.migrated, restartRequired: true as const, restarting: result.restarting };
      } catch (error) {
        const problem = asBackupError(error);
        if (problem) throw new ServiceError('UNAVAILABLE', backupProblem(problem));
        throw error;
      }
    },

    'diagnostics.export': async (_input, ctx) => {
      logger.info(`diagnostics exported by ${staffOf(ctx).username}`);
      const bundle = await diagnostics.build();
      return { fileName: bundle.fileName, base64: bundle.zip.toString('base64'), bytes: bundle.zip.length, entries: bundle.entries };
    },
  };
}
