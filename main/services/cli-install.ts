// "Install the wfvault command": the desktop app writes a small launcher on PATH that runs the CLI
// it bundles with a Node the user already has, as editors do for their command-line tools. The
// app's own Node cannot serve: the packaged app's RunAsNode fuse is off, on purpose.
//
// Where it goes (Linux and macOS): the first of ~/.local/bin and /usr/local/bin that is on PATH
// and writable (~/.local/bin is created when PATH names it); when neither is, ~/.local/bin, and the
// reply says how to put it on PATH. A folder that already holds our launcher is updated in place.
// Windows: %LOCALAPPDATA%\Webflow Token Vault\bin\wfvault.cmd.
//
// A wfvault that is not ours (npm link's, another tool's) is never replaced unless the person
// said so; ours is known by its marker line.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, lstat, mkdir, open, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import semver from 'semver';
import { writeFileDurably } from '../vault/atomic.js';

/** The Node versions the CLI runs on: package.json's `engines`. */
export const NODE_RANGE = '^20.19.0 || >=22.12.0';
export const NODE_NEEDED = 'Node.js 20.19 or later is needed for the wfvault command; install it from nodejs.org and try again.';
/** The line that tells our launcher from any other wfvault. */
export const LAUNCHER_MARK = 'wfvault-launcher: written by Webflow Token Vault';

export type CliInstallResult =
  | { status: 'installed'; path: string; folder: string; onPath: boolean; node: string; nodeVersion: string; replaced: boolean; message: string }
  | { status: 'no_node'; message: string }
  /** A wfvault that is not ours is there; nothing was written. Ask, then call again with `replace`. */
  | { status: 'foreign'; path: string; message: string }
  | { status: 'failed'; message: string };

export interface CliInstallOptions {
  /** The bundled CLI's entry, outside any asar archive (see bundledCliScript). */
  cliScript: string;
  /** Replace a wfvault that is not ours (after the person agreed). */
  replace?: boolean;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
  /**
   * Folders searched for node after PATH. A GUI app on macOS starts with a short PATH, so
   * Homebrew's folders are worth a look there.
   */
  extraNodeFolders?: readonly string[];
  /**
   * PATH as the person's login shell sets it, where the app's own is not the terminal's (an app
   * started from the Dock or Finder gets launchd's short PATH, without nvm's or Homebrew's node).
   * Default: asked of $SHELL on macOS, not elsewhere.
   */
  loginShellPath?: () => Promise<string | null>;
}

interface FoundNode {
  path: string;
  version: string;
}

export async function installCliCommand(opts: CliInstallOptions): Promise<CliInstallResult> {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const home = opts.home ?? homedir();
  const p = platform === 'win32' ? path.win32 : path.posix;
  const split = (value: string) => value.split(platform === 'win32' ? ';' : ':').filter((d) => d !== '' && p.isAbsolute(d));
  const askShell = opts.loginShellPath ?? (platform === 'darwin' ? () => loginShellPath(env) : async () => null);
  const pathDirs = [...new Set([...split(env.PATH ?? env.Path ?? ''), ...split((await askShell()) ?? '')])];

  const found = await findNode(pathDirs, opts.extraNodeFolders ?? defaultExtraNodeFolders(platform), platform, env);
  if (found === null) return { status: 'no_node', message: NODE_NEEDED };
  if (!semver.satisfies(found.version, NODE_RANGE)) {
    return { status: 'no_node', message: NODE_NEEDED.replace(/;/u, ` (the node at ${found.path} is ${found.version});`) };
  }
  const cliScript = p.resolve(opts.cliScript);
  if (!(await isFile(cliScript))) {
    return { status: 'failed', message: `The wfvault command is not part of this copy of the app (${cliScript} is missing); reinstall the app and try again.` };
  }

  const name = platform === 'win32' ? 'wfvault.cmd' : 'wfvault';
  const folder = await chooseFolder(platform, home, env, pathDirs, name);
  const target = p.join(folder, name);
  const existing = await launcherAt(target);
  if (existing === 'foreign' && !opts.replace) {
    return { status: 'foreign', path: target, message: `${target} already exists and was not written by this app (perhaps \`npm link\` or another install); it was left as it is. Replace it only if you no longer use that one.` };
  }
  try {
    await mkdir(folder, { recursive: true, mode: 0o755 });
    const text = platform === 'win32' ? cmdLauncher(found.path, cliScript) : shLauncher(found.path, cliScript);
    // followLinks false: a link at the name (npm link makes one) is replaced, never its target.
    await writeFileDurably(target, text, { mode: 0o755, followLinks: false });
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'EACCES' || (e as NodeJS.ErrnoException).code === 'EPERM' ? 'permission denied' : e instanceof Error ? e.message : 'unknown error';
    return { status: 'failed', message: `Could not write the wfvault command to ${target}: ${why}.` };
  }
  const onPath = pathDirs.some((d) => samePath(d, folder, platform));
  const shadow = onPath ? await shadowingCommand(pathDirs, folder, name, platform) : null;
  const message = !onPath
    ? `Installed the wfvault command as ${target} (it runs with Node.js ${found.version}), but ${folder} is not on your PATH: ${pathAdvice(platform, folder, home)}`
    : shadow
      ? `Installed the wfvault command as ${target} (it runs with Node.js ${found.version}), but ${shadow} comes first on your PATH, so \`wfvault\` runs that one until it is removed.`
      : `Installed the wfvault command as ${target} (it runs with Node.js ${found.version}); open a new terminal and run \`wfvault --help\`.`;
  return { status: 'installed', path: target, folder, onPath, node: found.path, nodeVersion: found.version, replaced: existing === 'foreign', message };
}

