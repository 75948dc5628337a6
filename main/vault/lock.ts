// One writer at a time across processes (the desktop app and any number of CLI runs), through
// proper-lockfile: an atomic mkdir of `vault.wfv.lock`, whose mtime the holder refreshes. A holder
// killed with -9 stops refreshing, so after `staleMs` the next writer takes the lock over.
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { AppError } from '../core/errors.js';
import { ioError } from './atomic.js';
import { VAULT_FILE } from './paths.js';

export const LOCK_STALE_MS = 10_000;
/** Longer than the stale time, so a lock left by a killed process is always waited out. */
export const LOCK_WAIT_MS = 20_000;

export interface LockOptions {
  staleMs?: number;
  waitMs?: number;
}

export interface HeldLock {
  /** Throws vault_busy if another process took the lock over (we stalled past the stale time). */
  assertHeld(): void;
}

export async function withVaultLock<T>(dir: string, fn: (lock: HeldLock) => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const staleMs = opts.staleMs ?? LOCK_STALE_MS;
  const waitMs = opts.waitMs ?? LOCK_WAIT_MS;
  const file = path.join(dir, VAULT_FILE);
  let compromised = false;
  const deadline = Date.now() + waitMs;
  let release: () => Promise<void>;
  for (let attempt = 0; ; attempt++) {
    try {
      release = await lockfile.lock(file, {
        realpath: false, // the vault file need not exist yet (init)
        stale: staleMs,
        retries: 0,
        // The default throws from a timer and so crashes the process; remember it instead and
        // refuse to commit.
        onCompromised: () => {
          compromised = true;
        },
      });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw ioError(e, 'lock the vault in', dir);
      if (Date.now() >= deadline) {
        throw new AppError(
          'vault_busy',
          `The vault is busy: another wfvault process or the app has held its lock for more than ${Math.round(waitMs / 1000)} s. Retry in a moment; a lock left by a crashed process is released by itself after ${Math.round(staleMs / 1000)} s.`,
          { lock: `${file}.lock` },
        );
      }
      // Short at first (the lock is usually held for milliseconds), jittered so waiters spread out.
      const base = Math.min(100, 5 * 1.5 ** attempt);
      await new Promise((r) => setTimeout(r, base * (0.5 + Math.random())));
    }
  }
  const held: HeldLock = {
    assertHeld() {
      if (compromised) {
        throw new AppError('vault_busy', 'The vault lock was taken over by another process while this one was stalled; nothing was written. Retry.');
      }
    },
  };
  try {
    return await fn(held);
  } finally {
    await release().catch(() => undefined);
  }
}
