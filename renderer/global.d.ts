import type { Api } from '../preload/contract';

declare global {
  interface Window {
    /** Exposed by the Electron preload through contextBridge; absent under the browser host. */
    api?: Api;
  }
}

export {};
