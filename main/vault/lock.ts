// One writer at a time across processes (the desktop app and any number of CLI runs), through a
// lock the kernel holds for the process: an open-file-description lock (Linux), flock (macOS) or
// LockFileEx (Windows) on `vault.lock`, taken through fs-native-extensions.
//
// Why a kernel lock and not a lock folder with a heartbeat: a writer stopped by SIGSTOP or Ctrl-Z
// stops refreshing a heartbeat, so a second writer would take such a lock over and commit, and the
// first would then resume and rename its older generation over the second's. A kernel lock stays
// with a stopped process, and goes the instant its process dies, so a dead owner's lock is free at
// once and never needs a stale timeout.
//
// The lock file is never deleted: a waiter could be about to lock the old inode while a new one
// took the name. It holds, for people and for the wait message only, who holds the lock.
//
// The vault's lock is the main user; withFileLock lends the same machinery to other files in the
// vault folder that several processes re-read and rewrite (a team's health file).
import { constants, fstatSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { ioError } from './atomic.js';
import { requireFileLock, type FileLockBinding } from './native-modules.js';

let fileLock: FileLockBinding | null = null;
const fsx = (): FileLockBinding => (fileLock ??= requireFileLock());

export const LOCK_FILE = 'vault.lock';
/** How long a writer waits for another before giving up with vault_busy. */
export const LOCK_WAIT_MS = 20_000;
/** When a waiting writer says whom it waits for. */
export const LOCK_ANNOUNCE_MS = 1_000;
/**
 * How often a waiter retries without being woken. A holder that releases wakes the waiters at once
 * (it touches the file, which they watch); this only catches a holder that died, whose lock the
 * kernel freed without a word, and file systems where watching does not work.
 */
const RETRY_MS = 100;

export interface LockOptions {
  waitMs?: number;
  /** Called once per holder when the wait has lasted LOCK_ANNOUNCE_MS, with a sentence to show. */
  onWait?: (message: string) => void;
  /** Who we are, for the messages of those who wait for us. */
  owner?: string;
}

export interface HeldLock {
  /** Throws vault_busy when the lock file was removed or replaced under us, so the lock means nothing. */
  assertHeld(): void;
}

/** What a lock guards, in the words of its messages. */
export interface LockSubject {
  /** For "Waiting for NAME: …" and "NAME is busy: …": "the vault". */
  name: string;
  /** For "Cannot open WHOSE lock file …": "the vault's". */
  whose: string;
}

const VAULT: LockSubject = { name: 'the vault', whose: "the vault's" };

interface Holder {
  pid?: number;
  host?: string;
  owner?: string;
  since?: string;
}

export async function withVaultLock<T>(dir: string, fn: (lock: HeldLock) => Promise<T>, opts: LockOptions = {}): Promise<T> {
  return withFileLock(path.join(dir, LOCK_FILE), VAULT, fn, opts);
}

/** Runs `fn` holding the lock on `file` (created when missing, never deleted), as withVaultLock does. */
export async function withFileLock<T>(file: string, subject: LockSubject, fn: (lock: HeldLock) => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const handle = await acquire(file, subject, opts);
  const held: HeldLock = {
    assertHeld() {
      if (!sameFile(handle, file)) {
        throw new AppError('vault_busy', `${capitalized(subject.whose)} lock file ${file} was removed or replaced while this process held it; nothing was written. Retry.`, { lock: file });
      }
    },
  };
  try {
    return await fn(held);
  } finally {
    await release(handle);
  }
}

async function acquire(file: string, subject: LockSubject, opts: LockOptions): Promise<FileHandle> {
  const waitMs = opts.waitMs ?? LOCK_WAIT_MS;
  const started = Date.now();
  let handle = await openLockFile(file, subject);
  let wake: Waker | null = null;
  let announced: string | null = null;
  try {
    for (;;) {
      if (lockNow(handle, file, subject)) {
        if (sameFile(handle, file)) {
          await recordHolder(handle, opts.owner);
          return handle;
        }
        // The name now points to another file: the lock we got guards nothing.
        await handle.close();
        handle = await openLockFile(file, subject);
        continue;
      }
      const waited = Date.now() - started;
      if (waited >= LOCK_ANNOUNCE_MS || waited >= waitMs) {
        const holder = await readHolder(handle);
        const who = describeHolder(holder);
        if (waited >= waitMs) {
          throw new AppError(
            'vault_busy',
            `${capitalized(subject.name)} is busy: ${who} has held its lock for more than ${Math.round(waitMs / 1000)} s${stoppedHint(holder)}. Retry when it has finished.`,
            { lock: file, holderPid: holder.pid },
          );
        }
        const key = `${holder.pid}:${holder.since}`;
        if (announced !== key) {
          announced = key;
          opts.onWait?.(`Waiting for ${subject.name}: ${who} is changing it${stoppedHint(holder)}…`);
        }
      }
      wake ??= new Waker(file);
      await wake.next(Math.min(RETRY_MS, Math.max(1, started + waitMs - Date.now())));
    }
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw e;
  } finally {
    wake?.close();
  }
}

function lockNow(handle: FileHandle, file: string, subject: LockSubject): boolean {
  try {
    return fsx().tryLock(handle.fd);
  } catch (e) {
    throw ioError(e, `take ${subject.whose} lock on`, file);
  }
}

async function openLockFile(file: string, subject: LockSubject): Promise<FileHandle> {
  try {
    // Never through a symbolic link: the lock file is ours, in our folder.
    return await open(file, constants.O_RDWR | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0), 0o600);
  } catch (e) {
    throw ioError(e, `open ${subject.whose} lock file`, file);
  }
}

