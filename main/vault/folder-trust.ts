// Whether the vault's folder is ours alone. Someone who can write to the vault folder, or rename
// it or one of its parents, can swap the vault file or plant a link beside it; so a vault folder
// owned by another user or writable by group or others is refused, and so is one under a folder
// that another (non-root) user owns or that group or others may write to without the sticky bit
// (as /tmp has, which keeps others from renaming what is ours). `--allow-shared-dir` is the way
// out for those who share a folder on purpose.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../core/errors.js';

const STICKY = 0o1000;
const GROUP_OR_WORLD_WRITABLE = 0o022;

/** The reason `dir` may not hold a vault, or null when it may. POSIX only. */
export async function untrustedFolder(dir: string): Promise<string | null> {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return null;
  const me = process.getuid();
  const vaultDir = path.resolve(dir);
  let folder = vaultDir;
  for (;;) {
    const info = await stat(folder).catch(() => null);
    const isVaultDir = folder === vaultDir;
    if (info) {
      const mode = info.mode & 0o7777;
      const foreign = info.uid !== me && info.uid !== 0;
      const writable = (mode & GROUP_OR_WORLD_WRITABLE) !== 0;
      if (isVaultDir) {
        if (info.uid !== me) return `the vault folder ${folder} belongs to another user (uid ${info.uid})`;
        if (writable) return `the vault folder ${folder} can be written by ${whoMayWrite(mode)} (mode ${octal(mode)})`;
      } else if ((foreign || writable) && (mode & STICKY) === 0) {
        return `it is inside ${folder}, which ${foreign ? `belongs to another user (uid ${info.uid})` : `${whoMayWrite(mode)} can write to (mode ${octal(mode)})`} and has no sticky bit`;
      }
    }
    // A folder not created yet is judged by the first one that exists above it.
    const parent = path.dirname(folder);
    if (parent === folder) return null;
    folder = parent;
  }
}

export async function assertTrustedFolder(dir: string): Promise<void> {
  const why = await untrustedFolder(dir);
  if (why) {
    throw new AppError(
      'vault_io',
      `Refusing to use the vault in ${dir}: ${why}, so others could replace the vault or read what it writes. Move the vault to a folder only you control (chmod 700), or pass --allow-shared-dir (WFVAULT_ALLOW_SHARED_DIR=1) if this folder is shared on purpose.`,
      { dir, untrusted: true },
    );
  }
}

function whoMayWrite(mode: number): string {
  const g = (mode & 0o020) !== 0;
  const o = (mode & 0o002) !== 0;
  return g && o ? 'its group and everyone' : o ? 'everyone' : 'its group';
}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8)}`;
}
