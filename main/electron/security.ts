/**
 * Window hardening for the Electron host, written against small interfaces so the rules are unit-tested
 * without the Electron binary.
 */
import { contentSecurityPolicy } from '../host/static';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://renderer`;

export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  } as const;
}

export const ELECTRON_CSP = contentSecurityPolicy();

export interface WebContentsLike {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
}

/** Stays on the app's own origin: new windows, navigations elsewhere and webviews are refused. */
export function hardenWebContents(contents: WebContentsLike, onBlocked: (url: string) => void = () => undefined): void {
  contents.setWindowOpenHandler(({ url }) => {
    onBlocked(url);
    return { action: 'deny' };
  });
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) {
      event.preventDefault();
      onBlocked(url);
    }
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export interface SessionLike {
  setPermissionRequestHandler(handler: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (wc: unknown, permission: string) => boolean): void;
}

/** Notifications are the only permission the workstation uses (alarm popups); everything else is denied. */
export function denyPermissions(session: SessionLike, allowed: ReadonlySet<string> = new Set(['notifications'])): void {
  session.setPermissionRequestHandler((_wc, permission, callback) => callback(allowed.has(permission)));
  session.setPermissionCheckHandler((_wc, permission) => allowed.has(permission));
}
