/**
 * Auto-update: policy and status over electron-updater. Plain Node — the Electron host passes
 * electron-updater's `autoUpdater`; everything else is decided and tested here.
 */
import { createUpdateController, type UpdateController, type UpdateControllerDeps } from './controller';

export { createUpdateController, type UpdateController, type UpdateControllerDeps } from './controller';
export {
  compareVersions,
  feedChannelName,
  isBelowMinimum,
  nextLocalHour,
  planInstall,
  releaseNotesText,
  retryDelayMs,
  rolloutPosition,
  stagingDecision,
  type InstallPlan,
  type StagingDecision,
} from './policy';
export { loadOrCreateSeatId } from './seat-id';
export { systemClock, type Clock, type UpdateHealth, type UpdatePhase, type UpdateStatus, type UpdaterLike } from './types';

/** The capability's public face (engineering.md: create<Capability>(deps)). */
export function createUpdater(deps: UpdateControllerDeps): UpdateController {
  return createUpdateController(deps);
}
