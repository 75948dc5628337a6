// Reading the vault file or its backup without trusting what sits at the name. A named pipe would
// block the read for ever, /dev/zero would fill memory without end, and a file of gigabytes would
// exhaust memory or trip Node's own limits; so only a regular file is opened (never through a
// link, never waiting on a pipe), and no more is read than the file's own prefix says it holds.
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { AppError } from '../core/errors.js';
import { MAX_FILE_BYTES, PREFIX_BYTES, checkFileSize, readPrefix, tooLarge } from './format.js';

/** One read call stays far below the 2 GiB that a single read() may transfer. */
const CHUNK_BYTES = 64 * 1024 * 1024;
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Opens `file` for reading when it is a regular file; anything else is refused with `vault_io`
 * naming it. ENOENT and the other errors of open() come through as they are.
 */
export async function openRegularFile(file: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(file, READ_FLAGS);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw notRegular(file, 'a symbolic link');
    throw e;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw notRegular(file, kindOf(info));
    return handle;
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw e;
  }
}

/**
 * The bytes of a vault file, read only once its size fits what its prefix announces: a file cut
 * short, grown, or too large for any vault is refused (with the format's own errors) before the
 * rest of it is read.
 */
export async function readVaultBytes(file: string): Promise<Buffer> {
  const handle = await openRegularFile(file);
  try {
    const { size } = await handle.stat();
    if (size > MAX_FILE_BYTES) throw tooLarge(size);
    const prefix = await readAt(handle, Math.min(size, PREFIX_BYTES), 0);
    checkFileSize(readPrefix(prefix), size);
    const bytes = Buffer.allocUnsafe(size);
    prefix.copy(bytes, 0);
    let at = prefix.length;
    while (at < size) {
      const { bytesRead } = await handle.read(bytes, at, Math.min(CHUNK_BYTES, size - at), at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return at === size ? bytes : bytes.subarray(0, at);
  } finally {
    await handle.close();
  }
}

/** Up to `length` bytes at `position`; fewer when the file ends first. */
export async function readAt(handle: FileHandle, length: number, position: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let at = 0;
  while (at < length) {
    const { bytesRead } = await handle.read(buf, at, length - at, position + at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  return at === length ? buf : buf.subarray(0, at);
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

function notRegular(file: string, kind: string): AppError {
  return new AppError(
    'vault_io',
    `${file} is ${kind}, not a vault file: wfvault reads only a regular file there. Move it out of the way (for a vault file, put the real one back or run \`wfvault doctor\`); nothing was changed.`,
    { path: file, notRegular: true },
  );
}
