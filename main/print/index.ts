/**
 * Print service: turns a print-ready HTML document (main/templates/document.ts, one page per letter,
 * paper size in CSS @page) into one PDF. The browser host drives a headless Chromium/Chrome/Edge
 * (./chromium.ts); the Electron host passes its own implementation (main/electron/print.ts) built on
 * webContents.printToPDF. Capabilities depend only on this interface.
 */
export { isPrintCancelled, PrintCancelled, type PrintOptions, type PrintService } from './types';
export { createChromiumPrintService, findBrowser, type BrowserLookup, type ChromiumPrintDeps } from './chromium';
