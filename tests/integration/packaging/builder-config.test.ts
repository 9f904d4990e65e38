import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const root = join(import.meta.dirname, '..', '..', '..');
const require = createRequire(import.meta.url);

// js-yaml ships no types; the loader only needs to hand us `unknown`, which zod then narrows.
const yamlModule = z.object({ load: z.function({ input: [z.string()], output: z.unknown() }) }).loose().parse(require('js-yaml'));
function loadYaml(text: string): unknown {
  return yamlModule.load(text);
}

const configText = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
const config = z.record(z.string(), z.unknown()).parse(loadYaml(configText));
const scheme: unknown = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));

function validator() {
  // electron-builder validates with ajv in the same mode: all errors, no strict keyword checks on its schema.
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(z.record(z.string(), z.unknown()).parse(scheme));
}

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s own JSON schema', () => {
    const validate = validator();
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('is accepted by electron-builder’s own validateConfiguration()', async () => {
    const mod = z
      .object({ validateConfiguration: z.function({ input: [z.unknown(), z.unknown()], output: z.unknown() }) })
      .loose()
      .parse(require('app-builder-lib/out/util/config/config'));
    const debugLogger = { isEnabled: false, add() {} };
    await expect(Promise.resolve(mod.validateConfiguration(config, debugLogger))).resolves.toBeUndefined();
  });

  it('rejects a misspelt option, so the schema check is not vacuous', () => {
    const validate = validator();
    const nsis = z.record(z.string(), z.unknown()).parse(config.nsis);
    const broken = { ...config, nsis: { ...nsis, oneClik: true } };
    expect(validate(broken)).toBe(false);
    expect(JSON.stringify(validate.errors)).toContain('oneClik');
  });

  it('makes the choices IT depends on', () => {
    const shape = z
      .object({
        appId: z.literal('com.dealercs.workstation'),
        productName: z.literal('DealerCS'),
        npmRebuild: z.literal(true),
        files: z.array(z.string()),
        asarUnpack: z.array(z.string()),
        extraResources: z.array(z.object({ from: z.string(), to: z.string() }).loose()),
        publish: z.array(z.object({ provider: z.literal('generic'), url: z.string().url() }).loose()).length(1),
        nsis: z.object({
          oneClick: z.literal(true),
          perMachine: z.literal(false),
          createDesktopShortcut: z.literal(true),
          createStartMenuShortcut: z.literal(true),
          deleteAppDataOnUninstall: z.literal(false),
        }).loose(),
        win: z.object({ icon: z.string(), target: z.array(z.object({ target: z.literal('nsis') }).loose()) }).loose(),
        linux: z.object({ icon: z.string(), target: z.array(z.object({ target: z.string() }).loose()) }).loose(),
      })
      .loose()
      .parse(config);
    expect(shape.files).toEqual(expect.arrayContaining(['out/main/**', 'out/preload/**', 'out/renderer/**']));
    expect(shape.asarUnpack.join(' ')).toContain('better-sqlite3');
    expect(shape.asarUnpack.join(' ')).toContain('@serialport/bindings-cpp');
    expect(shape.extraResources.map((r) => r.from)).toEqual(expect.arrayContaining(['out/resources/demo.sqlite', 'resources', 'out/health-agent/health-agent.cjs']));
    expect(shape.linux.target.map((t) => t.target).sort()).toEqual(['AppImage', 'deb']);
    // The placeholder must never resolve: a seat without a configured feed fails loudly instead of
    // reaching someone else's server.
    expect(new URL(shape.publish[0]!.url).hostname.endsWith('.invalid')).toBe(true);
  });

  it('points at icons that exist and are real PNG / ICO files', () => {
    const png = readFileSync(join(root, 'resources/icons/icon.png'));
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // electron-builder needs at least 256×256 for Windows and Linux icons.
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(256);
    const ico = readFileSync(join(root, 'resources/icons/icon.ico'));
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes = Array.from({ length: count }, (_, i) => ico[6 + i * 16] || 256);
    expect(sizes).toContain(256);
    expect(statSync(join(root, 'resources/icons/icon.ico')).size).toBeGreaterThan(6 + 16 * count);
  });
});