/** True while `file` is still the file `handle` has open. */
function sameFile(handle: FileHandle, file: string): boolean {
  try {
    const a = fstatSync(handle.fd);
    const b = statSync(file);
    return a.ino === b.ino && a.dev === b.dev;
  } catch {
    return false;
  }
}

async function recordHolder(handle: FileHandle, owner: string | undefined): Promise<void> {
  const info: Holder = { pid: process.pid, host: hostname(), owner: owner ?? defaultOwner(), since: new Date().toISOString() };
  const bytes = Buffer.from(`${JSON.stringify(info)}\n`, 'utf8');
  // Only informative, so neither synced nor allowed to fail the write it guards.
  await handle.truncate(0).catch(() => undefined);
  await handle.write(bytes, 0, bytes.length, 0).catch(() => undefined);
}

async function readHolder(handle: FileHandle): Promise<Holder> {
  try {
    const buf = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const raw = JSON.parse(buf.subarray(0, bytesRead).toString('utf8')) as Holder;
    return raw && typeof raw === 'object' ? raw : {};
  } catch {
    // Windows refuses to read a locked range; a holder that has not written yet leaves it empty.
    return {};
  }
}

async function release(handle: FileHandle): Promise<void> {
  try {
    fsx().unlock(handle.fd);
    // Touching the file after the unlock is what wakes the waiters (they watch it).
    const now = new Date();
    await handle.utimes(now, now);
  } catch {
    // Closing releases the lock in any case.
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function defaultOwner(): string {
  if (process.versions.electron) return 'the Webflow Token Vault app';
  const script = path.basename(process.argv[1] ?? process.argv0).replace(/\.[cm]?js$/u, '');
  return script || 'another process';
}

function describeHolder(h: Holder): string {
  const owner = typeof h.owner === 'string' && h.owner ? h.owner.slice(0, 80) : 'another wfvault process or the app';
  const pid = Number.isInteger(h.pid) ? ` (pid ${h.pid}${h.host && h.host !== hostname() ? ` on ${String(h.host).slice(0, 80)}` : ''})` : '';
  return `${owner}${pid}`;
}

/** A holder on this machine that is stopped (Ctrl-Z, SIGSTOP) will not finish until resumed. */
function stoppedHint(h: Holder): string {
  if (process.platform !== 'linux' || !Number.isInteger(h.pid) || (h.host && h.host !== hostname())) return '';
  try {
    // Only on the slow path, after a second of waiting.
    const stat = readFileSync(`/proc/${h.pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'T' || state === 't') return `, and it is stopped: resume it (\`fg\` in its terminal, or \`kill -CONT ${h.pid}\`)`;
  } catch {
    // Gone or not ours to look at.
  }
  return '';
}

/** Resolves on the next change to the lock file or after `ms`, whichever comes first. */
class Waker {
  private watcher: FSWatcher | null = null;
  private pending: (() => void) | null = null;
  private changed = false;

  constructor(file: string) {
    try {
      this.watcher = watch(file, { persistent: false }, () => this.fire());
      this.watcher.on('error', () => this.close());
    } catch {
      this.watcher = null; // polling alone, then
    }
  }

  next(ms: number): Promise<void> {
    if (this.changed) {
      this.changed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.pending = null;
        this.changed = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.pending = done;
    });
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  private fire(): void {
    if (this.pending) this.pending();
    else this.changed = true;
  }
}
