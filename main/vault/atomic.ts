// Durable replacement of files, the vault file above all. At every instant, whatever the crash,
// `vault.wfv` is one complete generation (the old one or the new one), and `vault.wfv.bak` is the
// one before.
//
// A hand-written temp+fsync+rename rather than write-file-atomic: that one issues a single write()
// and ignores its byte count, so a short write (disk nearly full) would be renamed over the file;
// FileHandle.writeFile loops until every byte is written. Creating the temp file with O_EXCL and
// the final mode also means it is never readable by others, not even for a moment.
import { randomBytes } from 'node:crypto';
import { copyFile, link, lstat, open, readdir, realpath, rename, stat, unlink } from 'node:fs/promises';
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
  // A link to /dev/full or a named pipe must not be "replaced": root could rename a file over a
  // device node. (A folder fails on its own, with EISDIR.)
  const info = await lstat(target).catch(() => null);
  if (info && (info.isCharacterDevice() || info.isBlockDevice() || info.isFIFO() || info.isSocket())) {
    throw new AppError('failed', `Cannot replace ${file}${target !== path.resolve(file) ? ` (it leads to ${target})` : ''}: it is a device, pipe or socket, not a regular file; wfvault rewrites only regular files, so it was left as it is.`, { path: file });
  }
  await replaceDurably(target, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, options.mode ?? FILE_MODE);
}

/**
 * Writes `bytes` as the new vault file in `dir`, keeping the current one as the backup. Callers
 * hold the vault lock; this does no locking itself.
 */
export async function writeVaultFileAtomic(dir: string, bytes: Buffer | readonly Buffer[], opts: { backup?: boolean } = {}): Promise<void> {
  await replaceDurably(path.join(dir, VAULT_FILE), bytes, FILE_MODE, opts.backup === false ? undefined : () => keepBackup(dir));
}

/** `beforeRename` runs once the new bytes are safely on disk and before they take the name. */
async function replaceDurably(target: string, bytes: Uint8Array | readonly Uint8Array[], mode: number, beforeRename?: () => Promise<void>): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, tempName(path.basename(target)));
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      // Pieces go one after the other from the current position; each writeFile loops until all
      // of its bytes are written.
      for (const part of bytes instanceof Uint8Array ? [bytes] : bytes) await handle.writeFile(part);
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

/**
 * Turns a file-system failure into one sentence a person can act on: what could not be done to
 * which file or folder, why in words (never an errno alone), and the fix. The window gets the
 * same sentence without the command-line alternative (`details.window`).
 */
export function ioError(e: unknown, action: string, where: string): unknown {
  if (e instanceof AppError) return e;
  const reason = ioReason(e);
  if (!reason) return e;
  const head = `Cannot ${action} ${where}: ${reason.why}`;
  return new AppError('vault_io', `${head}; ${reason.fix}${reason.cliAlternative}.`, { errno: reason.code, path: where, window: `${head}; ${reason.fix}.` });
}

export interface IoReason {
  code: string;
  /** Why, in words: "the disk is full, so nothing was changed". */
  why: string;
  /** What to do: "free some space on that disk and try again". */
  fix: string;
  /** ", or choose another folder with --vault-dir ..." where another folder would help; else "". */
  cliAlternative: string;
}

/** The parts of ioError's sentence, for messages that say more than "cannot"; null when `e` is no file-system error. */
export function ioReason(e: unknown): IoReason | null {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string' || e instanceof AppError) return null;
  const { why, fix, elsewhere = true } = explainCode(code, e as NodeJS.ErrnoException);
  return { code, why, fix, cliAlternative: elsewhere ? `, or ${ELSEWHERE}` : '' };
}

const ELSEWHERE = 'choose another folder with --vault-dir or WFVAULT_DIR';

function explainCode(code: string, e: NodeJS.ErrnoException): { why: string; fix: string; elsewhere?: boolean } {
  switch (code) {
    case 'EACCES':
      return { why: 'permission denied (the file or its folder does not let you)', fix: 'fix the permissions (the vault folder should be yours, mode 0700)' };
    case 'EPERM':
      return { why: 'the operation is not permitted (the file may be marked immutable or append-only, e.g. with chattr +i)', fix: 'clear that flag (chattr -i)' };
    case 'EROFS':
      return { why: 'it is on a read-only file system', fix: 'mount that file system writable and try again' };
    case 'ENOSPC':
      return { why: 'the disk is full, so nothing was changed', fix: 'free some space on that disk and try again' };
    case 'EDQUOT':
      return { why: 'your disk quota is used up, so nothing was changed', fix: 'free some space (or have the quota raised) and try again' };
    case 'ENOTDIR':
      return { why: 'part of that path is a file, not a folder', fix: 'move that file out of the way' };
    case 'EISDIR':
      return { why: 'a folder stands where a file should be', fix: 'move that folder out of the way and try again' };
    case 'ENAMETOOLONG':
      return { why: 'the path is longer than the file system allows', fix: 'use a shorter path' };
    case 'ELOOP':
      return { why: 'the path runs through a loop of symbolic links', fix: 'point it at a real folder' };
    case 'EIO':
      return { why: 'the disk reported an input/output error', fix: 'check the disk (the system log says more) and try again' };
    case 'EMFILE':
    case 'ENFILE':
      return { why: 'too many files are open', fix: 'close some programs and try again', elsewhere: false };
    case 'EBUSY':
    case 'ETXTBSY':
      return { why: 'the file is busy (another program holds it)', fix: 'try again once that program has finished' };
    case 'EFBIG':
      return { why: 'the file would grow larger than the file system allows', fix: 'move the vault to another disk' };
    default: {
      // Node's own text (e.g. "EXDEV: cross-device link not permitted, rename ..."), without the paths.
      const text = (e.message ?? '').replace(/^[A-Z0-9]+:\s*/u, '').replace(/,\s*\w+\s+'.*$/su, '').trim();
      return { why: `the system refused with ${code}${text ? ` (${text})` : ''}`, fix: 'check the folder and its disk and try again' };
    }
  }
}
