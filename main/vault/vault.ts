// The encrypted vault: one file (format.ts) in the data folder, its key in the OS keychain or from
// a passphrase (keys.ts). Readers need no lock, since a save only ever renames a complete file into
// place; writers take the folder's lock and re-read inside it, so concurrent updates from the app
// and many CLI processes are never lost.
import { constants } from 'node:fs';
import { access, chmod, mkdir, rename, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { AppError, isAppError, type ErrorCode } from '../core/errors.js';
import type { VaultData } from '../core/token.js';
import { emptyVaultData } from '../core/token-values.js';
import { DIR_MODE, ioError, ioReason, removeStaleTemps, writeVaultFileAtomic } from './atomic.js';
import {
  FORMAT_VERSION,
  PREFIX_BYTES,
  decryptVaultFile,
  encodeVaultFile,
  encodeVaultParts,
  keyCheckValue,
  parseHeaderJson,
  parseVaultFile,
  parseVaultFileUnverified,
  readPrefix,
  verifyDigest,
  type KeyMode,
  type ParsedVaultFile,
  type VaultHeader,
} from './format.js';
import type { Keychain } from './keychain.js';
import { KeyStore } from './keys.js';
import { LOCK_FILE, withVaultLock, type LockOptions } from './lock.js';
import { assertTrustedFolder, untrustedFolder } from './folder-trust.js';
import { openRegularFile, readAt, readVaultBytes } from './read-file.js';
import { BACKUP_FILE, VAULT_FILE } from './paths.js';
import { checkVaultData } from './validate.js';

export type { KeyMode } from './format.js';

export interface VaultOptions {
  dir: string;
  keychain: Keychain;
  getPassphrase: (purpose: 'unlock' | 'create') => Promise<string>;
  /** Told, after a second of waiting for another writer, whom this one waits for. */
  onLockWait?: (message: string) => void;
  /** Who this process is, for the wait messages of others (e.g. "wfvault add"). */
  lockOwner?: string;
  /** Use a folder that others may write to or that belongs to someone else (see folder-trust.ts). */
  allowSharedDir?: boolean;
  /** Told once, on first use, what status().warnings would say (loose permissions). */
  onWarning?: (message: string) => void;
  /**
   * For tests whose subject is not the key derivation: the scrypt cost of passphrase vaults this
   * object creates (stored in their header, as always). Never read from the environment or any
   * input; the app and the CLI do not set it, so they always create with SCRYPT_DEFAULTS.
   */
  testOnlyScryptCost?: { N: number; r: number; p: number };
}

export interface VaultStatus {
  initialized: boolean;
  dir: string;
  path: string;
  mode: KeyMode | null;
  vaultId: string | null;
  formatVersion: number | null;
  unlocked: boolean;
  /** Things to tell the user that do not stop the vault working (loose permissions, a damaged header). */
  warnings: string[];
}

interface Current {
  header: VaultHeader;
  keyCheck: Buffer;
  data: VaultData;
}

export class Vault {
  readonly dir: string;
  readonly path: string;
  private readonly backupPath: string;
  private readonly keys: KeyStore;
  /**
   * The data as last saved by this instance and the identity of the file it went to. While the
   * file is still that one, update() does not decrypt and parse it again. Only update() hands
   * this object out; read() always returns a fresh one, so nothing outside can change it.
   */
  private saved: Current & { identity: string | null; digest: Buffer } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** How waits for this vault's lock are told, and whom others wait for; other locks in its folder reuse it. */
  readonly lockOptions: LockOptions;
  private readonly allowSharedDir: boolean;
  private onWarning: ((message: string) => void) | undefined;

  constructor(opts: VaultOptions) {
    this.dir = path.resolve(opts.dir);
    this.lockOptions = { onWait: opts.onLockWait, owner: opts.lockOwner };
    this.allowSharedDir = opts.allowSharedDir ?? false;
    this.onWarning = opts.onWarning;
    this.path = path.join(this.dir, VAULT_FILE);
    this.backupPath = path.join(this.dir, BACKUP_FILE);
    this.keys = new KeyStore(opts.keychain, opts.getPassphrase, opts.testOnlyScryptCost);
  }

  /** Reads the header only; never the keychain, never a passphrase. */
  async status(): Promise<VaultStatus> {
    const warnings = await permissionWarnings(this.dir, this.path);
    const untrusted = await untrustedFolder(this.dir);
    if (untrusted) warnings.unshift(this.allowSharedDir ? `The vault is used although ${untrusted} (--allow-shared-dir).` : `The vault will not be opened: ${untrusted}.`);
    const base: VaultStatus = { initialized: false, dir: this.dir, path: this.path, mode: null, vaultId: null, formatVersion: null, unlocked: false, warnings };
    let head: VaultHead;
    try {
      head = await readHead(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return base;
      if (!isAppError(e)) throw ioError(e, 'read', this.path);
      return { ...base, initialized: true, warnings: [...warnings, (explain(e, this.path) as AppError).message] };
    }
    if (!head.header) return { ...base, initialized: true, formatVersion: head.formatVersion };
    return {
      ...base,
      initialized: true,
      formatVersion: head.formatVersion,
      mode: head.header.mode,
      vaultId: head.header.vaultId,
      unlocked: this.keys.has(head.header),
    };
  }

  /**
   * Creates a new, empty vault. Refuses where a vault file exists, and where only its backup is
   * left (the vault file went missing) unless `force`: the first save of a new vault would replace
   * that backup, the one copy of the old tokens. With `force` the old backup is kept aside.
   */
  init(mode: KeyMode, opts: { force?: boolean } = {}): Promise<VaultStatus> {
    return this.serial(async () => {
      await this.trustFolder();
      const created = await this.prepareDir();
      let written = false;
      try {
        // Checked before asking for a passphrase, and again under the lock against a racing init.
        if (await exists(this.path)) throw alreadyInitialized(this.path);
        if (!opts.force && (await exists(this.backupPath))) throw onlyBackupLeft(this.dir, this.backupPath);
        // Before a passphrase is chosen or a key is stored: a folder nothing can be written to
        // (a read-only disk, no permission) is said at once, naming it.
        await access(this.dir, constants.W_OK).catch((e: unknown) => {
          throw ioError(e, 'create the vault in', this.dir);
        });
        const generation = this.keys.generation;
        const { header, key } = await this.keys.create(mode);
        try {
          await withVaultLock(this.dir, async (lock) => {
            if (await exists(this.path)) throw alreadyInitialized(this.path);
            if (await exists(this.backupPath)) {
              if (!opts.force) throw onlyBackupLeft(this.dir, this.backupPath);
              await rename(this.backupPath, `${this.backupPath}.before-init-${timestamp()}`).catch((e: unknown) => {
                throw ioError(e, 'keep the old backup aside in', this.dir);
              });
            }
            const data = emptyVaultData();
            const bytes = encodeVaultFile(header, key, Buffer.from(JSON.stringify(data), 'utf8'));
            lock.assertHeld();
            await writeVaultFileAtomic(this.dir, bytes, { backup: false }).catch((e: unknown) => {
              throw ioError(e, 'write', this.path);
            });
            written = true;
            // A lock() while the passphrase was being chosen leaves the new vault locked.
            this.keys.remember(header, key, generation);
            if (this.keys.generation === generation) {
              this.saved = { header, keyCheck: keyCheckValue(key, header.vaultId), data, identity: await fileIdentity(this.path), digest: digestOf(bytes) };
            }
          }, this.lockOptions);
        } finally {
          if (!written) await this.keys.discard(header);
        }
      } finally {
        // A failed init leaves no trace, not even the folders it made. In a folder this init
        // created, the lock file is its own too (lock.ts otherwise never deletes one).
        if (!written && created) {
          await unlink(path.join(this.dir, LOCK_FILE)).catch(() => undefined);
          await removeEmptyFolders(this.dir, created);
        }
      }
      return this.status();
    });
  }

  /** The decrypted data, checked; a new object on every call. */
  async read(): Promise<VaultData> {
    await this.trustFolder();
    const bytes = await this.readFileBytes();
    return (await decodeVaultBytes(bytes, this.keys, this.path)).data;
  }

  /**
   * Lock, re-read, mutate in place, save. `data` belongs to the vault once `mutate` returns: do
   * not keep references into it and change them later. Nothing is written if the file does not
   * open, if `mutate` throws, or if the result is not valid vault data.
   */
  update<T>(mutate: (data: VaultData) => T | Promise<T>): Promise<T> {
    return this.serial(async () => {
      const generation = this.keys.generation;
      await this.trustFolder();
      // Ask for a passphrase before taking the lock, so a prompt never holds other writers up.
      await this.primeKey();
      return withVaultLock(this.dir, async (lock) => {
        await removeStaleTemps(this.dir);
        const { header, keyCheck, data } = await this.current();
        const key = await this.keys.keyFor(header, keyCheck);
        this.saved = null; // from here on `data` may be half-changed
        const secretsBefore = secretsOf(data);
        const result = await mutate(data);
        let checked: VaultData;
        try {
          checked = checkVaultData(data);
        } catch (e) {
          throw new AppError('failed', `Not saved: the change would leave the vault malformed (${(e as Error).message})`);
        }
        const plaintext = Buffer.from(JSON.stringify(checked), 'utf8');
        let out = encodeVaultParts(header, key, plaintext);
        plaintext.fill(0);
        await this.prepareDir();
        lock.assertHeld();
        await writeVaultFileAtomic(this.dir, out).catch((e: unknown) => {
          throw ioError(e, 'save', this.path);
        });
        // A change that drops a secret (remove, a confirmed revoke, an app profile removed) would
        // leave it readable in the backup: saving the same data once more makes the backup this
        // generation too.
        const after = secretsOf(checked);
        if ([...secretsBefore].some((secret) => !after.has(secret))) {
          const again = Buffer.from(JSON.stringify(checked), 'utf8');
          const second = encodeVaultParts(header, key, again);
          again.fill(0);
          lock.assertHeld();
          await writeVaultFileAtomic(this.dir, second).catch((e: unknown) => {
            throw backupNotRewritten(e, this.path, this.backupPath);
          });
          out = second;
        }
        // Decrypted data kept past a lock() would outlive the lock.
        if (this.keys.generation === generation) this.saved = { header, keyCheck, data: checked, identity: await fileIdentity(this.path), digest: digestOf(out) };
        return result;
      }, this.lockOptions);
    });
  }

  /**
   * Forgets the cached key: the next read asks the keychain or the passphrase again, and a key
   * still being fetched is not kept. Whether a read may then happen is for the caller to decide.
   */
  lock(): void {
    this.keys.forget();
    this.saved = null;
  }

  /**
   * The vault as it is on disk now, under the lock. A file that is still the one this instance
   * last wrote (same inode, size, times and trailing digest: a save always renames a new inode in,
   * and any other change moves ctime) is not decrypted again.
   */
  private async current(): Promise<Current> {
    const saved = this.saved;
    if (saved && saved.identity !== null && (await fileIdentity(this.path)) === saved.identity) {
      const tail = await readTail(this.path, saved.digest.length).catch(() => null);
      if (tail?.equals(saved.digest)) return saved;
    }
    const { parsed, data } = await decodeVaultBytes(await this.readFileBytes(), this.keys, this.path);
    return { header: parsed.header, keyCheck: parsed.keyCheck, data };
  }

  /** Refuses a folder others control (unless allowed), and says once what is loose about it. */
  private async trustFolder(): Promise<void> {
    const info = await stat(this.dir).catch(() => null);
    if (info && !info.isDirectory()) {
      throw new AppError('vault_io', `The vault folder ${this.dir} is a file, not a folder. Point --vault-dir or WFVAULT_DIR at a folder (it is created when missing).`, { dir: this.dir });
    }
    if (!this.allowSharedDir) await assertTrustedFolder(this.dir);
    const tell = this.onWarning;
    if (tell) {
      this.onWarning = undefined;
      for (const w of await permissionWarnings(this.dir, this.path)) tell(w);
    }
  }

  private async primeKey(): Promise<void> {
    let head: VaultHead;
    try {
      head = await readHead(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw await missingVault(this.dir);
      return;
    }
    // Only a passphrase is worth getting early; a keychain read is quick and bounded by its timeout.
    if (head.header?.mode !== 'passphrase' || this.keys.has(head.header)) return;
    // The header is trusted only once the whole file's digest checks out, or a damaged key-check
    // value would be reported as a wrong passphrase. Damage itself is reported under the lock.
    let parsed: ParsedVaultFile;
    try {
      parsed = parseVaultFile(await readVaultBytes(this.path));
    } catch {
      return;
    }
    try {
      await this.keys.keyFor(parsed.header, parsed.keyCheck);
    } catch (e) {
      throw explain(e, this.path);
    }
  }

  private async readFileBytes(): Promise<Buffer> {
    try {
      return await readVaultBytes(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw await missingVault(this.dir);
      throw explain(ioError(e, 'read', this.path), this.path);
    }
  }

  /**
   * Creates the folder 0700, and tightens it when it is ours and looser. Returns the first folder
   * it had to create, if any.
   */
  private async prepareDir(): Promise<string | undefined> {
    const created = await makeFolders(this.dir);
    try {
      if (process.platform === 'win32') return created;
      const info = await stat(this.dir);
      const ours = typeof process.getuid !== 'function' || info.uid === process.getuid();
      // A shared folder (sticky bit, as /tmp) or someone else's folder is only warned about.
      if ((info.mode & 0o077) !== 0 && ours && (info.mode & 0o1000) === 0) await chmod(this.dir, DIR_MODE);
      return created;
    } catch (e) {
      throw ioError(e, 'prepare the vault folder', this.dir);
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    // One update at a time per instance: the file lock is per process, so calls from the same
    // process would otherwise spin on it.
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * Verifies, decrypts and checks one vault file's bytes (the vault or its backup). Errors carry the
 * file's path and what to do next.
 *
 * The digest of a large file costs about as much as decrypting it, so it is computed on the
 * thread pool while the keychain answers and the main thread decrypts and parses; every outcome,
 * success or error, waits for it, so damage is always reported as damage. A passphrase is asked
 * for only once the file is known to be intact.
 */
export async function decodeVaultBytes(bytes: Buffer, keys: KeyStore, file: string): Promise<{ parsed: ParsedVaultFile; data: VaultData }> {
  let parsed: ParsedVaultFile;
  try {
    parsed = parseVaultFileUnverified(bytes);
  } catch (e) {
    // Header trouble may be damage: the synchronous parse checks the digest first and says which.
    try {
      parseVaultFile(bytes);
    } catch (precise) {
      throw explain(precise, file);
    }
    throw explain(e, file);
  }
  const intact = verifyDigest(bytes);
  intact.catch(() => undefined);
  const mustBeIntact = async () => {
    if (!(await intact)) parseVaultFile(bytes); // throws vault_tampered
  };
  try {
    if (parsed.header.mode === 'passphrase' && !keys.has(parsed.header)) await mustBeIntact();
    const key = await keys.keyFor(parsed.header, parsed.keyCheck);
    const data = decryptVaultData(parsed, key);
    await mustBeIntact();
    return { parsed, data };
  } catch (e) {
    try {
      await mustBeIntact();
    } catch (damage) {
      throw explain(damage, file);
    }
    throw explain(e, file);
  }
}

/**
 * Decrypts and checks a parsed file with its key: `vault_tampered` when GCM fails, `vault_corrupt`
 * when what it decrypts to is not vault data. Both mean the file is bad, since the key fits.
 */
export function decryptVaultData(parsed: ParsedVaultFile, key: Buffer): VaultData {
  const plaintext = decryptVaultFile(parsed, key);
  let raw: unknown;
  try {
    raw = JSON.parse(plaintext.toString('utf8'));
  } catch {
    throw new AppError('vault_corrupt', 'The vault decrypts, but its contents are not valid JSON.');
  } finally {
    plaintext.fill(0);
  }
  return checkVaultData(raw);
}

/** What identifies one generation of the file: every save renames a new inode into place. */
async function fileIdentity(file: string): Promise<string | null> {
  const info = await stat(file, { bigint: true }).catch(() => null);
  return info && `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
}

async function readTail(file: string, length: number): Promise<Buffer> {
  const handle = await openRegularFile(file);
  try {
    const { size } = await handle.stat();
    return await readAt(handle, Math.min(length, size), Math.max(0, size - length));
  } finally {
    await handle.close();
  }
}

export interface VaultHead {
  formatVersion: number;
  /** Null when a newer format wrote the file. */
  header: VaultHeader | null;
  keyCheck: Buffer | null;
}

/** Reads the prefix and the header without reading the (possibly large) rest of the file. */
export async function readHead(file: string): Promise<VaultHead> {
  const handle = await openRegularFile(file);
  try {
    const info = readPrefix(await readAt(handle, PREFIX_BYTES, 0));
    if (info.kind === 'newer') return { formatVersion: info.version, header: null, keyCheck: null };
    const json = await readAt(handle, info.headerLength, PREFIX_BYTES);
    if (json.length < info.headerLength) throw new AppError('vault_truncated', 'The vault file is cut short inside its header.');
    const { header, keyCheck } = parseHeaderJson(json);
    return { formatVersion: FORMAT_VERSION, header, keyCheck };
  } finally {
    await handle.close();
  }
}

/**
 * Creates `dir` and its missing parents (0700), one at a time, and returns the first it created.
 * Not mkdir's `recursive`: Node's recursive mkdir reports ENOENT for a parent on a read-only or
 * full disk, where one level at a time gives the real reason, and names the folder that failed.
 */
async function makeFolders(dir: string): Promise<string | undefined> {
  const missing: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    const info = await stat(d).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw ioError(e, 'create the vault folder', dir);
    });
    if (info) break;
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      await mkdir(d, { mode: DIR_MODE });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue; // made by a racing init
      throw ioError(e, 'create the vault folder', d === dir ? dir : `${dir} (at ${d})`);
    }
  }
  return missing[0];
}

/** Removes `dir` and its parents up to `top`, as long as they are empty. */
async function removeEmptyFolders(dir: string, top: string): Promise<void> {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      await rmdir(d);
    } catch {
      return;
    }
    if (d === top || path.dirname(d) === d) return;
  }
}

/** Every secret the data holds: tokens' and OAuth apps' client secrets. */
function secretsOf(data: VaultData): Set<string> {
  const out = new Set<string>();
  for (const t of data.tokens) out.add(t.secret);
  for (const a of data.apps) out.add(a.clientSecret);
  for (const k of Object.values(data.teamKeys ?? {})) out.add(k);
  return out;
}

/** The trailing digest of a file's bytes, whole or in the pieces they were written in. */
function digestOf(bytes: Buffer | readonly Buffer[]): Buffer {
  const last = Buffer.isBuffer(bytes) ? bytes : bytes[bytes.length - 1]!;
  return Buffer.from(last.subarray(last.length - 32));
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw ioError(e, 'look at', file);
  }
}

async function permissionWarnings(dir: string, file: string): Promise<string[]> {
  if (process.platform === 'win32') return [];
  const warnings: string[] = [];
  const d = await stat(dir).catch(() => null);
  if (d && d.isDirectory() && (d.mode & 0o077) !== 0) {
    warnings.push(`The vault folder ${dir} can be read by other users (mode ${octal(d.mode)}); wfvault sets it to 0700 at the next save when the folder is yours.`);
  }
  const f = await stat(file).catch(() => null);
  if (f && (f.mode & 0o077) !== 0) warnings.push(`The vault file ${file} can be read by other users (mode ${octal(f.mode)}); the next save writes it with mode 0600.`);
  return warnings;
}

export function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}

export function notInitialized(dir: string): AppError {
  return new AppError('vault_not_initialized', `There is no vault in ${dir} yet. Create one with \`wfvault init\` (or \`wfvault init --passphrase\` on a machine without a keychain).`, { dir });
}

/** The vault file is not there: either no vault yet, or one whose backup alone is left. */
export async function missingVault(dir: string): Promise<AppError> {
  const backup = path.join(dir, BACKUP_FILE);
  if (!(await exists(backup).catch(() => false))) return notInitialized(dir);
  return new AppError(
    'vault_not_initialized',
    `The vault file ${path.join(dir, VAULT_FILE)} is missing, but its backup ${backup} is there. Run \`wfvault doctor --restore-backup\` to put the backup back. (Do not run \`wfvault init\`: a new vault would replace that backup.)`,
    { dir, backup: true },
  );
}

function onlyBackupLeft(dir: string, backup: string): AppError {
  return new AppError(
    'already_initialized',
    `There is no vault file in ${dir}, but there is a backup of one (${backup}); nothing was created. Run \`wfvault doctor --restore-backup\` to get that vault back, or \`wfvault init --force\` to start a new, empty vault anyway (the backup is then kept aside as ${path.basename(backup)}.before-init-<time>).`,
    { path: backup },
  );
}

/**
 * The change is saved, but the second save that would make the backup this generation too failed:
 * say both, since "nothing was changed" would be false and running the command again would fail.
 */
function backupNotRewritten(e: unknown, file: string, backup: string): unknown {
  const reason = ioReason(e);
  if (!reason) return e;
  const head = `The change was saved to ${file}, but its backup ${backup} still holds the secret it dropped, because ${reason.why.replace(/, so nothing was changed$/u, '')}`;
  return new AppError('vault_io', `${head}; ${reason.fix} (the next change to the vault replaces the backup).`, { errno: reason.code, path: backup, saved: true });
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/gu, '-');
}

function alreadyInitialized(file: string): AppError {
  return new AppError('already_initialized', `A vault already exists at ${file}; it was left as it is.`, { path: file });
}

/**
 * The file itself is bad: damaged, cut short, or not a wfvault file. Only these make going back to
 * the backup worth it. A key that does not fit or a newer format version say nothing about the
 * file, which may be perfectly healthy.
 */
export const FILE_PROBLEMS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['vault_tampered', 'vault_truncated', 'vault_corrupt']);

export function isFileProblem(e: unknown): e is AppError {
  return isAppError(e) && FILE_PROBLEMS.has(e.code);
}

const explained = new WeakSet<AppError>();

/** Adds where and what to do next to the format's and the key store's errors. */
export function explain(e: unknown, file: string): unknown {
  if (!isAppError(e) || explained.has(e)) return e;
  const where = `${e.message.replace(/\.$/u, '')} (${file}).`;
  let out = e;
  if (FILE_PROBLEMS.has(e.code)) {
    out = new AppError(
      e.code,
      `${where} Nothing was changed. Run \`wfvault doctor\` to check it; if its backup opens, \`wfvault doctor --restore-backup\` goes back to it.`,
      { ...e.details, path: file },
    );
  } else if (e.code === 'wrong_passphrase') {
    out = new AppError(e.code, `Wrong passphrase for the vault at ${file}.`, { ...e.details, path: file });
  } else if (e.code === 'vault_unknown_version' || e.code === 'wrong_key') {
    out = new AppError(e.code, where, { ...e.details, path: file });
  }
  explained.add(out);
  return out;
}
