// The cross-process writer lock: waits its turn, gives up with vault_busy, takes over a stale lock,
// and notices when it lost the lock while stalled.
import { mkdir, mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/core/errors.js';
import { withVaultLock } from '../../main/vault/lock.js';

let dir: string;
let lockDir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wfvault-lock-'));
  lockDir = path.join(dir, 'vault.wfv.lock');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('withVaultLock', () => {
  it('lets one holder in at a time and removes the lock afterwards', async () => {
    const events: string[] = [];
    let release!: () => void;
    const first = withVaultLock(dir, async () => {
      events.push('first in');
      await new Promise<void>((r) => (release = r));
      events.push('first out');
    });
    await new Promise((r) => setTimeout(r, 50));
    const second = withVaultLock(dir, async () => {
      events.push('second in');
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toEqual(['first in']);
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(['first in', 'first out', 'second in']);
    await expect(stat(lockDir)).rejects.toThrow();
  });

  it('gives up with vault_busy when the lock stays taken', async () => {
    await mkdir(lockDir);
    let err: unknown;
    try {
      await withVaultLock(dir, async () => undefined, { waitMs: 300 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('vault_busy');
    expect((err as AppError).message).toMatch(/busy/);
  });

  it('takes over a lock nobody has refreshed for the stale time', async () => {
    await mkdir(lockDir);
    const old = new Date(Date.now() - 60_000);
    await utimes(lockDir, old, old);
    expect(await withVaultLock(dir, async () => 'got it', { waitMs: 1000 })).toBe('got it');
  });

  it('refuses to commit after the lock was taken over while it was held', async () => {
    await expect(
      withVaultLock(
        dir,
        async (lock) => {
          // Someone else decided our lock was stale and replaced it.
          await rm(lockDir, { recursive: true });
          await mkdir(lockDir);
          await new Promise((r) => setTimeout(r, 1500));
          lock.assertHeld();
        },
        { staleMs: 2000 },
      ),
    ).rejects.toMatchObject({ code: 'vault_busy' });
  });
});
