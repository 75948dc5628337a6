// "Install the wfvault command": the launcher the desktop app writes, run for real on plain Node.
// It finds a Node that fits `engines` (or says which one to get and writes nothing), never
// replaces a wfvault it did not write unless told to, and says where it went and whether that
// folder is on PATH.
import { spawnSync } from 'node:child_process';
import { chmod, cp, lstat, mkdir, readFile, readdir, readlink, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LAUNCHER_MARK, NODE_NEEDED, NODE_RANGE, bundledCliScript, cmdLauncher, installCliCommand } from '../../main/services/cli-install.js';
import { CLI, tempDir } from '../helpers/cli.js';
import { cliRuntimePackages } from '../helpers/cli-runtime-packages.js';

const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string; engines: { node: string } };
const NODE_DIR = path.dirname(process.execPath);
const ROOT = path.resolve(import.meta.dirname, '../..');
const posix = process.platform !== 'win32';
if (!posix) console.warn('cli-install: the launcher runs are skipped, they run the POSIX sh launcher (the .cmd one is checked as text)');

let tmp: { path: string; cleanup: () => Promise<void> };
let home: string;
let bin: string;

beforeEach(async () => {
  tmp = await tempDir('wfvault-install-');
  home = path.join(tmp.path, 'home');
  bin = path.join(home, '.local', 'bin');
  await mkdir(home);
});

afterEach(async () => {
  await tmp.cleanup();
});

function install(PATH: string, extra: Partial<Parameters<typeof installCliCommand>[0]> = {}) {
  return installCliCommand({ cliScript: CLI, env: { PATH }, home, platform: 'linux', extraNodeFolders: [], ...extra });
}

/** Runs `wfvault ARGS` the way a shell would: found through PATH alone. */
function runWfvault(PATH: string, args: string[]) {
  return spawnSync('wfvault', args, { env: { PATH, HOME: home }, encoding: 'utf8', timeout: 20_000 });
}

describe('the Node range', () => {
  it('is the one package.json declares in engines', () => {
    expect(NODE_RANGE).toBe(pkg.engines.node);
  });
});

