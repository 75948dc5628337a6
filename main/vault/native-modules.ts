// The two native bindings (the keychain and the file lock), loaded with require() rather than
// import(). Both are CommonJS packages; importing one from an ES module runs Node's ESM resolution
// and its CommonJS export scanner over them, which costs a CLI run several times what the
// require() does (tens of milliseconds each, on every command that touches the vault).
import { createRequire } from 'node:module';
import path from 'node:path';

// The CLI's ES module bundle defines `require` in its banner; the app's CommonJS bundle has its
// own; the TypeScript sources run as ES modules (tests) and need one made here.
const nodeRequire: NodeJS.Require = typeof require === 'function' ? require : createRequire(path.join(import.meta.dirname, 'native-modules.js'));

export type KeyringBinding = typeof import('@napi-rs/keyring');

export function requireKeyring(): KeyringBinding {
  return nodeRequire('@napi-rs/keyring') as KeyringBinding;
}

export interface FileLockBinding {
  /** Takes an exclusive lock on the whole file without waiting; false when another holds it. */
  tryLock(fd: number): boolean;
  unlock(fd: number): void;
}

interface RawFileLock {
  tryLock(fd: number, offset: number, length: number, exclusive: boolean): void;
  unlock(fd: number, offset: number, length: number): void;
}

/**
 * fs-native-extensions, straight from its prebuilt binary for this platform when there is one:
 * the package's own loader resolves that binary through three more packages, at several times the
 * cost of the lock itself. The two calls mirror the package's index.js (an exclusive lock on the
 * whole file; EAGAIN means held by another). Anything unexpected falls back to the package.
 */
export function requireFileLock(): FileLockBinding {
  let raw: RawFileLock | null = null;
  try {
    const root = path.dirname(nodeRequire.resolve('fs-native-extensions/package.json'));
    const loaded = nodeRequire(path.join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'fs-native-extensions.node')) as Partial<RawFileLock>;
    if (typeof loaded.tryLock === 'function' && typeof loaded.unlock === 'function') raw = loaded as RawFileLock;
  } catch {
    raw = null;
  }
  if (!raw) return nodeRequire('fs-native-extensions') as FileLockBinding;
  const binding = raw;
  return {
    tryLock(fd) {
      try {
        binding.tryLock(fd, 0, 0, true);
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return false;
        throw e;
      }
    },
    unlock(fd) {
      binding.unlock(fd, 0, 0);
    },
  };
}
