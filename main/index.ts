/**
 * The Electron host: one hardened window, the services wired to ipcMain, nothing else. All behaviour
 * lives in plain-Node modules (main/services.ts and the capabilities), shared with the browser host.
 */
import { app, BrowserWindow, ipcMain, Notification, protocol, session } from 'electron';
import electronLog from 'electron-log/main';
import electronUpdater from 'electron-updater';
import path from 'node:path';
import { ensureDatabase } from './host/paths';
import { createAppProtocolHandler } from './electron/protocol';
import { registerRpc } from './electron/ipc';
import { forwardAlarmNotifications } from './electron/notifications';
import { createElectronPrintService, printWebPreferences } from './electron/print';
import { APP_ORIGIN, APP_SCHEME, denyPermissions, hardenWebContents, secureWebPreferences } from './electron/security';
import { createServices, type Services } from './services';
import { APP_VERSION } from './version';
import { createUpdater } from './updater';

const outDir = path.resolve(import.meta.dirname, '..');
const resourcesDir = app.isPackaged ? process.resourcesPath : path.join(outDir, 'resources');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let mainWindow: BrowserWindow | null = null;
let services: Services | null = null;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1366,
    height: 860,
    minWidth: 1024,
    minHeight: 640,
    title: '经销商客服工作站',
    show: false,
    webPreferences: secureWebPreferences(path.join(outDir, 'preload', 'index.cjs')),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

async function start(): Promise<void> {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(path.join(outDir, 'renderer')));
  denyPermissions(session.defaultSession);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

  // DEALERCS_DATA_DIR lets IT (and tests) put the store elsewhere, as the browser host allows.
  const { dbFile } = ensureDatabase(process.env.DEALERCS_DATA_DIR ?? app.getPath('userData'), path.join(resourcesDir, 'demo.sqlite'));
  services = await createServices({
    dbFile,
    host: 'electron',
    version: APP_VERSION,
    validateOutput: !app.isPackaged,
    electronLog,
    // Letters print in a hidden, sandboxed window of this Electron, not through an outside browser.
    print: createElectronPrintService(() => new BrowserWindow({ show: false, webPreferences: printWebPreferences() })),
    // Only an installed (packaged) app can update itself; the policy lives in main/updater.
    ...(app.isPackaged
      ? { updates: ({ config, seatId, log }) => createUpdater({ updater: electronUpdater.autoUpdater, currentVersion: APP_VERSION, seatId, config, log }) }
      : { updatesDisabledReason: { zh: '开发版本不自动升级', en: 'Development builds do not auto-update' } }),
    // After a restore the store was swapped: start again on it.
    onRestored: () => {
      app.relaunch();
      app.exit(0);
    },
  });
  registerRpc(ipcMain, services);
  forwardAlarmNotifications(
    services,
    (options) => new Notification({ ...options, silent: false }),
    () => {
      if (mainWindow?.isMinimized()) mainWindow.restore();
      mainWindow?.show();
      mainWindow?.focus();
    },
  );
  mainWindow = createWindow();
  await services.start();
}

if (!app.requestSingleInstanceLock()) {
  // A second launch only brings the running workstation to the front: two writers on one store would fight.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.whenReady().then(start, (error: unknown) => {
    console.error(error);
    app.exit(1);
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => void services?.close());
}
