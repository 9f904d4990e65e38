// `npm start`: the desktop app where Electron is installed, otherwise the browser host with a printed URL.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const forceBrowser = process.argv.includes('--browser') || process.env.DEALERCS_BROWSER === '1';
const passThrough = process.argv.slice(2).filter((a) => a !== '--browser');

function electronBinary() {
  try {
    // The electron package exports the binary's path, which exists only when its download succeeded.
    const bin = createRequire(import.meta.url)('electron');
    return typeof bin === 'string' && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const electron = forceBrowser ? null : electronBinary();
const child = electron
  ? spawn(electron, [root, ...passThrough], { stdio: 'inherit' })
  : spawn(process.execPath, [path.join(root, 'out', 'main', 'host.cjs'), ...passThrough], { stdio: 'inherit' });
if (!electron) console.error('未找到 Electron，改用浏览器模式 / Electron not installed: starting the browser host; open the URL below.');
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code) => process.exit(code ?? 0));
