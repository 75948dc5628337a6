// Finds the Electron binary without asking the electron package, whose index.js downloads the
// binary when it is missing: that must never happen as a side effect of a check.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The executable's path, or null with the reason it is not usable. */
export function findElectronBinary(root = process.cwd()) {
  const pkgDir = join(root, 'node_modules', 'electron');
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(join(pkgDir, 'package.json'))) return { path: null, reason: 'the electron package is not installed (npm install)' };
  if (!existsSync(pathFile)) {
    return { path: null, reason: 'the Electron binary was not downloaded (node_modules/electron/path.txt is missing; it was installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1 or offline)' };
  }
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = join(pkgDir, 'dist', relative);
  if (!relative || !existsSync(binary)) return { path: null, reason: `the Electron binary is missing from node_modules/electron/dist/ (${relative || 'empty path.txt'})` };
  return { path: binary, reason: null };
}
