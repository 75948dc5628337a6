// The part of fs-native-extensions (which ships no types) that the vault lock uses when its
// prebuilt binary cannot be loaded directly (native-modules.ts).
declare module 'fs-native-extensions' {
  /** Takes an exclusive lock on the whole file without waiting; false when another holds it. */
  export function tryLock(fd: number, offset?: number, length?: number, opts?: { shared?: boolean }): boolean;
  export function unlock(fd: number, offset?: number, length?: number): void;
  const fsx: { tryLock: typeof tryLock; unlock: typeof unlock };
  export default fsx;
}
