// electron-builder.yml against electron-builder's own configuration schema, plus the settings the
// security baseline depends on (fuses, hardened runtime, unpacked native modules).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliRuntimePackages } from '../helpers/cli-runtime-packages.js';

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url);
const schema = require('app-builder-lib/scheme.json') as object;
// The glob matcher electron-builder itself applies to `files`.
const { minimatch } = createRequire(require.resolve('app-builder-lib/package.json'))('minimatch') as {
  minimatch: (file: string, pattern: string, opts: { dot: boolean }) => boolean;
};
const config = parse(readFileSync(new URL('electron-builder.yml', root), 'utf8')) as Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  mac: Record<string, unknown>;
  linux: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
};

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

describe('electron-builder.yml', () => {
  it("validates against electron-builder's configuration schema", () => {
    const validate = validator();
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check has teeth: a misspelt key or a wrong fuse type is refused', () => {
    const validate = validator();
    expect(validate({ ...config, appID: 'x' })).toBe(false);
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNode: 'no' } })).toBe(false);
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } })).toBe(false);
  });

  it('names the app and its targets', () => {
    expect(config).toMatchObject({ appId: 'com.webflowtokenvault.app', productName: 'Webflow Token Vault', asarUnpack: expect.arrayContaining(['**/*.node']) });
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac).toMatchObject({ target: ['dmg', 'zip'], hardenedRuntime: true, entitlements: 'assets/entitlements.mac.plist' });
    expect(config.win.target).toEqual(['nsis']);
    for (const icon of [config.linux.icon, config.win.icon, config.mac.icon as string]) expect(existsSync(new URL(icon, root))).toBe(true);
  });

  it('sets the fuses of the security baseline', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('packs the tray icons but not the README screenshots', () => {
    // electron-builder applies the patterns in order; a later "!" pattern removes what earlier ones added.
    const patterns = config.files as string[];
    const packed = (file: string) =>
      patterns.reduce((inside, p) => (p.startsWith('!') ? inside && !minimatch(file, p.slice(1), { dot: true }) : inside || minimatch(file, p, { dot: true })), false);
    const folder = new URL('assets/screenshots/', root);
    const screenshots = ['list.png', ...(existsSync(folder) ? readdirSync(folder) : [])];
    for (const name of screenshots) expect(packed(`assets/screenshots/${name}`), name).toBe(false);
    expect(packed('assets/tray-ok-light.png')).toBe(true);
    expect(packed('assets/icon.png')).toBe(true);
    expect(packed('dist/electron/main.cjs')).toBe(true);
  });

  it('packs the bundled CLI, and keeps it and every package it loads outside the asar, where the user\'s Node can read them', () => {
    const patterns = config.files as string[];
    const packed = (file: string) =>
      patterns.reduce((inside, p) => (p.startsWith('!') ? inside && !minimatch(file, p.slice(1), { dot: true }) : inside || minimatch(file, p, { dot: true })), false);
    const unpacked = (file: string) => (config.asarUnpack as string[]).some((p) => minimatch(file, p, { dot: true }));
    for (const file of ['dist/cli/wfvault.js', 'dist/cli/package.json', 'dist/cli/chunks/token-commands-ABC123.js']) {
      expect({ file, packed: packed(file), unpacked: unpacked(file) }).toEqual({ file, packed: true, unpacked: true });
    }
    const runtime = cliRuntimePackages();
    expect(runtime).toEqual(expect.arrayContaining(['@napi-rs/keyring', 'fs-native-extensions']));
    for (const name of runtime) {
      for (const file of [`node_modules/${name}/package.json`, `node_modules/${name}/index.js`]) expect({ file, unpacked: unpacked(file) }).toEqual({ file, unpacked: true });
    }
    // Only those: everything else stays inside the archive, under its integrity check.
    for (const file of ['node_modules/zod/index.js', 'node_modules/age-encryption/package.json', 'dist/electron/main.cjs', 'renderer/dist/index.html']) expect({ file, unpacked: unpacked(file) }).toEqual({ file, unpacked: false });
  });

  it('keeps the mac entitlements minimal', () => {
    const plist = readFileSync(new URL('assets/entitlements.mac.plist', root), 'utf8');
    const keys = [...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]);
    expect(keys).toEqual(['com.apple.security.cs.allow-jit']);
  });
});
