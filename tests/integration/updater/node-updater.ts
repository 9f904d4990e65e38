/**
 * Runs electron-updater's real DebUpdater in plain Node, the way electron-builder tests its own updater
 * (test/src/updater/updaterTestUtil.ts): an app adapter instead of Electron's `app`, and a Node HTTP
 * executor instead of Electron's `net`. Everything else — feed YAML parsing, channel file names,
 * staging hook, download and sha512 verification — is electron-updater's own code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { join } from 'node:path';
import { HttpExecutor, configureRequestOptions, configureRequestUrl, type DownloadOptions } from 'builder-util-runtime';
import { DebUpdater, NoOpLogger } from 'electron-updater';

class NodeHttpExecutor extends HttpExecutor<ClientRequest> {
  override createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest {
    return request(options, callback);
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

export function createNodeDebUpdater(options: { version: string; dir: string; placeholderUrl: string }): RecordingDebUpdater {
  const userData = join(options.dir, 'userData');
  const cache = join(options.dir, 'cache');
  mkdirSync(userData, { recursive: true });
  mkdirSync(cache, { recursive: true });
  // What electron-builder writes into resources/app-update.yml at packaging time.
  const appUpdateConfig = join(options.dir, 'app-update.yml');
  writeFileSync(appUpdateConfig, `provider: generic\nurl: ${options.placeholderUrl}\nupdaterCacheDirName: dealercs-updater\n`);
  const adapter = {
    version: options.version,
    name: 'DealerCS',
    isPackaged: true,
    appUpdateConfigPath: appUpdateConfig,
    userDataPath: userData,
    baseCachePath: cache,
    whenReady: () => Promise.resolve(),
    relaunch: () => {},
    quit: () => {},
    onQuit: () => {},
  };
  const updater = new RecordingDebUpdater(null, adapter);
  // Not part of the public typings: with a custom adapter electron-updater leaves the executor unset.
  Reflect.set(updater, 'httpExecutor', new NodeHttpExecutor());
  updater.logger = new NoOpLogger();
  return updater;
}
