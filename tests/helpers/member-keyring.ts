// One person for the team tests: their own home, vault folder, git identity, and a private D-Bus
// session with its own unlocked gnome-keyring, so each member's keys are in their own real
// keychain (the same pieces scripts/with-test-keyring.sh starts for the whole suite).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { runCli, type CliOptions, type CliResult } from './cli.js';

export interface Member {
  name: string;
  home: string;
  vaultDir: string;
  env: NodeJS.ProcessEnv;
  /** The member's session bus daemon, for tests that freeze it. */
  busPid: number | null;
  cli(args: readonly string[], opts?: CliOptions): Promise<CliResult>;
  stop(): Promise<void>;
}

/** Starts a member's private session bus; the keyring daemon is started by D-Bus activation. */
export async function startMember(root: string, name: string, opts: { keyring?: boolean } = {}): Promise<Member> {
  const base = path.join(root, name);
  const home = path.join(base, 'home');
  const vaultDir = path.join(home, 'vault');
  const kr = path.join(base, 'keyring');
  await mkdir(home, { recursive: true, mode: 0o700 });
  await writeFile(path.join(home, '.gitconfig'), `[user]\n\tname = ${name}\n\temail = ${name}@example.test\n[init]\n\tdefaultBranch = main\n`);
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    WFVAULT_DIR: vaultDir,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/no-keyring',
    WFVAULT_TEAM_IDENTITY_FILE: '',
  };
  let bus: ChildProcess | null = null;
  if (opts.keyring !== false) {
    for (const d of ['data', 'runtime', 'share/dbus-1/services']) await mkdir(path.join(kr, d), { recursive: true, mode: 0o700 });
    await writeFile(path.join(kr, 'password'), randomBytes(12).toString('hex'), { mode: 0o600 });
    const daemon = path.join(kr, 'keyring-daemon.sh');
    await writeFile(
      daemon,
      `#!/bin/sh\nexport XDG_DATA_HOME='${kr}/data' XDG_RUNTIME_DIR='${kr}/runtime'\nexec gnome-keyring-daemon --foreground --unlock --components=secrets <'${kr}/password' >/dev/null 2>&1\n`,
    );
    await chmod(daemon, 0o700);
    await writeFile(path.join(kr, 'share/dbus-1/services/org.freedesktop.secrets.service'), `[D-BUS Service]\nName=org.freedesktop.secrets\nExec=${daemon}\n`);
    const address = `unix:path=${path.join(kr, 'bus')}`;
    bus = spawn('dbus-daemon', ['--session', '--nofork', `--address=${address}`, '--print-address=1'], {
      env: { ...process.env, XDG_DATA_DIRS: `${path.join(kr, 'share')}:/usr/share` },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise<void>((resolve, reject) => {
      bus!.once('error', reject);
      bus!.stdout!.once('data', () => resolve());
    });
    env.DBUS_SESSION_BUS_ADDRESS = address;
  }
  return {
    name,
    home,
    vaultDir,
    env,
    busPid: bus?.pid ?? null,
    cli: (args, o = {}) => runCli(args, { timeoutMs: 120_000, ...o, env: { ...env, ...o.env } }),
    async stop() {
      if (!bus || bus.exitCode !== null) return;
      const exited = new Promise((resolve) => bus!.once('exit', resolve));
      bus.kill('SIGTERM');
      await exited;
    },
  };
}
