// Bundles the desktop app: the main process to one CommonJS file (loads the same whether Electron
// is started on a file, on the folder, or from app.asar) and the preload to one CommonJS file,
// because sandboxed preloads cannot load ES modules. electron and the native keychain binding
// stay outside the bundles.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // Electron 45 ships Node 22.
  target: 'node22',
  external: ['electron', '@napi-rs/keyring', 'fs-native-extensions'],
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: ['main/electron/main.ts'],
  outfile: 'dist/electron/main.cjs',
  // The sources are ES modules; in the CommonJS bundle their folder is __dirname.
  define: { 'import.meta.dirname': '__dirname', WFVAULT_VERSION: JSON.stringify(pkg.version) },
});

await build({
  ...common,
  entryPoints: ['preload/preload.ts'],
  outfile: 'dist/electron/preload.cjs',
});
