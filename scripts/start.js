// `npm start`: builds the desktop app and launches it where the Electron binary is installed;
// elsewhere it says so and points at what does work.
import { spawn, spawnSync } from 'node:child_process';
import { findElectronBinary } from './electron-binary.js';

const { path: electron, reason } = findElectronBinary();
if (!electron) {
  process.stdout.write(
    [
      `The desktop app cannot start here: ${reason}.`,
      '',
      'What works without it:',
      '  npm run build && npx wfvault --help   the command line tool, same vault',
      '  npm run dev:web                        the window in your browser, bound to the same handlers',
      '',
      'To get the desktop app, fetch the binary where downloads are allowed: node node_modules/electron/install.js',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

const built = spawnSync(process.execPath, ['scripts/build-electron.js'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const child = spawn(electron, ['dist/electron/main.cjs', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