describe.runIf(posix)('installing the wfvault command', () => {
  it('writes a launcher into ~/.local/bin on PATH that runs `wfvault --version` for real, and says so', async () => {
    const PATH = `${bin}:${NODE_DIR}`;
    const r = await install(PATH);
    expect(r).toMatchObject({ status: 'installed', path: path.join(bin, 'wfvault'), folder: bin, onPath: true, node: process.execPath, nodeVersion: process.versions.node, replaced: false });
    expect(r.message).toBe(`Installed the wfvault command as ${path.join(bin, 'wfvault')} (it runs with Node.js ${process.versions.node}); open a new terminal and run \`wfvault --help\`.`);
    expect((await lstat(path.join(bin, 'wfvault'))).mode & 0o777).toBe(0o755);
    const run = runWfvault(PATH, ['--version']);
    expect({ status: run.status, stdout: run.stdout.trim(), stderr: run.stderr }).toEqual({ status: 0, stdout: pkg.version, stderr: '' });
    // The Node found at install time is used even where PATH no longer leads to one.
    expect(runWfvault(bin, ['--version']).stdout.trim()).toBe(pkg.version);
    // Installing again updates our own launcher without asking.
    expect(await install(PATH)).toMatchObject({ status: 'installed', replaced: false });
  });

  it('runs from a packaged app\'s layout: the CLI and its run-time packages in app.asar.unpacked, nothing else', async () => {
    // What electron-builder's asarUnpack leaves outside the archive, and nothing of the project.
    const resources = path.join(tmp.path, 'resources');
    const unpacked = path.join(resources, 'app.asar.unpacked');
    await cp(path.dirname(CLI), path.join(unpacked, 'dist', 'cli'), { recursive: true });
    for (const name of cliRuntimePackages()) await cp(path.join(ROOT, 'node_modules', name), path.join(unpacked, 'node_modules', name), { recursive: true });
    const PATH = `${bin}:${NODE_DIR}`;
    expect(await install(PATH, { cliScript: bundledCliScript(path.join(resources, 'app.asar')) })).toMatchObject({ status: 'installed' });
    expect(runWfvault(PATH, ['--version']).stdout.trim()).toBe(pkg.version);
    // A command that loads the native packages: no vault there yet, said as always.
    const list = runWfvault(PATH, ['list', '--vault-dir', path.join(tmp.path, 'no-vault')]);
    expect({ status: list.status, stderr: list.stderr }).toEqual({ status: 5, stderr: expect.stringContaining('There is no vault in') });
  });

  it('copes with spaces and quotes in the app\'s path', async () => {
    const odd = path.join(tmp.path, "Webflow Token Vault's app", 'resources');
    await mkdir(odd, { recursive: true });
    await symlink(path.dirname(path.dirname(CLI)), path.join(odd, 'dist'));
    const PATH = `${bin}:${NODE_DIR}`;
    expect(await install(PATH, { cliScript: path.join(odd, 'dist', 'cli', 'wfvault.js') })).toMatchObject({ status: 'installed' });
    expect(runWfvault(PATH, ['--version']).stdout.trim()).toBe(pkg.version);
  });

  it('with no Node anywhere: the sentence saying which Node to get, and nothing written', async () => {
    const empty = path.join(tmp.path, 'empty');
    await mkdir(empty);
    const r = await install(`${bin}:${empty}`);
    expect(r).toEqual({ status: 'no_node', message: 'Node.js 20.19 or later is needed for the wfvault command; install it from nodejs.org and try again.' });
    expect(r.message).toBe(NODE_NEEDED);
    expect(await readdir(home)).toEqual([]);
  });

  it('with only a Node too old for the CLI: the same sentence naming that node, and nothing written', async () => {
    const old = path.join(tmp.path, 'old-node');
    await mkdir(old);
    await writeFile(path.join(old, 'node'), '#!/bin/sh\necho 18.19.0\n');
    await chmod(path.join(old, 'node'), 0o755);
    const r = await install(`${bin}:${old}`);
    expect(r).toEqual({ status: 'no_node', message: `Node.js 20.19 or later is needed for the wfvault command (the node at ${path.join(old, 'node')} is 18.19.0); install it from nodejs.org and try again.` });
    expect(await readdir(home)).toEqual([]);
  });

  it('leaves a wfvault it did not write as it is, and replaces it (a link: the link, never its target) only when told to', async () => {
    const PATH = `${bin}:${NODE_DIR}`;
    await mkdir(bin, { recursive: true });
    const theirs = '#!/bin/sh\necho "another wfvault"\n';
    await writeFile(path.join(bin, 'wfvault'), theirs, { mode: 0o755 });
    const r = await install(PATH);
    expect(r).toEqual({ status: 'foreign', path: path.join(bin, 'wfvault'), message: expect.stringMatching(/already exists and was not written by this app .*left as it is/u) });
    expect(await readFile(path.join(bin, 'wfvault'), 'utf8')).toBe(theirs);
    expect(runWfvault(PATH, []).stdout).toBe('another wfvault\n');

    // npm link's kind: a symbolic link to someone else's script.
    const target = path.join(tmp.path, 'linked-wfvault.js');
    await writeFile(target, theirs, { mode: 0o755 });
    await import('node:fs/promises').then((fs) => fs.rm(path.join(bin, 'wfvault')));
    await symlink(target, path.join(bin, 'wfvault'));
    expect(await install(PATH)).toMatchObject({ status: 'foreign' });
    expect(await readlink(path.join(bin, 'wfvault'))).toBe(target);

    expect(await install(PATH, { replace: true })).toMatchObject({ status: 'installed', replaced: true });
    expect((await lstat(path.join(bin, 'wfvault'))).isFile()).toBe(true);
    expect(await readFile(path.join(bin, 'wfvault'), 'utf8')).toContain(LAUNCHER_MARK);
    expect(await readFile(target, 'utf8')).toBe(theirs);
    expect(runWfvault(PATH, ['--version']).stdout.trim()).toBe(pkg.version);
  });

  it('says when the folder is not on PATH and how to put it there, and when another wfvault comes first', async () => {
    const notOnPath = await install(NODE_DIR);
    expect(notOnPath).toMatchObject({ status: 'installed', path: path.join(bin, 'wfvault'), onPath: false });
    expect(notOnPath.message).toContain(`but ${bin} is not on your PATH: add \`export PATH="$HOME/.local/bin:$PATH"\` to your shell's startup file`);

    const earlier = path.join(tmp.path, 'earlier');
    await mkdir(earlier);
    await writeFile(path.join(earlier, 'wfvault'), '#!/bin/sh\n', { mode: 0o755 });
    const shadowed = await install(`${earlier}:${bin}:${NODE_DIR}`);
    expect(shadowed.message).toContain(`but ${path.join(earlier, 'wfvault')} comes first on your PATH`);
  });

  it('also looks at the login shell\'s PATH, for an app started without the terminal\'s (macOS)', async () => {
    const r = await install('/usr/bin/none', { loginShellPath: async () => `${bin}:${NODE_DIR}` });
    expect(r).toMatchObject({ status: 'installed', path: path.join(bin, 'wfvault'), onPath: true, node: process.execPath });
  });

  it('refuses, writing nothing, when the app has no bundled CLI', async () => {
    const r = await install(`${bin}:${NODE_DIR}`, { cliScript: path.join(tmp.path, 'app.asar.unpacked', 'dist', 'cli', 'wfvault.js') });
    expect(r).toMatchObject({ status: 'failed', message: expect.stringMatching(/is not part of this copy of the app .*reinstall the app/u) });
    expect(await readdir(home)).toEqual([]);
  });
});

describe('where the bundled CLI is and what the Windows launcher says', () => {
  it('finds the CLI beside app.asar, unpacked, or in the project folder when run from source', () => {
    expect(bundledCliScript('/opt/Webflow Token Vault/resources/app.asar')).toBe(path.join('/opt/Webflow Token Vault/resources/app.asar.unpacked', 'dist', 'cli', 'wfvault.js'));
    expect(bundledCliScript('/work/project')).toBe(path.join('/work/project', 'dist', 'cli', 'wfvault.js'));
  });

  it('writes a .cmd that carries the marker, keeps % signs and passes every argument on', () => {
    const text = cmdLauncher('C:\\Program Files\\nodejs\\node.exe', 'C:\\Users\\a%b\\AppData\\Local\\Programs\\Webflow Token Vault\\resources\\app.asar.unpacked\\dist\\cli\\wfvault.js');
    expect(text.split('\r\n')).toEqual([
      '@echo off',
      'setlocal',
      `rem ${LAUNCHER_MARK}. "Install the wfvault command" in the app rewrites it; deleting it is safe.`,
      'set "WFVAULT_NODE=C:\\Program Files\\nodejs\\node.exe"',
      'if not exist "%WFVAULT_NODE%" set "WFVAULT_NODE=node"',
      '"%WFVAULT_NODE%" "C:\\Users\\a%%b\\AppData\\Local\\Programs\\Webflow Token Vault\\resources\\app.asar.unpacked\\dist\\cli\\wfvault.js" %*',
      '',
    ]);
  });
});
