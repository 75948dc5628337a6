// Where a script's vault passphrase comes from, most private first: a file descriptor
// (--passphrase-fd), a file only the user can read (WFVAULT_PASSPHRASE_FILE), or WFVAULT_PASSPHRASE.
// None of them is left for the programs wfvault starts: the variables leave the environment (and
// the variable's bytes the process's original environment block) and the descriptor is closed.
import { closeSync, fstatSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';
import { AppError } from '../core/errors.js';
import { scrubEnviron } from './environ-scrub.js';

const LIMIT = 4096;

let fromFd: string | undefined;
let fromEnv: string | undefined;
let file: string | undefined;
let environScrubbed = true;

export function takePassphraseFromEnv(env: NodeJS.ProcessEnv = process.env): void {
  fromEnv = env.WFVAULT_PASSPHRASE;
  file = env.WFVAULT_PASSPHRASE_FILE || undefined;
  const had = env.WFVAULT_PASSPHRASE !== undefined;
  delete env.WFVAULT_PASSPHRASE;
  delete env.WFVAULT_PASSPHRASE_FILE;
  if (had && env === process.env) environScrubbed = scrubEnviron(['WFVAULT_PASSPHRASE']);
}

/** False when WFVAULT_PASSPHRASE was set and is still readable in /proc/PID/environ. */
export function environIsClean(): boolean {
  return environScrubbed;
}

/** Reads the passphrase from an inherited descriptor at once and closes it, before any child exists. */
export function takePassphraseFromFd(fd: number): void {
  checkInherited(fd);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for (;;) {
      const chunk = Buffer.alloc(1024);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      size += n;
      if (size > LIMIT + 2) throw new AppError('usage', `--passphrase-fd ${fd}: more than ${LIMIT} bytes; a passphrase is much shorter.`);
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError('usage', `--passphrase-fd ${fd}: ${code === 'EBADF' ? 'no such open file descriptor' : code === 'EAGAIN' ? 'the descriptor is non-blocking and empty' : 'it could not be read'}.`);
  } finally {
    // stdin, stdout and stderr stay open; any other descriptor is closed so no child inherits it.
    if (fd > 2) {
      try {
        closeSync(fd);
      } catch {
        /* already closed */
      }
    }
  }
  fromFd = stripNewline(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Node keeps descriptors of its own (event loop, internal pipes with both ends open here);
 * reading one would hang wfvault and closing it would break it. On Linux only a descriptor that
 * came from outside is accepted: not an anonymous inode, not a pipe whose other end is ours.
 */
function checkInherited(fd: number): void {
  if (process.platform !== 'linux' || fd <= 2) return;
  const hint = 'open it in the shell, e.g. `3< passphrase.txt`';
  let target: string;
  try {
    target = readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    throw new AppError('usage', `--passphrase-fd ${fd}: no such open file descriptor (${hint}).`);
  }
  const ours = target.startsWith('anon_inode:') || (target.startsWith('pipe:') && readdirSync('/proc/self/fd').some((other) => other !== String(fd) && safeReadlink(`/proc/self/fd/${other}`) === target));
  if (ours) throw new AppError('usage', `--passphrase-fd ${fd}: that descriptor was not handed to wfvault (${hint}).`);
}

function safeReadlink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

/** The passphrase a script supplied, or undefined when a person has to be asked. */
export function givenPassphrase(): string | undefined {
  if (fromFd !== undefined) return nonEmpty(fromFd, '--passphrase-fd');
  if (file !== undefined) return nonEmpty(readPassphraseFile(file), 'WFVAULT_PASSPHRASE_FILE');
  return fromEnv === '' ? undefined : fromEnv;
}

function readPassphraseFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError('passphrase_required', `WFVAULT_PASSPHRASE_FILE ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : 'it could not be opened'}.`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new AppError('passphrase_required', `WFVAULT_PASSPHRASE_FILE ${path} is not a regular file.`);
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) throw new AppError('passphrase_required', `WFVAULT_PASSPHRASE_FILE ${path} belongs to another user; it must be your own file.`);
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      throw new AppError('passphrase_required', `WFVAULT_PASSPHRASE_FILE ${path} can be read by others (mode ${(st.mode & 0o777).toString(8)}); run \`chmod 600 ${path}\`.`);
    }
    if (st.size > LIMIT + 2) throw new AppError('passphrase_required', `WFVAULT_PASSPHRASE_FILE ${path} holds more than ${LIMIT} bytes; a passphrase is much shorter.`);
    const buf = Buffer.alloc(st.size);
    const n = st.size === 0 ? 0 : readSync(fd, buf, 0, buf.length, 0);
    return stripNewline(buf.subarray(0, n).toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

function stripNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

function nonEmpty(value: string, from: string): string {
  if (value === '') throw new AppError('passphrase_required', `${from} gave an empty passphrase.`);
  return value;
}