/**
 * The bundled CLI's entry for an app at `appPath` (Electron's app.getAppPath()). Plain Node cannot
 * read inside app.asar, so the packaged CLI is unpacked beside it (electron-builder's asarUnpack).
 */
export function bundledCliScript(appPath: string): string {
  const unpacked = appPath.endsWith('.asar') ? `${appPath}.unpacked` : appPath;
  return path.join(unpacked, 'dist', 'cli', 'wfvault.js');
}

/** `$SHELL -ilc 'echo $PATH'`, the way editors learn the terminal's PATH; null when it fails. */
function loginShellPath(env: NodeJS.ProcessEnv): Promise<string | null> {
  const shell = env.SHELL && path.posix.isAbsolute(env.SHELL) ? env.SHELL : '/bin/zsh';
  return new Promise((resolve) => {
    execFile(shell, ['-ilc', 'printf "\\n%s" "$PATH"'], { env, timeout: 5_000, windowsHide: true }, (error, stdout) => {
      // Startup files may print; the PATH is the last line.
      resolve(error ? null : (String(stdout).split('\n').at(-1)?.trim() ?? null));
    });
  });
}

function defaultExtraNodeFolders(platform: NodeJS.Platform): string[] {
  return platform === 'darwin' ? ['/opt/homebrew/bin', '/usr/local/bin'] : platform === 'win32' ? [] : ['/usr/local/bin'];
}

async function findNode(pathDirs: readonly string[], extra: readonly string[], platform: NodeJS.Platform, env: NodeJS.ProcessEnv): Promise<FoundNode | null> {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const names = platform === 'win32' ? ['node.exe'] : ['node'];
  for (const dir of [...pathDirs, ...extra]) {
    for (const name of names) {
      const candidate = p.join(dir, name);
      if (!(await isExecutableFile(candidate, platform))) continue;
      const version = await nodeVersion(candidate, env);
      if (version) return { path: candidate, version };
    }
  }
  return null;
}

/** What `node` says its version is; null when it does not answer like Node within 10 s. */
function nodeVersion(node: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  return new Promise((resolve) => {
    // ELECTRON_RUN_AS_NODE could make another Electron app answer as if it were Node.
    const childEnv = { ...env, ELECTRON_RUN_AS_NODE: undefined, NODE_OPTIONS: undefined };
    execFile(node, ['-p', 'process.versions.node'], { env: childEnv, timeout: 10_000, windowsHide: true }, (error, stdout) => {
      const version = String(stdout).trim();
      resolve(!error && semver.valid(version) ? version : null);
    });
  });
}

async function chooseFolder(platform: NodeJS.Platform, home: string, env: NodeJS.ProcessEnv, pathDirs: readonly string[], name: string): Promise<string> {
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA && path.win32.isAbsolute(env.LOCALAPPDATA) ? env.LOCALAPPDATA : path.win32.join(home, 'AppData', 'Local');
    return path.win32.join(local, 'Webflow Token Vault', 'bin');
  }
  const userBin = path.posix.join(home, '.local', 'bin');
  const candidates = [userBin, '/usr/local/bin'];
  for (const dir of candidates) if ((await launcherAt(path.posix.join(dir, name))) === 'ours') return dir;
  for (const dir of candidates) {
    if (!pathDirs.some((d) => samePath(d, dir, platform))) continue;
    if (await writable(dir)) return dir;
    if (dir === userBin && !(await exists(dir))) return dir; // created on the way
  }
  return userBin;
}

