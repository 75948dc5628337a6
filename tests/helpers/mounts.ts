// Real file systems that refuse writes, for the tests of what a read-only or full disk does.
// Mounting needs root (CAP_SYS_ADMIN); `cannotMount` says why not where it is not allowed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function mount(args: string[]): { ok: boolean; why: string } {
  const r = spawnSync('mount', args, { encoding: 'utf8' });
  return { ok: r.status === 0, why: (r.error?.message ?? r.stderr ?? '').trim() || `mount exited ${r.status}` };
}

/**
 * Unmounts `dir`. A process still working in it (a git command the app started) makes a plain
 * unmount fail as busy; the mount is then detached lazily, so every later access already sees
 * the folder underneath. Throws when neither works, rather than leave a mount behind.
 */
export function umount(dir: string): void {
  if (spawnSync('umount', [dir]).status === 0) return;
  const lazy = spawnSync('umount', ['--lazy', dir], { encoding: 'utf8' });
  if (lazy.status !== 0) throw new Error(`could not unmount ${dir}: ${(lazy.stderr ?? '').trim() || `umount exited ${lazy.status}`}`);
}

/** Why mounting is not possible here, or null when it is. */
export function cannotMount(): string | null {
  if (process.platform !== 'linux') return 'mount tests need Linux';
  const probe = mkdtempSync(path.join(tmpdir(), 'wfvault-mount-probe-'));
  try {
    const r = mount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]);
    if (!r.ok) return `this machine does not let the tests mount file systems (${r.why}); run them as root with CAP_SYS_ADMIN`;
    umount(probe);
    return null;
  } finally {
    rmdirSync(probe);
  }
}

/** Makes `dir` read-only where it is (a read-only bind mount over itself); returns false if mount refused. */
export function mountReadOnly(dir: string): boolean {
  if (!mount(['--bind', dir, dir]).ok) return false;
  if (mount(['-o', 'remount,bind,ro', dir]).ok) return true;
  umount(dir);
  return false;
}
