// The native bindings as the vault loads them (straight from the file lock's prebuilt binary when
// there is one): they must behave as the packages themselves do.
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import fsxPackage from 'fs-native-extensions';
import { requireFileLock, requireKeyring } from '../../main/vault/native-modules.js';
import { tempDir } from '../helpers/cli.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (tmp = await tempDir()));
afterEach(async () => tmp.cleanup());

it('the file lock refuses a second holder until the first unlocks, as the package does', async () => {
  const file = join(tmp.path, 'vault.lock');
  const first = await open(file, 'w');
  const second = await open(file, 'r+');
  try {
    const lock = requireFileLock();
    expect(lock.tryLock(first.fd)).toBe(true);
    expect(lock.tryLock(second.fd)).toBe(false);
    // The package's own loader sees the same kernel lock.
    expect(fsxPackage.tryLock(second.fd)).toBe(false);
    lock.unlock(first.fd);
    expect(lock.tryLock(second.fd)).toBe(true);
    expect(lock.tryLock(first.fd)).toBe(false);
  } finally {
    await first.close();
    await second.close();
  }
});

it('the file lock reports a descriptor that is not open as an error, not as "held"', () => {
  expect(() => requireFileLock().tryLock(987_654)).toThrow();
});

it('the keychain binding loads with the entry class the vault uses', () => {
  expect(typeof requireKeyring().AsyncEntry).toBe('function');
});
