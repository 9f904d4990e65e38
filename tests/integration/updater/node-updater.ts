/**
 * Runs electron-updater's real DebUpdater and NsisUpdater in plain Node, the way electron-builder tests its own updater
 * (test/src/updater/updaterTestUtil.ts): an app adapter instead of Electron's `app`, and a Node HTTP
 * executor instead of Electron's `net`. Everything else — feed YAML parsing, channel file names,
 * staging hook, download and sha512 verification — is electron-updater's own code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { join } from 'node:path';
import { HttpExecutor, configureRequestOptions, configureRequestUrl, type DownloadOptions } from 'builder-util-runtime';
import { DebUpdater, NoOpLogger, NsisUpdater, type AppUpdater } from 'electron-updater';
import type { AllPublishOptions, PublishConfiguration } from 'builder-util-runtime';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';

class NodeHttpExecutor extends HttpExecutor<ClientRequest> {
  override createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest {
    // One connection per request, as Electron's `net` hands each its own stream: Node's keep-alive pool would
    // reuse sockets across tests and pile up the timeout listener electron-updater adds to every request.
    return request({ ...options, agent: false }, callback);
  }

  /** The same as electron-updater's ElectronHttpExecutor.download, over Node's http instead of `net`. */
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          callback: (error) => (error == null ? resolve(destination) : reject(error)),
          responseHandler: null,
        },
        0,
      );
    });
  }
}

/** Installing would run dpkg through sudo; the tests only record that the policy asked for it. */
export class RecordingDebUpdater extends DebUpdater {
  readonly installCalls: { silent: boolean | undefined; runAfter: boolean | undefined }[] = [];
  override quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installCalls.push({ silent: isSilent, runAfter: isForceRunAfter });
  }
}

/**
 * The Windows updater, for differential downloads (cached installer + blockmaps + HTTP Range). Running the
 * installer is recorded, not done. Code-signature checks go through the public `verifyUpdateCodeSignature`.
 */
export class RecordingNsisUpdater extends NsisUpdater {
  readonly installCalls: { silent: boolean | undefined; runAfter: boolean | undefined }[] = [];
  override quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installCalls.push({ silent: isSilent, runAfter: isForceRunAfter });
  }

  /**
   * electron-updater names the feed file after the platform (latest.yml on Windows, latest-linux.yml here).
   * electron-builder's own tests pick the platform through `_testOnlyOptions`; it is set only while the
   * provider is created, because during a download it would also turn the differential-download fallback
   * into a thrown error — the fallback is what the tests must see as a Windows seat does.
   */
  override setFeedURL(options: PublishConfiguration | AllPublishOptions | string): void {
    Reflect.set(this, '_testOnlyOptions', { platform: 'win32', isUseDifferentialDownload: true });
    try {
      super.setFeedURL(options);
    } finally {
      Reflect.set(this, '_testOnlyOptions', null);
    }
  }
}

export interface NodeUpdaterOptions {
  version: string;
  dir: string;
  placeholderUrl: string;
  /** `publisherName` in app-update.yml: electron-updater then checks the installer's signature. */
  publisherName?: string;
}

/** electron-builder names it after package.json's name; on Windows it sits in %LOCALAPPDATA%. */
const UPDATER_CACHE_DIR_NAME = 'dealer-cs-workstation-updater';

/** The cache folder electron-updater uses (and the NSIS installer copies itself into as installer.exe). */
export const updaterCacheDir = (dir: string) => join(dir, 'cache', UPDATER_CACHE_DIR_NAME);

function wire<T extends AppUpdater>(make: (adapter: AppAdapter) => T, options: NodeUpdaterOptions): T {
  const userData = join(options.dir, 'userData');
  mkdirSync(userData, { recursive: true });
  mkdirSync(updaterCacheDir(options.dir), { recursive: true });
  // What electron-builder writes into resources/app-update.yml at packaging time.
  const appUpdateConfig = join(options.dir, 'app-update.yml');
  const publisher = options.publisherName ? `publisherName:\n  - ${options.publisherName}\n` : '';
  writeFileSync(appUpdateConfig, `provider: generic\nurl: ${options.placeholderUrl}\nupdaterCacheDirName: ${UPDATER_CACHE_DIR_NAME}\n${publisher}`);
  const updater = make({
    version: options.version,
    name: 'DealerCS',
    isPackaged: true,
    appUpdateConfigPath: appUpdateConfig,
    userDataPath: userData,
    baseCachePath: join(options.dir, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => {},
    quit: () => {},
    onQuit: () => {},
  });
  // Not part of the public typings: with a custom adapter electron-updater leaves the executor unset.
  Reflect.set(updater, 'httpExecutor', new NodeHttpExecutor());
  updater.logger = new NoOpLogger();
  return updater;
}

export function createNodeDebUpdater(options: NodeUpdaterOptions): RecordingDebUpdater {
  return wire((adapter) => new RecordingDebUpdater(null, adapter), options);
}

export function createNodeNsisUpdater(options: NodeUpdaterOptions): RecordingNsisUpdater {
  return wire((adapter) => new RecordingNsisUpdater(null, adapter), options);
}
