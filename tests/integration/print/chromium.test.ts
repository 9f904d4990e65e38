/**
 * The browser host's print service with the real Debian Chromium: three letters make a three-page A4 PDF
 * whose text (pdftotext) holds each merged name on its own page; an envelope keeps its DL size. A
 * missing browser is a clear bilingual error; a browser that hangs is killed with its helper processes
 * on timeout or cancel, and every temp folder is removed.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChromiumPrintService, isPrintCancelled } from '../../../main/print';
import { renderDocument } from '../../../main/templates';
import { tempDir } from '../../support/db';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasTools = existsSync(CHROMIUM) && existsSync('/usr/bin/pdftotext') && existsSync('/usr/bin/pdfinfo');

let dir = '';
let cleanup = () => undefined as void;
beforeAll(() => {
  const tmp = tempDir('print-chromium-');
  dir = tmp.dir;
  cleanup = tmp.cleanup;
});
afterAll(() => cleanup());

function scratch(name: string): string {
  const d = path.join(dir, name);
  mkdirSync(d, { recursive: true });
  return d;
}

function pdfInfo(file: string): { pages: number; size: string } {
  const out = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return { pages: Number(/^Pages:\s+(\d+)/m.exec(out)?.[1]), size: /^Page size:\s+(.+)$/m.exec(out)?.[1] ?? '' };
}
const pageText = (file: string, page: number) => execFileSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });

/** Is the process still running (a zombie waiting for its reaper counts as gone)? */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
}

/** A stand-in browser that never prints: it records its pid and a helper's, then waits. */
function hangingBrowser(at: string): string {
  const script = path.join(at, 'hanging-browser.sh');
  writeFileSync(script, `#!/bin/sh\necho $$ > "${at}/browser.pid"\nsleep 300 &\necho $! > "${at}/helper.pid"\nwait\n`);
  chmodSync(script, 0o755);
  return script;
}

async function pidsOf(at: string): Promise<number[]> {
  await expect.poll(() => existsSync(path.join(at, 'helper.pid')) && readFileSync(path.join(at, 'helper.pid'), 'utf8').trim() !== '').toBe(true);
  return ['browser.pid', 'helper.pid'].map((f) => Number(readFileSync(path.join(at, f), 'utf8').trim()));
}

describe.skipIf(!hasTools)('Chromium print service', () => {
  it('prints three letters to a three-page A4 PDF with each merged name on its own page', async () => {
    const tmp = scratch('letters');
    const names = ['王芳', '李建国', '陈晓梅'];
    const plates = ['粤A10001', '粤A10002', '粤A10003'];
    const doc = renderDocument({
      body: '<p>尊敬的{{客户姓名}}：</p><p>您的爱车 {{车牌}} 即将到期保养。</p>',
      page: 'A4',
      title: '招揽信件',
      recipients: names.map((customerName, i) => ({ customerName, plate: plates[i] ?? null })),
    });
    expect(doc.html).toContain('break-after: page');
    const service = createChromiumPrintService({ browserPath: () => CHROMIUM, tmpDir: tmp });
    expect(service.engine).toBe('chromium');
    const pdf = await service.toPdf(doc.html, 'A4');
    const file = path.join(dir, 'letters.pdf');
    writeFileSync(file, pdf);
    const info = pdfInfo(file);
    expect(info.pages).toBe(3);
    expect(info.size).toContain('(A4)');
    names.forEach((name, i) => {
      const text = pageText(file, i + 1);
      expect(text).toContain(`尊敬的${name}`);
      expect(text).toContain(plates[i]);
      for (const other of names.filter((n) => n !== name)) expect(text).not.toContain(other);
    });
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('keeps an envelope template at its DL size (220 × 110 mm)', async () => {
    const doc = renderDocument({ body: '<p>{{客户姓名}} 收</p>', page: 'DL', title: '信封', recipients: [{ customerName: '赵敏' }, { customerName: '孙强' }] });
    const file = path.join(dir, 'envelopes.pdf');
    writeFileSync(file, await createChromiumPrintService({ browserPath: () => CHROMIUM, tmpDir: scratch('envelopes') }).toPdf(doc.html, 'DL'));
    const info = pdfInfo(file);
    expect(info.pages).toBe(2);
    const [w, h] = (/([\d.]+) x ([\d.]+) pts/.exec(info.size) ?? []).slice(1).map(Number);
    expect(Math.round(((w ?? 0) / 72) * 25.4)).toBe(220);
    expect(Math.round(((h ?? 0) / 72) * 25.4)).toBe(110);
    expect(pageText(file, 2)).toContain('孙强');
  });

  it('a browser path that does not exist is a clear bilingual error naming it', async () => {
    const missing = path.join(dir, 'no-such-browser');
    const error = await createChromiumPrintService({ browserPath: () => missing, tmpDir: scratch('missing') })
      .toPdf('<p>x</p>', 'A4')
      .then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    expect(error).toHaveProperty('userMessage.zh', expect.stringContaining('未找到可生成 PDF 的浏览器'));
    expect(error).toHaveProperty('userMessage.zh', expect.stringContaining(missing));
    expect(error).toHaveProperty('userMessage.en', expect.stringContaining('No browser found'));
    expect(readdirSync(path.join(dir, 'missing'))).toEqual([]);
  });

  it('a browser that exits without writing a PDF is reported, with its exit in the log', async () => {
    const at = scratch('silent');
    const script = path.join(at, 'silent-browser.sh');
    writeFileSync(script, '#!/bin/sh\necho "cannot print" >&2\nexit 3\n');
    chmodSync(script, 0o755);
    const logged: string[] = [];
    const tmp = scratch('silent-tmp');
    const error = await createChromiumPrintService({ browserPath: () => script, tmpDir: tmp, log: (m) => logged.push(m) })
      .toPdf('<p>x</p>', 'A4')
      .then(() => null, (e: unknown) => e);
    expect(error).toHaveProperty('userMessage.zh', expect.stringContaining('退出码 3'));
    expect(logged.join('\n')).toContain('cannot print');
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('a browser that hangs past the time limit is killed together with its helper processes', async () => {
    const at = scratch('hang');
    const tmp = scratch('hang-tmp');
    const logged: string[] = [];
    const result = createChromiumPrintService({ browserPath: () => hangingBrowser(at), timeoutMs: () => 1500, tmpDir: tmp, log: (m) => logged.push(m) })
      .toPdf('<p>x</p>', 'A4')
      .then(() => null, (e: unknown) => e);
    const pids = await pidsOf(at);
    expect(pids.every(alive)).toBe(true);
    const error = await result;
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    expect(error).toHaveProperty('userMessage.zh', expect.stringContaining('超时'));
    expect(error).toHaveProperty('userMessage.en', expect.stringContaining('longer than'));
    await expect.poll(() => pids.filter(alive)).toEqual([]);
    expect(logged.join('\n')).toContain('was stopped');
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('a cancel kills the browser at once and ends the print as cancelled', async () => {
    const at = scratch('cancel');
    const tmp = scratch('cancel-tmp');
    const controller = new AbortController();
    const result = createChromiumPrintService({ browserPath: () => hangingBrowser(at), tmpDir: tmp })
      .toPdf('<p>x</p>', 'A4', { signal: controller.signal })
      .then(() => null, (e: unknown) => e);
    const pids = await pidsOf(at);
    controller.abort();
    expect(isPrintCancelled(await result)).toBe(true);
    await expect.poll(() => pids.filter(alive)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
