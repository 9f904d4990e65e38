/**
 * Differential updates for Windows seats, for real: electron-updater's NsisUpdater (in plain Node) finds the
 * seat's cached installer, fetches the old and new blockmaps made by electron-builder's own blockmap code,
 * and asks a 127.0.0.1 server for only the changed blocks with multi-range requests. The server counts
 * what it sends. When anything in that chain is missing or lies, the seat must fall back to a full
 * download that is still sha512-verified.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBlockMap } from 'app-builder-lib/out/targets/blockmap/blockmap';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { updateConfigSchema } from '../../../main/config';
import { createUpdateController, type UpdateController } from '../../../main/updater';
import { startFeedServer, type FeedServer } from './feed-server';
import { createNodeNsisUpdater, updaterCacheDir, type RecordingNsisUpdater } from './node-updater';

const MB = 1024 * 1024;
const sha512 = (data: Buffer) => createHash('sha512').update(data).digest('base64');
/** Deterministic incompressible bytes, like the compressed payload of an NSIS installer. */
const noise = (seed: string, length: number) =>
  createCipheriv('aes-128-ctr', createHash('sha256').update(seed).digest().subarray(0, 16), Buffer.alloc(16)).update(Buffer.alloc(length));
const installerName = (version: string) => `DealerCS-Setup-${version}.exe`;

interface Build {
  version: string;
  bytes: Buffer;
  sha512: string;
  /** electron-builder's dist/ folder for this version: installer and .blockmap. */
  dist: string;
}

/** What `electron-builder --win` leaves in dist/: the installer and its gzip blockmap, built by the same code. */
async function build(version: string, bytes: Buffer): Promise<Build> {
  const dist = mkdtempSync(join(tmpdir(), `dist-${version}-`));
  const file = join(dist, installerName(version));
  writeFileSync(file, bytes);
  const info = await buildBlockMap(file, 'gzip', `${file}.blockmap`);
  expect(info).toMatchObject({ size: bytes.length, sha512: sha512(bytes) });
  return { version, bytes, sha512: info.sha512, dist };
}

/** IT copies dist/ into the update folder: installer and blockmap first, latest.yml last (docs/it-guide.md §2). */
function publish(root: string, release: Build, options: { blockmap?: boolean; sha512?: string } = {}) {
  const name = installerName(release.version);
  copyFileSync(join(release.dist, name), join(root, name));
  if (options.blockmap !== false) copyFileSync(join(release.dist, `${name}.blockmap`), join(root, `${name}.blockmap`));
  const hash = options.sha512 ?? release.sha512;
  const yml = [
    `version: ${release.version}`,
    'files:',
    `  - url: ${name}`,
    `    sha512: ${hash}`,
    `    size: ${release.bytes.length}`,
    `path: ${name}`,
    `sha512: ${hash}`,
    `releaseDate: '2026-03-01T08:00:00.000Z'`,
  ].join('\n');
  writeFileSync(join(root, 'latest.yml'), `${yml}\n`);
}

/** Only the old version's blockmap stays on the server (its installer may be deleted). */
function keepOldBlockmap(root: string, release: Build) {
  const name = `${installerName(release.version)}.blockmap`;
  copyFileSync(join(release.dist, name), join(root, name));
}

let v1: Build;
let v2: Build;
let v3: Build;
let root: string;
let work: string;
let server: FeedServer;
let controller: UpdateController | null = null;

beforeAll(async () => {
  const base = noise('dealercs 1.0.0', 8 * MB);
  v1 = await build('1.0.0', base);
  // 1.1.0: a patched block in the middle, 1,000 bytes inserted further on (shifting everything after it,
  // which content-defined blocks survive) and 64 KB of new resources at the end.
  v2 = await build(
    '1.1.0',
    Buffer.concat([
      base.subarray(0, 3 * MB),
      noise('patch 1.1.0', 4096),
      base.subarray(3 * MB + 4096, 6 * MB),
      noise('insert 1.1.0', 1000),
      base.subarray(6 * MB),
      noise('resources 1.1.0', 64 * 1024),
    ]),
  );
  v3 = await build('1.2.0', Buffer.concat([v2.bytes.subarray(0, 1 * MB), noise('patch 1.2.0', 2048), v2.bytes.subarray(1 * MB + 2048)]));
  root = mkdtempSync(join(tmpdir(), 'feed-'));
  server = await startFeedServer(root);
});
afterAll(async () => {
  await server.close();
  for (const dir of [root, v1.dist, v2.dist, v3.dist]) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'seat-'));
  for (const f of readdirSync(root)) rmSync(join(root, f), { force: true });
  server.requests.length = 0;
  server.served.length = 0;
  server.corruptRanges.clear();
  server.noRanges = false;
  server.singleRanges = false;
});
afterEach(() => {
  controller?.stop();
  controller = null;
  rmSync(work, { recursive: true, force: true });
});

interface Seat {
  updater: RecordingNsisUpdater;
  /** sha512 of the file handed to the code-signature check, read while the check runs. */
  signatureChecks: string[];
}

