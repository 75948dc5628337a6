// `npm run dist`: builds the bundles, then installers with electron-builder (electron-builder.yml).
// Extra arguments go to electron-builder, e.g. `npm run dist -- --linux AppImage`.
// electron-builder fetches the Electron release for each target platform; where nothing can be
// downloaded, only the current platform can be packaged, from the locally installed binary.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findElectronBinary } from './electron-binary.js';

const args = process.argv.slice(2);
const local = findElectronBinary();
if (local.path && !args.some((a) => a.startsWith('-c.electronDist') || a.startsWith('--config.electronDist'))) {
  // Reuse the installed binary for this platform instead of downloading it again.
  args.push(`-c.electronDist=${join(process.cwd(), 'node_modules', 'electron', 'dist')}`);
} else if (!local.path) {
  process.stderr.write(`Note: ${local.reason}; electron-builder will try to download Electron for each target.\n`);
}

const run = (cmd, argv) => {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.execPath, ['scripts/build-electron.js']);
run('npx', ['electron-builder', '--config', 'electron-builder.yml', '--publish', 'never', ...args]);
