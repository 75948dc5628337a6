// One change at a time in a team's clone, across processes: the window's timer sync, a CLI
// `add --team` and a `team add-member` each write token files, commit and move the branch, and
// two of them interleaved would commit each other's half-written files or reset them away. The
// same kernel lock as the vault's (see vault/lock.ts), on a file next to the clone.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { withFileLock, type LockOptions } from '../vault/lock.js';
import { teamDir } from './local-state.js';

interface Held {
  file: string;
  /** Cleared on release: work that a change started but did not wait for gets no lock from it. */
  active: boolean;
}

/**
 * The locks this chain of calls holds. A change made inside another (a sync run by a member-list
 * change) goes on under the outer lock: the kernel lock is per open file, so asking again from
 * the same process would wait for itself.
 */
const holding = new AsyncLocalStorage<readonly Held[]>();

export function cloneLockFile(vaultDir: string, name: string): string {
  return path.join(teamDir(vaultDir, name), 'clone.lock');
}

/**
 * Runs `fn` holding the lock on team `name`'s clone. `fn` learns whether it took the lock now
 * (true) or runs inside a change that already holds it (false).
 */
export async function withCloneLock<T>(vaultDir: string, name: string, fn: (taken: boolean) => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const file = cloneLockFile(vaultDir, name);
  const outer = holding.getStore() ?? [];
  if (outer.some((h) => h.file === file && h.active)) return fn(false);
  const subject = { name: `team ${name}`, whose: `team ${name}'s` };
  return withFileLock(
    file,
    subject,
    async () => {
      const held: Held = { file, active: true };
      try {
        return await holding.run([...outer, held], () => fn(true));
      } finally {
        held.active = false;
      }
    },
    opts,
  );
}

function generationFile(vaultDir: string, name: string): string {
  return path.join(teamDir(vaultDir, name), 'clone.gen');
}

/**
 * A mark that every change to the clone replaces before it lets go of the lock: a process that
 * finds the mark it read or wrote last knows that no change ran since, without asking git.
 * Null when there is none yet (or it cannot be read), which matches no mark.
 */
export async function cloneGeneration(vaultDir: string, name: string): Promise<string | null> {
  try {
    return (await readFile(generationFile(vaultDir, name), 'utf8')).trim() || null;
  } catch {
    return null;
  }
}

/**
 * Replaces the mark (under the lock); returns the new one, or null when it could not be written.
 * Then the old mark is removed if it can be, so that no process takes it for unchanged; a change
 * that could not write this small file will most likely have written nothing else either.
 */
export async function nextCloneGeneration(vaultDir: string, name: string): Promise<string | null> {
  const mark = randomBytes(12).toString('hex');
  const file = generationFile(vaultDir, name);
  try {
    await writeFile(file, `${mark}\n`, { mode: 0o600 });
    return mark;
  } catch {
    await rm(file, { force: true }).catch(() => undefined);
    return null;
  }
}