/** A Windows seat running `version`; the NSIS installer of that version copied itself into the updater cache. */
function seat(version: string, installed: Build | null): Seat {
  const updater = createNodeNsisUpdater({ version, dir: work, placeholderUrl: 'https://updates.example.invalid/dealercs/', publisherName: 'DealerCS IT' });
  if (installed) writeFileSync(join(updaterCacheDir(work), 'installer.exe'), installed.bytes);
  const signatureChecks: string[] = [];
  // No Authenticode on Linux: the public hook stands in for PowerShell's Get-AuthenticodeSignature.
  updater.verifyUpdateCodeSignature = (publishers, file) => {
    expect(publishers).toEqual(['DealerCS IT']);
    signatureChecks.push(sha512(readFileSync(file)));
    return Promise.resolve(null);
  };
  return { updater, signatureChecks };
}

/** The seat's log (the workstation logger), where electron-updater's own lines end up too. */
let logged: string[] = [];

function check(s: Seat, currentVersion: string, extra: { multiRangeRequests?: boolean } = {}) {
  logged = [];
  const record = (message: string) => void logged.push(message);
  controller = createUpdateController({
    updater: s.updater,
    currentVersion,
    seatId: 'seat-1',
    config: updateConfigSchema.parse({ feedUrl: server.url, ...extra }),
    log: { info: record, warn: record, error: record },
  });
  controller.start();
  return controller.checkNow();
}

const servedFor = (name: string) => server.served.filter((r) => r.path === `/${name}`);
const bytesFor = (name: string) => servedFor(name).reduce((sum, r) => sum + r.bytes, 0);
const pending = (name: string) => readFileSync(join(updaterCacheDir(work), 'pending', name));

/** The seat fetched the whole installer once with a plain GET, and that file is what was verified and kept. */
function expectFullDownload(release: Build, s: Seat) {
  const full = servedFor(installerName(release.version)).filter((r) => r.range === null);
  expect(full).toEqual([{ path: `/${installerName(release.version)}`, range: null, status: 200, bytes: release.bytes.length }]);
  expect(sha512(pending(installerName(release.version)))).toBe(release.sha512);
  expect(s.signatureChecks).toEqual([release.sha512]);
}

