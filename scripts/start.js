// `npm start`: builds the desktop app and launches it. electron@45 has no install script, so a plain
// `npm install` leaves no binary: this fetches it with Electron's own installer (which shows its
// progress and honours ELECTRON_MIRROR, electron_config_cache and the proxy variables), unless
// ELECTRON_SKIP_BINARY_DOWNLOAD says not to. When there is still no binary it says why in one
// sentence and points at what works without it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findElectronBinary } from './electron-binary.js';

const root = process.cwd();
const skipDownload = isSet(process.env.ELECTRON_SKIP_BINARY_DOWNLOAD);

let found = findElectronBinary(root);
if (!found.path && !skipDownload && existsSync(join(root, 'node_modules', 'electron', 'install.js'))) {
  const failure = await downloadElectron();
  found = failure ? { path: null, reason: `the Electron binary could not be downloaded (${failure})` } : findElectronBinary(root);
} else if (!found.path && skipDownload && existsSync(join(root, 'node_modules', 'electron', 'package.json'))) {
  found = { path: null, reason: 'the Electron binary is not installed, and ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it was not downloaded (unset it to fetch the binary)' };
}

if (!found.path) {
  process.stdout.write(
    [
      `The desktop app cannot start here: ${found.reason}.`,
      '',
      'What works without it:',
      '  npm run build && npx wfvault --help   the command line tool, same vault',
      '  npm run dev:web                        the window in your browser, bound to the same handlers',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

const built = spawnSync(process.execPath, [join(import.meta.dirname, 'build-electron.js')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const child = spawn(found.path, ['dist/electron/main.cjs', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));

function isSet(value) {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/**
 * Runs node_modules/electron/install.js. Its progress bar passes through; the stack trace it
 * prints on failure does not: the caller gets the error's first line for its one sentence.
 * Resolves to null on success.
 */
function downloadElectron() {
  process.stdout.write('Fetching the Electron binary (once; set ELECTRON_SKIP_BINARY_DOWNLOAD=1 to skip)...\n');
  return new Promise((resolve) => {
    const installer = spawn(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let errors = '';
    installer.stderr.setEncoding('utf8').on('data', (chunk) => {
      if (chunk.includes('Downloading')) process.stderr.write(chunk);
      else errors += chunk;
    });
    installer.on('error', (err) => resolve(err.message));
    installer.on('close', (code, signal) => {
      if (code === 0) return resolve(null);
      const first = errors.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('at '));
      resolve(first ?? (signal ? `the installer was stopped by ${signal}` : `the installer exited with code ${code}`));
    });
  });
}
