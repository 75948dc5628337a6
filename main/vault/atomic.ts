// Durable replacement of files, the vault file above all. At every instant, whatever the crash,
// `vault.wfv` is one complete generation (the old one or the new one), and `vault.wfv.bak` is the
// one before.
//
// A hand-written temp+fsync+rename rather than write-file-atomic: that one issues a single write()
// and ignores its byte count, so a short write (disk nearly full) would be renamed over the file;
// FileHandle.writeFile loops until every byte is written. Creating the temp file with O_EXCL and
// the final mode also means it is never readable by others, not even for a moment.
import { randomBytes } from 'node:crypto';
import { copyFile, link, open, readdir, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { BACKUP_FILE, VAULT_FILE } from './paths.js';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;
export const TEMP_MARK = '.tmp-';

function tempName(base: string): string {
  return `${base}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`;
}

export interface DurableWriteOptions {
  /** The file's mode, set exactly (the umask does not apply). Default 0600. */
  mode?: number;
  /**
   * false: a symbolic link at `file` is replaced by the new file, never followed (for files in
   * folders others might plant a link in). Default true.
   */
  followLinks?: boolean;
}

/**
 * Replaces `file` with `data` (a string is written as UTF-8) so that a crash leaves either the old
 * file or the new one, complete: a temp file beside it (O_EXCL, `mode`), every byte written, fsync,
 * rename, fsync of the folder. A symbolic link is followed, so the file it points to is replaced and
 * the link stays. Throws the file system's own errors; a temp file is removed on failure, but one
 * left by a killed process stays, named `<name>.tmp-<pid>-<random>`.
 */
export async function writeFileDurably(file: string, data: string | Uint8Array, options: DurableWriteOptions = {}): Promise<void> {
  const target = options.followLinks === false ? path.resolve(file) : await realpath(file).catch(() => path.resolve(file));
  await replaceDurably(target, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, options.mode ?? FILE_MODE);
}

/**
 * Writes `bytes` as the new vault file in `dir`, keeping the current one as the backup. Callers
 * hold the vault lock; this does no locking itself.
 */
export async function writeVaultFileAtomic(dir: string, bytes: Buffer, opts: { backup?: boolean } = {}): Promise<void> {
  await replaceDurably(path.join(dir, VAULT_FILE), bytes, FILE_MODE, opts.backup === false ? undefined : () => keepBackup(dir));
}

/** `beforeRename` runs once the new bytes are safely on disk and before they take the name. */
async function replaceDurably(target: string, bytes: Uint8Array, mode: number, beforeRename?: () => Promise<void>): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, tempName(path.basename(target)));
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(bytes);
      // The creation mode passed through the umask; set it exactly.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await beforeRename?.();
    await rename(temp, target);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  await fsyncDir(dir);
}

/**
 * Makes the current vault file the backup without a moment where either name is missing: a hard
 * link to a temp name (same bytes, no copy), renamed over the old backup.
 */
async function keepBackup(dir: string): Promise<void> {
  const current = path.join(dir, VAULT_FILE);
  const staging = path.join(dir, tempName(BACKUP_FILE));
  try {
    await link(current, staging);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return; // first save: nothing to keep
    // File systems without hard links (FAT, some network shares) get a copy instead.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV' && code !== 'EMLINK' && code !== 'ENOSYS') throw e;
    await copyFile(current, staging);
    const handle = await open(staging, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  const backup = path.join(dir, BACKUP_FILE);
  try {
    await rename(staging, backup);
  } catch (e) {
    await unlink(staging).catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') {
      throw new AppError('vault_io', `Cannot keep the previous vault as the backup: ${backup} is a folder. Move it out of the way and retry; the vault was not changed.`, { path: backup, errno: code });
    }
    throw e;
  }
}

/** Makes renames in `dir` durable. Windows cannot open a folder for this and needs no such step. */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (e) {
    // Some file systems refuse fsync on folders; the data itself was already synced.
    if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
  } finally {
    await handle.close();
  }
}

/**
 * Removes temp files a killed writer left behind. Called under the vault lock, when no writer is
 * active; the age guard spares a writer whose lock went stale while it was still writing.
 */
export async function removeStaleTemps(dir: string, olderThanMs = 60_000): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (!(name.startsWith(`${VAULT_FILE}${TEMP_MARK}`) || name.startsWith(`${BACKUP_FILE}${TEMP_MARK}`))) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (info && now - info.mtimeMs > olderThanMs) await unlink(file).catch(() => undefined);
  }
}

/** Turns a file-system failure into a message a person can act on. */
export function ioError(e: unknown, action: string, where: string): unknown {
  if (e instanceof AppError) return e;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'EACCES') {
    return new AppError(
      'vault_io',
      `Cannot ${action} ${where}: permission denied (the file or its folder does not let you). Fix the permissions (the vault folder should be yours, mode 0700), or choose another folder with --vault-dir or WFVAULT_DIR.`,
      { errno: code },
    );
  }
  if (code === 'EPERM') {
    return new AppError(
      'vault_io',
      `Cannot ${action} ${where}: the operation is not permitted (the file may be marked immutable or append-only, e.g. with chattr +i). Clear that flag, or choose another folder with --vault-dir or WFVAULT_DIR.`,
      { errno: code },
    );
  }
  if (code === 'EROFS') {
    return new AppError('vault_io', `Cannot ${action} ${where}: it is on a read-only file system. Mount it writable, or choose another folder with --vault-dir or WFVAULT_DIR.`, { errno: code });
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new AppError('vault_io', `Cannot ${action} ${where}: the disk is full. The vault was not changed.`, { errno: code });
  }
  if (code === 'ENOTDIR') {
    return new AppError('vault_io', `Cannot ${action} ${where}: part of that path is a file, not a folder. Point --vault-dir or WFVAULT_DIR at a folder.`, { errno: code });
  }
  if (code === 'EISDIR' || code === 'ENAMETOOLONG' || code === 'ELOOP') {
    return new AppError('vault_io', `Cannot ${action} ${where}: the path is not usable (${code}). Point --vault-dir or WFVAULT_DIR at a folder of your own.`, { errno: code });
  }
  if (code) return new AppError('vault_io', `Cannot ${action} ${where}: ${code}.`, { errno: code });
  return e;
}
