/**
 * Letter, birthday-card and envelope documents: one self-contained HTML file, one page per recipient,
 * paper size set with CSS @page so both print paths (Electron printToPDF, Chromium print) lay it out
 * the same. A CSP meta forbids scripts and remote loads in the printed document.
 */
import type { PageSize } from '../../db/tables/campaigns';
import { escapeHtml, parseTemplate, renderTokens } from './engine';
import type { MergeFieldKey, MergeValues } from './fields';

export const PAGE_SIZES: Record<PageSize, { widthMm: number; heightMm: number; zh: string; en: string }> = {
  A4: { widthMm: 210, heightMm: 297, zh: 'A4 信纸', en: 'A4 letter' },
  DL: { widthMm: 220, heightMm: 110, zh: 'DL 信封 (220×110)', en: 'DL envelope (220×110)' },
  C5: { widthMm: 229, heightMm: 162, zh: 'C5 信封 (229×162)', en: 'C5 envelope (229×162)' },
  A6: { widthMm: 148, heightMm: 105, zh: 'A6 贺卡 (148×105)', en: 'A6 card (148×105)' },
};

export interface DocumentPage {
  html: string;
  missing: MergeFieldKey[];
}

export interface RenderedDocument {
  html: string;
  pages: number;
  /** Per page, the merge fields that had no value (index = page). */
  missing: MergeFieldKey[][];
}

export function renderDocument(opts: {
  body: string;
  page: PageSize;
  title: string;
  recipients: readonly MergeValues[];
  marginMm?: number;
}): RenderedDocument {
  const size = PAGE_SIZES[opts.page];
  const margin = opts.marginMm ?? (opts.page === 'A4' ? 20 : 10);
  const { tokens } = parseTemplate(opts.body);
  const pages = opts.recipients.map((values) => renderTokens(tokens, values, true));
  const css = `@page { size: ${size.widthMm}mm ${size.heightMm}mm; margin: 0; }
html, body { margin: 0; padding: 0; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 12pt; color: #000; }
.page { box-sizing: border-box; width: ${size.widthMm}mm; height: ${size.heightMm}mm; padding: ${margin}mm;
  position: relative; overflow: hidden; page-break-after: always; break-after: page; }
.page:last-child { page-break-after: auto; break-after: auto; }`;
  const html = `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(opts.title)}</title>
<style>${css}</style></head>
<body>
${pages.map((p) => `<section class="page">${p.text}</section>`).join('\n')}
</body></html>`;
  return { html, pages: pages.length, missing: pages.map((p) => p.missing) };
}