describe('differential download of a Windows installer (NsisUpdater, blockmaps, HTTP Range)', () => {
  it('downloads only the changed blocks of the new installer and verifies the result', async () => {
    keepOldBlockmap(root, v1);
    publish(root, v2);
    const s = seat('1.0.0', v1);
    const status = await check(s, '1.0.0');
    expect(status).toMatchObject({ phase: 'downloaded', availableVersion: '1.1.0', lastError: null });

    expect(sha512(pending(installerName('1.1.0')))).toBe(v2.sha512);
    expect(s.signatureChecks).toEqual([v2.sha512]);
    // Both blockmaps came from the server, the installer only as ranges, several of them per request.
    expect(server.requests).toEqual(expect.arrayContaining(['/latest.yml', '/DealerCS-Setup-1.0.0.exe.blockmap', '/DealerCS-Setup-1.1.0.exe.blockmap']));
    const installer = servedFor(installerName('1.1.0'));
    expect(installer.length).toBeGreaterThan(0);
    for (const r of installer) expect(r).toMatchObject({ status: 206, range: expect.stringMatching(/^bytes=\d+-\d+/) as unknown });
    expect(installer.some((r) => (r.range ?? '').includes(','))).toBe(true);
    // The changes touch four places of an 8 MB file: the seat fetched a few of its ~16–32 KB blocks.
    const sent = bytesFor(installerName('1.1.0'));
    expect(sent).toBeGreaterThanOrEqual(4096 + 1000 + 64 * 1024);
    expect(sent).toBeLessThan(v2.bytes.length / 20);
    const everything = server.served.reduce((sum, r) => sum + r.bytes, 0);
    expect(everything).toBeLessThan(v2.bytes.length / 10);
    // IT can read in the seat's log what a differential download saved.
    expect(logged).toContainEqual(expect.stringMatching(/^electron-updater: Full: [\d,.]+ KB, To download: [\d,.]+ KB \(\d%\)$/));
    // The new blockmap is kept next to the cache, so the next update needs no old blockmap from the server.
    expect(existsSync(join(updaterCacheDir(work), 'current.blockmap'))).toBe(true);
  });

  it('with multiRangeRequests off, asks one range per request and stays differential behind a single-range server', async () => {
    keepOldBlockmap(root, v1);
    publish(root, v2);
    server.singleRanges = true;
    const s = seat('1.0.0', v1);
    const status = await check(s, '1.0.0', { multiRangeRequests: false });
    expect(status).toMatchObject({ phase: 'downloaded', availableVersion: '1.1.0', lastError: null });
    expect(sha512(pending(installerName('1.1.0')))).toBe(v2.sha512);
    const installer = servedFor(installerName('1.1.0'));
    expect(installer.length).toBeGreaterThan(1);
    for (const r of installer) expect(r).toMatchObject({ status: 206, range: expect.stringMatching(/^bytes=\d+-\d+$/) as unknown });
    expect(bytesFor(installerName('1.1.0'))).toBeLessThan(v2.bytes.length / 20);
  });

  it('on the next update uses the blockmap the seat kept, even when the server no longer has it', async () => {
    keepOldBlockmap(root, v1);
    publish(root, v2);
    await check(seat('1.0.0', v1), '1.0.0');
    controller?.stop();
    // The 1.1.0 installer ran: it copied itself into the cache as installer.exe and the app restarted.
    copyFileSync(join(updaterCacheDir(work), 'pending', installerName('1.1.0')), join(updaterCacheDir(work), 'installer.exe'));
    for (const f of readdirSync(root)) rmSync(join(root, f), { force: true });
    server.requests.length = 0;
    server.served.length = 0;
    publish(root, v3);

    const s = seat('1.1.0', null);
    const status = await check(s, '1.1.0');
    expect(status).toMatchObject({ phase: 'downloaded', availableVersion: '1.2.0' });
    expect(sha512(pending(installerName('1.2.0')))).toBe(v3.sha512);
    expect(server.requests).not.toContain('/DealerCS-Setup-1.1.0.exe.blockmap');
    expect(servedFor(installerName('1.2.0')).every((r) => r.status === 206)).toBe(true);
    expect(bytesFor(installerName('1.2.0'))).toBeLessThan(v3.bytes.length / 20);
  });

  it('falls back to a full, verified download when the old blockmap is gone', async () => {
    publish(root, v2);
    const s = seat('1.0.0', v1);
    const status = await check(s, '1.0.0');
    expect(status).toMatchObject({ phase: 'downloaded', availableVersion: '1.1.0', lastError: null });
    expect(servedFor('DealerCS-Setup-1.0.0.exe.blockmap')).toMatchObject([{ status: 404 }]);
    expect(servedFor(installerName('1.1.0')).every((r) => r.range === null)).toBe(true);
    expectFullDownload(v2, s);
    // …and the seat's log says why, for IT wondering why seats download whole installers.
    expect(logged).toContainEqual(expect.stringMatching(/^electron-updater: Cannot download differentially, fallback to full download: .*DealerCS-Setup-1\.0\.0\.exe\.blockmap.*404/s));
  });

  it('falls back to a full, verified download when a proxy answers ranges with wrong bytes', async () => {
    keepOldBlockmap(root, v1);
    publish(root, v2);
    server.corruptRanges.add(`/${installerName('1.1.0')}`);
    const s = seat('1.0.0', v1);
    const status = await check(s, '1.0.0');
    expect(status).toMatchObject({ phase: 'downloaded', lastError: null });
    // The ranges were fetched and assembled, failed the sha512 check, and were thrown away.
    expect(servedFor(installerName('1.1.0')).some((r) => r.status === 206)).toBe(true);
    expectFullDownload(v2, s);
  });

  it('falls back to a full, verified download when the server does not do HTTP Range', async () => {
    keepOldBlockmap(root, v1);
    publish(root, v2);
    server.noRanges = true;
    const s = seat('1.0.0', v1);
    const status = await check(s, '1.0.0');
    expect(status).toMatchObject({ phase: 'downloaded', lastError: null });
    // The range request got the whole file back (200, no Accept-Ranges) and the seat then downloaded in full.
    expect(servedFor(installerName('1.1.0'))).toMatchObject([{ status: 200 }, { status: 200, range: null }]);
    expect(sha512(pending(installerName('1.1.0')))).toBe(v2.sha512);
    expect(s.signatureChecks).toEqual([v2.sha512]);
  });

  it('falls back to a full, verified download when the seat has no cached installer', async () => {
    keepOldBlockmap(root, v1);
    publish(root, v2);
    const s = seat('1.0.0', null);
    const status = await check(s, '1.0.0');
    expect(status).toMatchObject({ phase: 'downloaded', lastError: null });
    // It tried: both blockmaps were fetched before the missing installer.exe stopped the differential path.
    expect(server.requests).toEqual(expect.arrayContaining(['/DealerCS-Setup-1.0.0.exe.blockmap', '/DealerCS-Setup-1.1.0.exe.blockmap']));
    expectFullDownload(v2, s);
  });

  it('rejects the update when neither the assembled nor the full file matches the sha512 in latest.yml', async () => {
    keepOldBlockmap(root, v1);
    publish(root, v2, { sha512: v3.sha512 });
    const s = seat('1.0.0', v1);
    const status = await check(s, '1.0.0');
    expect(status.phase).toBe('error');
    expect(status.lastError?.message).toMatch(/sha512 checksum mismatch/);
    const installer = servedFor(installerName('1.1.0'));
    expect(installer.some((r) => r.status === 206)).toBe(true);
    expect(installer.some((r) => r.range === null && r.status === 200)).toBe(true);
    expect(s.signatureChecks).toEqual([]);
    expect(existsSync(join(updaterCacheDir(work), 'pending', installerName('1.1.0')))).toBe(false);
  });
});
