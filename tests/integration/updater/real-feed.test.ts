import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { updateConfigSchema, type UpdateConfig } from '../../../main/config';
import { createUpdateController, rolloutPosition, type UpdateController, type UpdaterLike } from '../../../main/updater';
import { startFeedServer, type FeedServer } from './feed-server';
import { createNodeDebUpdater, updaterCacheDir, type RecordingDebUpdater } from './node-updater';

const sha512 = (data: Buffer) => createHash('sha512').update(data).digest('base64');

interface Release {
  version: string;
  channelFile?: string;
  fileName?: string;
  /** Installer bytes; omit to publish a feed whose installer is missing from the server. */
  content?: Buffer | null;
  sha512?: string;
  extra?: string;
}

/** Writes what electron-builder publishes for Linux (latest-linux.yml + the package) into the server folder. */
function publish(root: string, release: Release): Buffer {
  const fileName = release.fileName ?? `DealerCS-${release.version}-linux-amd64.deb`;
  const content = release.content === undefined ? Buffer.from(`deb package ${release.version} `.repeat(5000)) : release.content;
  const body = content ?? Buffer.from('never served');
  if (content) writeFileSync(join(root, fileName), content);
  const hash = release.sha512 ?? sha512(body);
  const yml = [
    `version: ${release.version}`,
    'files:',
    `  - url: ${fileName}`,
    `    sha512: ${hash}`,
    `    size: ${body.length}`,
    `path: ${fileName}`,
    `sha512: ${hash}`,
    `releaseDate: '2026-03-01T08:00:00.000Z'`,
    'releaseNotes: |',
    '  修复：短信长消息拼接',
    '  Fixed: long SMS concatenation',
    release.extra ?? '',
  ].join('\n');
  writeFileSync(join(root, release.channelFile ?? 'latest-linux.yml'), `${yml}\n`);
  return body;
}

let root: string;
let work: string;
let server: FeedServer;
let updater: RecordingDebUpdater;
let controller: UpdateController | null = null;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'feed-'));
  server = await startFeedServer(root);
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'seat-'));
  for (const f of readdirSync(root)) rmSync(join(root, f), { force: true });
  server.stalled.clear();
  updater = createNodeDebUpdater({ version: '1.0.0', dir: work, placeholderUrl: 'https://updates.example.invalid/dealercs/' });
});
afterEach(() => {
  controller?.stop();
  controller = null;
  rmSync(work, { recursive: true, force: true });
});

function run(config: Partial<UpdateConfig> = {}, seatId = 'seat-1', checkTimeoutMs = 30_000) {
  // The real electron-updater object is accepted where the policy expects its shape.
  const real: UpdaterLike = updater;
  controller = createUpdateController({
    updater: real,
    currentVersion: '1.0.0',
    seatId,
    config: updateConfigSchema.parse({ feedUrl: server.url, ...config }),
    checkTimeoutMs,
  });
  controller.start();
  return controller.checkNow();
}

describe('updates against a real feed served on 127.0.0.1 (electron-updater DebUpdater in Node)', () => {
  it('finds, downloads and sha512-verifies a new version; installs on quit', async () => {
    const installer = publish(root, { version: '1.1.0' });
    const status = await run({ authToken: 'it-token' });
    expect(status).toMatchObject({ phase: 'downloaded', availableVersion: '1.1.0', installPlan: { kind: 'on-quit' } });
    expect(status.releaseNotes).toContain('短信长消息');
    expect(status.lastError).toBeNull();
    const downloaded = readFileSync(join(updaterCacheDir(work), 'pending', 'DealerCS-1.1.0-linux-amd64.deb'));
    expect(downloaded.equals(installer)).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(updater.installCalls).toEqual([]);
    // The feed URL came from the seat configuration, not the placeholder baked into app-update.yml.
    expect(server.requests).toContain('/latest-linux.yml');
    const feedHeaders = server.headers.get('/latest-linux.yml');
    expect(feedHeaders?.authorization).toBe('Bearer it-token');
    expect(String(feedHeaders?.['x-user-staging-id'])).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports up-to-date when the feed has our version', async () => {
    publish(root, { version: '1.0.0' });
    expect((await run()).phase).toBe('up-to-date');
  });

  it('rejects an installer whose sha512 does not match the feed', async () => {
    publish(root, { version: '1.1.0', sha512: sha512(Buffer.from('something else')) });
    const status = await run();
    expect(status.phase).toBe('error');
    expect(status.lastError?.message).toMatch(/sha512 checksum mismatch/);
    expect(controller?.health().level).toBe('warning');
  });

  it('reports a feed that names an installer missing from the server', async () => {
    publish(root, { version: '1.1.0', content: null });
    const status = await run();
    expect(status.phase).toBe('error');
    expect(status.lastError?.message).toMatch(/404/);
  });

  it('reports a missing feed file (404)', async () => {
    const status = await run();
    expect(status.phase).toBe('error');
    expect(status.lastError?.message).toMatch(/Cannot find channel "latest-linux.yml"|404/);
  });

  it('gives up on a stalled feed and reports it', async () => {
    server.stalled.add('/latest-linux.yml');
    const status = await run({}, 'seat-1', 300);
    expect(status.phase).toBe('error');
    expect(status.lastError?.message).toContain('timed out');
  });

  it('reads beta.yml on the beta channel', async () => {
    publish(root, { version: '1.0.0' });
    publish(root, { version: '1.1.0-beta.1', channelFile: 'beta-linux.yml' });
    const status = await run({ channel: 'beta' });
    expect(server.requests).toContain('/beta-linux.yml');
    expect(status).toMatchObject({ phase: 'downloaded', availableVersion: '1.1.0-beta.1' });
  });

  it('holds back seats outside the staging percentage', async () => {
    const pct = Math.floor(rolloutPosition('seat-late') * 100);
    publish(root, { version: '1.1.0', extra: `stagingPercentage: ${pct}` });
    const status = await run({}, 'seat-late');
    expect(status).toMatchObject({ phase: 'not-in-rollout', stagingPercent: pct });
  });

  it('installs at once when IT marks a minimum version in the feed, whatever the rollout', async () => {
    publish(root, { version: '1.1.0', extra: 'stagingPercentage: 0\nminimumVersion: 1.0.5' });
    const status = await run({ install: 'manual' });
    expect(status).toMatchObject({ phase: 'installing', mandatory: true, installPlan: { kind: 'now' } });
    expect(updater.installCalls).toEqual([{ silent: true, runAfter: true }]);
  });
});
