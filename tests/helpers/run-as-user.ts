// Runs the built CLI as another user (root only, for checks of file modes, which mean nothing to
// root). That user often cannot enter the checkout: a home folder or a CI temp folder of mode 0700
// sits above it. So the CLI runs from a copy in a folder every user can read, made once per test
// process, with the Node binary copied too when that user cannot run the one running the tests.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface UserRunnable {
  node: string;
  cli: string;
  /** A working directory that user may enter. */
  cwd: string;
}

let made: UserRunnable | { reason: string } | undefined;

/** The copy to run as `user`, or why none could be made (the caller skips, printing it). */
export function runnableAs(user: { uid: number; gid: number }): UserRunnable | { reason: string } {
  made ??= makeCopy(user);
  return made;
}

function makeCopy(user: { uid: number; gid: number }): UserRunnable | { reason: string } {
  const tried: string[] = [];
  for (const base of new Set([tmpdir(), '/tmp', '/var/tmp', '/dev/shm'])) {
    let dir: string;
    try {
      dir = mkdtempSync(join(base, 'wfvault-as-user-'));
    } catch {
      continue;
    }
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    cpSync(join(ROOT, 'dist/cli'), join(dir, 'dist/cli'), { recursive: true });
    // The bundle loads its native dependencies (the keychain binding, the file lock) from
    // node_modules: copy the production dependencies with everything they need.
    for (const pkg of productionPackages()) {
      cpSync(join(ROOT, 'node_modules', pkg), join(dir, 'node_modules', pkg), { recursive: true, dereference: true });
    }
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    openUp(dir);
    let node = process.execPath;
    if (!runs(node, ['-e', '0'], dir, user)) {
      node = join(dir, 'node');
      copyFileSync(process.execPath, node);
      chmodSync(node, 0o755);
    }
    const cli = join(dir, 'dist/cli/wfvault.js');
    const check = spawnSync(node, [cli, '--version'], { cwd: dir, ...user, encoding: 'utf8', timeout: 30_000 });
    if (check.status === 0) return { node, cli, cwd: dir };
    tried.push(`${dir}: ${(check.error?.message ?? check.stderr).trim().split('\n')[0]}`);
  }
  return { reason: `no folder could be made that uid ${user.uid} may read and run the CLI from (${tried.join('; ') || 'no temp folder could be created'})` };
}

/** The production dependencies and theirs (optional ones where installed), by package name. */
function productionPackages(): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !existsSync(join(ROOT, 'node_modules', name, 'package.json'))) return;
    seen.add(name);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { dependencies?: object; optionalDependencies?: object };
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) visit(dep);
  };
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: object };
  for (const dep of Object.keys(root.dependencies ?? {})) visit(dep);
  return [...seen];
}

function runs(cmd: string, args: string[], cwd: string, user: { uid: number; gid: number }): boolean {
  return spawnSync(cmd, args, { cwd, ...user, timeout: 30_000 }).status === 0;
}

/** Folders 0755, files 0644 (0755 when executable), from `dir` down. */
function openUp(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) openUp(path);
    else chmodSync(path, statSync(path).mode & 0o111 ? 0o755 : 0o644);
  }
}