/** Whether `file` is our launcher, another wfvault, or nothing yet. */
async function launcherAt(file: string): Promise<'ours' | 'foreign' | 'none'> {
  const info = await lstat(file).catch(() => null);
  if (!info) return 'none';
  if (!info.isFile()) return 'foreign';
  const handle = await open(file, 'r').catch(() => null);
  if (!handle) return 'foreign';
  try {
    const buf = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString('utf8').includes(LAUNCHER_MARK) ? 'ours' : 'foreign';
  } finally {
    await handle.close();
  }
}

/** A POSIX sh launcher; the paths are single-quoted, so spaces and quotes in them are safe. */
export function shLauncher(node: string, cliScript: string): string {
  return [
    '#!/bin/sh',
    `# ${LAUNCHER_MARK}. "Install the wfvault command" in the app rewrites it; deleting it is safe.`,
    `NODE=${shQuote(node)}`,
    // The Node found at install time, or whichever is on PATH once that one is gone (an upgrade).
    '[ -x "$NODE" ] || NODE=node',
    `exec "$NODE" ${shQuote(cliScript)} "$@"`,
    '',
  ].join('\n');
}

/** A cmd launcher for Windows. Paths there cannot hold `"`; `%` is doubled so cmd keeps it. */
export function cmdLauncher(node: string, cliScript: string): string {
  const q = (s: string) => `"${s.replace(/%/gu, '%%')}"`;
  return [
    '@echo off',
    'setlocal',
    `rem ${LAUNCHER_MARK}. "Install the wfvault command" in the app rewrites it; deleting it is safe.`,
    `set "WFVAULT_NODE=${node.replace(/%/gu, '%%')}"`,
    'if not exist "%WFVAULT_NODE%" set "WFVAULT_NODE=node"',
    `"%WFVAULT_NODE%" ${q(cliScript)} %*`,
    '',
  ].join('\r\n');
}

function shQuote(s: string): string {
  return `'${s.replace(/'/gu, `'\\''`)}'`;
}

/** Another wfvault in a PATH folder that comes before ours, which a shell would run instead. */
async function shadowingCommand(pathDirs: readonly string[], folder: string, name: string, platform: NodeJS.Platform): Promise<string | null> {
  const p = platform === 'win32' ? path.win32 : path.posix;
  for (const dir of pathDirs) {
    if (samePath(dir, folder, platform)) return null;
    for (const other of platform === 'win32' ? ['wfvault.cmd', 'wfvault.exe', 'wfvault.bat', 'wfvault.ps1'] : [name]) {
      const candidate = p.join(dir, other);
      if (await exists(candidate)) return candidate;
    }
  }
  return null;
}

function pathAdvice(platform: NodeJS.Platform, folder: string, home: string): string {
  if (platform === 'win32') return `add it to your user PATH (Settings, System, About, Advanced system settings, Environment Variables), then open a new terminal.`;
  const shown = folder.startsWith(`${home}/`) ? `$HOME${folder.slice(home.length)}` : folder;
  return `add \`export PATH="${shown}:$PATH"\` to your shell's startup file (~/.profile, ~/.bashrc or ~/.zshrc), then open a new terminal.`;
}

function samePath(a: string, b: string, platform: NodeJS.Platform): boolean {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const norm = (s: string) => p.resolve(s).replace(/[\\/]+$/u, '');
  return platform === 'win32' ? norm(a).toLowerCase() === norm(b).toLowerCase() : norm(a) === norm(b);
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null))?.isFile() ?? false;
}

async function isExecutableFile(file: string, platform: NodeJS.Platform): Promise<boolean> {
  if (!(await isFile(file))) return false;
  if (platform === 'win32') return true;
  return access(file, constants.X_OK).then(() => true, () => false);
}

async function writable(dir: string): Promise<boolean> {
  if (!(await stat(dir).catch(() => null))?.isDirectory()) return false;
  return access(dir, constants.W_OK).then(() => true, () => false);
}

async function exists(file: string): Promise<boolean> {
  return (await lstat(file).catch(() => null)) !== null;
}
